import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countryFromLanguageTag, parseLanguageTag } from "../../src/evidence/language-tag.js";

describe("parseLanguageTag", () => {
  it.each([
    // one tag per language of the network, in the shapes platforms send
    ["en", "en", null],
    ["it-IT", "it", "IT"],
    ["de-AT", "de", "AT"],
    ["fr-ca", "fr", "CA"],
    ["sv_SE", "sv", "SE"],
    ["es-419", "es", "419"],
    ["fa-IR", "fa", "IR"],
    ["pl", "pl", null],
    ["RU-ru", "ru", "RU"],
    ["nl-BE", "nl", "BE"],
    ["pt_BR", "pt", "BR"],
    // scripts, variants, extensions, legacy and three-letter forms
    ["zh-Hant-TW", "zh", "TW"],
    ["sr-Latn-RS", "sr", "RS"],
    ["de-DE-u-co-phonebk", "de", "DE"],
    ["deu", "de", null],
    ["iw", "he", null],
    ["fil-PH", null, "PH"],
    // headers: the first entry counts
    ["fr-CA,fr;q=0.9,en;q=0.8", "fr", "CA"],
    ["  de-CH ; q=1 ", "de", "CH"],
  ])("%s → %s / %s", (tag, language, region) => {
    expect(parseLanguageTag(tag)).toEqual({ language, region });
  });

  it.each([
    undefined,
    "",
    "   ",
    "*",
    "x",
    "!!",
    "root",
    "i-klingon",
    "12345",
    "und",
    "🇩🇪",
    "a".repeat(10_000),
  ])("garbage %j gives nulls", (tag) => {
    expect(parseLanguageTag(tag)).toEqual({ language: null, region: null });
  });
});

describe("countryFromLanguageTag", () => {
  it.each([
    ["pt-BR", "BR"],
    ["de-AT", "AT"],
    ["fr-ca", "CA"],
    ["it_CH", "CH"],
    ["sv-FI", "FI"],
    ["es-MX", "MX"],
    ["fa-AF", "AF"],
    ["pl-PL", "PL"],
    ["ru-KZ", "KZ"],
    ["nl-SR", "SR"],
    ["zh-Hant-TW", "TW"],
  ])("%s → %s", (tag, country) => {
    expect(countryFromLanguageTag(tag)).toBe(country);
  });

  it.each([
    ["en-US", "English tags are client defaults"],
    ["en-GB", "even when they look specific"],
    ["es-419", "Latin America is a region, not a country"],
    ["fr-150", "Europe is a region"],
    ["de", "no region"],
    ["de-ZZ", "unknown region"],
    ["de-EU", "not an ISO 3166-1 country"],
    [undefined, "no tag"],
    ["garbage!", "not a tag"],
  ] as ReadonlyArray<[string | undefined, string]>)("%s → null (%s)", (tag) => {
    expect(countryFromLanguageTag(tag)).toBeNull();
  });

  it("never throws, and returns null or an upper-case alpha-2 code", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constant(undefined)),
        (tag) => {
          const parts = parseLanguageTag(tag);
          if (parts.language !== null) expect(parts.language).toMatch(/^[a-z]{2}$/);
          const country = countryFromLanguageTag(tag);
          if (country !== null) expect(country).toMatch(/^[A-Z]{2}$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
