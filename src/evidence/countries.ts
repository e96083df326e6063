import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";
import { foldKey } from "./text-fold.js";

/** A point and what it stands for: the country's capital, or its centroid when it has none. */
export interface CountryReference {
  readonly point: { lat: number; lon: number };
  readonly kind: "capital" | "centroid";
}

/** A row of generated/countries.json (scripts/build-gazetteer.mjs). */
interface CountryRow {
  readonly cc: string;
  readonly alpha3: string;
  readonly centroid: { lat: number; lon: number } | null;
  readonly capital: { name: string; lat: number; lon: number } | null;
  /** world-countries region and sub-region names (not all are UN M49 names). */
  readonly region: string;
  readonly subregion: string;
  /** People in its cities of the gazetteer (a country's weight against a city of its name). */
  readonly people: number;
  /** Which of the eleven languages are spoken there (world-countries' official languages). */
  readonly languages: readonly string[];
  /** Folded names in every language. */
  readonly keys: readonly string[];
  /** ISO codes and all-capital short forms ("USA", "UK", "США"), matched only as written. */
  readonly codes: readonly string[];
  /** Short forms written with stops ("EE.UU.", "U.S."): matched as their folded words. */
  readonly dotted?: readonly string[];
}

/**
 * Names readers use that no data source lists as the country's name (folded).
 * Null marks continents and regions: they consume the words ("South America" is not the USA)
 * but name no country.
 */
const SHORT_FORMS: Readonly<Record<string, string | null>> = {
  usa: "US",
  "u s a": "US",
  america: "US",
  amerika: "US",
  britain: "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  holland: "NL",
  // Italian and Portuguese short forms the locale files only give in full.
  "stati uniti": "US",
  "regno unito": "GB",
  "paesi bassi": "NL",
  "south america": null,
  "north america": null,
  "latin america": null,
  "central america": null,
  "america latina": null,
  "amerique latine": null,
  lateinamerika: null,
  sudamerica: null,
  sudamerika: null,
  europe: null,
  europa: null,
  asia: null,
  africa: null,
  afrika: null,
  oceania: null,
  earth: null,
  world: null,
};

interface Index {
  /** Folded name → alpha-2, or null for a name that is no country. */
  readonly byKey: ReadonlyMap<string, string | null>;
  /** Codes as written ("DE", "DEU", "USA", "США") → alpha-2. */
  readonly byCode: ReadonlyMap<string, string>;
  /** Word prefixes of multi-word names, each ending in a space ("united "). */
  readonly prefixes: ReadonlySet<string>;
  /** Every folded name, sorted (code-unit order): for prefix searches of inflected names. */
  readonly sortedKeys: readonly string[];
  /** First words of every name. */
  readonly firstWords: ReadonlySet<string>;
  readonly rows: ReadonlyMap<string, CountryRow>;
}

let index: Index | null = null;

/** Where `npm run build` writes the country table. */
function countriesPath(): string {
  return join(projectRoot(), "generated", "countries.json");
}

function load(): Index {
  if (index) return index;
  const path = countriesPath();
  let rows: CountryRow[];
  try {
    rows = (JSON.parse(readFileSync(path, "utf8")) as { countries: CountryRow[] }).countries;
  } catch (err) {
    throw new Error(`countries: cannot read ${path}; run \`npm run build\` to generate it`, {
      cause: err,
    });
  }
  const byKey = new Map<string, string | null>();
  const byCode = new Map<string, string>();
  for (const [key, cc] of Object.entries(SHORT_FORMS)) byKey.set(foldKey(key), cc);
  // ISO codes first, so another language's abbreviation never shadows one.
  for (const row of rows) {
    byCode.set(row.cc, row.cc);
    byCode.set(row.alpha3, row.cc);
  }
  for (const row of rows) {
    for (const code of row.codes) if (!byCode.has(code)) byCode.set(code, row.cc);
    for (const key of row.keys) if (!byKey.has(key)) byKey.set(key, row.cc);
    for (const name of row.dotted ?? []) {
      const key = foldKey(name);
      if (!byKey.has(key)) byKey.set(key, row.cc);
    }
  }
  const prefixes = new Set<string>();
  const firstWords = new Set<string>();
  for (const key of byKey.keys()) {
    let at = key.indexOf(" ");
    firstWords.add(at < 0 ? key : key.slice(0, at));
    while (at > 0) {
      prefixes.add(key.slice(0, at + 1));
      at = key.indexOf(" ", at + 1);
    }
  }
  let sorted: string[] | null = null;
  const byCc = new Map(rows.map((r) => [r.cc, r]));
  index = {
    byKey,
    byCode,
    prefixes,
    // Sorted when an inflected name first asks: most runs never do.
    get sortedKeys() {
      return (sorted ??= [...byKey.keys()].sort());
    },
    firstWords,
    rows: byCc,
  };
  return index;
}

/** Every assigned ISO 3166-1 alpha-2 code the country table holds. */
export function countryCodes(): string[] {
  return [...load().rows.keys()];
}

/** True for an assigned ISO 3166-1 alpha-2 code, in capitals ("DE"; not "de", not "XX"). */
export function isCountryCode(cc: string): boolean {
  return load().rows.has(cc);
}

/**
 * The country a folded name means, in any language i18n-iso-countries or world-countries knows,
 * or a common short form ("deutschland", "россия", "ایران", "usa"). `null` for a continent or
 * region ("south america"), which names no country; `undefined` for anything else.
 */
export function countryByKey(key: string): string | null | undefined {
  return load().byKey.get(key);
}

/** Up to `limit` folded country names that start with `prefix` ("niemc" → "niemcy"). */
export function countryKeysWithPrefix(prefix: string, limit: number): string[] {
  const keys = load().sortedKeys;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < keys.length && out.length < limit && keys[i]!.startsWith(prefix); i++) {
    out.push(keys[i]!);
  }
  return out;
}

/** True when some country name starts with this word ("united", "deutschland"). */
export function startsCountryName(word: string): boolean {
  return load().firstWords.has(word);
}

/** True when some multi-word country name starts with `prefix` ("united "). */
export function hasCountryKeyPrefix(prefix: string): boolean {
  return load().prefixes.has(prefix);
}

/**
 * A code exactly as written: ISO alpha-2/alpha-3 or an all-capital short form ("DE", "DEU",
 * "USA", "UK", "США"). Lower case is refused on purpose: "in", "it", "de" are words.
 */
export function countryByCode(word: string): string | null {
  if (word !== word.toUpperCase()) return null;
  return load().byCode.get(word) ?? null;
}

const FLAG_RE = /[\u{1F1E6}-\u{1F1FF}]{2}|\u{1F3F4}[\u{E0061}-\u{E007A}]{4,6}\u{E007F}/gu;
const RI_BASE = 0x1f1e6;
const TAG_BASE = 0xe0061;

/**
 * Countries of the flag emoji in `s`, in order: 🇩🇪 → DE; the England, Scotland and Wales
 * flags → GB. Unassigned pairs are skipped.
 */
export function flagCountries(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(FLAG_RE)) {
    const cps = [...m[0]].map((c) => c.codePointAt(0) ?? 0);
    let cc: string;
    if (cps[0] === 0x1f3f4) {
      cc = String.fromCharCode(...cps.slice(1, 3).map((cp) => cp - TAG_BASE + 97)).toUpperCase();
    } else {
      cc = String.fromCharCode(...cps.map((cp) => cp - RI_BASE + 65));
    }
    if (isCountryCode(cc)) out.push(cc);
  }
  return out;
}

/**
 * The country's reference point: its capital (GeoNames PPLC, the most populous when several),
 * else its centroid (world-countries). Null for unknown codes.
 */
export function countryReference(cc: string): CountryReference | null {
  const row = load().rows.get(cc);
  if (row?.capital)
    return { point: { lat: row.capital.lat, lon: row.capital.lon }, kind: "capital" };
  return row?.centroid ? { point: row.centroid, kind: "centroid" } : null;
}

/** People in the country's cities of the gazetteer (0 for unknown codes). */
export function countryPeople(cc: string): number {
  return load().rows.get(cc)?.people ?? 0;
}

/** Which of the eleven languages are official in the country (empty when none or unknown). */
export function countryLanguages(cc: string): readonly string[] {
  return load().rows.get(cc)?.languages ?? [];
}

// UN M49 (unstats.un.org/unsd/methodology/m49): region, sub-region and intermediate region,
// keyed by the sub-region names world-countries uses.
const M49: Readonly<Record<string, readonly string[]>> = {
  "Northern Africa": ["Africa", "002", "Northern Africa", "015"],
  "Eastern Africa": ["Africa", "002", "Sub-Saharan Africa", "202", "Eastern Africa", "014"],
  "Middle Africa": ["Africa", "002", "Sub-Saharan Africa", "202", "Middle Africa", "017"],
  "Southern Africa": ["Africa", "002", "Sub-Saharan Africa", "202", "Southern Africa", "018"],
  "Western Africa": ["Africa", "002", "Sub-Saharan Africa", "202", "Western Africa", "011"],
  Caribbean: ["Americas", "019", "Latin America and the Caribbean", "419", "Caribbean", "029"],
  "Central America": [
    "Americas",
    "019",
    "Latin America and the Caribbean",
    "419",
    "Central America",
    "013",
  ],
  "South America": [
    "Americas",
    "019",
    "Latin America and the Caribbean",
    "419",
    "South America",
    "005",
  ],
  "North America": ["Americas", "019", "Northern America", "021"],
  "Central Asia": ["Asia", "142", "Central Asia", "143"],
  "Eastern Asia": ["Asia", "142", "Eastern Asia", "030"],
  "South-Eastern Asia": ["Asia", "142", "South-eastern Asia", "035"],
  "Southern Asia": ["Asia", "142", "Southern Asia", "034"],
  "Western Asia": ["Asia", "142", "Western Asia", "145"],
  "Eastern Europe": ["Europe", "150", "Eastern Europe", "151"],
  "Northern Europe": ["Europe", "150", "Northern Europe", "154"],
  "Southern Europe": ["Europe", "150", "Southern Europe", "039"],
  "Western Europe": ["Europe", "150", "Western Europe", "155"],
  "Australia and New Zealand": ["Oceania", "009", "Australia and New Zealand", "053"],
  Melanesia: ["Oceania", "009", "Melanesia", "054"],
  Micronesia: ["Oceania", "009", "Micronesia", "057"],
  Polynesia: ["Oceania", "009", "Polynesia", "061"],
};

/** Where world-countries departs from M49 (its "Central Europe" and "Southeast Europe" are not M49). */
const M49_OVERRIDES: Readonly<Record<string, string>> = {
  AT: "Western Europe",
  CZ: "Eastern Europe",
  HU: "Eastern Europe",
  PL: "Eastern Europe",
  SK: "Eastern Europe",
  BG: "Eastern Europe",
  RO: "Eastern Europe",
  CY: "Western Asia",
  MX: "Central America",
  BV: "South America",
  GS: "South America",
  HM: "Australia and New Zealand",
  TF: "Eastern Africa",
  UM: "Micronesia",
};

/**
 * The UN M49 region, sub-region and (in Africa and Latin America) intermediate region of a
 * country, as names and codes from the widest: AU → ["Oceania", "009", "Australia and New
 * Zealand", "053"]. Empty for unknown codes and Antarctica.
 */
export function countryRegions(cc: string): readonly string[] {
  const row = load().rows.get(cc);
  if (!row) return [];
  let sub = M49_OVERRIDES[cc] ?? row.subregion;
  if (sub === "Central Europe" || sub === "Southeast Europe") sub = "Southern Europe";
  return M49[sub] ?? [];
}

/** Every UN M49 region, sub-region and intermediate region name and code, lower case. */
export function knownRegions(): ReadonlySet<string> {
  return new Set(Object.values(M49).flatMap((names) => names.map((n) => n.toLowerCase())));
}
