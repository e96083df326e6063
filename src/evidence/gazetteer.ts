import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";

/** A GeoNames city of the gazetteer (population ≥ 15,000, or a capital). */
export interface City {
  /** GeoNames name, e.g. "Zürich". */
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly population: number;
  /** GeoNames feature code: PPLC is a capital. */
  readonly featureCode: string;
  /** GeoNames admin1 code, e.g. "TX" for Texas. */
  readonly admin1: string;
}

/** A country row of the generated file. */
export interface CountryRow {
  readonly cc: string;
  readonly alpha3: string;
  readonly centroid: { lat: number; lon: number } | null;
  /** world-countries region and sub-region names (not all are UN M49 names). */
  readonly region: string;
  readonly subregion: string;
  /** Folded names in every language. */
  readonly keys: readonly string[];
  /** ISO codes and all-capital short forms ("USA", "UK", "США"), matched only as written. */
  readonly codes: readonly string[];
}

/** The loaded gazetteer. */
export interface Gazetteer {
  /** Most populous first. */
  readonly cities: readonly City[];
  /** Folded keys, sorted (code-unit order), one entry per (key, city) pair. */
  readonly keys: readonly string[];
  /** The city index of each entry of `keys`; -(index + 1) when the key is an alternate name. */
  readonly keyCity: Int32Array;
  /** Longest key, in words: how far a lookup needs to look ahead. */
  readonly maxKeyWords: number;
  readonly countries: readonly CountryRow[];
}

type CityRow = [string, string, number, number, number, string, string];
type RawCountry = [string, string, number | null, number | null, string, string, string, string];
interface RawGazetteer {
  v: number;
  maxKeyWords: number;
  cities: CityRow[];
  keys: string;
  keyCity: number[];
  countries: RawCountry[];
}

let loaded: Gazetteer | null = null;

/** Where `npm run build` (scripts/build-gazetteer.mjs) writes the gazetteer. */
export function gazetteerPath(): string {
  return join(projectRoot(), "generated", "gazetteer.json");
}

/**
 * The gazetteer, loaded on first use and kept. Throws when generated/gazetteer.json is missing,
 * naming the command that builds it.
 */
export function gazetteer(): Gazetteer {
  if (loaded) return loaded;
  const path = gazetteerPath();
  let raw: RawGazetteer;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as RawGazetteer;
  } catch (err) {
    throw new Error(`gazetteer: cannot read ${path}; run \`npm run build\` to generate it`, {
      cause: err,
    });
  }
  if (raw.v !== 2) throw new Error(`gazetteer: ${path} is an old format; run \`npm run build\``);
  const cities = raw.cities.map(
    ([name, country, lat, lon, population, featureCode, admin1]): City => ({
      name,
      country,
      lat,
      lon,
      population,
      featureCode,
      admin1,
    }),
  );
  const countries = raw.countries.map(
    ([cc, alpha3, lat, lon, region, subregion, keys, codes]): CountryRow => ({
      cc,
      alpha3,
      centroid: lat === null || lon === null ? null : { lat, lon },
      region,
      subregion,
      keys: keys ? keys.split("|") : [],
      codes: codes ? codes.split("|") : [],
    }),
  );
  loaded = {
    cities,
    keys: raw.keys.split("\n"),
    keyCity: Int32Array.from(raw.keyCity),
    maxKeyWords: raw.maxKeyWords,
    countries,
  };
  return loaded;
}

/**
 * How much more a city's own GeoNames name counts than another city's alternate name: "Porto"
 * is Porto, not Bordeaux (one of whose many alternate names is "Porto"), but "Hanover" is still
 * Hannover (530,000 people), not Hanover, Pennsylvania.
 */
const OWN_NAME_WEIGHT = 5;

/**
 * Cities whose name (in any kept language, accent-folded) is `key`, most populous first, a
 * city's own name counting {@link OWN_NAME_WEIGHT} times its population.
 */
export function citiesByKey(key: string): readonly City[] {
  const g = gazetteer();
  const lo = lowerBound(g.keys, key);
  const found: { city: City; weight: number }[] = [];
  for (let i = lo; i < g.keys.length && g.keys[i] === key; i++) {
    const ref = g.keyCity[i]!;
    const city = g.cities[ref >= 0 ? ref : -ref - 1]!;
    found.push({ city, weight: ref >= 0 ? city.population * OWN_NAME_WEIGHT : city.population });
  }
  if (found.length > 1) found.sort((a, b) => b.weight - a.weight);
  return found.map((f) => f.city);
}
/** The first index whose key is not less than `key` (code-unit order, as the build sorted). */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when some city key is `key`; no allocation, for the matcher's inner loop. */
export function hasCityKey(key: string): boolean {
  const keys = gazetteer().keys;
  return keys[lowerBound(keys, key)] === key;
}

/** True when some city key starts with `prefix` (e.g. "new " for "new york"). */
export function hasCityKeyPrefix(prefix: string): boolean {
  const keys = gazetteer().keys;
  return keys[lowerBound(keys, prefix)]?.startsWith(prefix) ?? false;
}

/**
 * The city a name means: the most populous match, unless `preferCountries` names countries to
 * look in first ("Córdoba" → Córdoba AR by population; with ["ES"] → Córdoba ES).
 * `admin1` narrows to a first-level division ("Paris" with US and TX → Paris, Texas).
 */
export function resolveCity(
  key: string,
  preferCountries: readonly string[] = [],
  admin1?: { country: string; code: string },
): City | null {
  const candidates = citiesByKey(key);
  if (admin1) {
    const hit = candidates.find((c) => c.country === admin1.country && c.admin1 === admin1.code);
    if (hit) return hit;
  }
  for (const cc of preferCountries) {
    const hit = candidates.find((c) => c.country === cc);
    if (hit) return hit;
  }
  return candidates[0] ?? null;
}
