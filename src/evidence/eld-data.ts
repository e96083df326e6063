import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";

/**
 * eld's extra-small n-gram database, read lazily from generated/eld-extrasmall.bin (written by
 * scripts/build-language-data.mjs from the eld package). eld's own module builds a
 * 50,000-entry object at import, a quarter of a second of every cold start; this file is read
 * in one go and an n-gram's bucket is decoded only when the detector asks for it. After
 * {@link MATERIALISE_AFTER} detections the whole object is built once (what eld itself would
 * have built), so a long-running router detects at eld's full speed.
 */

/** Number of hash buckets; must match scripts/build-language-data.mjs. */
export const BUCKETS = 4096;
/** Detections before the whole database is built as a plain object. */
export const MATERIALISE_AFTER = 64;

/** FNV-1a over UTF-16 code units, modulo BUCKETS. Same as ngramBucket in the build script. */
export function ngramBucket(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

/** The database in the shape eld's loader takes. */
export interface NgramData {
  type: string;
  languages: Record<string, string>;
  ngrams: Record<string, Record<string, number>>;
}

interface Store {
  header: { v: number; type: string; languages: Record<string, string>; buckets: number };
  offsets: Uint32Array;
  text: string;
  decoded: (Map<string, Record<string, number>> | undefined)[];
  /**
   * One scores object per distinct "lang:score,…" list: 49,553 n-grams share 12,588 lists,
   * and each object costs about half a kilobyte (its language indexes are array slots up to
   * 59), so sharing them keeps some 20 MB out of a long-running router. eld only reads them.
   */
  interned: Map<string, Record<string, number>>;
}

/** Where `npm run build` writes the database. */
export function eldDataPath(): string {
  return join(projectRoot(), "generated", "eld-extrasmall.bin");
}

function open(): Store {
  const path = eldDataPath();
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new Error(`language data: cannot read ${path}; run \`npm run build\``, { cause: err });
  }
  if (buf.toString("latin1", 0, 4) !== "ELD1") {
    throw new Error(`language data: ${path} is not an n-gram file; run \`npm run build\``);
  }
  const headerLength = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString("utf8", 8, 8 + headerLength)) as Store["header"];
  if (header.buckets !== BUCKETS) {
    throw new Error(`language data: ${path} has another layout; run \`npm run build\``);
  }
  const start = (8 + headerLength + 3) & ~3;
  const offsetBytes = (BUCKETS + 1) * 4;
  const offsets = new Uint32Array(BUCKETS + 1);
  for (let i = 0; i <= BUCKETS; i++) offsets[i] = buf.readUInt32LE(start + i * 4);
  const text = buf.toString("utf16le", start + offsetBytes);
  const decoded = new Array<Map<string, Record<string, number>> | undefined>(BUCKETS);
  return { header, offsets, text, decoded, interned: new Map() };
}

function decode(store: Store, b: number): Map<string, Record<string, number>> {
  let map = store.decoded[b];
  if (map) return map;
  map = new Map();
  const chunk = store.text.slice(store.offsets[b], store.offsets[b + 1]);
  for (const entry of chunk.split("\u0000")) {
    if (entry === "") continue;
    const sep = entry.indexOf("\u0001");
    const list = entry.slice(sep + 1);
    let scores = store.interned.get(list);
    if (!scores) {
      scores = {};
      for (const pair of list.split(",")) {
        const colon = pair.indexOf(":");
        scores[pair.slice(0, colon)] = Number(pair.slice(colon + 1));
      }
      store.interned.set(list, scores);
    }
    map.set(entry.slice(0, sep), scores);
  }
  store.decoded[b] = map;
  return map;
}

/**
 * The database with its n-grams looked up lazily (a read-only view eld indexes by n-gram), and
 * a function that builds them all as a plain object.
 */
export function lazyNgramData(): { data: NgramData; materialise: () => NgramData } {
  const store = open();
  const lookup = (key: string) => decode(store, ngramBucket(key)).get(key);
  const target: Record<string, Record<string, number>> = {};
  const ngrams = new Proxy(target, {
    get: (_target, key) => (typeof key === "string" ? lookup(key) : undefined),
    has: (_target, key) => typeof key === "string" && lookup(key) !== undefined,
  });
  const base = { type: store.header.type, languages: store.header.languages };
  return {
    data: { ...base, ngrams },
    materialise: () => {
      const all: Record<string, Record<string, number>> = {};
      for (let b = 0; b < BUCKETS; b++) for (const [k, v] of decode(store, b)) all[k] = v;
      return { ...base, ngrams: all };
    },
  };
}
