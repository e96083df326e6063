import { describe, expect, it } from "vitest";
// The build script keeps its own copy of the folding: both must agree or keys never match.
import * as build from "../../scripts/build-gazetteer.mjs";
import { foldKey, foldToken, looksLikeName, tokenize } from "../../src/evidence/text-fold.js";

const SAMPLES = [
  "Zürich",
  "São Paulo",
  "Łódź",
  "Kraków",
  "Düsseldorf",
  "Straße",
  "Reykjavík",
  "København",
  "Москве",
  "Санкт-Петербурге",
  "Йошкар-Ола",
  "Ёлки",
  "كرج",
  "يزد",
  "می‌کنم",
  "Θεσσαλονίκη",
  "İstanbul",
  "Œuvre",
  "Saint-Étienne",
  "L'Aquila",
];

describe("text-fold", () => {
  it.each([
    ["Zürich", "zurich"],
    ["Łódź", "lodz"],
    ["Straße", "strasse"],
    ["Москве", "москве"],
    ["Йошкар", "йошкар"],
    ["Ёлки", "елки"],
    ["İstanbul", "istanbul"],
    ["كرج", "کرج"],
    ["يزد", "یزد"],
  ])("folds %s to %s", (word, folded) => {
    expect(foldToken(word)).toBe(folded);
  });

  it("joins words with one space and splits on punctuation, apostrophes and ZWNJ", () => {
    expect(foldKey("São Paulo")).toBe("sao paulo");
    expect(foldKey("Saint-Étienne")).toBe("saint etienne");
    expect(foldKey("L'Aquila")).toBe("l aquila");
    expect(foldKey("می‌کنم")).toBe("می کنم");
    expect(foldKey("  ,, ")).toBe("");
  });

  it("agrees with the build script's copy on every sample", () => {
    for (const s of SAMPLES) {
      expect(build.foldKey(s)).toBe(foldKey(s));
      expect(build.foldToken(s)).toBe(foldToken(s));
    }
  });

  it("records where each word is in the original text", () => {
    const text = "I live in São Paulo!";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.key)).toEqual(["i", "live", "in", "sao", "paulo"]);
    expect(text.slice(tokens[3]!.start, tokens[4]!.end)).toBe("São Paulo");
    expect(tokenize(text, 2)).toHaveLength(2);
  });

  it("tells capitalised names from lower-case words", () => {
    expect(looksLikeName("Nice")).toBe(true);
    expect(looksLikeName("nice")).toBe(false);
    expect(looksLikeName("تهران")).toBe(true);
  });

  it("drops codes, URLs and digits from alternate names, keeps the four scripts", () => {
    expect(build.plausibleAlternate("LHR")).toBe(false);
    expect(build.plausibleAlternate("EDDB")).toBe(false);
    expect(build.plausibleAlternate("Berlin 2")).toBe(false);
    expect(build.plausibleAlternate("http://x.org")).toBe(false);
    expect(build.plausibleAlternate("北京")).toBe(false);
    expect(build.plausibleAlternate("Pékin")).toBe(true);
    expect(build.plausibleAlternate("Москва")).toBe(true);
    expect(build.plausibleAlternate("تهران")).toBe(true);
    expect(build.plausibleAlternate("Αθήνα")).toBe(true);
  });
});
