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
const WORD_CHAR_RE = /[\p{L}\p{M}\p{N}]/uy;

/**
 * Whether each code point of the Basic Multilingual Plane is a letter, mark or digit, worked out
 * when first met: 0 not yet known, 1 yes, 2 no.
 */
const bmpWordChar = new Uint8Array(0x10000);

/** True when the code point at `i` (`cp`, from `codePointAt`) is a letter, mark or digit. */
function isWordChar(text: string, i: number, cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39);
  }
  if (cp < 0x10000) {
    let known = bmpWordChar[cp]!;
    if (known === 0) {
      WORD_CHAR_RE.lastIndex = i;
      known = WORD_CHAR_RE.test(text) ? 1 : 2;
      bmpWordChar[cp] = known;
    }
    return known === 1;
  }
  WORD_CHAR_RE.lastIndex = i;
  return WORD_CHAR_RE.test(text);
}

/**
 * The words of `text` (runs of letters, marks and digits, as `/[\p{L}\p{M}\p{N}]+/u` finds
 * them) with their folded forms, at most `maxTokens` of them. Linear in the input: one pass over
 * its code points, ASCII ones told apart without a regular expression, others remembered.
 */
export function tokenize(text: string, maxTokens = Number.POSITIVE_INFINITY): Token[] {
  const out: Token[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    let cp = text.codePointAt(i)!;
    if (!isWordChar(text, i, cp)) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (out.length >= maxTokens) break;
    const start = i;
    let ascii = true;
    do {
      if (cp >= 0x80) ascii = false;
      i += cp > 0xffff ? 2 : 1;
      if (i >= length) break;
      cp = text.codePointAt(i)!;
    } while (isWordChar(text, i, cp));
    const word = text.slice(start, i);
    // An ASCII word is letters and digits only: foldToken would only lower-case it.
    const key = ascii ? word.toLowerCase() : foldToken(word);
    if (key) out.push({ key, start, end: i });
  }
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
  return startsLikeName(word, 0);
}

/**
 * {@link looksLikeName} of the word of `text` that starts at `start`, without cutting it out
 * (the answer depends on its first UTF-16 unit only).
 */
export function startsLikeName(text: string, start: number): boolean {
  const code = text.charCodeAt(start);
  // ASCII: only a small letter is not a name's start (digits and signs have no case).
  if (code < 0x80) return !(code >= 0x61 && code <= 0x7a);
  const first = text.charAt(start);
  return first.toLowerCase() === first.toUpperCase() || first !== first.toLowerCase();
}
