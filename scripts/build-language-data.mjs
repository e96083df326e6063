#!/usr/bin/env node
// Writes generated/eld-extrasmall.bin: eld's extra-small n-gram database (from the eld package)
// split into hash buckets, so the router can start without building eld's 50,000-entry object.
// src/evidence/eld-data.ts decodes a bucket only when the detector asks for an n-gram in it.
//
// Output: "ELD1", u32 header length, a JSON header { v, type, languages, buckets }, padding to 4,
// then u32 offsets[buckets + 1] into the text that follows as UTF-16LE: each bucket is entries
// "ngram\u0001lang:score,lang:score\u0000" (eld's n-grams never contain \u0000 or \u0001);
// an n-gram's bucket is ngramBucket(ngram) below.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const BUCKETS = 4096;
const FORMAT = 1;

/** FNV-1a over UTF-16 code units, modulo BUCKETS. Same as ngramBucket in src/evidence/eld-data.ts. */
export function ngramBucket(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const entry = fileURLToPath(import.meta.resolve("eld/extrasmall"));
  const source = join(dirname(entry), "..", "ngrams", "extrasmall.js");
  const out = join(root, "generated", "eld-extrasmall.bin");
  if (!process.argv.includes("--force") && existsSync(out)) {
    const built = statSync(out).mtimeMs;
    if (
      built > statSync(source).mtimeMs &&
      built > statSync(fileURLToPath(import.meta.url)).mtimeMs
    )
      return;
  }
  const { ngramsData } = await import(pathToFileURL(source).href);
  const buckets = Array.from({ length: BUCKETS }, () => []);
  for (const [key, scores] of Object.entries(ngramsData.ngrams)) {
    buckets[ngramBucket(key)].push([key, scores]);
  }
  const offsets = new Uint32Array(BUCKETS + 1);
  let text = "";
  buckets.forEach((bucket, i) => {
    offsets[i] = text.length;
    for (const [key, scores] of bucket) {
      if (key.includes("\u0000") || key.includes("\u0001"))
        throw new Error(`unexpected n-gram ${JSON.stringify(key)}`);
      const values = Object.entries(scores).map(([l, v]) => `${l}:${v}`);
      text += `${key}\u0001${values.join(",")}\u0000`;
    }
  });
  offsets[BUCKETS] = text.length;
  const header = Buffer.from(
    JSON.stringify({
      v: FORMAT,
      type: ngramsData.type,
      languages: ngramsData.languages,
      buckets: BUCKETS,
    }),
  );
  const start = (8 + header.length + 3) & ~3;
  const body = Buffer.from(text, "utf16le");
  const file = Buffer.alloc(start + offsets.byteLength + body.length);
  file.write("ELD1", 0, "latin1");
  file.writeUInt32LE(header.length, 4);
  header.copy(file, 8);
  Buffer.from(offsets.buffer).copy(file, start);
  body.copy(file, start + offsets.byteLength);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file);
  console.error(
    `build-language-data: ${Object.keys(ngramsData.ngrams).length} n-grams in ${BUCKETS} buckets`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`build-language-data: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
