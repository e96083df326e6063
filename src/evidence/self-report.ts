import { countryLanguages, flagCountries } from "./countries.js";
import { geoPlace, hasKey, refsByKey, type GeoPlace } from "./gazetteer.js";
import { demonymRefs, demonymSpans } from "./demonyms.js";
import { CUE_LANGUAGES, cueLookup, rawWordsFor, wordsFor, type Cue } from "./location-cues.js";
import { distanceKm } from "../routing/geo.js";
import {
  divisionsOf,
  findPlaceSpans,
  soleCountry,
  placeInCountry,
  resolveSpan,
  typoPlaceSpan,
  type Place,
  type PlaceSpan,
  type ResolveHints,
} from "./places.js";
import { stopwordsOf } from "./stopwords.js";
import { foldKey, looksLikeName, tokenize, type Token } from "./text-fold.js";

/**
 * Where the writer says they live or write from, read the way a person reads it: every place
 * named in the text is a candidate, and each is weighed by the words around it (ROUTING.md,
 * location source 2). "I live in", "a nurse in", "our branch in", "greetings from", "X-based",
 * "ich wohne in", "in Leipzig wohne ich", "un saluto da", "у нас в" all raise a candidate; "the
 * war in", "our trip to", "news from", "my brother in" lower it; "originally from" marks an
 * origin, which a current place beats. The best candidate above a threshold wins, or none.
 */

/** A self-report: the place, how sure the reading is, and the words that decided it. */
export interface SelfReport extends Place {
  /** The winning candidate's score (at least {@link THRESHOLD}). */
  score: number;
  /** For admins: the words that decided and their weights, e.g. `"living" +0.45, "in" +0.3`. */
  explanation: string;
}

/** Options of {@link findSelfReport}. */
export interface SelfReportOptions {
  /** The text's language (its cue words and inflection are used, with English); null: all. */
  lang?: string | null;
  /** The reader's other evidence, to settle ambiguous names. */
  hints?: ResolveHints;
  /** The writer's display name: its words are a person, not a place ("Rosa", "Paris"). */
  name?: string | null;
}

/**
 * How far from a region's main city a city the writer lives in may lie to be a finer statement
 * of the region they greet from (Koper from Istria's Pula is 85 km).
 */
const REGION_KM = 150;

/** A candidate needs at least this score to be taken as where the writer is. */
export const THRESHOLD = 0.5;

/** Weights of the cues; see docs/routing.md ("How the text is read"). */
const W = {
  loc: 0.3,
  from: 0.15,
  about: -0.6,
  live: 0.45,
  liveFar: 0.3,
  writeFrom: 0.6,
  greetFrom: 0.6,
  here: 0.5,
  hereAfter: 0.5,
  now: 0.25,
  moved: 0.45,
  first: 0.2,
  fromSelf: 0.35,
  group: 0.5,
  based: 0.7,
  afterContrast: 0.1,
  topic: -0.9,
  neg: -0.9,
  third: -0.5,
  origin: -0.35,
  lowercase: -0.25,
  hereLater: 0.3,
  smallAbroad: -0.2,
  signOff: 0.5,
  native: 0.5,
  ask: 0.25,
  intro: 0.5,
  dateline: 0.5,
  among: 0.5,
  demonym: 0.6,
  past: -0.6,
  settled: 0.2,
  direction: -0.6,
  hashtag: 0.5,
  away: -0.5,
  planned: -0.9,
  refined: 0.1,
  typo: -0.1,
  nowBeside: 0.5,
} as const;

const MAX_TOKENS = 40_000;
const MAX_CANDIDATES = 200;
const BEFORE = 14;
const AFTER = 5;
const MAX_MATCHED_LENGTH = 160;
const BASED_RE = /^\s?-?\s?based\b/iu;

/** Function-word roles: a place name that is one of these words is not a candidate ("Da", "Bar"). */
const FUNCTION_CUES: ReadonlySet<Cue> = new Set([
  "loc",
  "from",
  "to",
  "about",
  "article",
  "first",
  "third",
  "neg",
  "contrast",
  "be",
  "here",
  "now",
]);

interface Contribution {
  readonly words: string;
  readonly delta: number;
  /** Token index of the cue word, for the quoted phrase. */
  readonly at: number;
}

interface Scored {
  readonly place: Place;
  score: number;
  readonly contributions: Contribution[];
  readonly start: number;
  readonly end: number;
  readonly origin: boolean;
  /** Only "I'm from X" spoke for it: an origin as often as a residence. */
  readonly fromOnly: boolean;
  /** "Born and raised in X", "X born and still here": where they are unless another place is. */
  readonly native: boolean;
  /** A word of living, working or being there ("abito", "I'm a nurse in") spoke for it. */
  readonly live: boolean;
}

/** The text's words and the place names among them that may be meant as places. */
interface Candidates {
  readonly tokens: readonly Token[];
  readonly cues: CueAt;
  readonly sentence: Int32Array;
  readonly capitalises: boolean;
  readonly spans: readonly PlaceSpan[];
}

function candidates(text: string, opts: SelfReportOptions): Candidates | null {
  if (typeof text !== "string" || text.length === 0) return null;
  const tokens = tokenize(text, MAX_TOKENS);
  if (tokens.length === 0) return null;
  const lang = opts.lang ?? null;
  const langs = lang ? (lang === "en" ? ["en"] : [lang, "en"]) : CUE_LANGUAGES;
  const cues = lazyCues(tokens, langs);
  const sentence = sentences(text, tokens);
  const capitalises = writerCapitalises(text, tokens, sentence);
  const nameWords = new Set(opts.name ? tokenize(opts.name, 8).map((t) => t.key) : []);
  // A writer who capitalises names starts none with a small letter: those words are skipped.
  const spans: PlaceSpan[] = findPlaceSpans(text, tokens, lang, capitalises)
    .map((s) => articleForm(tokens, s) ?? s)
    .filter(
      (s, n, all) =>
        s.kind !== "none" &&
        !isCueWord(text, tokens, s, cues, sentence) &&
        !isFunctionWord(text, tokens, s, lang, sentence) &&
        !(capitalises && isLowerCaseWord(text, tokens, s)) &&
        !codeNotCountry(text, tokens, s, all[n - 1]) &&
        !(s.end - s.start === 1 && nameWords.has(tokens[s.start]!.key)),
    )
    .filter((s, n, all) => !headOfGenitive(text, tokens, cues, s, all[n + 1]))
    .slice(0, MAX_CANDIDATES);
  dropSmallLowerCase(text, tokens, spans, sentence, lang);
  addTypos(text, tokens, spans, cues, sentence, lang);
  addDemonyms(text, tokens, spans, cues, sentence, lang);
  return spans.length === 0 ? null : { tokens, cues, sentence, capitalises, spans };
}

/**
 * Two-letter country codes written in prose as countries (the rest are jobs, fields and
 * languages: "I work in IT", "HR", "PR", "QA", "AI", "a DE/EN translator").
 */
const PROSE_CODES: ReadonlySet<string> = new Set(["US", "UK", "NZ"]);

/**
 * A two-letter country code that is no country here: "I work in IT", "outsourcing IT)",
 * "IT-Abteilung", "DE/EN", "(IT, CA)". A code counts as a country where people write one as
 * such: after a place it settles ("Roma, IT", "Berlin, DE": read by the place's disambiguator,
 * not as a candidate), as a hashtag ("#IT"), or when prose writes countries so (US, UK, NZ).
 */
function codeNotCountry(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
  before: PlaceSpan | undefined,
): boolean {
  if (!span.code || span.kind !== "country" || span.end - span.start !== 1) return false;
  const t = tokens[span.start]!;
  if (t.end - t.start !== 2) return false;
  const raw = text.slice(t.start, t.end);
  if (PROSE_CODES.has(raw) || text.charAt(t.start - 1) === "#") return false;
  // "Roma, IT", "Berlin DE": the place's country, kept so it is known as one.
  const afterPlace =
    before !== undefined &&
    before.end === span.start &&
    /^[\s,]{1,3}$/u.test(text.slice(tokens[span.start - 1]!.end, t.start));
  return !afterPlace;
}

/**
 * "sur le port de Marseille", "nel porto di Genova": a name written in lower case right before
 * "of" and another place is the common noun that place qualifies (Le Port, Réunion, is not
 * meant); the place after "of" is the candidate.
 */
function headOfGenitive(
  text: string,
  tokens: readonly Token[],
  cues: CueAt,
  span: PlaceSpan,
  next: PlaceSpan | undefined,
): boolean {
  if (!next || span.code || next.start !== span.end + 1) return false;
  const t = tokens[span.start]!;
  if (looksLikeName(text.slice(t.start, t.end))) return false;
  return has(cues(span.end), "from");
}

/** Articles that are part of a place's own name in its language: Le Plateau, El Raval, Il Vomero. */
const NAME_ARTICLES = [
  "le",
  "la",
  "les",
  "l",
  "el",
  "il",
  "lo",
  "o",
  "a",
  "de",
  "het",
  "der",
  "die",
  "das",
];

/**
 * "living in the Plateau": English puts "the" where the name's own language has its article
 * (Le Plateau, a part of Montreal; El Raval; Den Haag). When the name with such an article is
 * known, that place is meant rather than one of the bare name (Plateau State, Nigeria).
 */
function articleForm(tokens: readonly Token[], span: PlaceSpan): PlaceSpan | null {
  if (span.kind === "country" || span.start === 0 || tokens[span.start - 1]!.key !== "the") {
    return null;
  }
  const name = tokens
    .slice(span.start, span.end)
    .map((t) => t.key)
    .join(" ");
  for (const article of NAME_ARTICLES) {
    const key = `${article} ${name}`;
    if (!hasKey(key)) continue;
    const refs = refsByKey(key);
    if (refs.length === 0) continue;
    return {
      start: span.start,
      end: span.end,
      kind: "place",
      country: null,
      refs,
      inflected: span.inflected,
      code: span.code,
      article,
    } as PlaceSpan;
  }
  return null;
}

/**
 * A city of `country` named in the text, for a web-form answer that gave only the country
 * (ROUTING.md, source 1: "vivo a Torino" with country IT puts the point in Turin). The city
 * the writer says they live in when there is one, else the first city of that country named.
 */
export function findCityIn(
  text: string,
  country: string,
  opts: SelfReportOptions = {},
): Place | null {
  const c = candidates(text, opts);
  if (!c) return null;
  // Most texts name no city of that country: then nothing needs weighing.
  let first: Place | null = null;
  for (const span of c.spans) {
    first = placeInCountry(text, c.tokens, span, country);
    if (first) break;
  }
  if (!first) return null;
  const hints = { ...opts.hints, countries: [country, ...(opts.hints?.countries ?? [])] };
  const self = selfReportOf(text, c, { ...opts, hints });
  return self && self.country === country && self.city ? self : first;
}

/**
 * The hints for settling the text's ambiguous names: the caller's countries, the text's
 * language, and the countries, divisions and places the text itself names, each worked out only
 * when an ambiguous name asks for it. A class, not an object literal with getters: one is made
 * for every message, and a literal with accessors costs V8 a hundred times more to create.
 */
class TextHints implements ResolveHints {
  #named: string[] | undefined;
  #divisions: GeoPlace[] | undefined;
  #nearby: string[] | undefined;
  constructor(
    readonly countries: readonly string[] | undefined,
    readonly language: string | null,
    private readonly all: readonly PlaceSpan[],
    private readonly text: string,
    private readonly affirmed: (span: PlaceSpan) => boolean,
  ) {}

  #spans: readonly PlaceSpan[] | undefined;
  /** The spans not denied ("not Richmond BC"), worked out on first use. */
  private get spans(): readonly PlaceSpan[] {
    return (this.#spans ??= this.all.filter(this.affirmed));
  }

  get named(): readonly string[] {
    return (this.#named ??= [
      ...this.spans.filter((s) => s.kind === "country" && s.country).map((s) => s.country!),
      ...flagCountries(this.text),
    ]);
  }

  get divisions(): readonly GeoPlace[] {
    return (this.#divisions ??= this.spans.flatMap(divisionsOf));
  }

  get nearby(): readonly string[] {
    return (this.#nearby ??= this.spans.map(soleCountry).filter((cc): cc is string => cc !== null));
  }
}

/**
 * The place the writer says they live in or write from, or null when no candidate scores
 * {@link THRESHOLD}. Linear in the input, with bounded work per word and per candidate.
 */
export function findSelfReport(text: string, opts: SelfReportOptions = {}): SelfReport | null {
  const c = candidates(text, opts);
  return c ? selfReportOf(text, c, opts) : null;
}

function selfReportOf(text: string, c: Candidates, opts: SelfReportOptions): SelfReport | null {
  const { tokens, cues, sentence, capitalises, spans } = c;
  const lang = opts.lang ?? null;
  // Which candidate each token belongs to: a cue word never reaches past another place.
  const owner = new Int32Array(tokens.length).fill(-1);
  spans.forEach((sp, n) => owner.fill(n, sp.start, sp.end));
  const verbFinal = lang !== null && VERB_FINAL.has(lang);
  const genitive = lang !== null && GENITIVE.has(lang);
  const ctx: Context = { text, tokens, cues, sentence, owner, capitalises, verbFinal, genitive };
  // Countries, flags and divisions named anywhere in the text, worked out only when an
  // ambiguous name asks for them; not those denied ("the Virginia one, not Richmond BC").
  const hints = new TextHints(opts.hints?.countries, lang, spans, text, (sp) => !denied(ctx, sp));
  const scored: Scored[] = [];
  let consumed = 0;
  for (let n = 0; n < spans.length; n++) {
    const span = spans[n]!;
    // A name that only settled the previous one ("Portland, Maine") is not a candidate.
    if (span.start < consumed) continue;
    if (!mayScore(ctx, span)) continue;
    const resolved = resolveSpan(text, tokens, span, hints);
    if (!resolved) continue;
    if ("article" in span) {
      const name = text.slice(tokens[span.start]!.start, tokens[span.end - 1]!.end);
      resolved.place.settledBy = `"the ${name}" read as "${String(span.article)} ${name}"`;
    }
    owner.fill(owner[span.start]!, span.end, resolved.end);
    consumed = resolved.end;
    // "Newcastle NSW", "Portland, Maine": settled by a division (not a country) written after it.
    const next = spans[n + 1];
    const byDivision =
      resolved.end > span.end &&
      !(next !== undefined && next.start < resolved.end && next.kind !== "place");
    let s = score(ctx, span, resolved.end, scored, lang, resolved.place, byDivision);
    if ((!s || s.score < THRESHOLD) && LISTED_DEMONYMS.has(span)) {
      s = demonymScore(ctx, span, resolved.end, resolved.place, []) ?? s;
    }
    // Written out rather than spread: one object of one shape per candidate.
    if (s) {
      scored.push({
        score: s.score,
        contributions: s.contributions,
        origin: s.origin,
        fromOnly: s.fromOnly,
        native: s.native,
        live: s.live,
        place: resolved.place,
        start: span.start,
        end: resolved.end,
      });
    }
  }
  hereLater(ctx, scored);
  refine(ctx, scored);
  let best: Scored | null = null;
  // "Sou de Guimarães, mas vivo em Genebra": where they live beats where they are from.
  const lives = scored.some((s) => s.score >= THRESHOLD && !s.fromOnly && !s.origin);
  // "Born and raised in Leeds … now in Spain": a place said to be current beats the native one.
  const now = scored.some((s) => s.score >= THRESHOLD && !s.fromOnly && !s.origin && !s.native);
  for (const s of scored) {
    if (s.score < THRESHOLD || (lives && s.fromOnly) || (now && s.native)) continue;
    if (!best || s.score > best.score) best = s;
  }
  if (!best) return null;
  // "Contatto dall'Istria … abito a Capodistria", "Saluti dalla Toscana! Abito a Pistoia": a
  // region the writer only greets from says less than a city in or near it they live in.
  if (best.place.city === null && best.place.division !== null && !best.live) {
    const region = spans.find((sp) => sp.start === best!.start);
    const points = region ? divisionsOf(region) : [];
    let city: Scored | null = null;
    for (const s of scored) {
      if (s.score < THRESHOLD || !s.live || s.place.city === null || s.origin || s.fromOnly) {
        continue;
      }
      const at = s.place.point;
      if (!at || !points.some((d) => distanceKm(at, d) <= REGION_KM)) continue;
      if (!city || s.score > city.score) city = s;
    }
    if (city) best = city;
  }
  return {
    ...best.place,
    matched: quoted(text, tokens, best),
    score: Math.round(best.score * 100) / 100,
    explanation: explain(best, scored),
  };
}

/**
 * A one-word name that is a function word of the text's language ("als", "da", "bra"), at the
 * start of a sentence or in lower case: the word, not the place.
 */
function isFunctionWord(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
  lang: string | null,
  sentence: Int32Array,
): boolean {
  if (!lang || span.end - span.start !== 1 || span.code) return false;
  const i = span.start;
  if (!stopwordsOf(lang).has(tokens[i]!.key)) return false;
  const t = tokens[i]!;
  return i === 0 || sentence[i - 1] !== sentence[i] || !looksLikeName(text.slice(t.start, t.end));
}

/** Spans read through a typo ("manchster"): a little less sure than the name as written. */
const TYPO_SPANS = new WeakSet<PlaceSpan>();
/** Roles that make a preposition's next word worth a typo check: live in, greetings from, here in. */
const STRONG: readonly Cue[] = ["live", "greet", "write", "here", "moved"];
const LOC_WORDS = () => wordsFor("loc");
const FROM_WORDS = () => wordsFor("from");
/** How far before the preposition the strong cue may stand ("I have lived in", "hello all from"). */
const STRONG_REACH = 4;

/**
 * Adds, in place and in order, big cities written with one typo right after a preposition that a
 * strong cue governs ("I live in manchster", "greetings from Amsterdm"); see typoPlaceSpan.
 */
function addTypos(
  text: string,
  tokens: readonly Token[],
  spans: PlaceSpan[],
  cues: CueAt,
  sentence: Int32Array,
  lang: string | null,
): void {
  let n = 0;
  for (let i = 1; i < tokens.length; i++) {
    while (n < spans.length && spans[n]!.end <= i) n++;
    if (n < spans.length && spans[n]!.start <= i) continue;
    if (tokens[i]!.end - tokens[i]!.start < 6 || sentence[i - 1] !== sentence[i]) continue;
    // Set lookups first: most words follow no preposition, and roles cost a stemmer call.
    const before = tokens[i - 1]!.key;
    if (!LOC_WORDS().has(before) && !FROM_WORDS().has(before)) continue;
    const prep = cues(i - 1);
    if ((!has(prep, "loc") && !has(prep, "from")) || cues(i).length > 0) continue;
    let strong = false;
    for (let k = i - 2; k >= 0 && k >= i - 1 - STRONG_REACH && sentence[k] === sentence[i]; k--) {
      if (cues(k).some((c) => STRONG.includes(c))) strong = true;
    }
    if (!strong) continue;
    const span = typoPlaceSpan(text, tokens, i, lang);
    if (!span) continue;
    TYPO_SPANS.add(span);
    spans.splice(n, 0, span);
  }
}

/** Demonym spans ("Rennaise", "Kreuzberger"): scored only as the writer describing themselves. */
const DEMONYM_SPANS = new WeakSet<PlaceSpan>();
/** Gazetteer names that are demonyms too: read as one when nothing else speaks for them. */
const LISTED_DEMONYMS = new WeakSet<PlaceSpan>();

/** How far after "I'm"/"sono"/"ich bin" a demonym may stand ("ich bin echter Berliner"). */
const DEMONYM_AFTER_BE = 3;

/**
 * Adds, in order, the demonyms derived by rule (demonyms.ts) where a writer describes
 * themselves with one: opening the message, a few words after "be", or right before "here".
 * Only those positions are tried, so a long text costs nothing more.
 */
function addDemonyms(
  text: string,
  tokens: readonly Token[],
  spans: PlaceSpan[],
  cues: CueAt,
  sentence: Int32Array,
  lang: string | null,
): void {
  // The positions a demonym may take: the opening, up to three words after "be", the word
  // before "be" or up to two before "here". "be" and "here" are matched as written (no
  // stemming), so finding them costs a set lookup per word.
  const be = wordsFor("be");
  const here = wordsFor("here");
  const where = new Uint8Array(tokens.length);
  where.fill(1, 0, Math.min(tokens.length, INTRO_OPENING + 1));
  for (let k = 0; k < tokens.length; k++) {
    const key = tokens[k]!.key;
    const isBe = be.has(key) && has(cues(k), "be");
    const isHere = here.has(key) && has(cues(k), "here");
    if (!isBe && !isHere) continue;
    const from = isBe ? k - 1 : k - 2;
    const to = isBe ? k + DEMONYM_AFTER_BE : k - 1;
    for (let j = Math.max(0, from); j <= to && j < tokens.length; j++) {
      if (j !== k && sentence[j] === sentence[k]) where[j] = 1;
    }
  }
  // A listed demonym (Torinese, Londoner) that is also one by rule: read as one if its
  // context says nothing else.
  const taken = new Uint8Array(tokens.length);
  for (const sp of spans) {
    taken.fill(1, sp.start, sp.end);
    if (sp.end - sp.start !== 1 || sp.code || sp.kind !== "place" || !where[sp.start]) continue;
    const refs = demonymRefs(
      tokens[sp.start]!.key,
      lang,
      looksLikeName(text.slice(tokens[sp.start]!.start)),
    );
    if (!refs) continue;
    const own = new Set(sp.refs.map((r) => r.place));
    if (refs.some((r) => own.has(r.place))) LISTED_DEMONYMS.add(sp);
  }
  const found = demonymSpans(
    text,
    tokens,
    lang,
    (i) => taken[i] === 1 || !where[i] || cues(i).length > 0,
  );
  if (found.length === 0) return;
  for (const sp of found) DEMONYM_SPANS.add(sp);
  spans.push(...found);
  spans.sort((a, b) => a.start - b.start);
}

/** A lower-case word names a place only when the place is at least this big (or a capital). */
const LOWER_CASE_FLOOR = 100_000;
/** …or a capital of at least this many (Yaren, Nauru's, has about a thousand: "jaren" is years). */
const CAPITAL_FLOOR = 20_000;

/**
 * Drops, in place, one-word names written in lower case that name only small places ("jaren" →
 * Yaren, "sul" → Suhl), when the writer capitalises other names in the text ("… in Leiden") or
 * the place is where the text's language is not spoken: then the word is a word of the text.
 * Big places, capitals, countries and divisions stay ("moved to leeds", "hello from brisbane"),
 * and so does a small place in an all-lower-case text in its own language ("i live in frome").
 */
function dropSmallLowerCase(
  text: string,
  tokens: readonly Token[],
  spans: PlaceSpan[],
  sentence: Int32Array,
  lang: string | null,
): void {
  const lower = (sp: PlaceSpan) =>
    !sp.code &&
    sp.kind === "place" &&
    !looksLikeName(text.slice(tokens[sp.start]!.start, tokens[sp.start]!.end));
  if (!spans.some((sp) => sp.end - sp.start === 1 && lower(sp))) return;
  // A name written with a capital inside a sentence: the writer capitalises names.
  const namesCapitalised = spans.some(
    (sp) =>
      !sp.code &&
      sp.start > 0 &&
      sentence[sp.start - 1] === sentence[sp.start] &&
      looksLikeName(text.slice(tokens[sp.start]!.start, tokens[sp.start]!.end)),
  );
  for (let n = spans.length - 1; n >= 0; n--) {
    const sp = spans[n]!;
    if (sp.end - sp.start !== 1 || !lower(sp)) continue;
    const places = sp.refs.map((r) => geoPlace(r.place));
    if (places.length === 0) continue;
    const big = places.some(
      (g) =>
        g.population >= LOWER_CASE_FLOOR ||
        g.featureCode === "ADM1" ||
        (g.featureCode === "PPLC" && g.population >= CAPITAL_FLOOR),
    );
    if (big) continue;
    const abroad =
      lang !== null && places.every((g) => !countryLanguages(g.country).includes(lang));
    if (namesCapitalised || abroad) spans.splice(n, 1);
  }
}

/** A one-word name written in lower case ("due", "nice"), in a text whose writer capitalises names. */
function isLowerCaseWord(text: string, tokens: readonly Token[], span: PlaceSpan): boolean {
  if (span.end - span.start !== 1 || span.code) return false;
  const t = tokens[span.start]!;
  return !looksLikeName(text.slice(t.start, t.end));
}

/**
 * "… any readers in London, Ontario? I've been here for two years": a later sentence of the
 * writer's that says "here" without naming a place points back to the last place named.
 */
/** As written: Swedish "har" (has) folds like "här" (here), and is no "here". */
function hereAsWritten(ctx: Context, k: number, rawHere = rawWordsFor("here")): boolean {
  const t = ctx.tokens[k]!;
  const raw = ctx.text.slice(t.start, t.end).toLowerCase();
  return rawHere.has(raw) || !/^[a-z]+$/u.test(raw) || rawHere.has(t.key);
}

function hereLater(ctx: Context, scored: Scored[]): void {
  const { tokens, cues, sentence, owner } = ctx;
  const here = wordsFor("here");
  const rawHere = rawWordsFor("here");
  for (let k = 0; k < tokens.length; k++) {
    if (!here.has(tokens[k]!.key) || !has(cues(k), "here")) continue;
    if (!hereAsWritten(ctx, k, rawHere)) continue;
    const sent = sentence[k]!;
    let first = false;
    let placed = false;
    for (let j = k - 6; j <= k + 6; j++) {
      if (j < 0 || j >= tokens.length || sentence[j] !== sent) continue;
      // "Berlin here", "here in Leeds": this "here" has its own place.
      if (owner[j]! >= 0 && j >= k - 1 && j <= k + 3) placed = true;
      // "I've been here two years", "Is there anyone … down here?"
      if (has(cues(j), "first") || has(cues(j), "ask")) first = true;
    }
    if (!first || placed) continue;
    let target: Scored | null = null;
    for (const s of scored) {
      const at = sentence[s.start]!;
      if (at < sent && at >= sent - 2 && (!target || s.start > target.start)) target = s;
    }
    if (target && !target.contributions.some((c) => c.words.startsWith('"here" later'))) {
      target.contributions.push({
        words: `"here" later, pointing back`,
        delta: W.hereLater,
        at: k,
      });
      target.score += W.hereLater;
    }
  }
}

/**
 * A one-word name that is rather a word of the sentence: a function word ("Da", "Bar"), or a
 * cue word in lower case, at the start of a sentence ("Moro em …") or read as an inflected
 * name ("Живу"). "I live in Reading" keeps Reading.
 */
function isCueWord(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
  cues: CueAt,
  sentence: Int32Array,
): boolean {
  if (span.end - span.start !== 1 || span.code) return false;
  const i = span.start;
  const c = cues(i);
  if (c.some((x) => FUNCTION_CUES.has(x))) return true;
  if (c.length === 0) return false;
  const sentenceStart = i === 0 || sentence[i - 1] !== sentence[i];
  const t = tokens[i]!;
  return span.inflected || sentenceStart || !looksLikeName(text.slice(t.start, t.end));
}

/** The roles of the word at a token index. */
type CueAt = (k: number) => readonly Cue[];

/**
 * The roles of each word, worked out when first asked: only the words near a candidate are
 * ever looked at, and stemming every word of a long message would cost more than the rest.
 */
function lazyCues(tokens: readonly Token[], langs: readonly string[]): CueAt {
  const memo: (readonly Cue[] | undefined)[] = new Array<readonly Cue[] | undefined>(tokens.length);
  const lookup = cueLookup(langs);
  return (k) => (memo[k] ??= lookup(tokens[k]!.key));
}

/** The sentence index of every token: a new sentence after . ! ? ; or a line break. */
function sentences(text: string, tokens: readonly Token[]): Int32Array {
  const out = new Int32Array(tokens.length);
  let n = 0;
  for (let i = 1; i < tokens.length; i++) {
    for (let c = tokens[i - 1]!.end; c < tokens[i]!.start; c++) {
      if (SENTENCE_END.has(text.charCodeAt(c))) {
        n++;
        break;
      }
    }
    out[i] = n;
  }
  return out;
}

/** . ! ? ; line break, and the Arabic question mark and full stop. */
const SENTENCE_END = new Set([0x2e, 0x21, 0x3f, 0x3b, 0x0a, 0x61f, 0x6d4]);

/** True when the writer starts most sentences with a capital (so a lower-case name is a word). */
function writerCapitalises(text: string, tokens: readonly Token[], sentence: Int32Array): boolean {
  let starts = 0;
  let capital = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && sentence[i] === sentence[i - 1]) continue;
    const t = tokens[i]!;
    const ch = text.charAt(t.start);
    if (ch.toLowerCase() === ch.toUpperCase()) continue; // no case (Persian, digits)
    starts++;
    if (ch !== ch.toLowerCase()) capital++;
  }
  return starts > 0 && capital * 2 >= starts;
}

const has = (cues: readonly Cue[], c: Cue) => cues.includes(c);

/** The text and what is known about each of its words. */
interface Context {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly cues: CueAt;
  readonly sentence: Int32Array;
  /** The candidate a token is part of, or -1. */
  readonly owner: Int32Array;
  readonly capitalises: boolean;
  /** The text's language puts the verb last (Persian). */
  readonly verbFinal: boolean;
  /** The text's language marks "of" on the name itself (case or ezafe): ru, pl, fa. */
  readonly genitive: boolean;
}

/** Languages where a noun governs the name after it without "of": центре Москвы, مدارس کرمان. */
const GENITIVE: ReadonlySet<string> = new Set(["ru", "pl", "fa"]);
/** How many words a locative may stand before the name through such a phrase. */
const CHAIN_REACH = 5;

/**
 * The locative preposition that governs the name through a short noun phrase in a language
 * that marks the genitive on the name ("в центре Москвы", "w centrum Krakowa", Persian ezafe
 * "در یکی از مدارس کرمان": in one of the schools of Kerman), or -1. Only words without a role
 * (nouns), "of" words and articles may stand between, in the same clause.
 */
function genitiveChain(ctx: Context, s: number): number {
  const { text, tokens, cues, sentence, owner } = ctx;
  for (let j = s - 1; j >= 0 && j >= s - CHAIN_REACH && sentence[j] === sentence[s]; j--) {
    if (owner[j]! >= 0 || /[,;:،]/u.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start))) {
      return -1;
    }
    const c = cues(j);
    if (has(c, "loc")) return j < s - 1 ? j : -1;
    if (c.length > 0 && !c.every((x) => x === "from" || x === "article")) return -1;
  }
  return -1;
}

const ABOUT: readonly Cue[] = ["about"];

/**
 * True when the word at `p`, right before a capitalised name, is one lower-case word of no role
 * (an adjective: sunny, piovosa, verregneten, солнечного) with a locative or origin preposition
 * (past articles) before it.
 */
function describedBy(ctx: Context, span: PlaceSpan, p: number): boolean {
  const { text, tokens, cues, sentence, owner } = ctx;
  const s = span.start;
  if (p < 1 || p !== s - 1) return false;
  if (sentence[p] !== sentence[s] || owner[p]! >= 0 || cues(p).length > 0) return false;
  const t = tokens[p]!;
  const w = text.slice(t.start, t.end);
  if (w.length < 4 || looksLikeName(w) || !/^\p{L}+$/u.test(w)) return false;
  if (!looksLikeName(text.slice(tokens[s]!.start, tokens[s]!.end))) return false;
  if (/[,;:()]/u.test(text.slice(t.end, tokens[s]!.start))) return false;
  let q = p - 1;
  while (q >= 0 && q > p - 3 && has(cues(q), "article")) q--;
  if (q < 0 || sentence[q] !== sentence[s]) return false;
  const c = cues(q);
  return has(c, "loc") || has(c, "from");
}

/** True when token k is a preposition leading (past articles) to another candidate. */
function leadsToPlace(ctx: Context, k: number, self: number): boolean {
  const c = ctx.cues(k);
  if (!has(c, "loc") && !has(c, "from") && !has(c, "to")) return false;
  let j = k + 1;
  while (j < ctx.tokens.length && j <= k + 2 && has(ctx.cues(j), "article")) j++;
  return j < ctx.tokens.length && ctx.owner[j]! >= 0 && ctx.owner[j] !== self;
}

/** The candidate's score and the words that made it, or null when no word speaks for it. */
function score(
  ctx: Context,
  span: PlaceSpan,
  end: number,
  earlier: readonly Scored[],
  lang: string | null,
  place: Place,
  byDivision = false,
): Omit<Scored, "place" | "start" | "end"> | null {
  const { text, tokens, cues, sentence, owner, capitalises } = ctx;
  const s = span.start;
  const self = owner[s]!;
  const sent = sentence[s]!;
  const word = (k: number) => text.slice(tokens[k]!.start, tokens[k]!.end);
  const out: Contribution[] = [];
  const add = (k: number, delta: number, words = `"${word(k)}"`) =>
    out.push({ words, delta, at: k });
  if (DEMONYM_SPANS.has(span)) return demonymScore(ctx, span, end, place, out);

  // The preposition right before the name, skipping up to two articles.
  let p = s - 1;
  while (p >= 0 && p > s - 3 && sentence[p] === sent && has(cues(p), "article")) p--;
  // "from sunny Swansea", "dalla piovosa Milano", "aus dem verregneten Hamburg", "из солнечного
  // Сочи": one lower-case word before a capitalised name is its adjective.
  const adjective = describedBy(ctx, span, p);
  if (adjective) {
    p--;
    while (p >= 0 && p > s - 5 && sentence[p] === sent && has(cues(p), "article")) p--;
  }
  // French "sur" is "in" only before a city ("je bosse sur Lyon"): "sur l'Ukraine" is a topic.
  const topicSur =
    p >= 0 && tokens[p]!.key === "sur" && span.kind === "country" && has(cues(p), "loc");
  const prep = p >= 0 && sentence[p] === sent && !topicSur ? cues(p) : topicSur ? ABOUT : [];
  // "in provincia di Brescia", "near to", "в пригороде": the area's "of" is a locative.
  const area = has(prep, "from") && p > 0 && sentence[p - 1] === sent && has(cues(p - 1), "area");
  // "в центре Москвы", "w centrum Krakowa", "در یکی از مدارس کرمان": in a place's part.
  const chain = prep.length === 0 && ctx.genitive ? genitiveChain(ctx, s) : -1;
  // "numa escola pública de Coimbra", "in una scuola di Bari": "of" after a place's institution
  // is where it is, not an origin.
  const ofChain = has(prep, "from") && !has(prep, "loc") && !area ? genitiveChain(ctx, p) : -1;
  const isLoc = has(prep, "loc") || area || chain >= 0 || ofChain >= 0;
  // "vi scrivo dalla provincia di Lecce", "greetings from the outskirts of Leeds": from its area.
  const fromArea = area && p > 1 && sentence[p - 2] === sent && has(cues(p - 2), "from");
  const isFrom = has(prep, "from") && !isLoc;
  // "delivery outside the UK": outside a country is not in it (outside a city is near it).
  const outside = p >= 0 && sentence[p] === sent && OUTSIDE.has(tokens[p]!.key);
  if (outside && span.kind === "country") {
    add(p, W.neg, `"${word(p)}" (not in it)`);
    return null;
  }
  if (area) add(p, W.loc, `"${word(p - 1)} ${word(p)}"`);
  else if (chain >= 0) add(chain, W.loc, `"${word(chain)} … ${word(s)}"`);
  else if (ofChain >= 0) add(ofChain, W.loc, `"${word(ofChain)} … ${word(p)}"`);
  else if (isLoc) add(p, W.loc);
  else if (isFrom) add(p, W.from);
  else if (has(prep, "about")) add(p, W.about);

  let positive = isLoc || isFrom;
  let origin = false;
  let current = false;
  let live = false;
  let topic = false;
  let firstAt = -1;
  let thirdAt = -1;
  let negAt = -1;
  let contrast = false;
  let askAt = -1;
  let nowOnly = false;
  let still = false;
  let bornRaised = false;
  let native = false;
  let pastAt = -1;
  // "I'm a bus driver in Dunedin", "jestem kierowcą w Lublinie": who the writer is, there.
  const locAt = chain >= 0 ? chain : ofChain >= 0 ? ofChain : area ? p - 1 : isLoc ? p : -1;
  const roleAt = locAt > 0 ? roleNounBefore(ctx, locAt) : -1;
  if (roleAt >= 0) {
    const from = roleAt > 0 && has(cues(roleAt - 1), "first") ? roleAt - 1 : roleAt;
    const said = text.slice(tokens[from]!.start, tokens[locAt]!.end);
    add(roleAt, W.live, `"${said}" (who the writer is, there)`);
    live = positive = true;
  }
  let movedAt = -1;
  let nowBeside = -1;
  // "Kia ora from Hamilton NZ", "Namaste from Pune": "from" opening the message greets.
  if (isFrom && opensMessage(ctx, p, end)) {
    add(p, W.greetFrom, `"${word(p)}" opening the message`);
    current = true;
  }
  for (let k = s - 1; k >= 0 && k >= s - BEFORE && sentence[k] === sent; k--) {
    if (owner[k]! >= 0 && owner[k] !== self) break;
    const d = s - k;
    const c = cues(k);
    if (c.length === 0) continue;
    // In a verb-final language the verb before a place ends an earlier clause.
    if (
      has(c, "live") &&
      !live &&
      !(ctx.verbFinal && d > VERB_FINAL_BEFORE) &&
      !verbOfPlaceBefore(ctx, k, self)
    ) {
      // "lavoro come operaio in una fabbrica … in provincia di Brescia": same clause, farther.
      add(k, d <= 7 ? W.live : W.liveFar);
      live = positive = true;
    }
    // "writing from", "Writing to you from": the addressee may come between.
    if (has(c, "write") && (isFrom || fromArea) && d <= 4) {
      add(k, W.writeFrom, `"${word(k)} … ${word(p)}"`);
      positive = current = true;
    }
    if (has(c, "greet") && (isFrom || fromArea) && d <= 4 && greetsFrom(ctx, k, p)) {
      add(k, W.greetFrom, `"${word(k)} … ${word(p)}"`);
      positive = current = true;
    }
    if (has(c, "here") && d <= 3 && !(isFrom && beBetween(ctx, k, p))) {
      add(k, W.here);
      positive = current = true;
    } else if (has(c, "first") && d <= 3 && k > 0 && has(cues(k - 1), "loc") && isLoc) {
      // "bei uns in", "у нас в", "chez nous à": at our place, in …
      add(k, W.here, `"${word(k - 1)} ${word(k)}"`);
      positive = current = true;
    }
    if (has(c, "now") && d === 1 && !current && elliptical(ctx, s, prep, earlier)) {
      nowBeside = k;
      positive = current = true;
    } else if (has(c, "now") && d <= NOW_REACH && !current && nowOfWriter(ctx, k, p)) {
      add(k, W.now);
      current = nowOnly = true;
    }
    if (has(c, "moved") && d <= 6) {
      if (isFrom) origin = true;
      else if (movedAt < 0) movedAt = k;
    }
    if (has(c, "origin") && d <= 6) {
      origin = true;
      // "born and raised", "nato e cresciuto", "geboren und aufgewachsen", "родился и вырос"
      if (k >= 2 && AND.has(tokens[k - 1]!.key) && has(cues(k - 2), "origin")) bornRaised = true;
    }
    if (has(c, "still") && d <= 8) still = true;
    // "ich war letzten Sommer in Barcelona", "Io ero a Berlino", "I was in Lisbon": a trip.
    if (has(c, "past") && pastAt < 0 && d <= PAST_REACH && pastOfWriter(ctx, k)) pastAt = k;
    if (has(c, "ask") && d <= ASK_REACH) askAt = k;
    if (has(c, "be") && isFrom && d <= 3) {
      add(k, W.fromSelf, `"${word(k)} … ${word(p)}"`);
      positive = true;
    }
    if (has(c, "group") && d <= 4 && possessiveBefore(cues, sentence, k)) {
      add(k, W.group, `"${word(k - 1)} ${word(k)}"`);
      positive = current = true;
    }
    if (has(c, "topic") && k >= p - 2 && k < p) topic = true;
    // "leyendo sobre las jornadas de mayo de 1937 en Barcelona": inside what is read about.
    if (
      has(c, "about") &&
      !contracted(ctx, k) &&
      k < p &&
      d <= ABOUT_REACH &&
      !live &&
      aboutGoverns(ctx, k, s)
    ) {
      topic = true;
    }
    if (has(c, "first") && firstAt < 0 && d <= 10) firstAt = k;
    // "wij zijn" (we are), not "zijn" (his): a word right after "I"/"we" is their verb.
    // "zijn er lezers …" (are there readers), not "zijn" (his): a verb before "there".
    const verb =
      has(c, "be") &&
      ((k > 0 && has(cues(k - 1), "first")) || (k + 1 < s && has(cues(k + 1), "ask")));
    // "I'm a mineworker's son", "nous sommes trois camarades": the writer, said to be one.
    if (has(c, "third") && thirdAt < 0 && d <= 8 && !verb && !writerIs(ctx, k)) {
      thirdAt = k;
    }
    // As written: French "né" (born) folds like "ne" (not).
    if (
      has(c, "neg") &&
      negAt < 0 &&
      d <= 6 &&
      writtenAs(ctx, k, "neg") &&
      !clauseBreak(ctx, k, s)
    ) {
      negAt = k;
    }
    if (has(c, "contrast")) contrast = true;
  }
  let ownClause = false;
  for (let k = end; k < tokens.length && k < end + AFTER && sentence[k] === sent; k++) {
    if (owner[k]! >= 0 && owner[k] !== self) break;
    // A new preposition starts another phrase ("Dakar à la base …"): its words are not ours.
    const ck = cues(k);
    if (has(ck, "loc") || has(ck, "from") || has(ck, "to") || has(ck, "about")) break;
    // "… uit Groningen maar woon nu in Keulen": after "but" the words are another clause's.
    if (has(ck, "contrast")) break;
    const d = k - end + 1;
    const c = cues(k);
    if (c.length === 0) continue;
    // "Berlin here", "Mumbai resident here": "here" right after a name is that name's, and
    // so is "still here" ("Sheffield born and still here").
    if (has(c, "here") && (d <= 2 || (k > end && has(cues(k - 1), "still")))) {
      add(k, W.hereAfter);
      positive = current = true;
      continue;
    }
    if (has(c, "still")) still = true;
    // "Leeds lass, …", "Cork lad here", "Manchester checking in": who the writer is, from where.
    if (has(c, "intro") && d === 1 && introduces(ctx, s)) {
      add(k, W.intro, `"${word(end - 1)} ${word(k)}"`);
      positive = current = true;
      continue;
    }
    // "In Wien wohne ich seit …, komme aber aus Bayern": a verb right after the name (verb
    // second) is that name's, whatever place comes later.
    const v2 =
      d === 1 &&
      has(c, "live") &&
      !/[,.;:!?]/u.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start));
    // "Lyon, now in Leeds": a word followed by another place's preposition belongs to it.
    if (v2) ownClause = true;
    if (!ownClause && verbLeadsOn(ctx, k, self)) break;
    // "Leicester resident, 34, care worker": a message opening with who and where they are.
    if (v2 && !live && introduces(ctx, s)) {
      add(k, W.intro, `"${word(end - 1)} ${word(k)}" opening the message`);
      positive = current = true;
    }
    if (has(c, "live") && !live && d <= 4) {
      add(k, W.live);
      live = positive = true;
    }
    // "…in Rostock, jetzt Greifswald": a "now" right before another name is that name's.
    if (has(c, "now") && k + 1 < tokens.length && owner[k + 1]! >= 0 && owner[k + 1] !== self) {
      break;
    }
    if (has(c, "now") && d === 1 && !current && elliptical(ctx, s, prep, earlier)) {
      nowBeside = k;
      positive = current = true;
    } else if (has(c, "now") && d <= 4 && !current) {
      add(k, W.now);
      current = nowOnly = true;
    }
    // "Melbourne for the last 12 years": how long they have been there.
    if (has(c, "duration") && !current && !YEAR_RE.test(tokens[k - 1]?.key ?? "")) {
      add(k, W.now, `"${word(end - 1)} … ${word(k)}"`);
      positive = current = nowOnly = true;
    }
    if (has(c, "origin") && d <= 3) {
      origin = true;
      if (k + 2 < tokens.length && AND.has(tokens[k + 1]!.key) && has(cues(k + 2), "origin")) {
        bornRaised = true;
      }
    }
    if (has(c, "write") && isFrom && d <= 4) {
      add(k, W.writeFrom, `"${word(p)} … ${word(k)}"`);
      positive = current = true;
    }
    if (has(c, "moved") && !isFrom && d <= 3 && movedAt < 0) movedAt = k;
    if (has(c, "be") && isFrom && d <= 2) {
      add(k, W.fromSelf, `"${word(p)} … ${word(k)}"`);
      positive = true;
    }
    if (has(c, "topic") && d <= 1) topic = true;
    if (has(c, "past") && pastAt < 0 && d <= 2 && has(c, "first")) pastAt = k;
    if (has(c, "first") && firstAt < 0 && d <= 3) firstAt = k;
  }
  // "vi flyttar till Berlin", "mi trasferisco a Vienna l'anno prossimo", "we're moving to Leeds
  // next year": a planned move is not where the writer is (yet); "moved to", "gezogen" are.
  const planned = movedAt >= 0 && plannedMove(ctx, movedAt, s, end);
  if (movedAt >= 0 && !planned) {
    add(movedAt, W.moved);
    positive = current = true;
  }
  // "bis letztes Jahr in Bremen, jetzt Kiel", "plus à Paris, Lille maintenant": "now" beside
  // the name, after another place, says where the writer is now.
  if (nowBeside >= 0) add(nowBeside, W.nowBeside, `"${word(nowBeside)}" beside the name`);
  // "G'day. Newcastle NSW, not the Geordie one": a message that opens with a place and what
  // settles it, like a letter's dateline, says where it was written.
  if (byDivision && opensWith(ctx, s, end)) {
    out.push({ words: "opening the message, with what settles it", delta: W.dateline, at: s });
    positive = current = true;
  } else if (byDivision && positive) {
    // "in London, Ontario", "Santa Maria, RS", "Perth WA": a place written with its division
    // is a deliberate statement of place, more than a bare one-word name.
    out.push({ words: "written with its division", delta: W.settled, at: s });
  }
  // "bringing flasks ☕ #Glasgow", "presidio sotto Deliveroo #Napoli ✊": a closing place tag.
  if (span.kind !== "country" && taggedAtEnd(ctx, s, end)) {
    out.push({ words: `tagged "#${word(s)}" at the end`, delta: W.hashtag, at: s });
    positive = current = true;
  }
  if (signsOff(ctx, s, end)) {
    out.push({ words: "signed off with it", delta: W.signOff, at: s });
    positive = current = true;
  }
  const after = text.slice(tokens[end - 1]!.end, tokens[end - 1]!.end + 12);
  if (BASED_RE.test(after)) {
    out.push({ words: `"${word(end - 1)}-based"`, delta: W.based, at: end - 1 });
    positive = current = true;
  }
  // "Born and raised in Leeds", "Sheffield born and still here": an origin that is also where
  // they are, unless the words after it say they moved or are now elsewhere.
  // Someone else's birthplace ("My mum, born and raised in Cork") is not the writer's place.
  if (
    origin &&
    !current &&
    (bornRaised || still) &&
    thirdAt < 0 &&
    !thirdAfter(ctx, end) &&
    !movedAway(ctx, end)
  ) {
    out.push({
      words: bornRaised ? "born and raised there (no move said)" : "born there and still there",
      delta: W.native,
      at: s,
    });
    positive = current = native = true;
  }
  // "Any readers in Philly?", "¿Hay alguien en Valencia?": asking for people where they are.
  // A country asked about ("any councils in Iran?") is rather a topic.
  if (
    askAt >= 0 &&
    isLoc &&
    span.kind !== "country" &&
    asksForPeople(ctx, askAt, p) &&
    endsInQuestion(ctx, end)
  ) {
    add(askAt, W.ask, `"${word(askAt)} … ${word(p)} …?"`);
    positive = true;
  }
  // "NSW nurses walked out again. I'm one of them.": the writer counts themselves among the
  // people of the place just named.
  const among = oneOfThem(ctx, end);
  if (among >= 0) {
    add(among, W.among, `"${word(among)} … one of them"`);
    positive = current = true;
  }
  if (!positive) return null;
  // A past of "be"/"go" with the writer as subject: a visit, unless they lived, were born,
  // or are there now ("I was born in", "I was living in", "ero a Roma, ora vivo qui").
  if (pastAt >= 0 && !live && !origin && !current) {
    add(pastAt, W.past, `"${word(pastAt)}" (a past visit)`);
  }
  // "Western", "Northern", "Sud": a direction word names a region only with strong evidence.
  if (span.end - s === 1 && !span.code && DIRECTIONS.has(tokens[s]!.key)) {
    out.push({ words: "a direction word", delta: W.direction, at: s });
  }
  // "is there a group near us or is it all across the ditch in Sydney?": far from the writer.
  const away = isLoc && !live && !current ? awayBefore(ctx, p) : -1;
  if (away >= 0) add(away, W.away, `"${word(away)}" (far from the writer)`);
  // "les grèves de 1936 à Lille", "in Newcastle in 1926": a dated event, unless the writer
  // says they live or are there now.
  if (!live && !current && datedEvent(ctx, p, end)) topic = true;
  // "moved to Copenhagen", "nach Kopenhagen gezogen": the motion's goal is where they are.
  if (has(prep, "to") && out.some((x) => x.delta === W.moved)) add(p, W.loc);
  if (firstAt >= 0) add(firstAt, W.first);
  // "Cari compagni, vivo a …": someone addressed before a comma is not the one who lives there.
  // ("My mum, born in Cork, …" is no one addressed: "my" makes her the subject.)
  const addressed =
    thirdAt >= 0 &&
    thirdAt < s &&
    /[,:]/u.test(text.slice(tokens[thirdAt]!.end, tokens[s]!.start)) &&
    !(thirdAt > 0 && has(cues(thirdAt - 1), "first"));
  // "any comrades in Porto Alegre?": the people asked for are not someone else's place.
  const asked = askAt >= 0 && thirdAt > askAt && out.some((x) => x.delta === W.ask);
  if (
    thirdAt >= 0 &&
    !addressed &&
    !asked &&
    (firstAt < 0 || Math.abs(s - thirdAt) < Math.abs(s - firstAt))
  ) {
    add(thirdAt, W.third, `"${word(thirdAt)}" (someone else)`);
  }
  if (topic)
    out.push({ words: "a topic word nearby (mention, not residence)", delta: W.topic, at: s });
  if (planned) add(movedAt, W.planned, `"${word(movedAt)}" (a planned move)`);
  // "je ne suis plus à Paris", "I'm not in London": a negated "be" denies the place too.
  const negBe = negAt >= 0 && isLoc && beBetween(ctx, negAt, p);
  if (negAt >= 0 && (live || negBe || out.some((x) => x.delta === W.fromSelf))) add(negAt, W.neg);
  if (origin && !current) out.push({ words: "marked as origin", delta: W.origin, at: s });
  if (contrast && earlier.length > 0) {
    out.push({ words: "after a contrast (but …)", delta: W.afterContrast, at: s });
  }
  if (capitalises && !span.code && span.end - span.start === 1 && !looksLikeName(word(s))) {
    out.push({ words: "written in lower case", delta: W.lowercase, at: s });
  }
  if (TYPO_SPANS.has(span)) {
    out.push({
      words: `"${word(s)}" read as a typo of ${place.city ?? "a city"}`,
      delta: W.typo,
      at: s,
    });
  }
  if (smallAbroad(span, place, lang)) {
    out.push({
      words: "a small place where the text's language is not spoken",
      delta: W.smallAbroad,
      at: s,
    });
  }
  const total = out.reduce((sum, x) => sum + x.delta, 0);
  // "… seit drei Jahren, komme aber aus Bayern": a "now" nearby does not make "I'm from" current.
  // (Every other cue that makes a place current weighs at least "here"'s 0.5, or is "native".)
  const nowOnlyCurrent = nowOnly && !out.some((x) => x.delta >= W.here || x.delta === W.native);
  const fromOnly = !live && (!current || nowOnlyCurrent) && out.some((x) => x.delta === W.fromSelf);
  return { score: total, contributions: out, origin: origin && !current, fromOnly, native, live };
}

/**
 * A demonym derived by rule ("Rennaise depuis toujours", "amsterdammer hier", "ich bin
 * Berliner", "sono torinese") counts only as the writer describing themselves: after "I'm"
 * (or a first-person "be"), before "here", or opening the message with its phrase ending or
 * a word of time, origin or place after it ("Kreuzberger Urgestein hier", "Londoner born and
 * bred"), not "Berliner Mauer" or "die Berliner Polizei".
 */
function demonymScore(
  ctx: Context,
  span: PlaceSpan,
  end: number,
  place: Place,
  out: Contribution[],
): Omit<Scored, "place" | "start" | "end"> | null {
  const { text, tokens, cues, sentence } = ctx;
  const s = span.start;
  const sent = sentence[s]!;
  const word = text.slice(tokens[s]!.start, tokens[s]!.end);
  let how: string | null = null;
  for (let j = s - 1; j >= 0 && j >= s - DEMONYM_AFTER_BE && sentence[j] === sent; j--) {
    const c = cues(j);
    if (has(c, "be") && (has(c, "first") || (j > 0 && has(cues(j - 1), "first")))) {
      how = `"${text.slice(tokens[j]!.start, tokens[j]!.end)} … ${word}"`;
      break;
    }
    if (has(c, "third") || has(c, "neg")) return null;
  }
  for (let k = end; how === null && k < tokens.length && k <= end + 2; k++) {
    if (sentence[k] !== sent) break;
    const c = cues(k);
    if (has(c, "here")) how = `"${word} … ${text.slice(tokens[k]!.start, tokens[k]!.end)}"`;
    // "تهرانی هستم" (Tehrani I am), "Berliner bin ich": "be" of the writer right after.
    if (k === end && has(c, "be") && (has(c, "first") || has(cues(k + 1) ?? [], "first"))) {
      how = `"${word} ${text.slice(tokens[k]!.start, tokens[k]!.end)}"`;
    }
  }
  if (how === null && opensAt(ctx, s)) {
    for (let k = end; k <= end + 2; k++) {
      if (k >= tokens.length) {
        how = `"${word}" opening the message`;
        break;
      }
      const gap = text.slice(tokens[k - 1]!.end, tokens[k]!.start);
      if (sentence[k] !== sent || /[,;:!?—–(]/u.test(gap)) {
        how = `"${word}" opening the message`;
        break;
      }
      const c = cues(k);
      if (c.some((x) => DEMONYM_TAIL.has(x))) {
        how = `"${word} ${text.slice(tokens[k]!.start, tokens[k]!.end)}" opening the message`;
        break;
      }
      if (c.length > 0) break;
    }
  }
  if (how === null) return null;
  const of = place.city ?? place.country;
  out.push({ words: `${how} (a demonym of ${of}, the writer)`, delta: W.demonym, at: s });
  return {
    score: W.demonym,
    contributions: out,
    origin: false,
    fromOnly: false,
    native: false,
    live: false,
  };
}

/** Words that may follow an opening demonym: since, from, born, here, still, living. */
const DEMONYM_TAIL: ReadonlySet<Cue> = new Set(["now", "from", "origin", "here", "still", "live"]);

/** "And" in the eleven languages (folded), joining "born and raised". */
const AND: ReadonlySet<string> = new Set([
  "and",
  "e",
  "ed",
  "und",
  "et",
  "och",
  "y",
  "en",
  "i",
  "и",
  "و",
]);

/** How far after a native place a move may be said ("…, but moved to Leeds in 2010"). */
const MOVE_REACH = 12;

/**
 * True when the words after a place say the writer left it: a move within the next words
 * (even in the next sentence), or "now" in the same sentence ("… but I now live abroad").
 */
function movedAway(ctx: Context, end: number): boolean {
  const { tokens, cues, sentence } = ctx;
  for (let k = end; k < tokens.length && k < end + MOVE_REACH; k++) {
    const c = cues(k);
    if (has(c, "moved")) return true;
    if (has(c, "now") && sentence[k] === sentence[end - 1]) return true;
  }
  return false;
}

/** How many words after the place the writer's "I'm one of them" may come. */
const AMONG_REACH = 12;
/** "one" and "them"/"us" in the eleven languages (folded): "I'm one of them", "sono uno di loro". */
const ONE: ReadonlySet<string> = new Set(
  "one uno una einer eine eines un une en ett een jednym jedna jedną jeden один одна یکی"
    .split(" ")
    .map(foldKey),
);
const THEM: ReadonlySet<string> = new Set(
  "them us loro noi ihnen davon uns eux elles nous dem oss ellos ellas nosotros eles elas deles delas nós hen ons nich nas них нас آنها آن‌ها"
    .split(" ")
    .map(foldKey),
);

/**
 * The first-person word of an "I'm one of them" right after the place (the same or the next
 * sentence, within {@link AMONG_REACH} words: "… walked out again last week. I'm one of them"),
 * or -1: "one", then within two words "them"/"us", with "I"/"I'm" (or a first-person "be")
 * just before "one".
 */
function oneOfThem(ctx: Context, end: number): number {
  const { tokens, cues, sentence } = ctx;
  const last = sentence[end - 1]! + 1;
  for (let k = end; k < tokens.length && k < end + AMONG_REACH && sentence[k]! <= last; k++) {
    if (!ONE.has(tokens[k]!.key)) continue;
    let them = false;
    for (let j = k + 1; j <= k + 2 && j < tokens.length; j++)
      if (THEM.has(tokens[j]!.key)) them = true;
    if (!them) continue;
    for (let j = k - 1; j >= k - 2 && j >= 0 && sentence[j] === sentence[k]; j--) {
      if (has(cues(j), "first")) return j;
    }
  }
  return -1;
}

/**
 * "More precisely" in the eleven languages (folded): precisamente, genauer, précisément,
 * exactly, dokładnie, точнее, دقیقا. The place after it narrows the one before.
 */
const PRECISELY: ReadonlySet<string> = new Set(
  (
    "precisely exactly specifically namely precisamente esattamente precisione genauer " +
    "genau naemlich nämlich precisement exactement concretamente exactamente " +
    "precis narmare preciezer precies dokladnie dokladniej konkretnie точнее именно конкретно " +
    "دقیقا دقیقاً"
  ).split(" "),
);

/**
 * "dalla provincia di Lecce, precisamente da Galatina", "aus dem Ruhrgebiet, genauer aus
 * Bochum": a place introduced by "more precisely" right after a scored one takes over its
 * reading (and a little more, being the narrower of the two).
 */
function refine(ctx: Context, scored: Scored[]): void {
  const { tokens, sentence, owner } = ctx;
  for (let n = 1; n < scored.length; n++) {
    const cur = scored[n]!;
    const prev = scored[n - 1]!;
    if (prev.score < THRESHOLD || sentence[prev.start] !== sentence[cur.start]) continue;
    // The word may stand before the preposition: ", precisamente da X", ", genauer aus X".
    let found = false;
    for (let k = cur.start - 1; k >= prev.end && k >= cur.start - 3; k--) {
      if (owner[k]! >= 0) break;
      if (PRECISELY.has(tokens[k]!.key)) found = true;
    }
    if (!found || cur.start - prev.end > 4) continue;
    const score = Math.max(cur.score, prev.score + W.refined);
    cur.contributions.push({
      words: `"more precisely" after "${prev.place.matched}" (${Math.round(prev.score * 100) / 100})`,
      delta: score - cur.score,
      at: cur.start,
    });
    cur.score = score;
  }
}

/** How many words before a name a negation may deny it ("not Richmond BC", "nicht das in Texas"). */
const DENY_REACH = 3;

/**
 * True when a negation stands just before the name, with only other names or articles between
 * ("not Richmond BC", "pas celle du Texas", "не в Техасе"): the place is excluded, not used to
 * settle another name.
 */
function denied(ctx: Context, span: PlaceSpan): boolean {
  const { tokens, cues, sentence, owner } = ctx;
  const s = span.start;
  for (let k = s - 1; k >= 0 && k >= s - DENY_REACH && sentence[k] === sentence[s]; k--) {
    // "not London, Ontario": the comma of a name and its division does not end the phrase.
    const gap = ctx.text.slice(tokens[k]!.end, tokens[k + 1]!.start);
    if (owner[k]! < 0 && /[,;:()]/u.test(gap)) return false;
    const c = cues(k);
    if (has(c, "neg")) return writtenAs(ctx, k, "neg");
    if (owner[k]! >= 0 || has(c, "article") || has(c, "loc") || has(c, "from")) continue;
    return false;
  }
  return false;
}

/** How far before the place "now"/"currently" may stand ("currently on a two-year contract in"). */
const NOW_REACH = 8;

/** True when a "be" word stands between token `from` and token `to` (exclusive). */
function beBetween(ctx: Context, from: number, to: number): boolean {
  for (let j = from + 1; j < to; j++) if (has(ctx.cues(j), "be")) return true;
  return false;
}

/** True when a comma, semicolon or colon stands between token `a` and token `b`. */
function clauseBreak(ctx: Context, a: number, b: number): boolean {
  return /[,;:]/u.test(ctx.text.slice(ctx.tokens[a]!.end, ctx.tokens[b]!.start));
}

/**
 * "…, jetzt Kiel", "…, lille maintenant": a name with no preposition of its own, written after
 * another place of the same sentence, with "now" right beside it (an elliptical "I'm now in").
 */
function elliptical(
  ctx: Context,
  s: number,
  prep: readonly Cue[],
  earlier: readonly Scored[],
): boolean {
  if (prep.some((c) => c === "loc" || c === "from" || c === "to" || c === "about")) return false;
  const sent = ctx.sentence[s];
  const before = earlier.at(-1);
  return before !== undefined && before.end <= s && ctx.sentence[before.start] === sent;
}

/**
 * Words before a move that make it a plan rather than a fact, folded, in the eleven languages:
 * future auxiliaries (will, going, werde, vais, ska, będę, буду), "plan", "maybe", "soon".
 */
const PLAN_BEFORE: ReadonlySet<string> = new Set(
  (
    "will ll going gonna plan planning plans hoping hope intend maybe perhaps soon " +
    "werde werden wird will wollen mochte mochten bald demnachst vielleicht plane planen " +
    "vais va allons vont bientot peut compte comptons " +
    "presto forse penso pensiamo vorrei vorremmo devo dobbiamo " +
    "voy vamos pronto quizas quiza pienso pensamos " +
    "vou vai talvez " +
    "ga gaan binnenkort misschien " +
    "ska skall kommer snart kanske planerar " +
    "bede bedziemy wkrotce moze planuje planujemy " +
    "буду будем скоро может собираюсь собираемся планирую планируем " +
    "میخوام میخواهم قراره شاید"
  ).split(" "),
);

/** "Next" (year, month, spring), on either side of the move: next, nächstes, prochain, prossimo. */
const PLAN_TIME: ReadonlySet<string> = new Set(
  (
    "next nachstes nachsten nachste nachstem prochain prochaine prossimo prossima proximo " +
    "proxima nasta volgend volgende przyszlym przyszlej следующем следующей"
  ).split(" "),
);

/**
 * Present forms of "move" that say a move to come: "mi trasferisco a", "vi flyttar till", "ich
 * ziehe nach", "przeprowadzam się do", "переезжаю в", "me mudo a", "je déménage à".
 */
const MOVE_PRESENT: ReadonlySet<string> = new Set(
  (
    "trasferisco trasferiamo trasferiro trasferiremo flyttar ziehe ziehen " +
    "przeprowadzam przeprowadzamy przeprowadze przeprowadzimy переезжаю переезжаем перееду переедем " +
    "mudo mudare mudaremos verhuis verhuizen demenageons demenager"
  ).split(" "),
);

/** How far from the move the words that make it a plan may stand. */
const PLAN_REACH = 5;

/**
 * True when the move at `k` is still to come: a present or future form of "move" ("mi
 * trasferisco", "vi flyttar"), a future word before it ("I will move to", "je vais déménager
 * à"), "next" near it ("we're moving there next year"), or "be" + "moving" ("we're moving to").
 * "moved to", "gezogen", "flyttade", "since moving to" are facts.
 */
function plannedMove(ctx: Context, k: number, s: number, end: number): boolean {
  const { tokens, cues, sentence } = ctx;
  const sent = sentence[s];
  // "since moving", "seit ich nach Kiel ziehe" (rare): a "now" word before the verb is a fact.
  if (k > 0 && has(cues(k - 1), "now")) return false;
  if (MOVE_PRESENT.has(tokens[k]!.key)) return true;
  for (let j = Math.max(0, k - PLAN_REACH); j < k; j++) {
    if (sentence[j] === sent && PLAN_BEFORE.has(tokens[j]!.key)) return true;
  }
  const from = Math.max(0, Math.min(k, s) - PLAN_REACH);
  const to = Math.min(tokens.length, end + PLAN_REACH);
  for (let j = from; j < to; j++) {
    if (sentence[j] === sent && (j < s || j >= end) && PLAN_TIME.has(tokens[j]!.key)) return true;
  }
  return tokens[k]!.key === "moving" && k > 0 && has(cues(k - 1), "be");
}

/** How far before the place a past "was"/"war"/"ero" may stand ("ich war letzten Sommer in"). */
const PAST_REACH = 6;

/**
 * True when the past form at `k` has the writer as subject: the form is first person itself
 * (ero, estuve, byłem, بودم) or "I"/"we" stands next to it (I was, war ich, j'étais, я был),
 * or one word away ("je suis allé", "j'ai été", "sono stato").
 */
function pastOfWriter(ctx: Context, k: number): boolean {
  const { tokens, cues, sentence } = ctx;
  if (has(cues(k), "first")) return true;
  for (const j of [k - 1, k + 1, k - 2]) {
    if (j >= 0 && j < tokens.length && sentence[j] === sentence[k] && has(cues(j), "first")) {
      return true;
    }
  }
  return false;
}

/** "we're", "you're": "re" after a pronoun is "are", not "re:" (about). */
function contracted(ctx: Context, k: number): boolean {
  const { text, tokens, cues } = ctx;
  return (
    k > 0 &&
    has(cues(k), "be") &&
    /^['’]$/u.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start)) &&
    (has(cues(k - 1), "first") || has(cues(k - 1), "third") || tokens[k - 1]!.key === "you")
  );
}

/** The "now" words that measure a stay from its start. */
const SINCE: ReadonlySet<string> = new Set(["since", "seit", "sinds", "sedan", "depuis", "desde"]);

/** How near the preposition a "now" with no writer in its sentence must stand ("now in Leeds"). */
const NOW_NEAR = 2;

/**
 * True when the "now" at `k` says where the writer is now: right before the place's
 * preposition ("Originally from Lyon, now in Leeds"), or in a sentence where the writer speaks
 * (a first-person word) or lives. "Nu har ju fack i Norge …", "Now the unions in Norway have
 * won" open a piece of news: the place is theirs, not the writer's.
 */
function nowOfWriter(ctx: Context, k: number, p: number): boolean {
  // "since"/"seit" measure a stay ("Seit drei Jahren in Leipzig"), they open no news.
  if (p - k <= NOW_NEAR || SINCE.has(ctx.tokens[k]!.key)) return true;
  const { cues, sentence } = ctx;
  for (let j = k - 8; j <= p + 8; j++) {
    if (j < 0 || j >= ctx.tokens.length || sentence[j] !== sentence[k]) continue;
    const c = cues(j);
    if (has(c, "first") || has(c, "live") || has(c, "moved")) return true;
  }
  return false;
}

/** How many words may stand between "I'm a" and the locative of a job or role noun. */
const ROLE_REACH = 6;

/**
 * The first-person "be" before a job or role noun and the locative at `l`, or -1: "I'm a bus
 * driver in", "sono un'infermiera a", "ich bin Lehrerin in", "jestem kierowcą w", "я водитель
 * в", "I'm a nurse at a hospital in", "soy profesora de instituto en". Between them only words
 * with no role (the noun and its adjectives), articles, "of" and other locatives, with no
 * punctuation; at least one such word.
 */
function roleNounBefore(ctx: Context, l: number): number {
  const { text, tokens, cues, sentence, owner } = ctx;
  let nouns = 0;
  for (let j = l - 1; j >= 0 && j >= l - 1 - ROLE_REACH && sentence[j] === sentence[l]; j--) {
    if (owner[j]! >= 0 || /[,;:()]/u.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start))) {
      return -1;
    }
    const c = cues(j);
    if (c.length === 0) {
      nouns++;
      continue;
    }
    if (has(c, "copula")) {
      const first =
        has(c, "first") || (j > 0 && sentence[j - 1] === sentence[l] && has(cues(j - 1), "first"));
      return nouns > 0 && first ? j : -1;
    }
    if (!c.every((x) => x === "article" || x === "loc" || x === "from")) return -1;
  }
  return -1;
}

/** How many words may stand between "I'm a"/"we are" and the noun that says who the writer is. */
const PREDICATE_REACH = 4;

/**
 * True when the person word at `k` is what the writer says they are: "I'm a mineworker's son",
 * "nous sommes trois camarades", "we're a group of nurses": "be" with a first-person subject
 * (or a first-person form of "be") a few words before, and no other verb or preposition between.
 */
function writerIs(ctx: Context, k: number): boolean {
  const { cues, sentence } = ctx;
  for (let j = k - 1; j >= 0 && j >= k - PREDICATE_REACH && sentence[j] === sentence[k]; j--) {
    const c = cues(j);
    if (has(c, "be")) {
      return (
        has(c, "first") || (j > 0 && sentence[j - 1] === sentence[k] && has(cues(j - 1), "first"))
      );
    }
    if (c.some((x) => x === "loc" || x === "from" || x === "to" || x === "live" || x === "third")) {
      // "sono" is both "first" and "be"; anything else with a role ends the phrase.
      return false;
    }
  }
  return false;
}

/**
 * Direction and position words that name regions in some gazetteer (Western Area, Sierra Leone;
 * Central, Ghana; Sud, Cameroon; Nord, France), in the eleven languages (folded): as a bare word
 * they are mostly "the western university", "the south", "el centro".
 */
const DIRECTIONS: ReadonlySet<string> = new Set(
  (
    "north south east west northern southern eastern western central centre center " +
    "nord sud est ovest centrale settentrionale meridionale orientale occidentale " +
    "norden süden osten westen süd sued ost " +
    "ouest centre oriental occidental " +
    "norr söder öster väster syd mellersta " +
    "norte sur este oeste centro " +
    "norte sul leste oeste centro " +
    "noord zuid oost " +
    "północ południe wschód zachód " +
    "север юг восток запад центр центральный " +
    "شمال جنوب شرق غرب مرکز مرکزی"
  )
    .split(" ")
    .filter(Boolean)
    .map(foldKey),
);

/** A year as written in a date: 1000–2099. */
const YEAR_RE = /^(?:1\d|20)\d\d$/u;

/**
 * True when a year stands just before the place's preposition ("de 1936 à Lille") or just after
 * the place ("in Newcastle in 1926", "em Lisboa em 1974"): the place of a dated event.
 */
function datedEvent(ctx: Context, p: number, end: number): boolean {
  const { tokens, sentence } = ctx;
  const year = (k: number) =>
    k >= 0 &&
    k < tokens.length &&
    sentence[k] === sentence[end - 1] &&
    YEAR_RE.test(tokens[k]!.key);
  return year(p - 1) || year(p - 2) || year(end) || year(end + 1);
}

/** How many words before a closing hashtag are searched for a topic ("… the bombing #Gaza"). */
const HASHTAG_TOPIC = 12;

/**
 * True when the place is a hashtag ("#Glasgow") that closes the message: only other hashtags,
 * emoji and punctuation follow, and no topic word stands in the words before it (a hashtag
 * after "stop the bombing" is solidarity, not a location).
 */
function taggedAtEnd(ctx: Context, s: number, end: number): boolean {
  const { text, tokens, cues } = ctx;
  const at = tokens[s]!.start;
  if (at === 0 || text.charCodeAt(at - 1) !== 0x23) return false;
  const rest = text.slice(tokens[end - 1]!.end).replace(/#[\p{L}\p{N}_]+/gu, "");
  if (/\p{L}/u.test(rest)) return false;
  // "#Liverpool #Rotterdam": two places tagged are a list, not where the writer is.
  for (let k = end; k < tokens.length; k++) if (ctx.owner[k]! >= 0) return false;
  if (s > 0 && ctx.owner[s - 1]! >= 0) return false;
  for (let k = Math.max(0, s - HASHTAG_TOPIC); k < s; k++) if (has(cues(k), "topic")) return false;
  return true;
}

/**
 * True when the word at `k` is written as one of the role's words, not only folded like one:
 * "né" (born) is not "ne" (not), "har" (has) is not "här" (here).
 */
function writtenAs(ctx: Context, k: number, cue: Cue): boolean {
  const t = ctx.tokens[k]!;
  const raw = ctx.text.slice(t.start, t.end).toLowerCase();
  return raw === t.key || rawWordsFor(cue).has(raw);
}

/** The word for "far away" up to four words before the preposition at `p`, or -1. */
function awayBefore(ctx: Context, p: number): number {
  const { cues, sentence } = ctx;
  for (let k = p - 1; k >= 0 && k >= p - 4 && sentence[k] === sentence[p]; k--) {
    if (has(cues(k), "away")) return k;
  }
  return -1;
}

/** How far before the place "about" may govern it ("sobre a Revolução dos Cravos em Lisboa"). */
const ABOUT_REACH = 10;

/**
 * True when "about" at `k` governs the phrase that holds the place at `s`: no comma, clause
 * break or first-person verb between ("I read about the strike, I live in Leeds" is two).
 */
function aboutGoverns(ctx: Context, k: number, s: number): boolean {
  const { text, tokens, cues } = ctx;
  for (let j = k + 1; j < s; j++) {
    if (/[,;:]/u.test(text.slice(tokens[j - 1]!.end, tokens[j]!.start))) return false;
    const c = cues(j);
    if (has(c, "live") || has(c, "first") || has(c, "contrast") || has(c, "be")) return false;
  }
  return !/[,;:]/u.test(text.slice(tokens[s - 1]!.end, tokens[s]!.start));
}

/**
 * True when the verb at `k` stands right after another place, with nothing between ("In Wien
 * wohne ich …, komme aber aus Bayern"): verb second, that place's verb, not a later one's.
 */
function verbOfPlaceBefore(ctx: Context, k: number, self: number): boolean {
  const { text, tokens, owner } = ctx;
  if (k === 0) return false;
  const before = owner[k - 1]!;
  if (before < 0 || before === self) return false;
  return !/[,.;:!?]/u.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start));
}

/** How far before the place an asking word may stand ("Y a-t-il des lecteurs à Lyon ?"). */
const ASK_REACH = 8;

/**
 * Asking words that are people themselves (anyone, qualcuno, jemand, quelqu'un, alguien,
 * alguém, någon, iemand, ktoś, кто, کسی), folded; the others ("any", "hay", "gibt es", "есть")
 * ask for people only with a word for people after them ("any readers", "hay compañeros").
 */
const ASK_PEOPLE: ReadonlySet<string> = new Set(
  "anyone anybody qualcuno qualcuna jemand irgendwer quelqu alguien alguem nagon iemand ktos ktokolwiek кто کسی".split(
    " ",
  ),
);

/** True when the question asks for people ("any readers in …", "¿hay alguien en …"). */
function asksForPeople(ctx: Context, askAt: number, p: number): boolean {
  const { tokens, cues } = ctx;
  if (ASK_PEOPLE.has(tokens[askAt]!.key)) return true;
  for (let j = askAt + 1; j < p; j++) {
    if (ASK_PEOPLE.has(tokens[j]!.key)) return true;
    const c = cues(j);
    if (has(c, "third") || has(c, "people")) return true;
  }
  return false;
}

/** True when someone else is named right after the place ("born and raised in Glasgow, my dad"). */
function thirdAfter(ctx: Context, end: number): boolean {
  const { tokens, cues, sentence } = ctx;
  for (let k = end; k < tokens.length && k < end + 3 && sentence[k] === sentence[end - 1]; k++) {
    if (has(cues(k), "third")) return true;
  }
  return false;
}

/** How many words a question's sentence may run on after the place. */
const QUESTION_REACH = 12;

/** True when the place's sentence ends in a question mark ("… in Bristol?", "… à Lyon ?"). */
function endsInQuestion(ctx: Context, end: number): boolean {
  const { text, tokens, sentence } = ctx;
  const sent = sentence[end - 1]!;
  let last = end - 1;
  while (last + 1 < tokens.length && sentence[last + 1] === sent) {
    if (++last >= end - 1 + QUESTION_REACH) return false;
  }
  const gap = text.slice(tokens[last]!.end, tokens[last + 1]?.start ?? text.length);
  return /^[^.!;\n]*[?؟]/u.test(gap);
}

/**
 * True when the place at `s` opens the message (after at most a short greeting: "G'day.",
 * "Hi all!"), its phrase ends at `end` with punctuation or the end of the text, and no topic
 * word follows.
 */
function opensWith(ctx: Context, s: number, end: number): boolean {
  const { text, tokens, cues } = ctx;
  if (!opensAt(ctx, s)) return false;
  if (end < tokens.length) {
    const gap = text.slice(tokens[end - 1]!.end, tokens[end]!.start);
    if (!/[.,!?;:—–(]/u.test(gap)) return false;
  }
  // "Paris, Texas. What a film that was.": a topic just after makes it a mention.
  for (let k = end; k < tokens.length && k < end + OPENING_TOPIC; k++) {
    if (has(cues(k), "topic") || YEAR_RE.test(tokens[k]!.key)) return false;
  }
  return true;
}

/** How many words after an opening place are searched for a topic word. */
const OPENING_TOPIC = 5;

/** True when only a short greeting ("G'day.", "Hi all!") comes before token `s`. */
function opensAt(ctx: Context, s: number): boolean {
  const { text, tokens, cues, sentence } = ctx;
  if (s > INTRO_OPENING) return false;
  // In the place's own sentence, only greeting words may come first, or words the place
  // stands apart from ("Hey all, Cork lad"); "Great piece on Glasgow …" is a sentence.
  const own = s > 0 && sentence[s - 1] === sentence[s];
  const apart = s > 0 && /[,—–:]/u.test(text.slice(tokens[s - 1]!.end, tokens[s]!.start));
  for (let j = 0; j < s; j++) {
    const c = cues(j);
    if (c.some((x) => x !== "greet")) return false;
    if (own && !apart && !has(c, "greet")) return false;
  }
  return true;
}

/** How many words may open a message before "Leeds lass" ("Hi all, Leeds lass here"). */
const INTRO_OPENING = 3;

/**
 * True when the place at `s` opens the message after greetings only ("Hey! Brum lad, …"), or
 * follows the writer's "I'm a" ("I'm a Leeds lass"): then the word after it introduces them.
 */
function introduces(ctx: Context, s: number): boolean {
  const { cues } = ctx;
  let first = false;
  for (let j = Math.max(0, s - INTRO_OPENING); j < s; j++) {
    const c = cues(j);
    if (has(c, "third")) return false;
    if (has(c, "first")) first = true;
  }
  return first || opensAt(ctx, s);
}

/** Words for "outside" in the eleven languages (folded). */
const OUTSIDE: ReadonlySet<string> = new Set([
  "outside",
  "fuori",
  "ausserhalb",
  "hors",
  "utanfor",
  "fuera",
  "fora",
  "buiten",
  "poza",
  "вне",
  "خارج",
]);

/** How near the start an opening "… from X" stands: "Hi from", "Kia ora from", "Hello all from". */
const OPENING_WORDS = 3;

/**
 * True when the preposition at `p` is among the first words of the message, with no verb or
 * pronoun before it, and the place ends the phrase (punctuation or the end follows): a
 * greeting's "from" ("Kia ora from Hamilton NZ.", "Hi from Pune!"), not "I am from …" or
 * "ein Bekannter aus England hat mir …".
 */
function opensMessage(ctx: Context, p: number, end: number): boolean {
  const { text, tokens, cues, sentence } = ctx;
  if (p > OPENING_WORDS || sentence[p] !== 0) return false;
  for (let j = 0; j < p; j++) {
    if (cues(j).some((x) => x === "be" || x === "first" || x === "live" || x === "origin")) {
      return false;
    }
  }
  // The phrase ends within two words ("Hi from Leeds, …", "Vanuit Delft een vraagje: …"),
  // and no verb or pronoun comes first ("… aus England hat mir das geschickt").
  for (let k = end; k <= end + OPENING_TAIL; k++) {
    if (k >= tokens.length) return true;
    if (k > end && cues(k - 1).some((x) => x === "be" || x === "first" || x === "live")) {
      return false;
    }
    if (/[.,!?;:،—–-]/u.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start))) return true;
  }
  return false;
}

/** How many words may follow the place before an opening phrase ends. */
const OPENING_TAIL = 2;

/** Roles that can make a candidate positive (see {@link score}); without one nearby it cannot. */
const POSITIVE: ReadonlySet<Cue> = new Set([
  "origin",
  "loc",
  "from",
  "live",
  "write",
  "greet",
  "here",
  "moved",
  "be",
  "group",
]);
/** How far a disambiguator may take the name's end ("Portland, Maine", "Vancouver, WA, USA"). */
const DISAMBIGUATOR_REACH = 4;

/**
 * False when no word that could speak for the candidate stands near it and it cannot be a
 * sign-off or "X-based": most names in a text are settled here, before they are resolved.
 */
function mayScore(ctx: Context, span: PlaceSpan): boolean {
  const { text, tokens, cues, sentence } = ctx;
  const s = span.start;
  const sent = sentence[s]!;
  const to = Math.min(tokens.length, span.end + AFTER + DISAMBIGUATOR_REACH);
  for (let k = Math.max(0, s - BEFORE); k < to; k++) {
    if ((k >= s && k < span.end) || sentence[k] !== sent) continue;
    if (cues(k).some((c) => POSITIVE.has(c))) return true;
  }
  if (opensAt(ctx, s) || taggedAtEnd(ctx, s, span.end)) return true;
  const last = Math.min(span.end + DISAMBIGUATOR_REACH - 1, tokens.length);
  for (let e = span.end; e <= last; e++) {
    if (BASED_RE.test(text.slice(tokens[e - 1]!.end, tokens[e - 1]!.end + 12))) return true;
  }
  return span.end + DISAMBIGUATOR_REACH > tokens.length && signsOff(ctx, s, tokens.length);
}

/**
 * A greeting that frames the place ("Greetings from", "Les saluda Rosa, desde"): not one that
 * stands alone before another sentence ("Hej, jag kommer från …", "Здравствуйте, я родом из"),
 * so the greeting word is not followed by punctuation and no verb or pronoun comes between.
 */
function greetsFrom(ctx: Context, k: number, prep: number): boolean {
  const gap = ctx.text.slice(ctx.tokens[k]!.end, ctx.tokens[k + 1]?.start ?? ctx.text.length);
  if (/[,.!?;:،]/u.test(gap)) return false;
  for (let j = k + 1; j < prep; j++) {
    const c = ctx.cues(j);
    if (c.some((x) => x === "be" || x === "first" || x === "live" || x === "origin")) return false;
  }
  return true;
}

/**
 * A name that ends the message after a dash, a comma or a postcode, the way people sign off:
 * "— Sinéad, Galway", "Marco, Bologna", "1100-053 Lisboa".
 */
function signsOff(ctx: Context, s: number, end: number): boolean {
  const { text, tokens, owner } = ctx;
  if (end !== tokens.length || s === 0) return false;
  // "… from Berlin, Paris" is a list of places, not a signature.
  if (owner[s - 1]! >= 0) return false;
  if (/\p{L}/u.test(text.slice(tokens[end - 1]!.end))) return false;
  const before = text.slice(tokens[Math.max(0, s - 3)]!.end, tokens[s]!.start);
  const justBefore = text.slice(tokens[s - 1]!.end, tokens[s]!.start);
  return (
    /(?:^|\s)[—–-]{1,2}\s/u.test(before) ||
    /,\s*$/u.test(justBefore) ||
    /^\d[\d-]{2,}$/u.test(text.slice(tokens[s - 1]!.start, tokens[s - 1]!.end))
  );
}

/** "Köln, seit vier Jahren arbeite und wohne ich aber in Luxemburg": a verb's place may come late. */
const VERB_REACH = 8;
const VERB_FINAL_REACH = 3;
/** Persian puts the verb after its place ("در تهران زندگی می‌کنم"): a word order of its own. */
const VERB_FINAL: ReadonlySet<string> = new Set(["fa"]);
/** How far before a place a verb-final language's "ساکن" (resident) still governs it. */
const VERB_FINAL_BEFORE = 2;

/** True when a verb after the name governs a later place ("Bari ma vivo a Manchester"). */
function verbLeadsOn(ctx: Context, k: number, self: number): boolean {
  // "من در اصفهان زندگی می‌کنم و … در لندن": a verb-final language's verb ends its own clause.
  const reach = ctx.verbFinal ? VERB_FINAL_REACH : VERB_REACH;
  for (let j = k + 1; j < ctx.tokens.length && j <= k + reach; j++) {
    if (ctx.sentence[j] !== ctx.sentence[k]) return false;
    if (leadsToPlace(ctx, j, self)) return true;
  }
  return false;
}

/** Below this many people a one-word place abroad may be a common word ("am Ende", "da due"). */
const SMALL_PLACE = 300_000;

/**
 * A one-word city of fewer than 300,000 people in a country where the text's language is not
 * spoken: more often a common word of the text than a place ("am Ende" is not Ende, Indonesia).
 */
function smallAbroad(span: PlaceSpan, place: Place, lang: string | null): boolean {
  if (!lang || span.end - span.start !== 1 || span.code || !place.city) return false;
  if (countryLanguages(place.country).includes(lang)) return false;
  return Math.max(0, ...span.refs.map((r) => geoPlace(r.place).population)) < SMALL_PLACE;
}

/** A first-person possessive (our, unser, notre, nasz, наш, ما) right before a group word. */
function possessiveBefore(cues: CueAt, sentence: Int32Array, k: number): boolean {
  for (let j = k - 1; j >= 0 && j >= k - 2 && sentence[j] === sentence[k]; j--) {
    if (has(cues(j), "first")) return true;
  }
  // "Wij zijn een klein groepje", "we are a small group", "somos un grupo": we are a group.
  for (let j = k - 1; j >= 1 && j >= k - 3 && sentence[j] === sentence[k]; j--) {
    if (has(cues(j), "be") && has(cues(j - 1), "first") && sentence[j - 1] === sentence[k]) {
      return true;
    }
  }
  return false;
}

/** The words from the first deciding cue to the end of the name, as written (bounded). */
function quoted(text: string, tokens: readonly Token[], s: Scored): string {
  let from = s.start;
  for (const c of s.contributions) if (c.delta > 0 && c.at < from) from = c.at;
  const out = text.slice(tokens[from]!.start, tokens[s.end - 1]!.end);
  return out.length > MAX_MATCHED_LENGTH ? `${out.slice(0, MAX_MATCHED_LENGTH - 1)}…` : out;
}

const fmt = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(x * 100) / 100)}`;

function describe(s: Scored): string {
  const name = s.place.matched.split(/\s+/u).length > 6 ? "it" : `"${s.place.matched}"`;
  const parts = s.contributions.map((c) => `${c.words} ${fmt(c.delta)}`).join(", ");
  return `${name} ${Math.round(s.score * 100) / 100} (${parts})`;
}

/** The winner's cues and weights, and the runner-up's when there was one. */
function explain(best: Scored, all: readonly Scored[]): string {
  const others = all.filter((s) => s !== best).sort((a, b) => b.score - a.score);
  const lines = [describe(best)];
  const next = others[0];
  if (next) lines.push(`over ${describe(next)}`);
  return lines.join("; ");
}
