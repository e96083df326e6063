import { createRequire } from "node:module";

/**
 * Stems of words in the eleven languages, for two jobs: recognising an inflected place name
 * ("в Новосибирске", "w Gdańsku", "aus Münchens") and recognising the inflected forms of the
 * words around it ("wohne", "wohnen", "живу", "живём").
 *
 * Nine of the languages use the Snowball stemmers of @orama/stemmers. Snowball has no Polish
 * stemmer on npm that runs on Node 20, so Polish uses {@link stemPolish}, which strips the
 * case and person endings of Polish grammar; Persian place names do not inflect and its cue
 * words are listed whole, so it has none.
 */

/** A stemmer: a folded word (lower case, no accents) to its stem. */
export type Stemmer = (word: string) => string;

const SNOWBALL: Readonly<Record<string, string>> = {
  en: "english",
  it: "italian",
  de: "german",
  fr: "french",
  sv: "swedish",
  es: "spanish",
  ru: "russian",
  nl: "dutch",
  pt: "portuguese",
};

const require = createRequire(import.meta.url);
const loaded = new Map<string, Stemmer | null>();

/** The stemmer of a language (loaded on first use), or null for a language without one. */
export function stemmerFor(lang: string): Stemmer | null {
  const known = loaded.get(lang);
  if (known !== undefined) return known;
  let stem: Stemmer | null = null;
  const name = SNOWBALL[lang];
  if (name) {
    const mod = require(`@orama/stemmers/${name}`) as { stemmer: Stemmer };
    const cache = new Map<string, string>();
    stem = (word) => {
      let s = cache.get(word);
      if (s === undefined) {
        s = mod.stemmer(word);
        if (cache.size > 5000) cache.clear();
        cache.set(word, s);
      }
      return s;
    };
  } else if (lang === "pl") {
    stem = stemPolish;
  }
  loaded.set(lang, stem);
  return stem;
}

/**
 * Noun, adjective and verb endings of Polish (folded: ą → a, ę → e, ł → l), longest first. The
 * noun cases (genitive -a/-u/-i/-y, dative -owi/-u, instrumental -em/-a, locative -e/-ie/-u/-i,
 * plurals -ach/-ami/-om/-ow) are what a place name takes after "w", "z", "do", "pod".
 */
const POLISH_ENDINGS = [
  "owie",
  "iach",
  "iami",
  "ach",
  "ami",
  "iem",
  "ego",
  "emu",
  "iej",
  "ymi",
  "ich",
  "ia",
  "ych",
  "ej",
  "ie",
  "ii",
  "ji",
  "iu",
  "om",
  "ow",
  "em",
  "ym",
  "im",
  "a",
  "e",
  "i",
  "u",
  "y",
  "o",
];

/** Strips one Polish ending, keeping at least three letters ("krakowie" → "krakow"). */
export function stemPolish(word: string): string {
  for (const e of POLISH_ENDINGS) {
    if (word.length - e.length >= 3 && word.endsWith(e)) return word.slice(0, -e.length);
  }
  return word;
}

/**
 * Stems to try for an inflected place name: the Snowball stem, or for Polish every stem one
 * ending shorter ("poznania" → "poznani", "poznan"), since the nominative's own ending differs.
 */
export function placeStems(word: string, lang: string): string[] {
  if (lang === "pl") {
    const out: string[] = [];
    // Consonants change before the locative ending: Niemcy → w Niemczech, Włochy → we
    // Włoszech, Frankfurt → we Frankfurcie, Kanada → w Kanadzie, Gdańsk → w Gdańsku.
    for (const [ending, base] of POLISH_ALTERNATIONS) {
      if (word.length - ending.length >= 3 && word.endsWith(ending)) {
        out.push(word.slice(0, -ending.length) + base);
      }
    }
    for (const e of POLISH_ENDINGS) {
      if (word.length - e.length >= 3 && word.endsWith(e)) {
        const s = word.slice(0, -e.length);
        if (!out.includes(s)) out.push(s);
      }
    }
    return out;
  }
  if (lang === "de") {
    // German names take only -s (genitive) and -n/-en (dative plural): den Niederlanden.
    return ["en", "n", "es", "s"]
      .filter((e) => word.length - e.length >= 3 && word.endsWith(e))
      .map((e) => word.slice(0, -e.length));
  }
  const stem = stemmerFor(lang);
  if (!stem) return [];
  const s = stem(word);
  return s.length >= 3 && s !== word ? [s] : [];
}

/** How many letters an inflected name's word may have beyond the stem: German none. */
export function maxEnding(lang: string): number {
  return lang === "de" ? 0 : 3;
}

/** Locative endings with the consonant they replace, before the plain endings are tried. */
const POLISH_ALTERNATIONS: readonly (readonly [string, string])[] = [
  ["czech", "c"],
  ["szech", "ch"],
  ["dzie", "d"],
  ["cie", "t"],
  ["rze", "r"],
  ["sce", "sk"],
  ["ce", "k"],
  ["dze", "g"],
  ["le", "l"],
];
