import {
  countryByCode,
  countryByKey,
  countryLanguages,
  countryPeople,
  countryReference,
  flagCountries,
  hasCountryKeyPrefix,
  startsCountryName,
} from "./countries.js";
import {
  geoPlace,
  hasKey,
  hasKeyPrefix,
  mayStartName,
  placeCount,
  placesByCode,
  refsByKey,
  type GeoPlace,
  type PlaceRef,
} from "./gazetteer.js";
import {
  mayCarryEnding,
  maxEnding,
  nominativeTails,
  placeStems,
  pluralNominatives,
  stemmerFor,
  stemPolish,
} from "./inflection.js";
import { wordsFor } from "./location-cues.js";
import { stopwordsOf } from "./stopwords.js";
import { foldKey, foldToken, startsLikeName, tokenize, type Token } from "./text-fold.js";

/** A recognised place: a country, and the city or first-level division when one was named. */
export interface Place {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** GeoNames name of the city (a district's or nickname's city), or null. */
  city: string | null;
  /** A first-level division named without a city ("Ontario", "Bayern"), else null. */
  division: string | null;
  /** The city, else the country's capital, else its centroid (a division alone gives the country's). */
  point: { lat: number; lon: number } | null;
  pointKind: "city" | "division" | "capital" | "centroid" | null;
  /** The words that were recognised, as written (shown to admins; never more of the message). */
  matched: string;
  /** How an ambiguous name was settled, for the reasons ("\"WA\" after it"), if it was. */
  settledBy?: string;
}

/** What one span of words names. */
export interface PlaceSpan {
  /** Token indexes: first word, and the word after the name. */
  readonly start: number;
  readonly end: number;
  /** A country, a gazetteer place (city or division), or a continent that names no country. */
  readonly kind: "country" | "place" | "none";
  /** The country named; for a place span, a country of the same name, if any. */
  readonly country: string | null;
  readonly refs: readonly PlaceRef[];
  /** The name was matched through an inflected form ("Krakowie" → Kraków). */
  readonly inflected: boolean;
  /** The name was a short form matched exactly as written ("LA", "DE"). */
  readonly code: boolean;
}

/** A span whose references are looked up only when asked: most candidates are dropped first. */
class Span implements PlaceSpan {
  private cached: readonly PlaceRef[] | undefined;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly kind: "country" | "place" | "none",
    readonly country: string | null,
    readonly inflected: boolean,
    readonly code: boolean,
    private readonly key: string | null,
    refs?: readonly PlaceRef[],
  ) {
    this.cached = refs;
  }

  /**
   * Other names the inflected word may be ("кирове": кирово or киров; "wawie": waw or wawa):
   * the one whose heaviest place weighs most is read, the first found on a tie.
   */
  alternatives: string[] | null = null;

  get refs(): readonly PlaceRef[] {
    if (this.cached) return this.cached;
    let refs = this.key === null ? [] : refsByKey(this.key);
    let heaviest = maxWeight(refs);
    for (const alt of this.alternatives ?? []) {
      const other = refsByKey(alt);
      const w = maxWeight(other);
      if (w > heaviest) {
        refs = other;
        heaviest = w;
      }
    }
    this.cached = refs;
    return refs;
  }
}

function maxWeight(refs: readonly PlaceRef[]): number {
  let max = 0;
  for (const r of refs) if (r.weight > max) max = r.weight;
  return max;
}

/** Options of {@link matchPlaceAt}. */
export interface MatchOptions {
  /** The text's language: Russian and Polish place names are also matched when inflected. */
  readonly lang?: string | null;
  /** Require a capital letter on one-word names (for spans right after another place). */
  readonly capitalised?: boolean;
  /** Only names of at least this many words (an article is part of "La Paz", not a place). */
  readonly minWords?: number;
  /** Only names starting with a capital (or a letter of a script without case). */
  readonly capitalStart?: boolean;
}

/** The reader's other evidence and the text around a name, used to settle an ambiguous one. */
export interface ResolveHints {
  /** Countries from the reader's other evidence (phone, email ccTLD, language tag), strongest first. */
  readonly countries?: readonly string[];
  /** Countries named elsewhere in the same text (by name, code or flag). */
  readonly named?: readonly string[];
  /** First-level divisions named elsewhere in the same text ("… in Piemonte", "Ontario"). */
  readonly divisions?: readonly GeoPlace[];
  /** Countries of the unambiguous places named in the same text ("… the Metro to Whitley Bay"). */
  readonly nearby?: readonly string[];
  /** The language of the text: a place where it is spoken is preferred. */
  readonly language?: string | null;
}

/**
 * Words so common that, in lower case, they are not read as a place of the same name (the
 * harbour, a beach, a valley: "je bosse sur le port" is no Le Port).
 */
const COMMON_WORDS = new Set(
  "she her his him they them you your our the and for with from this that here there home everywhere nowhere anywhere earth world internet online love life mobile reading bath nice split police bar van man moon sun star north south east west city town village country centre center capital paz pace peace paix frieden campo mitte rio port porto puerto havre centro bay playa praia market university pueblo island isla valley fiume lago".split(
    " ",
  ),
);

/** Languages whose place names take case endings the matcher must see through (de: den Niederlanden). */
const INFLECTING = new Set(["ru", "pl", "de", "sv", "fa"]);
const CYRILLIC_RE = /\p{Script=Cyrillic}/u;
const ARABIC_RE = /\p{Script=Arabic}/u;

/** At most this many spellings (inflection variants) are followed per length. */
const MAX_PARTIALS = 24;
const MAX_NAME_WORDS = 6;

interface Partial {
  key: string;
  inflected: boolean;
}

/**
 * The longest place name starting at token `i` ("New York" before "York"): a country name, a
 * gazetteer place (city, district, nickname, first-level division), a code as written ("DE",
 * "USA", "NYC"), or a continent (kind "none"). Words are added one at a time while some name
 * still starts with them, so the work per position stays small.
 */
export function matchPlaceAt(
  text: string,
  tokens: readonly Token[],
  i: number,
  opts: MatchOptions = {},
): PlaceSpan | null {
  const maxWords = Math.min(MAX_NAME_WORDS, tokens.length - i);
  const first = tokens[i]!;
  // "the Big Smoke", "le 9-3": a name that starts with its article in lower case.
  const articled =
    opts.capitalStart === true &&
    !startsLikeName(text, first.start) &&
    nameWithArticleAt(text, tokens, i);
  if (opts.capitalStart && !articled && !startsLikeName(text, first.start)) {
    // "la cité phocéenne", "el Defe": a nickname led by an article, read in lower case.
    return LEADING_ARTICLES.has(first.key) ? articleLedName(text, tokens, i, opts) : null;
  }
  const minWords = articled ? Math.max(2, opts.minWords ?? 1) : (opts.minWords ?? 1);
  const lang = opts.lang ?? null;
  // Most words start no name: one map lookup (or, the first time, a Bloom filter) settles them.
  const firstInfo = keyInfo(first.key);
  const articles = articlesBefore(text, tokens, i);
  if (
    !firstInfo.place &&
    !firstInfo.prefix &&
    firstInfo.country === undefined &&
    !mayStartInflected(text, first, lang) &&
    articles.length === 0
  ) {
    return minWords > 1 ? null : (dottedCodeAt(text, tokens, i) ?? codeAt(text, first, i));
  }
  let best: PlaceSpan | null = null;
  let partials: Partial[] = [
    { key: "", inflected: false },
    ...articles.map((a) => ({ key: a, inflected: false })),
  ];
  for (let n = 1; n <= maxWords && partials.length > 0; n++) {
    const token = tokens[i + n - 1]!;
    const word = token.key;
    const next: Partial[] = [];
    let found: PlaceSpan | null = null;
    for (const p of partials) {
      const forms: Partial[] = [{ key: word, inflected: p.inflected }];
      const as = inflectionOf(word, lang);
      if (as !== null && startsLikeName(text, token.start)) {
        for (const f of inflectedForms(p.key, word, as)) {
          forms.push({ key: f, inflected: true });
        }
      }
      for (const f of forms) {
        const key = p.key ? `${p.key} ${f.key}` : f.key;
        const info = keyInfo(key);
        if (n >= minWords && (!found || (found.inflected && !f.inflected))) {
          const m = exactMatch(text, tokens, i, n, key, info, opts, f.inflected);
          if (m) found = m;
        } else if (found instanceof Span && found.inflected && f.inflected && info.place) {
          // "Кирове" may be Kirov or Kirovo, "Wawie" Wawa or Waw: the heavier name is read, not
          // the first found.
          if (found.kind === "place" && exactMatch(text, tokens, i, n, key, info, opts, true)) {
            (found.alternatives ??= []).push(key);
          }
        }
        if (next.length < MAX_PARTIALS && info.prefix) {
          next.push({ key, inflected: f.inflected });
        }
      }
    }
    if (found) best = found;
    partials = next;
  }
  // A curated short form written as such ("POA", "GDL") means its city, not a small place of
  // that spelling (Poá); a longer name starting with it ("LA PAZ") still wins.
  if (best && best.end === i + 1 && best.kind === "place" && curatedCode(text, first)) {
    return codeAt(text, first, i);
  }
  if (best || minWords > 1) return best;
  return dottedCodeAt(text, tokens, i) ?? codeAt(text, tokens[i]!, i);
}

/** Articles that open periphrases written in lower case: la cité phocéenne, el Defe, a Invicta. */
const LEADING_ARTICLES: ReadonlySet<string> = new Set(["la", "le", "l", "el", "il", "a"]);

/**
 * A name opening with a lower-case article in a text whose writer capitalises names: "dans la
 * cité phocéenne", "aquí en el Defe". It counts when it is three words long or a later word is
 * capitalised, so two words of prose ("la paz", "la capitale") stay prose.
 */
function articleLedName(
  text: string,
  tokens: readonly Token[],
  i: number,
  opts: MatchOptions,
): PlaceSpan | null {
  // One prefix lookup settles most articles: few names go on with the next word.
  if (i + 1 >= tokens.length || !hasKeyPrefix(`${tokens[i]!.key} ${tokens[i + 1]!.key}`)) {
    return null;
  }
  const m = matchPlaceAt(text, tokens, i, {
    ...opts,
    capitalStart: false,
    minWords: Math.max(2, opts.minWords ?? 1),
  });
  if (!m || m.code) return null;
  const n = m.end - i;
  let capital = false;
  for (let k = i + 1; k < m.end; k++) capital ||= startsLikeName(text, tokens[k]!.start);
  return n >= 3 || capital ? m : null;
}

/**
 * The country abbreviations people write letter by letter with stops. Not every code: "P.S.",
 * "I.E.", "E.G.", "A.M." are no countries.
 */
const DOTTED_CODES = new Set(["US", "USA", "UK", "UAE"]);

/** A country written letter by letter with stops: "U.S.", "U.K.", "U.S.A.". */
function dottedCodeAt(text: string, tokens: readonly Token[], i: number): PlaceSpan | null {
  let letters = "";
  let j = i;
  while (j < tokens.length && j - i < 4) {
    const t = tokens[j]!;
    if (t.end - t.start !== 1) break;
    const c = text.slice(t.start, t.end);
    if (c === c.toLowerCase() || text.charAt(t.end) !== ".") break;
    if (j > i && tokens[j - 1]!.end + 1 !== t.start) break;
    letters += c;
    j++;
  }
  if (!DOTTED_CODES.has(letters)) return null;
  const cc = countryByCode(letters);
  return cc ? new Span(i, j, "country", cc, false, true, null) : null;
}

/**
 * Articles fused into the word before a name (French au/du, Italian al/nell'/della, Spanish
 * al/del): "au Mans" is Le Mans, "all'Aquila" L'Aquila, "nell'Aia" L'Aia.
 */
const CONTRACTED: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    au: ["le"],
    du: ["le"],
    aux: ["les"],
    al: ["il", "el"],
    del: ["il", "el"],
    dal: ["il"],
    nel: ["il"],
    sul: ["il"],
    all: ["l"],
    dall: ["l"],
    dell: ["l"],
    nell: ["l"],
    sull: ["l"],
    alla: ["la"],
    dalla: ["la"],
    della: ["la"],
    nella: ["la"],
    sulla: ["la"],
  }),
);

/** No articles: one array shared by every word that has none. */
const NO_ARTICLES: readonly string[] = [];

/** The articles the word before token `i` has fused into it, when they may start a name. */
function articlesBefore(text: string, tokens: readonly Token[], i: number): readonly string[] {
  if (i === 0) return NO_ARTICLES;
  const prev = tokens[i - 1]!;
  // A Map, not an object: a word such as "constructor" must not find Object.prototype's.
  const arts = CONTRACTED.get(prev.key);
  if (!arts || !/^[\s'’]$/u.test(text.slice(prev.end, tokens[i]!.start))) return NO_ARTICLES;
  const t = tokens[i]!;
  if (!startsLikeName(text, t.start)) return NO_ARTICLES;
  return arts.filter((a) => keyInfo(a).prefix);
}

/** Articles a name may start with in lower case: the Big Smoke, le 9-3, la Croix-Rousse. */
const NAME_ARTICLES: ReadonlySet<string> = new Set(
  "the le la les el il lo los las het de der die das o a os as".split(" "),
);

/**
 * True when token `i` is an article that starts a name of the gazetteer, the next word written
 * like a name ("the Big Smoke", "the Gong", "le 9-3"), and the name without its article is no
 * name itself: "la Roma" is Rome, AS Roma or Colonia Roma as the bare name is, not the article
 * form alone.
 */
function nameWithArticleAt(text: string, tokens: readonly Token[], i: number): boolean {
  const first = tokens[i]!;
  if (!NAME_ARTICLES.has(first.key) || i + 1 >= tokens.length) return false;
  const next = tokens[i + 1]!;
  if (!startsLikeName(text, next.start) || !/^[\s]$/u.test(text.slice(first.end, next.start))) {
    return false;
  }
  const info = keyInfo(first.key);
  if (!info.prefix) return false;
  // The longest name after the article, without it, must be no name of its own. Looked up,
  // not remembered in keyInfo's memo: most of these pairs are the text's own words.
  let key = "";
  for (let n = 1; n < MAX_NAME_WORDS && i + n < tokens.length; n++) {
    key = key ? `${key} ${tokens[i + n]!.key}` : tokens[i + n]!.key;
    const articled = `${first.key} ${key}`;
    if (hasKey(articled) || countryByKey(articled) !== undefined) {
      return !hasKey(key) && countryByKey(key) === undefined;
    }
    if (!hasAnyPrefix(`${articled} `)) return false;
  }
  return false;
}

/** True when the token is written in capitals and is one of place-names.yaml's codes. */
function curatedCode(text: string, token: Token): boolean {
  if (token.end - token.start > 4) return false;
  const raw = text.slice(token.start, token.end);
  return raw === raw.toUpperCase() && raw !== raw.toLowerCase() && placesByCode(raw).length > 0;
}

/**
 * The language whose endings a word may carry: the text's, or without one, the script's
 * (Cyrillic: Russian; Arabic script: Persian); null when it carries none a name could take.
 */
function inflectionOf(word: string, lang: string | null): string | null {
  const as =
    lang === null
      ? CYRILLIC_RE.test(word)
        ? "ru"
        : ARABIC_RE.test(word)
          ? "fa"
          : null
      : INFLECTING.has(lang)
        ? lang
        : null;
  return as !== null && mayCarryEnding(word, as) ? as : null;
}

/** True when the token may be an inflected form of the first word of some name. */
function mayStartInflected(text: string, token: Token, lang: string | null): boolean {
  const as = inflectionOf(token.key, lang);
  return (
    as !== null && startsLikeName(text, token.start) && inflectedForms("", token.key, as).length > 0
  );
}

function hasAnyPrefix(prefix: string): boolean {
  return hasCountryKeyPrefix(prefix) || hasKeyPrefix(prefix);
}

/** What a folded key is: a country's name, a place's name, the start of a longer name. */
interface KeyInfo {
  readonly country: string | null | undefined;
  readonly place: boolean;
  readonly prefix: boolean;
}

const NOTHING: KeyInfo = { country: undefined, place: false, prefix: false };
const keyInfos = new Map<string, KeyInfo>();
const KEY_INFOS_SIZE = 20_000;

/**
 * {@link KeyInfo} of a key, remembered: texts repeat their words, and one map lookup replaces
 * four (country names, country prefixes, gazetteer keys, gazetteer prefixes).
 */
function keyInfo(key: string): KeyInfo {
  let info = keyInfos.get(key);
  if (info === undefined) {
    if (keyInfos.size >= KEY_INFOS_SIZE) keyInfos.clear();
    // A single word that starts no name (the Bloom filter says so) needs no search.
    if (!key.includes(" ") && !mayStartName(key) && !startsCountryName(key)) info = NOTHING;
    else {
      info = {
        country: countryByKey(key),
        place: hasKey(key),
        prefix: hasAnyPrefix(`${key} `),
      };
    }
    keyInfos.set(key, info);
  }
  return info;
}

/**
 * Words of known names that `word` may be an inflected form of, given the words before it
 * ("москве" → "москва"; "nowym" after nothing → "nowy"): the word's stem with a nominative
 * ending, when some name is or starts with it ("lublinie" → "lublin", never "lubliniec";
 * "живу" → no "живец"). The nearest first: a country's name, then (Russian) the ending
 * nearest in length to the one the stem lost, then the shorter, then the stem found first (a
 * consonant alternation before a plain ending).
 */
function inflectedForms(prefixKey: string, word: string, lang: string): readonly string[] {
  // Texts repeat their words: one answer per word, language and name so far.
  const memoKey = `${lang}\u0000${prefixKey}\u0000${word}`;
  let forms = formsMemo.get(memoKey);
  if (forms === undefined) {
    if (formsMemo.size >= KEY_INFOS_SIZE) formsMemo.clear();
    forms = computeInflectedForms(prefixKey, word, lang);
    formsMemo.set(memoKey, forms);
  }
  return forms;
}

const formsMemo = new Map<string, readonly string[]>();

function computeInflectedForms(prefixKey: string, word: string, lang: string): string[] {
  if (maxEnding(lang) === 0) {
    // German, Swedish, Persian: the name is the word less its ending, exactly
    // ("Niederlanden" → "niederlande", "Stockholms" → "stockholm", "شیرازم" → "شیراز").
    return placeStems(word, lang).filter((stem) => {
      const key = prefixKey ? `${prefixKey} ${stem}` : stem;
      return (
        (prefixKey !== "" || mayStartName(stem) || startsCountryName(stem)) &&
        (countryByKey(key) !== undefined || hasKey(key) || hasAnyPrefix(`${key} `))
      );
    });
  }
  const found: { w: string; rank: number }[] = [];
  placeStems(word, lang).forEach((stem, s) => {
    for (const tail of nominativeTails(lang)) {
      const w = stem + tail;
      if (w === word || (stem.length < 3 && tail.length !== 1)) continue;
      if (found.some((f) => f.w === w)) continue;
      const info = keyInfo(prefixKey ? `${prefixKey} ${w}` : w);
      if (info.country !== undefined || info.place || info.prefix) {
        // A country's name first. Snowball (Russian) takes the whole case ending off: then the
        // nominative ending nearest it in length ("Англии" → "англия", not "англ"; "Казани" →
        // "казань"; "Берлине" → "берлин"). Polish stems come one per possible ending, the
        // likeliest first: then the shortest ending ("Toruniu" → "torun", not "torunio").
        const country = info.country ? 0 : 10_000;
        const off = lang === "pl" ? 0 : Math.abs(tail.length - (word.length - stem.length));
        found.push({ w, rank: country + off * 1000 + tail.length * 10 + s });
      }
    }
  });
  // "z Katowic", "из Мытищ": the genitive plural of a plural name, after the other readings.
  for (const w of pluralNominatives(word, lang)) {
    if (found.some((f) => f.w === w)) continue;
    const info = keyInfo(prefixKey ? `${prefixKey} ${w}` : w);
    if (info.country !== undefined || info.place || info.prefix) {
      found.push({ w, rank: (info.country ? 0 : 10_000) + 5_000 + w.length });
    }
  }
  return found.sort((a, b) => a.rank - b.rank).map((f) => f.w);
}

/** What `key` (words i..i+n-1) names, a country name winning over a place of the same name. */
function exactMatch(
  text: string,
  tokens: readonly Token[],
  i: number,
  n: number,
  key: string,
  info: KeyInfo,
  opts: MatchOptions,
  inflected: boolean,
): PlaceSpan | null {
  const cc = info.country;
  if (cc === undefined && !info.place) return null;
  if (n === 1 && !oneWordOk(text, tokens[i]!, key, opts)) return null;
  if (cc === undefined) {
    if (n > 1 && proseNotName(text, tokens, i, n, key, opts.lang)) return null;
    return new Span(i, i + n, "place", null, inflected, false, key);
  }
  // A name of both a country and a place ("Salvador", "Georgia") is weighed in resolveSpan.
  if (cc && info.place) return new Span(i, i + n, "place", cc, inflected, false, key);
  return new Span(i, i + n, cc ? "country" : "none", cc, inflected, false, null);
}

/** A place this small, named in lower case after a function word, is more likely prose. */
const PROSE_MAX_PEOPLE = 50_000;

/**
 * True when words in lower case that start with a function word of the text's language are
 * all function words ("à la") or name only small places: "je bosse sur le port" is the
 * harbour, not Le Port (Réunion); "la rochelle", "los angeles" are still the cities.
 */
function proseNotName(
  text: string,
  tokens: readonly Token[],
  i: number,
  n: number,
  key: string,
  lang: string | null | undefined,
): boolean {
  if (!lang) return false;
  const stop = stopwordsOf(lang);
  if (!stop.has(tokens[i]!.key)) return false;
  const written = text.slice(tokens[i]!.start, tokens[i + n - 1]!.end);
  if (written !== written.toLowerCase()) return false;
  // Function words only ("à la", "de la") are prose whatever they might name.
  if (tokens.slice(i, i + n).every((t) => stop.has(t.key))) return true;
  return refsByKey(key).every((r) => geoPlace(r.place).population < PROSE_MAX_PEOPLE);
}

function oneWordOk(text: string, token: Token, key: string, opts: MatchOptions): boolean {
  const capital = startsLikeName(text, token.start);
  if (capital) return true;
  return !opts.capitalised && !COMMON_WORDS.has(key) && !commonNounForm(key, opts.lang);
}

/**
 * Common nouns of the languages that inflect them, whose case forms are also place names:
 * Russian "в порту" (in the port) is no Porto (Порту), Polish "w porcie", "na wyspie" no place.
 * A form of one of them names a place only when capitalised.
 */
const COMMON_NOUNS: Readonly<Record<string, string>> = {
  ru: "порт город центр море мир дом село деревня река остров завод площадь берег край область посёлок рынок",
  pl: "port miasto centrum morze świat dom wieś rzeka wyspa fabryka rynek brzeg osiedle",
  de: "hafen stadt zentrum meer welt dorf insel markt",
  sv: "hamn stad centrum hav värld by ö torg",
};
const commonNounStems = new Map<string, ReadonlySet<string>>();

/** True when `key`, in lower case, is a form of a common noun of `lang` ("порту" of порт). */
function commonNounForm(key: string, lang: string | null | undefined): boolean {
  if (!lang) return false;
  const words = COMMON_NOUNS[lang];
  const stem = !words ? null : lang === "pl" ? stemPolish : stemmerFor(lang);
  if (!words || !stem) return false;
  let stems = commonNounStems.get(lang);
  if (!stems) {
    stems = new Set(words.split(" ").map((w) => stem(foldToken(w))));
    commonNounStems.set(lang, stems);
  }
  return stems.has(stem(key));
}

/** A code exactly as written: a country ("DE", "USA") or a place ("NYC", "LA", "SP"). */
function codeAt(text: string, token: Token, i: number): PlaceSpan | null {
  if (token.end - token.start > 4) return null;
  // Codes are written in capitals: a word with a small first letter is none ("and", "in").
  const first = text.charCodeAt(token.start);
  if ((first >= 0x61 && first <= 0x7a) || (first >= 0x430 && first <= 0x44f)) return null;
  const raw = text.slice(token.start, token.end);
  // The curated short forms people write ("LA", "TO", "BH") win over the ISO codes they
  // share (Laos, Tonga, Bahrain), which nobody writes for those countries.
  const places = raw.length >= 2 && raw === raw.toUpperCase() ? placesByCode(raw) : [];
  if (places.length > 0) {
    const refs = places.map((p) => ({ place: p, weight: geoPlace(p).population, alternate: true }));
    return new Span(i, i + 1, "place", null, false, true, null, refs);
  }
  const cc = countryByCode(raw);
  return cc ? new Span(i, i + 1, "country", cc, false, true, null) : null;
}

/**
 * Every place name in the text, left to right, longest first, never overlapping: the
 * candidates a reader of the whole text weighs against each other.
 */
export function findPlaceSpans(
  text: string,
  tokens: readonly Token[],
  lang: string | null,
  capitalStart = false,
): PlaceSpan[] {
  const spans: PlaceSpan[] = [];
  const opts = { lang, capitalStart };
  for (let i = 0; i < tokens.length;) {
    const m = matchPlaceAt(text, tokens, i, opts);
    if (m) {
      spans.push(m);
      i = m.end;
    } else i++;
  }
  return spans;
}

/** Build a Place from a country code: the point is its capital or centroid. */
export function placeFromCountry(cc: string, matched: string): Place {
  const ref = countryReference(cc);
  return {
    country: cc,
    city: null,
    division: null,
    point: ref?.point ?? null,
    pointKind: ref?.kind ?? null,
    matched,
  };
}

/** Feature code of the stand-in for a country in a list of places of one name. */
const COUNTRY_CODE = "PCLI";

/** A country as a candidate among the places of its name, weighing as its own name does. */
function countryCandidate(cc: string): Candidate {
  const ref = countryReference(cc);
  const people = countryPeople(cc);
  const place: GeoPlace = {
    index: -1,
    name: cc,
    country: cc,
    lat: ref?.point.lat ?? 0,
    lon: ref?.point.lon ?? 0,
    population: people,
    featureCode: COUNTRY_CODE,
    admin1: "",
    parent: -1,
  };
  return { place, weight: people * 5 };
}

function fromGeoPlace(p: GeoPlace, matched: string): Place {
  if (p.featureCode === COUNTRY_CODE) return placeFromCountry(p.country, matched);
  if (p.featureCode === "ADM1") {
    // ROUTING.md: the point is the city when one was recognised, else the country's reference
    // point. A division alone ("ik woon in Noord-Brabant") names the country, not a city.
    return { ...placeFromCountry(p.country, matched), division: p.name };
  }
  return {
    country: p.country,
    city: p.name,
    division: null,
    point: { lat: p.lat, lon: p.lon },
    pointKind: "city",
    matched,
  };
}

interface Candidate {
  readonly place: GeoPlace;
  readonly weight: number;
}

/** What follows a name and settles it: "Portland, Maine", "Perth, WA", "Kingston 🇨🇦". */
interface Disambiguator {
  /** Token index after the disambiguator. */
  readonly end: number;
  readonly words: string;
  readonly test: (p: GeoPlace) => boolean;
  /** A city after the name ("Scarborough, Toronto"): settles only when it narrows the name. */
  readonly city?: boolean;
}

const FLAG_GAP_RE =
  /^[\s,()\-–]{0,4}((?:[\u{1F1E6}-\u{1F1FF}]{2}|\u{1F3F4}[\u{E0061}-\u{E007A}]{4,6}\u{E007F})+)/u;
const DIVISION_CODE_RE = /^[A-Z]{2,3}$/;

/** The country, division or flag right after the name (only commas, brackets, spaces between). */
function disambiguatorAfter(
  text: string,
  tokens: readonly Token[],
  end: number,
): Disambiguator | null {
  const after = tokens[end - 1]!.end;
  const gapEnd = end < tokens.length ? tokens[end]!.start : text.length;
  const flag = FLAG_GAP_RE.exec(text.slice(after, Math.min(gapEnd, after + 40)));
  if (flag) {
    const ccs = flagCountries(flag[1]!);
    if (ccs.length > 0) return { end, words: flag[1]!, test: (p) => ccs.includes(p.country) };
  }
  if (end >= tokens.length) return null;
  const gap = text.slice(after, gapEnd);
  if (!/^[\s,()\-–/\u060C]{0,4}$/u.test(gap)) return null;
  // "San José, in Costa Rica", "Kingston, en Jamaïque": a locative may come between.
  if (/[,\u060C]/u.test(gap) && end + 1 < tokens.length && wordsFor("loc").has(tokens[end]!.key)) {
    const d = disambiguatorAfter(text, tokens, end + 1);
    if (d) return { ...d, words: text.slice(tokens[end]!.start, tokens[d.end - 1]!.end) };
  }
  // "Vancouver, Washington State", "Vancouver, ایالت واشنگتن", "Córdoba, provincia de …".
  if (end + 1 < tokens.length && DIVISION_WORDS.has(tokens[end]!.key)) {
    let j = end + 1;
    if (j + 1 < tokens.length && DIVISION_OF.has(tokens[j]!.key)) j++;
    const d = disambiguatorAfter(text, tokens, j);
    if (d && d.end > j)
      return { ...d, words: text.slice(tokens[end]!.start, tokens[d.end - 1]!.end) };
  }
  const next = tokens[end]!;
  const raw = text.slice(next.start, next.end);
  const m = matchPlaceAt(text, tokens, end, { capitalised: true });
  const words = (to: number) => text.slice(next.start, tokens[to - 1]!.end);
  if (m?.kind === "country" && m.country) {
    const cc = m.country;
    const divisionCode = DIVISION_CODE_RE.test(raw) ? raw : null;
    return {
      end: m.end,
      words: words(m.end),
      // "CA" is Canada and California, "DE" Germany and Delaware: either may settle it.
      test: (p) => p.country === cc || (divisionCode !== null && inDivisionCode(p, divisionCode)),
    };
  }
  if (m?.kind === "place") {
    const divisions = divisionsOf(m);
    const cc = m.country;
    if (divisions.length > 0 || cc) {
      return {
        end: m.end,
        words: words(m.end),
        // "Atlanta, Georgia" (the state) and "Tbilisi, Georgia" (the country) both settle.
        test: (p) =>
          p.country === cc ||
          divisions.some((d) => d.country === p.country && d.admin1 === p.admin1),
      };
    }
  }
  if (m?.kind === "place" && m.refs.length > 0) {
    // A city after a part of it or a place beside it: "Scarborough, Toronto", "Palermo, CABA",
    // "Richmond, Vancouver" (the same province). Its heaviest meaning only.
    const city = geoPlace(m.refs[0]!.place);
    return {
      end: m.end,
      words: words(m.end),
      city: true,
      test: (p) =>
        p.index === city.index ||
        p.parent === city.index ||
        (p.country === city.country && p.admin1 === city.admin1 && p.featureCode !== "ADM1"),
    };
  }
  if (DIVISION_CODE_RE.test(raw)) {
    return { end: end + 1, words: raw, test: (p) => inDivisionCode(p, raw) };
  }
  return null;
}

/**
 * The words for a first-level division in the eleven languages (state, province, Land, län,
 * województwo, штат, область, استان, ایالت …): skipped between a name and its division.
 */
const DIVISION_WORDS = new Set(
  "state province territory county region provincia provincie regione stato estado état land bundesland staat län landskap województwo stan штат область провинция край республика استان ایالت"
    .split(" ")
    .map(foldToken),
);
/** "of" after a division word: "province of", "provincia de", "estado de", "stato di". */
const DIVISION_OF = new Set("of de di del do da du von van".split(" "));

/** The one country every place of a span's name lies in, or null (ambiguous, or a country). */
export function soleCountry(span: PlaceSpan): string | null {
  if (span.kind !== "place" || span.country || span.refs.length === 0) return null;
  const cc = geoPlace(span.refs[0]!.place).country;
  return span.refs.every((r) => geoPlace(r.place).country === cc) ? cc : null;
}

/** The first-level divisions a place span names. */
export function divisionsOf(span: PlaceSpan): GeoPlace[] {
  if (span.kind !== "place") return [];
  return span.refs.map((r) => geoPlace(r.place)).filter((d) => d.featureCode === "ADM1");
}

/** True when `p` lies in the division whose ISO 3166-2 code (after the dash) is `code`. */
function inDivisionCode(p: GeoPlace, code: string): boolean {
  return placesByCode(`${p.country}-${code}`).some((d) => geoPlace(d).admin1 === p.admin1);
}

/** Candidates that pass `test` when at least one does and is not dwarfed; else all of them. */
function narrow(
  cands: readonly Candidate[],
  test: (p: GeoPlace) => boolean,
  minShare: number,
): Candidate[] | null {
  const top = Math.max(...cands.map((c) => c.weight));
  const kept = cands.filter((c) => test(c.place) && c.weight >= top * minShare);
  return kept.length > 0 && kept.length < cands.length ? kept : null;
}

/**
 * The first of the text's and the reader's other hints that narrows `cands`, in ROUTING.md's
 * order: a division named elsewhere in the text, the reader's other evidence, countries named
 * in the text, countries of places named in it, the text's language. Tried one at a time, so
 * the hints after the one that settles the name (and their reasons' words) are never worked out.
 */
function settleByHints(
  span: PlaceSpan,
  hints: ResolveHints,
  cands: readonly Candidate[],
): { kept: Candidate[]; why: string } | null {
  // A division named elsewhere in the text speaks as a disambiguator that is not adjacent.
  const divisions = hints.divisions ?? [];
  if (divisions.length > 0) {
    const own = new Set(span.refs.map((r) => r.place));
    for (const d of divisions) {
      if (own.has(d.index)) continue; // the name's own division ("Mérida" the state) is no other word
      const kept = narrow(
        cands,
        (p) => p.featureCode !== "ADM1" && p.country === d.country && p.admin1 === d.admin1,
        DIVISION_SHARE,
      );
      if (kept) return { kept, why: `"${d.name}" named in the text` };
    }
  }
  for (const cc of hints.countries ?? []) {
    const kept = narrow(cands, (p) => p.country === cc, READER_SHARE);
    if (kept) return { kept, why: `the reader's other evidence (${cc})` };
  }
  for (const cc of hints.named ?? []) {
    const kept = narrow(cands, (p) => p.country === cc, EVIDENCE_SHARE);
    if (kept) return { kept, why: `${cc} named in the text` };
  }
  for (const cc of hints.nearby ?? []) {
    const kept = narrow(cands, (p) => p.country === cc, EVIDENCE_SHARE);
    if (kept) return { kept, why: `a place of ${cc} named in the text` };
  }
  const lang = hints.language;
  if (lang) {
    const kept = narrow(cands, (p) => countryLanguages(p.country).includes(lang), LANGUAGE_SHARE);
    if (kept) return { kept, why: `the text's language (${lang})` };
  }
  return null;
}

/**
 * How much weaker signals may override size: a country or a place of it named elsewhere in
 * the text wins unless the other is more than fifty times as large, and a place where the
 * text's language is spoken unless ten times smaller.
 */
const EVIDENCE_SHARE = 0.02;
/**
 * The reader's own phone, email or language-tag country settles a name against any namesake
 * of the gazetteer (ROUTING.md: evidence before population): Paris, Texas for a +1 phone,
 * Santiago de Compostela for a .es address. Only a place a thousand times lighter loses.
 */
const READER_SHARE = 0.001;
/** A division the writer names ("London … the one in Ontario") settles even a much smaller place. */
const DIVISION_SHARE = 0.001;
const LANGUAGE_SHARE = 0.1;

/**
 * The place a name span means, settled in ROUTING.md's order: a disambiguator right after it
 * (a country, a division name or code, a flag), then the reader's other evidence, then
 * countries named elsewhere in the text, then the text's language, then size. `end` is the
 * token after the name and its disambiguator; `matched` spans from character `from` to there.
 */
export function resolveSpan(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
  hints: ResolveHints,
  from: number = tokens[span.start]!.start,
): { place: Place; end: number } | null {
  const slice = (end: number) => text.slice(from, tokens[end - 1]!.end);
  if (span.kind === "none") return null;
  if (span.kind === "country") {
    return span.country
      ? { place: placeFromCountry(span.country, slice(span.end)), end: span.end }
      : null;
  }
  let cands: Candidate[] = span.refs.map((r) => ({ place: geoPlace(r.place), weight: r.weight }));
  // A division named after its own largest city ("Wien", "New York", "Москва") is that city.
  const cities = new Set(cands.map((c) => c.place.index));
  cands = cands.filter((c) => c.place.featureCode !== "ADM1" || !cities.has(c.place.parent));
  if (span.country) cands.push(countryCandidate(span.country));
  if (cands.length === 0) return null;
  let end = span.end;
  let settledBy: string | undefined;
  let matchedEnd = span.end;
  const dis = cands.length > 0 ? disambiguatorAfter(text, tokens, span.end) : null;
  if (dis) {
    const kept = cands.filter((c) => dis.test(c.place));
    if (kept.length > 0 && !(dis.city && kept.length === cands.length)) {
      if (kept.length < cands.length) settledBy = `"${dis.words}" after it`;
      cands = kept;
      end = dis.end;
      matchedEnd = dis.end;
    }
  }
  // "Kingston (the one upon Thames)", "Castelfranco, quello Emilia": the rest of a longer name
  // written later in the sentence says which.
  const completed = !settledBy && cands.length > 1 ? completionAfter(text, tokens, span) : null;
  if (completed) {
    cands = completed.refs.map((r) => ({ place: geoPlace(r.place), weight: r.weight }));
    settledBy = `"${completed.words}" later in the sentence`;
  }
  if (!settledBy && cands.length > 1) {
    const settled = settleByHints(span, hints, cands);
    if (settled) {
      cands = settled.kept;
      settledBy = settled.why;
    }
  }
  const best = cands.reduce((a, b) => (b.weight > a.weight ? b : a));
  const place = fromGeoPlace(best.place, slice(matchedEnd));
  if (settledBy && span.refs.length > 1) place.settledBy = settledBy;
  return { place, end };
}

/** How far after a name the rest of a longer name of it may be written. */
const COMPLETION_REACH = 8;

/**
 * The places of a longer name that starts with the span's name and goes on with words written
 * later in its sentence: "Kingston (the one upon Thames)" is Kingston upon Thames, "abito a
 * Castelfranco, quello Emilia" Castelfranco Emilia. Null when no such name is written.
 */
function completionAfter(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
): { refs: readonly PlaceRef[]; words: string } | null {
  if (span.inflected || span.code) return null;
  const name = tokens
    .slice(span.start, span.end)
    .map((t) => t.key)
    .join(" ");
  // Most names start no longer name: one remembered lookup settles them.
  if (!keyInfo(name).prefix) return null;
  const last = Math.min(tokens.length, span.end + COMPLETION_REACH);
  for (let j = span.end; j < last; j++) {
    // The sentence ends: what follows is about something else.
    if (/[.!?;\n]/u.test(text.slice(tokens[j - 1]!.end, tokens[j]!.start))) return null;
    // Looked up, not remembered: these keys are mostly the text's own words, and keeping them
    // would crowd the names out of keyInfo's memo.
    let key = name;
    for (let n = 0; n < 3 && j + n < last; n++) {
      key = `${key} ${tokens[j + n]!.key}`;
      if (hasKey(key)) {
        const refs = refsByKey(key);
        if (refs.length > 0) {
          return { refs, words: text.slice(tokens[j]!.start, tokens[j + n]!.end) };
        }
      }
      if (!hasKeyPrefix(`${key} `)) break;
    }
  }
  return null;
}

/** The largest city of `country` that a span may name ("Barcelona" with country ES), or null. */
export function placeInCountry(
  text: string,
  tokens: readonly Token[],
  span: PlaceSpan,
  country: string,
): Place | null {
  if (span.kind !== "place") return null;
  let best: PlaceRef | null = null;
  for (const r of span.refs) {
    const p = geoPlace(r.place);
    if (p.country !== country || p.featureCode === "ADM1") continue;
    if (!best || r.weight > best.weight) best = r;
  }
  if (!best) return null;
  return fromGeoPlace(
    geoPlace(best.place),
    text.slice(tokens[span.start]!.start, tokens[span.end - 1]!.end),
  );
}

/** The last arrow of a profile location ("NYC → Berlin"). */
const ARROW_RE = /(?:→|->|=>|⇒|➡️?|⟶)(?!.*(?:→|->|=>|⇒|➡|⟶))/u;

/** Longer than any real profile location or country answer: not read as one. */
const MAX_LOCATION_LENGTH = 200;

/**
 * A place from free text meant to name one: a profile location, a web-form country field, an
 * answer to "where do you write from?". "Zürich", "São Paulo, Brasil", "Melbourne 🇦🇺",
 * "Paris, TX", "Ontario", "DE", "🇧🇷". Null when nothing in it is a place ("Earth",
 * "she/her"), or when it is longer than 200 characters. A city wins over a division and a
 * country, which settle it when they can ("Kingston, Canada"); a flag that fits no city of the
 * name (worn in sympathy) does not move it.
 */
export function parseLocationText(s: string, hints: ResolveHints = {}): Place | null {
  if (typeof s !== "string" || s.length > MAX_LOCATION_LENGTH) return null;
  // Profiles and answers repeat ("Berlin", "DE"): the same text and hints read the same.
  const key = `${s}\u0000${(hints.countries ?? []).join(",")}\u0000${(hints.named ?? []).join(",")}\u0000${hints.language ?? ""}`;
  const known = locationMemo.get(key);
  if (known !== undefined) return known && { ...known, point: known.point && { ...known.point } };
  const place = parseLocationUncached(s, hints);
  if (locationMemo.size >= LOCATION_MEMO_SIZE) locationMemo.clear();
  locationMemo.set(key, place && { ...place, point: place.point && { ...place.point } });
  return place;
}

const locationMemo = new Map<string, Place | null>();
const LOCATION_MEMO_SIZE = 2000;

function parseLocationUncached(s: string, hints: ResolveHints): Place | null {
  // "NYC → Berlin", "Lyon -> Leeds": the place after the last arrow is where they are now.
  const arrow = ARROW_RE.exec(s);
  if (arrow) {
    const after = parseLocationUncached(s.slice(arrow.index + arrow[0].length), hints);
    if (after) return { ...after, matched: s.trim() };
  }
  const tokens = tokenize(s, 32);
  const spans = findPlaceSpans(s, tokens, null);
  const named = [
    ...spans.filter((m) => m.kind === "country" && m.country).map((m) => m.country!),
    ...flagCountries(s),
  ];
  const trimmed = s.trim();
  const isCity = (m: PlaceSpan) =>
    m.kind === "place" && m.refs.some((r) => geoPlace(r.place).featureCode !== "ADM1");
  const first = spans.find(isCity) ?? spans.find((m) => m.kind === "place");
  if (first) {
    const r = resolveSpan(s, tokens, first, {
      ...hints,
      named: [...named, ...(hints.named ?? [])],
    });
    if (r) return { ...r.place, matched: trimmed };
  }
  const cc = named[0];
  return cc ? placeFromCountry(cc, trimmed) : null;
}

/** Only cities at least this big are matched through a typo ("manchster", "Amsterdm"). */
const FUZZY_MIN_PEOPLE = 300_000;
/** …and only words at least this long: short words are too often other words. */
const FUZZY_MIN_LENGTH = 6;
let fuzzyIndex: Map<string, number[]> | undefined;

/** Every one-letter deletion of `w`. */
function deletions(w: string): string[] {
  const out: string[] = [];
  for (let k = 0; k < w.length; k++) out.push(w.slice(0, k) + w.slice(k + 1));
  return out;
}

/** The big cities' one-word names and each of their one-letter deletions, built on first use. */
function fuzzyNames(): Map<string, number[]> {
  if (fuzzyIndex) return fuzzyIndex;
  const index = new Map<string, number[]>();
  const put = (k: string, i: number) => {
    const list = index.get(k);
    if (!list) index.set(k, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  for (let i = 0; i < placeCount(); i++) {
    const g = geoPlace(i);
    if (g.population < FUZZY_MIN_PEOPLE || !g.featureCode.startsWith("PPL")) continue;
    const key = foldKey(g.name);
    if (key.length < FUZZY_MIN_LENGTH || key.includes(" ")) continue;
    put(key, i);
    for (const d of deletions(key)) put(d, i);
  }
  fuzzyIndex = index;
  return index;
}

/** True when `a` and `b` differ by one insertion, deletion, substitution or adjacent swap. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * A big city written with one typo ("manchster", "Amsterdm", "Barcleona"): the word at token `i`,
 * at least six letters, no name or function word itself, one edit from the name of one to three
 * cities of at least 300,000 people, with the same first letter. The caller asks only after a
 * strong cue ("I live in", "greetings from"); null otherwise.
 */
export function typoPlaceSpan(
  text: string,
  tokens: readonly Token[],
  i: number,
  lang: string | null,
): PlaceSpan | null {
  const key = tokens[i]!.key;
  if (key.length < FUZZY_MIN_LENGTH || !/^\p{L}+$/u.test(key) || hasKey(key)) return null;
  if (lang && stopwordsOf(lang).has(key)) return null;
  const index = fuzzyNames();
  const found = new Set<number>();
  for (const k of [key, ...deletions(key)]) {
    for (const p of index.get(k) ?? []) {
      const name = foldKey(geoPlace(p).name);
      if (name[0] === key[0] && oneEditApart(key, name)) found.add(p);
    }
  }
  // Namesakes (Barcelona, Spain and Venezuela) are settled as any ambiguous name is.
  if (found.size === 0 || found.size > 3) return null;
  const refs = [...found].map((p) => ({
    place: p,
    weight: geoPlace(p).population,
    alternate: true,
  }));
  return new Span(i, i + 1, "place", null, false, false, null, refs);
}
