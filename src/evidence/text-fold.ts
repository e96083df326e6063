/**
 * Folding of place names and message text into comparable lookup keys.
 *
 * scripts/build-gazetteer.mjs folds the gazetteer's names with a copy of `foldToken`; a test
 * checks both copies agree, because a key folded differently on each side never matches.
 */

/** Letters with no Unicode decomposition that readers still type without their accent. */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: "ss",
  ẞ: "ss",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  æ: "ae",
  œ: "oe",
  ı: "i",
  // Arabic letter variants that Persian writes with its own code points.
  ي: "ی",
  ى: "ی",
  ك: "ک",
  ة: "ه",
  ۀ: "ه",
};
const SPECIAL_RE = /[ßẞøłđðþæœıيىكةۀ]/g;
const MARKS_RE = /[\p{M}\u0640]/gu; // combining marks and the Arabic tatweel
const NON_WORD_RE = /[^\p{L}\p{N}]/gu;
const ASCII_WORD_RE = /^[A-Za-z0-9]*$/;

/**
 * One word, lower-cased and accent-folded: "Zürich" → "zurich", "Łódź" → "lodz",
 * "Москве" → "москве" (й survives: Russian inflection rules need it), "كرج" → "کرج".
 */
export function foldToken(word: string): string {
  // Most words are plain ASCII: nothing to decompose or strip (same result, much cheaper).
  if (ASCII_WORD_RE.test(word)) return word.toLowerCase();
  let folded = cache.get(word);
  if (folded === undefined) {
    // Bounded: cleared rather than evicted, which is enough for a cache of common words.
    if (cache.size >= CACHE_SIZE) cache.clear();
    folded = foldSlow(word);
    cache.set(word, folded);
  }
  return folded;
}

const CACHE_SIZE = 20_000;
const cache = new Map<string, string>();

function foldSlow(word: string): string {
  const lower = word.toLowerCase().replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c);
  return lower
    .normalize("NFD")
    .replace(/и\u0306/g, "й")
    .replace(MARKS_RE, "")
    .normalize("NFC")
    .replace(NON_WORD_RE, "");
}

/** A word of the original text: where it is and its folded form. */
export interface Token {
  /** Folded form (never empty). */
  readonly key: string;
  /** Offsets in the original string, end exclusive. */
  readonly start: number;
  readonly end: number;
}

// Marks are part of words (decomposed accents, Arabic diacritics); ZWNJ and apostrophes split.
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The words of `text` with their folded forms, at most `maxTokens` of them.
 * Linear in the input: one regex with no nested quantifiers.
 */
export function tokenize(text: string, maxTokens = Number.POSITIVE_INFINITY): Token[] {
  const out: Token[] = [];
  // exec on the shared global expression rather than matchAll, which copies it and goes
  // through the iterator protocol on every call (same matches; the last index is reset).
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
    if (out.length >= maxTokens) break;
    const key = foldToken(m[0]);
    if (key) out.push({ key, start: m.index, end: m.index + m[0].length });
  }
  WORD_RE.lastIndex = 0;
  return out;
}

/** A whole name folded to its key: words folded and joined by one space ("São Paulo" → "sao paulo"). */
export function foldKey(name: string): string {
  return tokenize(name)
    .map((t) => t.key)
    .join(" ");
}

/** True when the word starts with a capital letter, or its script has no case (Arabic, Persian). */
export function looksLikeName(word: string): boolean {
  const code = word.charCodeAt(0);
  // ASCII: only a small letter is not a name's start (digits and signs have no case).
  if (code < 0x80) return !(code >= 0x61 && code <= 0x7a);
  const first = word.charAt(0);
  return first.toLowerCase() === first.toUpperCase() || first !== first.toLowerCase();
}
