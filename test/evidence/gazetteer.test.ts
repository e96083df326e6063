import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { citiesByKey, gazetteer, resolveCity } from "../../src/evidence/gazetteer.js";

describe("gazetteer", () => {
  it("holds cities of 15,000 people or more, and every capital", () => {
    const g = gazetteer();
    expect(g.cities.length).toBeGreaterThan(20_000);
    expect(g.cities.every((c) => c.population >= 15_000 || c.featureCode === "PPLC")).toBe(true);
    // Vaduz (about 5,000 people) is a capital.
    expect(citiesByKey("vaduz")[0]).toMatchObject({ country: "LI", featureCode: "PPLC" });
  });

  it("keeps keys sorted so lookups can binary-search", () => {
    const { keys } = gazetteer();
    for (let i = 1; i < keys.length; i += 97) expect(keys[i - 1]! <= keys[i]!).toBe(true);
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

  it("lists candidates most populous first", () => {
    const pops = citiesByKey("cordoba").map((c) => c.population);
    expect(pops.length).toBeGreaterThan(1);
    expect([...pops].sort((a, b) => b - a)).toEqual(pops);
  });

  it("weighs a city's own name above another city's alternate name", () => {
    // One of Bordeaux's alternate names is "Porto"; Bordeaux is slightly larger.
    expect(citiesByKey("porto").map((c) => c.country)).toContain("FR");
    expect(resolveCity("porto")).toMatchObject({ name: "Porto", country: "PT" });
    // But not so much that a small town's name beats a large city's exonym.
    expect(resolveCity("hanover")).toMatchObject({ country: "DE" });
  });

  it("resolves an ambiguous name to the most populous match unless a country is named", () => {
    expect(resolveCity("cordoba")?.country).toBe("AR");
    expect(resolveCity("cordoba", ["ES"])?.country).toBe("ES");
    expect(resolveCity("cordoba", ["XX", "ES"])?.country).toBe("ES");
    expect(resolveCity("paris")?.country).toBe("FR");
    expect(resolveCity("paris", [], { country: "US", code: "TX" })).toMatchObject({
      country: "US",
      admin1: "TX",
    });
    expect(resolveCity("no such place")).toBeNull();
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
