import { flagCountries } from "./countries.js";
import { placeAt, placeFromCountry, type Place } from "./places.js";
import { foldKey, tokenize, type Token } from "./text-fold.js";
import { PHRASES, inflections, type PhraseSpec } from "./self-report-phrases.js";

/** A phrase, folded into words, with what must follow the place (Persian puts the verb last). */
interface Phrase {
  readonly lang: string;
  readonly weak: boolean;
  readonly after: readonly (readonly string[])[] | null;
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  phrases: Phrase[];
}

/** Words read as articles between the phrase and the place ("in the UK", "aux États-Unis"). */
const ARTICLES = new Set(
  "the der die das den dem le la les l el los las il lo gli i o a os as de het".split(" "),
);
/** A negation right before a phrase ("no vivo en", "nie mieszkam w") undoes it. */
const NEGATIONS = new Set("not no non nie не niet inte nicht ne nao nem نه".split(" "));

/** Expand "moro em|no|na" into "moro em", "moro no", "moro na". */
function expand(pattern: string): string[] {
  let out = [""];
  for (const word of pattern.split(" ")) {
    out = out.flatMap((p) => word.split("|").map((w) => (p ? `${p} ${w}` : w)));
  }
  return out;
}

let trie: TrieNode | null = null;

function buildTrie(): TrieNode {
  const root: TrieNode = { next: new Map(), phrases: [] };
  const add = (spec: PhraseSpec, pattern: string, weak: boolean) => {
    for (const variant of expand(pattern)) {
      let node = root;
      for (const word of foldKey(variant).split(" ")) {
        let child = node.next.get(word);
        if (!child) node.next.set(word, (child = { next: new Map(), phrases: [] }));
        node = child;
      }
      const after = spec.after
        ? spec.after.flatMap(expand).map((a) => foldKey(a).split(" "))
        : null;
      node.phrases.push({ lang: spec.lang, weak, after });
    }
  };
  for (const spec of PHRASES) {
    for (const p of spec.strong ?? []) add(spec, p, false);
    for (const p of spec.weak ?? []) add(spec, p, true);
  }
  return root;
}

const MAX_TOKENS = 40_000;
const MAX_ATTEMPTS = 500;
const MAX_PHRASE_WORDS = 6;
const FLAG_FIRST_RE =
  /^\s*(?:[\u{1F1E6}-\u{1F1FF}]{2}|\u{1F3F4}[\u{E0061}-\u{E007A}]{4,6}\u{E007F})/u;
const MAX_MATCHED_LENGTH = 160;

function followedBy(tokens: readonly Token[], i: number, words: readonly string[]): boolean {
  return words.every((w, k) => tokens[i + k]?.key === w);
}

/** The place right after a phrase that ends before token `i`, if any. */
function placeAfter(
  text: string,
  tokens: readonly Token[],
  i: number,
  from: number,
  phrase: Phrase,
): Place | null {
  const variants = inflections(phrase.lang);
  const opts = { capitalised: phrase.weak, ...(variants ? { variants } : {}) };
  // Try the place right away first ("Los Angeles", "La Paz"), then after one article.
  for (const at of ARTICLES.has(tokens[i]?.key ?? "") ? [i, i + 1] : [i]) {
    if (at >= tokens.length) break;
    // An article on its own is no place ("der" is an alternate name of Győr).
    const article = at === i && ARTICLES.has(tokens[i]!.key);
    const hit = placeAt(text, tokens, at, from, article ? { ...opts, minWords: 2 } : opts);
    if (!hit) continue;
    if (!phrase.after) return hit.place;
    const suffix = phrase.after.find((words) => followedBy(tokens, hit.end, words));
    if (suffix) {
      const last = tokens[hit.end + suffix.length - 1]!;
      return { ...hit.place, matched: text.slice(from, last.end) };
    }
  }
  return phrase.after ? null : flagAfter(text, tokens, i, from);
}

/** A flag emoji right after the phrase ("I live in 🇩🇪"): only spaces may come between. */
function flagAfter(text: string, tokens: readonly Token[], i: number, from: number): Place | null {
  const phraseEnd = tokens[i - 1]!.end;
  const gap = text.slice(phraseEnd, Math.min(tokens[i]?.start ?? text.length, phraseEnd + 32));
  const m = FLAG_FIRST_RE.exec(gap);
  const cc = m ? flagCountries(m[0])[0] : undefined;
  return m && cc ? placeFromCountry(cc, text.slice(from, phraseEnd + m[0].length)) : null;
}

/**
 * A reader's own statement of where they live or come from, in any of the eleven languages:
 * "I live in Melbourne", "ich wohne in Wien", "я живу в Москве", "mieszkam w Krakowie",
 * "من در تهران زندگی می‌کنم". A bare mention ("the war in Ukraine") is not one. The first
 * statement in the text wins; `matched` is the phrase and the place only.
 * Linear in the input, with bounded work per word.
 */
export function findSelfReport(text: string): Place | null {
  if (typeof text !== "string" || text.length === 0) return null;
  trie ??= buildTrie();
  const tokens = tokenize(text, MAX_TOKENS);
  let attempts = 0;
  for (let i = 0; i < tokens.length; i++) {
    let node: TrieNode | undefined = trie;
    if (!node.next.has(tokens[i]!.key)) continue;
    if (i > 0 && NEGATIONS.has(tokens[i - 1]!.key)) continue;
    for (let j = i; j < tokens.length && j - i < MAX_PHRASE_WORDS; j++) {
      node = node.next.get(tokens[j]!.key);
      if (!node) break;
      for (const phrase of node.phrases) {
        if (++attempts > MAX_ATTEMPTS) return null;
        const place = placeAfter(text, tokens, j + 1, tokens[i]!.start, phrase);
        if (place) {
          const matched =
            place.matched.length > MAX_MATCHED_LENGTH
              ? `${place.matched.slice(0, MAX_MATCHED_LENGTH - 1)}…`
              : place.matched;
          return { ...place, matched };
        }
      }
    }
  }
  return null;
}
