import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  citiesByKey,
  geoPlace,
  hasKeyPrefix,
  keysWithPrefix,
  placeCount,
  placesByCode,
  refsByKey,
} from "../../src/evidence/gazetteer.js";
import { parseLocationText } from "../../src/evidence/places.js";

describe("gazetteer", () => {
  it("holds cities of 15,000 people or more, every capital, and first-level divisions", () => {
    expect(placeCount()).toBeGreaterThan(25_000);
    // Vaduz (about 5,000 people) is a capital.
    expect(citiesByKey("vaduz")[0]).toMatchObject({ country: "LI", featureCode: "PPLC" });
    const ontario = refsByKey("ontario").map((r) => geoPlace(r.place));
    expect(ontario).toContainEqual(
      expect.objectContaining({ country: "CA", featureCode: "ADM1", name: "Ontario" }),
    );
  });

  it("finds names by prefix, for multi-word names and inflected forms", () => {
    expect(hasKeyPrefix("new ")).toBe(true);
    expect(hasKeyPrefix("zzzqx")).toBe(false);
    expect(keysWithPrefix("нижний н", 5)).toContain("нижний новгород");
    const keys = keysWithPrefix("kra", 50);
    expect([...keys].sort()).toEqual(keys);
  });

  it.each([
    ["zurich", "Zürich", "CH"],
    ["wien", "Vienna", "AT"],
    ["munchen", "Munich", "DE"],
    ["москва", "Moscow", "RU"],
    ["تهران", "Tehran", "IR"],
    ["sao paulo", "São Paulo", "BR"],
    ["new york", "New York City", "US"],
  ])("finds %s as %s, %s", (key, name, country) => {
    expect(citiesByKey(key)[0]).toMatchObject({ name, country });
  });

  it("weighs a city's own name above another city's alternate name", () => {
    // One of Bordeaux's alternate names is "Porto"; Bordeaux is slightly larger.
    expect(citiesByKey("porto").map((c) => c.country)).toContain("FR");
    expect(citiesByKey("porto")[0]).toMatchObject({ name: "Porto", country: "PT" });
    // But not so much that a small town's name beats a large city's exonym.
    expect(citiesByKey("hanover")[0]?.country).toBe("DE");
  });

  it.each([
    // Nicknames and abbreviations (scripts/place-names.yaml).
    ["jo burg", "Johannesburg", "ZA"],
    ["joburg", "Johannesburg", "ZA"],
    ["bsas", "Buenos Aires", "AR"],
    ["nyc", "New York City", "US"],
    ["frisco", "San Francisco", "US"],
    ["brum", "Birmingham", "GB"],
    ["питер", "Saint Petersburg", "RU"],
    ["wawa", "Warsaw", "PL"],
    ["sampa", "São Paulo", "BR"],
    // Parts of big cities resolve to their city.
    ["brooklyn", "New York City", "US"],
    ["kreuzberg", "Berlin", "DE"],
    ["croydon", "London", "GB"],
    ["trastevere", "Rome", "IT"],
    ["sodermalm", "Stockholm", "SE"],
  ])("%s → %s, %s", (key, name, country) => {
    expect(citiesByKey(key)[0]).toMatchObject({ name, country });
  });

  it("keeps exact-case codes apart: LA, SP, DC are cities only in capitals", () => {
    expect(placesByCode("LA").map((i) => geoPlace(i).name)).toContain("Los Angeles");
    expect(placesByCode("SP").map((i) => geoPlace(i).name)).toContain("São Paulo");
    expect(placesByCode("DC").map((i) => geoPlace(i).country)).toContain("US");
    expect(refsByKey("la")).toEqual([]);
    expect(placesByCode("CA-ON").map((i) => geoPlace(i).name)).toEqual(["Ontario"]);
    expect(placesByCode("AU-WA").map((i) => geoPlace(i).name)).toEqual(["Western Australia"]);
  });

  it.each([
    ["Ontario", "CA", "Ontario"],
    ["Bayern", "DE", "Bavaria"],
    ["Baviera", "DE", "Bavaria"],
    ["Texas", "US", "Texas"],
    ["New South Wales", "AU", "New South Wales"],
    ["Colombie-Britannique", "CA", "British Columbia"],
    ["Нижегородская область", "RU", "Nizhny Novgorod Oblast"],
  ])("division %s → %s %s, at the country's capital (ROUTING.md)", (text, country, division) => {
    const place = parseLocationText(text);
    expect(place).toMatchObject({ country, division, city: null, pointKind: "capital" });
    expect(place?.point).not.toBeNull();
  });

  it.each([
    ["Portland, Maine", "US", 43.66, -70.26],
    ["Portland, OR", "US", 45.52, -122.68],
    ["Richmond, BC", "CA", 49.17, -123.14],
    ["Richmond, VA", "US", 37.55, -77.46],
    ["Perth, WA", "AU", -31.95, 115.86],
    ["Perth, Scotland", "GB", 56.4, -3.43],
    ["Kingston 🇨🇦", "CA", 44.23, -76.48],
    ["Kingston, Jamaica", "JM", 18.0, -76.79],
    ["London, Ontario", "CA", 42.98, -81.23],
    ["Scarborough, Ontario", "CA", 43.7, -79.42],
    ["Scarborough", "GB", 54.28, -0.4],
    ["Paris, TX", "US", 33.66, -95.56],
    ["Cambridge, MA", "US", 42.38, -71.11],
    ["Springfield, Illinois", "US", 39.8, -89.64],
  ])("disambiguator next to the name: %s → %s", (text, country, lat, lon) => {
    const place = parseLocationText(text);
    expect(place?.country).toBe(country);
    expect(place?.point?.lat).toBeCloseTo(lat, 0);
    expect(place?.point?.lon).toBeCloseTo(lon, 0);
  });

  it("settles an ambiguous name by the reader's other evidence, then the text's language", () => {
    expect(parseLocationText("Perth")?.country).toBe("AU");
    expect(parseLocationText("Perth", { countries: ["GB"] })).toMatchObject({
      country: "GB",
      settledBy: "the reader's other evidence (GB)",
    });
    // The reader's evidence comes before size (ROUTING.md): Paris, Texas for a +1 phone.
    expect(parseLocationText("Paris", { countries: ["US"] })?.country).toBe("US");
    expect(parseLocationText("Paris", { language: "en" })?.country).toBe("FR");
    expect(parseLocationText("San José")?.country).toBe("US");
    expect(parseLocationText("San José", { language: "es" })?.country).toBe("CR");
  });

  it("build script exits non-zero with a clear message when the source is missing", () => {
    const script = fileURLToPath(new URL("../../scripts/build-gazetteer.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [script], {
      env: { ...process.env, CITIES500_FILE: "/nonexistent/cities500.txt" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cities500.txt not found at /nonexistent/cities500.txt");
  });
});
