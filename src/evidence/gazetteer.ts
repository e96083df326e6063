import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";

/**
 * The place table built by scripts/build-gazetteer.mjs (generated/gazetteer.bin): GeoNames
 * cities (population ≥ 15,000, and every capital), first-level divisions, and the names people
 * use for them, folded into sorted keys. The file is read into one Buffer on first use and
 * viewed through typed arrays: nothing is parsed or built at start-up beyond a small header.
 */

/** One place of the gazetteer: a city, or a first-level division (featureCode "ADM1"). */
export interface GeoPlace {
  /** Index in the table (stable for one build). */
  readonly index: number;
  /** GeoNames name ("Zürich"), or the division's English name ("Ontario"). */
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** For a division: its most populous city's point. */
  readonly lat: number;
  readonly lon: number;
  /** For a division: the people of its cities in the gazetteer. */
  readonly population: number;
  /** GeoNames feature code (PPLC is a capital, PPLX a section of a city); ADM1 for a division. */
  readonly featureCode: string;
  /** GeoNames admin1 code ("TX", "08"). */
  readonly admin1: string;
  /** For a district, the city it is part of; for a division, its most populous city; else -1. */
  readonly parent: number;
}

/** A name's reference to a place, with how much it weighs against other places of that name. */
export interface PlaceRef {
  readonly place: number;
  /** Population-based: a place's own name counts five times its population, other names once. */
  readonly weight: number;
  /** True for an alternate name, nickname or district name rather than the place's own name. */
  readonly alternate: boolean;
}

interface Header {
  v: number;
  places: number;
  keys: number;
  maxKeyWords: number;
  countryCodes: string[];
  admin1Codes: string[];
  fcodes: string[];
  codes: Record<string, number[]>;
  sections: Record<string, [number, number]>;
}

interface Tables {
  header: Header;
  lat: Float32Array;
  lon: Float32Array;
  pop: Uint32Array;
  parent: Int32Array;
  country: Uint16Array;
  admin1: Uint16Array;
  fcode: Uint8Array;
  nameOffsets: Uint32Array;
  names: string;
  keyOffsets: Uint32Array;
  keys: string;
  refStart: Uint32Array;
  refPlace: Uint32Array;
  refWeight: Uint32Array;
  bloom: Uint32Array;
}

const FORMAT = 3;
let tables: Tables | null = null;
const places = new Map<number, GeoPlace>();

/** Where `npm run build` (scripts/build-gazetteer.mjs) writes the gazetteer. */
export function gazetteerPath(): string {
  return join(projectRoot(), "generated", "gazetteer.bin");
}

function load(): Tables {
  if (tables) return tables;
  const path = gazetteerPath();
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new Error(`gazetteer: cannot read ${path}; run \`npm run build\` to generate it`, {
      cause: err,
    });
  }
  if (buf.toString("latin1", 0, 4) !== "GZT3") {
    throw new Error(`gazetteer: ${path} is not a gazetteer file; run \`npm run build\``);
  }
  const headerLength = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString("utf8", 8, 8 + headerLength)) as Header;
  if (header.v !== FORMAT)
    throw new Error(`gazetteer: ${path} is an old format; run \`npm run build\``);
  const start = (8 + headerLength + 7) & ~7;
  // Typed arrays need aligned offsets: copy into a fresh buffer when readFileSync's is not.
  const bytes = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
  const section = (name: string) => {
    const s = header.sections[name];
    if (!s) throw new Error(`gazetteer: ${path} lacks section ${name}; run \`npm run build\``);
    return { offset: bytes.byteOffset + start + s[0], length: s[1] };
  };
  const view = <T>(
    name: string,
    Ctor: new (b: ArrayBufferLike, o: number, n: number) => T,
    size: number,
  ) => {
    const s = section(name);
    return new Ctor(bytes.buffer, s.offset, s.length / size);
  };
  const text = (name: string) => {
    const s = section(name);
    return Buffer.from(bytes.buffer, s.offset, s.length).toString("utf16le");
  };
  tables = {
    header,
    lat: view("lat", Float32Array, 4),
    lon: view("lon", Float32Array, 4),
    pop: view("pop", Uint32Array, 4),
    parent: view("parent", Int32Array, 4),
    country: view("country", Uint16Array, 2),
    admin1: view("admin1", Uint16Array, 2),
    fcode: view("fcode", Uint8Array, 1),
    nameOffsets: view("nameOffsets", Uint32Array, 4),
    names: text("names"),
    keyOffsets: view("keyOffsets", Uint32Array, 4),
    keys: text("keys"),
    refStart: view("refStart", Uint32Array, 4),
    refPlace: view("refPlace", Uint32Array, 4),
    refWeight: view("refWeight", Uint32Array, 4),
    bloom: view("bloom", Uint32Array, 4),
  };
  return tables;
}

/** How many places the gazetteer holds. */
export function placeCount(): number {
  return load().header.places;
}

/** Longest key, in words: how far a lookup needs to look ahead. */
export function maxKeyWords(): number {
  return load().header.maxKeyWords;
}

/** The place at `index` (kept once built). */
export function geoPlace(index: number): GeoPlace {
  let p = places.get(index);
  if (p) return p;
  const t = load();
  const h = t.header;
  p = {
    index,
    name: t.names.slice(t.nameOffsets[index], t.nameOffsets[index + 1]),
    country: h.countryCodes[t.country[index]!]!,
    lat: Math.round(t.lat[index]! * 1e4) / 1e4,
    lon: Math.round(t.lon[index]! * 1e4) / 1e4,
    population: t.pop[index]!,
    featureCode: h.fcodes[t.fcode[index]!]!,
    admin1: h.admin1Codes[t.admin1[index]!]!,
    parent: t.parent[index]!,
  };
  places.set(index, p);
  return p;
}

const BLOOM_MASK = (1 << 22) - 1;

/** Two Bloom filter bit positions of a word: same as bloomHashes in scripts/build-gazetteer.mjs. */
export function bloomHashes(word: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [(a >>> 0) & BLOOM_MASK, ((b ^ (b >>> 15)) >>> 0) & BLOOM_MASK];
}

/**
 * False when no name starts with this word; true when one may (a Bloom filter: rarely true for
 * a word that starts none). Two bit tests, for the matcher's first look at every word.
 */
export function mayStartName(word: string): boolean {
  const bloom = load().bloom;
  const [a, b] = bloomHashes(word);
  return (bloom[a >>> 5]! & (1 << (a & 31))) !== 0 && (bloom[b >>> 5]! & (1 << (b & 31))) !== 0;
}

/** Compares `q` with key `k` of the sorted list, in UTF-16 code units (as the build sorted). */
function compare(t: Tables, q: string, k: number, prefixOnly: boolean): number {
  const start = t.keyOffsets[k]!;
  const len = t.keyOffsets[k + 1]! - start;
  const n = Math.min(q.length, len);
  for (let i = 0; i < n; i++) {
    const d = q.charCodeAt(i) - t.keys.charCodeAt(start + i);
    if (d !== 0) return d;
  }
  if (prefixOnly && q.length <= len) return 0;
  return q.length - len;
}

/** The first key index whose key is not less than `q`. */
function lowerBound(t: Tables, q: string): number {
  let lo = 0;
  let hi = t.header.keys;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(t, q, mid, false) > 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function keyText(t: Tables, k: number): string {
  return t.keys.slice(t.keyOffsets[k], t.keyOffsets[k + 1]);
}

/** The key index of `key`, or -1. */
function find(t: Tables, key: string): number {
  const k = lowerBound(t, key);
  return k < t.header.keys && compare(t, key, k, false) === 0 ? k : -1;
}

/**
 * Answers of {@link hasKey} and {@link hasKeyPrefix} for the words texts keep repeating ("san",
 * "new ", "de "): a map lookup instead of a binary search over the keys. Cleared when full.
 */
const keyMemo = new Map<string, boolean>();
const KEY_MEMO_SIZE = 20_000;

function memo(q: string, compute: () => boolean): boolean {
  let v = keyMemo.get(q);
  if (v === undefined) {
    if (keyMemo.size >= KEY_MEMO_SIZE) keyMemo.clear();
    v = compute();
    keyMemo.set(q, v);
  }
  return v;
}

/** True when some folded name is exactly `key`, for the matcher's inner loop. */
export function hasKey(key: string): boolean {
  // Keys never end with a space, prefixes always do: one memo holds both without clashes.
  return memo(key, () => find(load(), key) >= 0);
}

/** True when some folded name starts with `prefix` (e.g. "new " for "new york"). */
export function hasKeyPrefix(prefix: string): boolean {
  return memo(prefix.endsWith(" ") ? prefix : `${prefix}\u0000`, () => {
    const t = load();
    const k = lowerBound(t, prefix);
    return k < t.header.keys && compare(t, prefix, k, true) === 0;
  });
}

/** Up to `limit` keys starting with `prefix`, in order. */
export function keysWithPrefix(prefix: string, limit: number): string[] {
  const t = load();
  const out: string[] = [];
  for (let k = lowerBound(t, prefix); k < t.header.keys && out.length < limit; k++) {
    if (compare(t, prefix, k, true) !== 0) break;
    out.push(keyText(t, k));
  }
  return out;
}

/** The places a folded name means, heaviest first (the same array for the same key). */
export function refsByKey(key: string): readonly PlaceRef[] {
  let refs = refMemo.get(key);
  if (refs === undefined) {
    if (refMemo.size >= KEY_MEMO_SIZE) refMemo.clear();
    refs = readRefs(key);
    refMemo.set(key, refs);
  }
  return refs;
}

const refMemo = new Map<string, readonly PlaceRef[]>();

function readRefs(key: string): readonly PlaceRef[] {
  const t = load();
  const k = find(t, key);
  if (k < 0) return [];
  const out: PlaceRef[] = [];
  for (let r = t.refStart[k]!; r < t.refStart[k + 1]!; r++) {
    const raw = t.refPlace[r]!;
    out.push({ place: raw & 0x7fffffff, weight: t.refWeight[r]!, alternate: raw >= 0x80000000 });
  }
  return out;
}

/**
 * Places named by a short form matched only exactly as written: "LA", "SP", "DC" (cities), and
 * "CA-ON", "US-TX", "AU-WA" (a division's ISO 3166-2 code, with its country).
 */
export function placesByCode(code: string): readonly number[] {
  return load().header.codes[code] ?? [];
}

/** Cities (not divisions) whose name is `key`, heaviest first: a convenience for tests and tools. */
export function citiesByKey(key: string): GeoPlace[] {
  return refsByKey(key)
    .map((r) => geoPlace(r.place))
    .filter((p) => p.featureCode !== "ADM1");
}
