import { lazyNgramData, MATERIALISE_AFTER, type NgramData } from "./eld-data.js";
import { createEld as createEldFactory } from "./eld-factory.js";

/** What eld's detector returns (see eld's LanguageResult.js). */
interface EldResult {
  language: string;
  getScores(): Record<string, number>;
}

interface Eld {
  detect(text: string): EldResult;
}

/**
 * eld's detector with the extra-small database, fed from generated/eld-extrasmall.bin instead
 * of eld's own module (which builds the whole database at import). createEld is eld's own
 * factory, loaded by file from the package (its exports name only the prebuilt entries).
 */
const createEld = createEldFactory as () => {
  instance: Eld;
  loadData: (data: NgramData) => string;
};

let detector: Eld | null = null;
let detections = 0;
let materialise: (() => NgramData) | null = null;
let loadData: ((data: NgramData) => string) | null = null;

/** The detector, loaded on first use; after a few dozen texts its database is built in full. */
function eld(): Eld {
  if (!detector) {
    const created = createEld();
    const lazy = lazyNgramData();
    created.loadData(lazy.data);
    detector = created.instance;
    loadData = created.loadData;
    materialise = lazy.materialise;
  }
  if (materialise && ++detections > MATERIALISE_AFTER) {
    loadData?.(materialise());
    materialise = null;
  }
  return detector;
}

/**
 * Language detection for routing. The detector (eld, extra-small database) and the acceptance
 * threshold were chosen with `bench/language-detectors.ts`; see docs/language-detection.md.
 */

/** What `detectLanguage` found. */
export interface DetectedLanguage {
  /** ISO 639-1 code. */
  code: string;
  /** 0..1: score margin over the runner-up, weighted by how much text there was. */
  confidence: number;
  /** The detector that decided, for the decision's reasons. */
  detector: string;
}

/** Name and database of the detector, as shown in decision reasons. */
export const LANGUAGE_DETECTOR = "eld/extrasmall";

/**
 * Below this confidence the text is not trusted and the platform's language tag is used instead.
 * Calibrated on the bench corpus: 99% of whole 40–220 character texts pass with no wrong answer;
 * of the same texts cut to their first two or three words, about half pass and 0.4% are wrong.
 */
export const LANGUAGE_CONFIDENCE_THRESHOLD = 0.2;

/** Fewer letters than this is not enough to tell (e.g. "hi", "merci", "👍"). */
const MIN_LETTERS = 8;
/** Margin × letters at which confidence saturates at 1 (calibrated with the bench). */
const LETTERS_SCALE = 20;
/** eld reports raw / (raw + 25) (see eld's LanguageResult.js); the margin is taken on raw scores. */
const ELD_SCALE = 25;
/** eld truncates at 1,000 characters; cutting first keeps the cost bounded on huge input. */
const MAX_CHARS = 1000;
/** Letters counted for the confidence: about what eld actually reads. */
const COUNT_CHARS = 400;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LETTER = /\p{L}/gu;
const ISO_639_1 = /^[a-z]{2}$/;

/**
 * Detects the language of a (cleaned) text. Returns null when the text is empty, too short, or
 * the detector is not confident enough. Deterministic; never throws, whatever the string.
 */
export function detectLanguage(text: string): DetectedLanguage | null {
  const guess = guessLanguage(text);
  if (guess === null) return null;
  if (guess.confidence >= LANGUAGE_CONFIDENCE_THRESHOLD) return guess;
  // Of the network's languages only Russian is written in Cyrillic and only Persian in Arabic
  // script: a short text in that script whose best guess is that language is taken at half the
  // threshold (the doubt is then between Russian and Ukrainian or Bulgarian, not between ours).
  const script = SCRIPT_OF[guess.code];
  if (script && guess.confidence >= LANGUAGE_CONFIDENCE_THRESHOLD / 2 && mostly(text, script)) {
    return guess;
  }
  return null;
}

/** Languages of the network that are the only one of them written in their script. */
const SCRIPT_OF: Readonly<Record<string, RegExp>> = {
  ru: /\p{Script=Cyrillic}/u,
  fa: /\p{Script=Arabic}/u,
};

/** True when at least 90% of the letters are in the script. */
function mostly(text: string, script: RegExp): boolean {
  let letters = 0;
  let inScript = 0;
  for (const m of text.slice(0, COUNT_CHARS).matchAll(LETTER)) {
    letters++;
    if (script.test(m[0])) inScript++;
  }
  return letters > 0 && inScript >= letters * 0.9;
}

/**
 * The detector's best guess with its confidence, before the threshold: for calibration
 * (bench/language-detectors.ts). Routing uses {@link detectLanguage}. Null only when the text
 * has too few letters or the detector finds nothing.
 */
export function guessLanguage(text: string): DetectedLanguage | null {
  if (typeof text !== "string") return null;
  // A lone surrogate (binary junk, a split emoji) makes eld drop the whole text.
  const sample = text.slice(0, MAX_CHARS).replace(LONE_SURROGATE, " ");
  const letters = countLetters(sample.slice(0, COUNT_CHARS));
  if (letters < MIN_LETTERS) return null;
  // A missing or broken database file throws here, loudly: it is a build problem, not input.
  const detector = eld();
  try {
    const result = detector.detect(sample);
    if (!ISO_639_1.test(result.language)) return null;
    const confidence = confidenceOf(result.getScores(), letters);
    return { code: result.language, confidence, detector: LANGUAGE_DETECTOR };
  } catch {
    // eld is plain JS over a string; a throw would be a bug there, and routing can go on without it.
    return null;
  }
}

function countLetters(s: string): number {
  let n = 0;
  for (const _ of s.matchAll(LETTER)) n++;
  return n;
}

/**
 * eld's scores are not probabilities: near-ties are the telling sign, and a one-word text can
 * score a clear but meaningless win, so the relative margin over the runner-up is scaled by the
 * number of letters (counted over about what eld reads, so a long text cannot inflate it).
 */
function confidenceOf(scores: Record<string, number>, letters: number): number {
  let best = 0;
  let second = 0;
  for (const s of Object.values(scores)) {
    if (s > best) {
      second = best;
      best = s;
    } else if (s > second) {
      second = s;
    }
  }
  if (best <= 0 || best >= 1) return 0;
  // The squashing compresses the top of the scale, where ru/uk/bg or es/pt/ca are told apart.
  const raw = (s: number): number => (ELD_SCALE * s) / (1 - s);
  const margin = (raw(best) - raw(second)) / raw(best);
  return Math.round(Math.min(1, (margin * letters) / LETTERS_SCALE) * 1000) / 1000;
}
