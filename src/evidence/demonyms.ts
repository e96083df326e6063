import { countryLanguages } from "./countries.js";
import { geoPlace, hasKey, refsByKey, type PlaceRef } from "./gazetteer.js";
import type { PlaceSpan } from "./places.js";
import { startsLikeName, type Token } from "./text-fold.js";

/**
 * What people call themselves after their city, read by rule rather than from a list: a word
 * that is a known place name with the demonym ending of the text's language (or English).
 * "Rennaise" is Renn-es + -aise, "Genevois" Genev-e + -ois, "Amsterdammer" Amsterdam + -er
 * (with the consonant doubled), "Torinese" Torin-o + -ese, "Kreuzberger" Kreuzberg + -er,
 * "Krakowianin" Kraków + -ianin, "göteborgare" Göteborg + -are, "تهرانی" Tehran + -ی.
 *
 * The stem may have lost the name's final vowel or silent letters, so each stem is tried as is,
 * undoubled, and with the endings names drop. Irregular demonyms (Glaswegian, Scouser, Carioca,
 * Porteño, Madrileño …) are gazetteer names in scripts/place-names.yaml instead.
 *
 * Demonyms are formed in the text's language (only its endings are tried: "sono rider" is no
 * Italian demonym) and, in English, written with a capital ("I'm a porter" is a job). A name
 * reached through an alternate form (a district, another script) counts only in a country
 * where the text's language is spoken: Kreuzberger in German, تهرانی in Persian.
 *
 * Only places of at least {@link DEMONYM_FLOOR} people count: a city has a demonym people use
 * of themselves when it is big enough to be known by it, and the floor keeps the stems of
 * ordinary words (bak-er, min-er) from reaching small places that happen to share them.
 */
export const DEMONYM_FLOOR = 100_000;

/** Demonym endings by language, folded (no accents), longest first within a language. */
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  en: ["onians", "onian", "ians", "ian", "ites", "ite", "ers", "er", "ans", "an"],
  fr: [
    "iennes",
    "ienne",
    "aises",
    "oises",
    "aines",
    "iens",
    "aise",
    "oise",
    "aine",
    "ines",
    "ien",
  ].concat(["ais", "ois", "ain", "ine", "ins", "in"]),
  it: ["esi", "ese", "ani", "ane", "ano", "ana", "ini", "ine", "ino", "ina"],
  es: [
    "enses",
    "ense",
    "anos",
    "anas",
    "enos",
    "enas",
    "inos",
    "inas",
    "ano",
    "ana",
    "eno",
    "ena",
  ].concat(["ino", "ina"]),
  pt: ["enses", "ense", "anos", "anas", "inos", "inas", "ano", "ana", "ino", "ina"],
  de: ["anerin", "aner", "nerin", "ner", "erin", "er"],
  nl: ["enaar", "erin", "ner", "er"],
  sv: ["bor", "are", "bo"],
  pl: ["ianinem", "aninem", "ianka", "ianin", "iakiem", "akiem", "anin", "anka", "iak", "ak"],
  ru: ["чанин", "чанка", "лянин", "лянка", "янин", "янка", "анин", "анка", "ец", "ка", "ич"],
  fa: ["ی"],
};

/** Endings a place name may have dropped before the demonym's: Renn(es), Torin(o), Genev(e). */
const NAME_ENDINGS = ["", "e", "es", "s", "a", "o", "i", "y", "en", "ia"];

/**
 * What people of a country call themselves that no rule derives (folded): Aussie, Kiwi, Brit,
 * Yank, Canuck. Read only with a capital, as the writer's self-description, like the others.
 * Regular ones (Québécois, Bavarian …) come from the rule through the division's name.
 */
const COUNTRY_DEMONYMS: Readonly<Record<string, string>> = {
  aussie: "AU",
  aussies: "AU",
  ozzie: "AU",
  kiwi: "NZ",
  kiwis: "NZ",
  brit: "GB",
  brits: "GB",
  pommie: "GB",
  yank: "US",
  yanks: "US",
  canuck: "CA",
  canucks: "CA",
};

/** The country a capitalised country demonym ("Aussie", "Kiwi") names, or null. */
export function countryDemonym(key: string, capitalised: boolean): string | null {
  // Own keys only: "Constructor" must not find Object.prototype's constructor.
  return capitalised && Object.hasOwn(COUNTRY_DEMONYMS, key) ? COUNTRY_DEMONYMS[key]! : null;
}

/** Shortest stem tried: "Nice" → "Niç-ois" is as short as it gets. */
const MIN_STEM = 3;
/** Shortest word read as a demonym. */
const MIN_WORD = 5;

/** The places of at least {@link DEMONYM_FLOOR} people a demonym word names, or null. */
export function demonymRefs(
  key: string,
  lang: string | null,
  capitalised: boolean,
): readonly PlaceRef[] | null {
  if (key.length < MIN_WORD) return null;
  const l = lang && SUFFIXES[lang] ? lang : "en";
  if (l === "en" && !capitalised) return null;
  {
    for (const suffix of SUFFIXES[l]!) {
      if (!key.endsWith(suffix) || key.length - suffix.length < MIN_STEM) continue;
      const stem = key.slice(0, -suffix.length);
      const stems = [stem];
      // Amsterdam-mer, Lyon-nais, Parisien: a doubled consonant before the ending.
      if (stem.length > MIN_STEM && stem.at(-1) === stem.at(-2)) stems.push(stem.slice(0, -1));
      for (const st of stems) {
        for (const end of NAME_ENDINGS) {
          const name = st + end;
          if (name === key || !hasKey(name)) continue;
          const refs = refsByKey(name).filter((r) => {
            const g = geoPlace(r.place);
            return (
              g.population >= DEMONYM_FLOOR &&
              (!r.alternate || countryLanguages(g.country).includes(l))
            );
          });
          if (refs.length > 0) return refs;
        }
      }
    }
  }
  return null;
}

/**
 * One-word demonyms among the tokens no place name covers, as place spans (the caller knows
 * them by the returned set). `taken` tells the tokens already part of a place name.
 */
export function demonymSpans(
  text: string,
  tokens: readonly Token[],
  lang: string | null,
  taken: (i: number) => boolean,
): PlaceSpan[] {
  const out: PlaceSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (taken(i)) continue;
    const key = tokens[i]!.key;
    const capitalised = startsLikeName(text, tokens[i]!.start);
    const cc = countryDemonym(key, capitalised);
    if (cc) {
      out.push({
        start: i,
        end: i + 1,
        kind: "country",
        country: cc,
        refs: [],
        inflected: false,
        code: false,
      });
      continue;
    }
    if (key.length < MIN_WORD || /\d/u.test(key)) continue;
    const refs = demonymRefs(key, lang, capitalised);
    if (!refs) continue;
    out.push({
      start: i,
      end: i + 1,
      kind: "place",
      country: null,
      refs,
      inflected: false,
      code: false,
    });
  }
  return out;
}
