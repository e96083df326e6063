import {
  countryByCode,
  countryByKey,
  countryReference,
  flagCountries,
  hasCountryKeyPrefix,
} from "./countries.js";
import { citiesByKey, hasCityKey, hasCityKeyPrefix, resolveCity } from "./gazetteer.js";
import { looksLikeName, tokenize, type Token } from "./text-fold.js";

/** A recognised place: a country, and the city when one was named. */
export interface Place {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** GeoNames name of the city, or null when only the country is known. */
  city: string | null;
  /** The city, else the country's capital, else its centroid. */
  point: { lat: number; lon: number } | null;
  pointKind: "city" | "capital" | "centroid" | null;
  /** The words that were recognised, as written (shown to admins; never more of the message). */
  matched: string;
}

/** What one span of words names. */
export interface PlaceMatch {
  readonly kind: "city" | "country" | "none";
  /** Folded key of the city, or the country code. */
  readonly key: string;
  readonly country: string | null;
  /** Token index after the match. */
  readonly end: number;
}

/** Options of {@link matchPlaceAt}. */
export interface MatchOptions {
  /** Other folded forms to try for a word (inflection), most likely first. */
  readonly variants?: (key: string) => readonly string[];
  /** Require a capital letter on one-word names (for phrases that often precede other words). */
  readonly capitalised?: boolean;
  /** Only names of at least this many words (an article is part of "La Paz", not a place). */
  readonly minWords?: number;
}

/** Words so common that, in lower case, they are not read as a place of the same name. */
const COMMON_WORDS = new Set(
  "she her his him they them you your our the and for with from this that here there home everywhere nowhere anywhere earth world internet online love life mobile reading bath nice split police bar van man moon sun star north south east west city town village country centre center capital paz pace peace paix frieden campo".split(
    " ",
  ),
);

/** At most this many spellings (inflection variants) are followed per length. */
const MAX_VARIANT_KEYS = 48;
const MAX_NAME_WORDS = 6;

/**
 * The longest place name starting at token `i` ("New York" before "York"): a country name, a
 * city, a code as written ("DE", "USA"), or a continent (kind "none"). Words are added one at a
 * time while some name still starts with them, so the work per position stays small: at most
 * six words and {@link MAX_VARIANT_KEYS} spellings per length.
 */
export function matchPlaceAt(
  text: string,
  tokens: readonly Token[],
  i: number,
  opts: MatchOptions = {},
): PlaceMatch | null {
  const maxWords = Math.min(MAX_NAME_WORDS, tokens.length - i);
  const minWords = opts.minWords ?? 1;
  let best: PlaceMatch | null = null;
  let partial = [""];
  for (let n = 1; n <= maxWords && partial.length > 0; n++) {
    const word = tokens[i + n - 1]!.key;
    const forms = opts.variants ? [word, ...opts.variants(word)] : [word];
    const next: string[] = [];
    let found: PlaceMatch | null = null;
    for (const p of partial) {
      for (const f of forms) {
        const key = p ? `${p} ${f}` : f;
        if (!found && n >= minWords) found = exactMatch(text, tokens, i, n, key, opts);
        if (next.length < MAX_VARIANT_KEYS && hasKeyPrefix(`${key} `)) next.push(key);
      }
    }
    if (found) best = found;
    partial = next;
  }
  if (best || minWords > 1) return best;
  const cc = countryByCode(text.slice(tokens[i]!.start, tokens[i]!.end));
  return cc ? { kind: "country", key: cc, country: cc, end: i + 1 } : null;
}

function hasKeyPrefix(prefix: string): boolean {
  return hasCountryKeyPrefix(prefix) || hasCityKeyPrefix(prefix);
}

/** What `key` (words i..i+n-1) names, a country name winning over a city of the same name. */
function exactMatch(
  text: string,
  tokens: readonly Token[],
  i: number,
  n: number,
  key: string,
  opts: MatchOptions,
): PlaceMatch | null {
  const cc = countryByKey(key);
  if (cc === undefined && !hasCityKey(key)) return null;
  if (n === 1 && !oneWordOk(text, tokens[i]!, key, opts)) return null;
  if (cc === undefined) {
    return { kind: "city", key, country: citiesByKey(key)[0]?.country ?? null, end: i + n };
  }
  return { kind: cc ? "country" : "none", key: cc ?? key, country: cc, end: i + n };
}

function oneWordOk(text: string, token: Token, key: string, opts: MatchOptions): boolean {
  if (!opts.capitalised && !COMMON_WORDS.has(key)) return true;
  return looksLikeName(text.slice(token.start, token.end));
}

// US state codes: "Paris, TX" is Paris, Texas (GeoNames admin1 codes of the US are these).
const US_STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split(
    " ",
  ),
);

/** Hints that follow a city: countries named or coded, and a US state code. */
interface Hints {
  countries: string[];
  usState: string | null;
}

/** Build a Place from a city key and the hints around it. */
export function placeFromCity(key: string, hints: Hints, matched: string): Place | null {
  const admin1 = hints.usState ? { country: "US", code: hints.usState } : undefined;
  const city = resolveCity(key, hints.countries, admin1);
  if (!city) return null;
  return {
    country: city.country,
    city: city.name,
    point: { lat: city.lat, lon: city.lon },
    pointKind: "city",
    matched,
  };
}

/** Build a Place from a country code: the point is its capital or centroid. */
export function placeFromCountry(cc: string, matched: string): Place {
  const ref = countryReference(cc);
  return {
    country: cc,
    city: null,
    point: ref?.point ?? null,
    pointKind: ref?.kind ?? null,
    matched,
  };
}

/**
 * The city at token `i` with the country or state right after it ("Córdoba, Argentina",
 * "Paris, TX"), as a Place whose `matched` spans from `from` (a character offset) to the last
 * word used. Null when no city or country starts at `i`.
 */
export function placeAt(
  text: string,
  tokens: readonly Token[],
  i: number,
  from: number,
  opts: MatchOptions = {},
): { place: Place; end: number } | null {
  const m = matchPlaceAt(text, tokens, i, opts);
  if (!m || m.kind === "none" || !m.country) return null;
  const slice = (end: number) => text.slice(from, tokens[end - 1]!.end);
  if (m.kind === "country") return { place: placeFromCountry(m.country, slice(m.end)), end: m.end };
  const next =
    m.end < tokens.length ? matchPlaceAt(text, tokens, m.end, { capitalised: true }) : null;
  const nextWord = tokens[m.end] ? text.slice(tokens[m.end]!.start, tokens[m.end]!.end) : "";
  const hints: Hints = {
    countries: next?.kind === "country" && next.country ? [next.country] : [],
    usState: US_STATES.has(nextWord) ? nextWord : null,
  };
  const place = placeFromCity(m.key, hints, "");
  if (!place) return null;
  // The following word is part of the match only when it chose the city ("Berlin. Spain is…").
  let end = m.end;
  if (next?.kind === "country" && next.country === place.country) end = next.end;
  else if (hints.usState && place.country === "US") end = m.end + 1;
  return { place: { ...place, matched: slice(end) }, end };
}

/** Longer than any real profile location or country answer: not read as one. */
const MAX_LOCATION_LENGTH = 200;

/**
 * A place from free text meant to name one: a profile location, a web-form country field, an
 * answer to "where do you write from?". "Zürich", "São Paulo, Brasil", "Melbourne 🇦🇺",
 * "Paris, TX", "DE", "🇧🇷". Null when nothing in it is a place ("Earth", "she/her"), or when it
 * is longer than 200 characters. When a flag and a city disagree, the city in the flag's
 * country wins if there is one, else the city.
 */
export function parseLocationText(s: string): Place | null {
  if (typeof s !== "string" || s.length > MAX_LOCATION_LENGTH) return null;
  const flags = flagCountries(s);
  const tokens = tokenize(s, 32);
  let city: { key: string; hintStart: number } | null = null;
  const named: string[] = [];
  let usState: string | null = null;
  for (let i = 0; i < tokens.length;) {
    const word = s.slice(tokens[i]!.start, tokens[i]!.end);
    const m = matchPlaceAt(s, tokens, i);
    if (m?.kind === "city" && !city) {
      city = { key: m.key, hintStart: m.end };
    } else if (m?.kind === "country" && m.country) {
      named.push(m.country);
    }
    if (city && i >= city.hintStart && US_STATES.has(word)) usState ??= word;
    i = m ? m.end : i + 1;
  }
  const trimmed = s.trim();
  if (city) {
    const countries = [...named, ...flags];
    const place = placeFromCity(city.key, { countries, usState }, trimmed);
    if (place) return place;
  }
  const cc = named[0] ?? flags[0];
  return cc ? placeFromCountry(cc, trimmed) : null;
}
