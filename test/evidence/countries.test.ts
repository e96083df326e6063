import { describe, expect, it } from "vitest";
import {
  countryByCode,
  countryCodes,
  countryByKey,
  countryReference,
  countryRegions,
  flagCountries,
  isCountryCode,
} from "../../src/evidence/countries.js";
import { foldKey } from "../../src/evidence/text-fold.js";

describe("countries", () => {
  it.each([
    ["Germany", "DE"],
    ["Deutschland", "DE"],
    ["Allemagne", "DE"],
    ["Niemcy", "DE"],
    ["Германия", "DE"],
    ["آلمان", "DE"],
    ["Brasil", "BR"],
    ["Россия", "RU"],
    ["ایران", "IR"],
    ["Österreich", "AT"],
    ["Schweiz", "CH"],
    ["Sverige", "SE"],
    ["Nederland", "NL"],
    ["Estados Unidos", "US"],
    ["United Kingdom", "GB"],
    ["England", "GB"],
    ["usa", "US"],
    ["Stany Zjednoczone", "US"],
  ])("name %s → %s", (name, cc) => {
    expect(countryByKey(foldKey(name))).toBe(cc);
  });

  it("knows continents are not countries, and unknown words are not places", () => {
    expect(countryByKey("south america")).toBeNull();
    expect(countryByKey("europe")).toBeNull();
    expect(countryByKey("pancake")).toBeUndefined();
  });

  it("reads codes only in capitals", () => {
    expect(countryByCode("DE")).toBe("DE");
    expect(countryByCode("DEU")).toBe("DE");
    expect(countryByCode("USA")).toBe("US");
    expect(countryByCode("UK")).toBe("GB");
    expect(countryByCode("США")).toBe("US");
    expect(countryByCode("SA")).toBe("SA");
    for (const word of ["de", "in", "it", "can", "and", "De", "Usa"]) {
      expect(countryByCode(word)).toBeNull();
    }
  });

  it("validates alpha-2 codes", () => {
    expect(isCountryCode("AU")).toBe(true);
    expect(isCountryCode("au")).toBe(false);
    expect(isCountryCode("XX")).toBe(false);
    expect(isCountryCode("")).toBe(false);
  });

  it("reads flag emoji, including England and Scotland", () => {
    expect(flagCountries("Melbourne 🇦🇺")).toEqual(["AU"]);
    expect(flagCountries("🇧🇷🇵🇹")).toEqual(["BR", "PT"]);
    expect(flagCountries("🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿")).toEqual(["GB", "GB"]);
    // Unassigned pair and lone regional indicator.
    expect(flagCountries("🇽🇽 🇦")).toEqual([]);
  });

  it("uses the capital as reference point, else the centroid", () => {
    const de = countryReference("DE");
    expect(de?.kind).toBe("capital");
    expect(de?.point.lat).toBeCloseTo(52.52, 1);
    const br = countryReference("BR");
    expect(br?.point.lat).toBeCloseTo(-15.78, 1); // Brasília, not São Paulo
    // Antarctica and Western Sahara have no GeoNames capital.
    expect(countryReference("AQ")).toEqual({ point: { lat: -90, lon: 0 }, kind: "centroid" });
    expect(countryReference("EH")?.kind).toBe("centroid");
    expect(countryReference("XX")).toBeNull();
  });

  it.each([
    ["AU", ["Oceania", "009", "Australia and New Zealand", "053"]],
    ["NZ", ["Oceania", "009", "Australia and New Zealand", "053"]],
    ["FJ", ["Oceania", "009", "Melanesia", "054"]],
    ["WS", ["Oceania", "009", "Polynesia", "061"]],
    ["DE", ["Europe", "150", "Western Europe", "155"]],
    ["AT", ["Europe", "150", "Western Europe", "155"]],
    ["PL", ["Europe", "150", "Eastern Europe", "151"]],
    ["HR", ["Europe", "150", "Southern Europe", "039"]],
    ["CY", ["Asia", "142", "Western Asia", "145"]],
    ["US", ["Americas", "019", "Northern America", "021"]],
    ["MX", ["Americas", "019", "Latin America and the Caribbean", "419", "Central America", "013"]],
    ["BR", ["Americas", "019", "Latin America and the Caribbean", "419", "South America", "005"]],
    ["KE", ["Africa", "002", "Sub-Saharan Africa", "202", "Eastern Africa", "014"]],
    ["IR", ["Asia", "142", "Southern Asia", "034"]],
  ])("M49 regions of %s", (cc, regions) => {
    expect(countryRegions(cc)).toEqual(regions);
  });

  it("gives every assigned country but Antarctica an M49 region", () => {
    const missing = countryCodes().filter((cc) => countryRegions(cc).length === 0);
    expect(missing).toEqual(["AQ"]);
    expect(countryRegions("XX")).toEqual([]);
  });
});
