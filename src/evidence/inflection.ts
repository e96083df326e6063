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
      if (word.length - ending.length + base.length >= 3 && word.endsWith(ending)) {
        out.push(word.slice(0, -ending.length) + base);
      }
    }
    for (const e of POLISH_ENDINGS) {
      if (word.length - e.length >= 3 && word.endsWith(e)) {
        const s = word.slice(0, -e.length);
        if (!out.includes(s)) out.push(s);
      }
    }
    // Wiedeń → w Wiedniu, Sopot-like names keep theirs: the e that drops before an ending.
    for (const s of [...out]) {
      const f = fleetingE(s);
      if (f && !out.includes(f)) out.push(f);
    }
    return out;
  }
  const exact = EXACT_ENDINGS[lang];
  if (exact) {
    return exact
      .filter((e) => word.length - e.length >= 3 && word.endsWith(e))
      .map((e) => word.slice(0, -e.length));
  }
  const stem = stemmerFor(lang);
  if (!stem) return [];
  const s = stem(word);
  if (s === word || s.length < 2) return [];
  // A vowel that drops before an ending: Орёл → в Орле ("орл" → "орел").
  const out = [s];
  const fleeting = fleetingE(s);
  if (fleeting) out.push(fleeting);
  return out;
}

/**
 * Endings stripped whole where names inflect little: German -s (genitive) and -n/-en (dative
 * plural: den Niederlanden); Swedish genitive -s (Stockholms förorter); Persian enclitics
 * written onto the name (شیرازم "I am in Shiraz", اصفهانی "of Isfahan", تهرانیم "we are in
 * Tehran").
 */
const EXACT_ENDINGS: Readonly<Record<string, readonly string[]>> = {
  de: ["en", "n", "es", "s"],
  sv: ["s"],
  fa: ["یم", "ام", "ای", "م", "ی"],
};

/** False when a word cannot be an inflected name: where endings are stripped whole, it has none of them. */
export function mayCarryEnding(word: string, lang: string): boolean {
  const exact = EXACT_ENDINGS[lang];
  return !exact || exact.some((e) => word.length - e.length >= 3 && word.endsWith(e));
}

/** How many letters an inflected name's word may have beyond the stem: none where exact. */
export function maxEnding(lang: string): number {
  return EXACT_ENDINGS[lang] ? 0 : 3;
}

/**
 * Endings a place name's own word may have after the stem of an inflected form (folded):
 * what a nominative adds to the stem that the case endings replace (Москв-а, Казан-ь,
 * Нижн-ий, Набережн-ые; Katowic-e, Gdyni-a, Niemc-y). Letters beyond these belong to another
 * name ("Lublin-iec" is not Lublin; "Жив-ец" is not "живу").
 */
const NOMINATIVE: Readonly<Record<string, readonly string[]>> = {
  // The stemmer undoubles -нн- (белокаменной → белокамен), so adjectival names in -нная,
  // -нный keep one н of theirs in the tail (Белокаменная).
  ru: ["", ..."а я ь о е й и ы ий ый ой ая яя ое ее ые ие ия ья ная ный ное ные".split(" ")],
  pl: ["", ..."a o e y i ia ja ie".split(" ")],
};

/** The nominative endings of a language that inflects its names, shortest first ("" first). */
export function nominativeTails(lang: string): readonly string[] {
  return NOMINATIVE[lang] ?? NOMINATIVE.ru!;
}

/** Nominative plural endings of names that are plurals (Katowice, Suwałki, Tychy; Мытищи, Чебоксары). */
const PLURAL_NOMINATIVE: Readonly<Record<string, readonly string[]>> = {
  pl: ["e", "y", "i"],
  ru: ["и", "ы"],
};

/**
 * The nominatives a word may be the genitive plural of, which has no ending at all: z Katowic
 * (Katowice), z Suwałk (Suwałki), z Siedlec (Siedlce, with a fleeting e), из Мытищ (Мытищи),
 * из Химок (Химки, a fleeting o).
 */
export function pluralNominatives(word: string, lang: string): string[] {
  const ends = PLURAL_NOMINATIVE[lang];
  if (!ends || word.length < 4) return [];
  const bases = [word];
  const m = /^(.{2,}[^aeiouyаеёиоуыэюя])[eео]([^aeiouyаеёиоуыэюяйьъ])$/u.exec(word);
  if (m) bases.push(`${m[1]}${m[2]}`);
  return bases.flatMap((b) => ends.map((e) => b + e));
}

/** The stem with a fleeting e put back before its last consonant ("wiedn" → "wieden"), or null. */
export function fleetingE(stem: string): string | null {
  const m = /^(.{2,}[^aeiouyаеёиоуыэюя])([^aeiouyаеёиоуыэюяйьъ])$/u.exec(stem);
  if (!m) return null;
  return `${m[1]}${/[а-я]/u.test(stem) ? "е" : "e"}${m[2]}`;
}

/** Locative endings with the consonant they replace, before the plain endings are tried. */
const POLISH_ALTERNATIONS: readonly (readonly [string, string])[] = [
  // Kolonia → w Kolonii, Rosja → w Rosji: the nominative -ia/-ja whole.
  ["ii", "ia"],
  ["ji", "ja"],
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
