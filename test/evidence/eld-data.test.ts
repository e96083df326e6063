import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eld as eldFromPackage } from "eld/extrasmall";
import { describe, expect, it } from "vitest";
import * as build from "../../scripts/build-language-data.mjs";
import {
  BUCKETS,
  lazyNgramData,
  MATERIALISE_AFTER,
  ngramBucket,
} from "../../src/evidence/eld-data.js";
import { guessLanguage } from "../../src/evidence/language.js";

const corpus = readFileSync(
  join(import.meta.dirname, "../../bench/corpus/short-texts.jsonl"),
  "utf8",
)
  .split("\n")
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { text: string }).text);

describe("eld's n-grams read lazily from generated/eld-extrasmall.bin", () => {
  it("hashes n-grams as the build script does", () => {
    expect(build.BUCKETS).toBe(BUCKETS);
    for (const key of [" the", "ing ", " Lé4L", "\u00e9\u00e8", ""]) {
      expect(ngramBucket(key)).toBe(build.ngramBucket(key));
    }
  });

  it("holds exactly eld's database", async () => {
    const { ngramsData } = (await import(
      new URL("../ngrams/extrasmall.js", import.meta.resolve("eld/extrasmall")).href
    )) as { ngramsData: { type: string; ngrams: Record<string, Record<string, number>> } };
    const { data, materialise } = lazyNgramData();
    expect(data.type).toBe(ngramsData.type);
    const keys = Object.keys(ngramsData.ngrams);
    for (let i = 0; i < keys.length; i += 37) {
      expect(data.ngrams[keys[i]!]).toEqual(ngramsData.ngrams[keys[i]!]);
    }
    expect(data.ngrams["no such n-gram"]).toBeUndefined();
    expect(materialise().ngrams).toEqual(ngramsData.ngrams);
  });

  it("detects exactly as eld/extrasmall does, before and after the database is built in full", () => {
    expect(corpus.length).toBeGreaterThan(2 * MATERIALISE_AFTER);
    for (const text of corpus) {
      const ours = guessLanguage(text);
      const theirs = eldFromPackage.detect(text.slice(0, 1000));
      expect(ours?.code ?? "").toBe(/^[a-z]{2}$/.test(theirs.language) ? theirs.language : "");
    }
  });
});
