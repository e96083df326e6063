import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countryDemonym } from "../../src/evidence/demonyms.js";
import { parseLocationText } from "../../src/evidence/places.js";

describe("parseLocationText", () => {
  it.each([
    // ROUTING.md's profile locations.
    ["Zürich", "CH", "Zürich"],
    ["Zurich", "CH", "Zürich"],
    ["São Paulo, Brasil", "BR", "São Paulo"],
    ["Melbourne 🇦🇺", "AU", "Melbourne"],
    ["Barcelona", "ES", "Barcelona"],
    ["Berlin, Germany", "DE", "Berlin"],
    ["Wien", "AT", "Vienna"],
    ["berlin", "DE", "Berlin"],
    ["Paris, TX", "US", "Paris"],
    ["Portland, ME", "US", "Portland"],
    ["Los Angeles, CA", "US", "Los Angeles"],
    ["New York", "US", "New York City"],
    ["Tehran", "IR", "Tehran"],
    ["تهران، ایران", "IR", "Tehran"],
    ["Москва", "RU", "Moscow"],
    ["Kraków, Polska", "PL", "Kraków"],
    ["Córdoba", "AR", "Córdoba"],
    ["Córdoba, Argentina", "AR", "Córdoba"],
    ["Córdoba, España", "ES", "Córdoba"],
    ["Córdoba 🇪🇸", "ES", "Córdoba"],
  ])("%s → %s, city %s", (text, country, city) => {
    const place = parseLocationText(text);
    expect(place).toMatchObject({ country, city, pointKind: "city" });
    expect(place?.matched).toBe(text.trim());
  });

  it.each([
    ["DE", "DE"],
    ["DEU", "DE"],
    ["Deutschland", "DE"],
    ["Brasil", "BR"],
    ["Россия", "RU"],
    ["ایران", "IR"],
    ["USA", "US"],
    ["usa", "US"],
    ["UK", "GB"],
    ["the Netherlands", "NL"],
    ["🇧🇷", "BR"],
    ["Scotland 🏴󠁧󠁢󠁳󠁣󠁴󠁿", "GB"],
  ])("%s → country %s at its capital", (text, country) => {
    expect(parseLocationText(text)).toMatchObject({ country, city: null, pointKind: "capital" });
  });

  it.each([
    "Earth",
    "everywhere",
    "she/her",
    "he/him",
    "in",
    "de",
    "it",
    "South America",
    "the internet",
    "",
    "   ",
    "🇽🇽",
    "🏳️‍🌈",
  ])("%j is no place", (text) => {
    expect(parseLocationText(text)).toBeNull();
  });

  it("prefers the city in the flag's country, else keeps the city", () => {
    expect(parseLocationText("Paris 🇺🇸")).toMatchObject({ country: "US", city: "Paris" });
    // A flag worn as a sign of sympathy does not move Berlin.
    expect(parseLocationText("Berlin 🇵🇸")).toMatchObject({ country: "DE", city: "Berlin" });
  });

  it("refuses text too long to be a location", () => {
    expect(parseLocationText(`${"x".repeat(200)} Berlin`)).toBeNull();
  });

  it("never throws on any input, short or long", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: "grapheme", maxLength: 100 }),
          fc.string({ unit: "binary", maxLength: 100 }),
        ),
        (s) => {
          const place = parseLocationText(s);
          if (place) expect(place.country).toMatch(/^[A-Z]{2}$/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads a name after a word that is also a property of every object", () => {
    // "constructor", "toString": the table of fused articles once found Object.prototype's.
    for (const word of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(parseLocationText(`${word} Berlin`)?.city).toBe("Berlin");
    }
  });

  it("takes no word for a country demonym because every object has it", () => {
    // "Constructor here": the demonym table once answered with Object.prototype's function.
    for (const word of ["constructor", "tostring", "__proto__", "hasownproperty"]) {
      expect(countryDemonym(word, true)).toBeNull();
    }
    expect(countryDemonym("aussie", true)).toBe("AU");
  });
});
