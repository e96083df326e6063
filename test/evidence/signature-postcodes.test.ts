import { describe, expect, it } from "vitest";
import { placeFromSignature } from "../../src/evidence/signature.js";

// Postcode lines of several national formats under a sign-off; the letters of a postcode are
// neither a country code nor a street word.
describe("postcode lines with letters", () => {
  it.each([
    ["Groeten,\nJoost de Wit\nLange Voorhout 9\n2514 EA Den Haag", "NL"],
    ["Met vriendelijke groet\nEva\nOudegracht 12\n3511 RD Utrecht", "NL"],
    ["Best,\nTom\n12 Mill Rd\nCambridge CB1 2AD", "GB"],
    ["Cheers\nPriya\nToronto ON M5V 2T6", "CA"],
    ["Pozdrawiam\nKasia\nul. Długa 3\n00-950 Warszawa", "PL"],
    ["Abraço\nRui\nRua das Flores 10\n4050-262 Porto", "PT"],
    ["Abraços\nAna\nAv. Paulista 1000\n01310-100 São Paulo", "BR"],
    ["Hälsningar\nErik\nStorgatan 3\n114 55 Stockholm", "SE"],
  ])("%j", (block, country) => {
    expect(placeFromSignature(block, {})?.country).toBe(country);
  });

  it("a road's abbreviation with a house number is still a street", () => {
    expect(placeFromSignature("Regards\nSam\n5 Station Rd\nLeeds LS1 4DY", {})?.city).toBe("Leeds");
  });
});

// Namesakes in two countries that both write five-digit postcodes (Salamanca, Spain and
// Mexico; Mérida, Spain and Mexico; León, Spain and Mexico): the address's style says which.
describe("an address's style settles namesakes the postcode's format cannot", () => {
  it.each([
    ["Un saludo,\nMarta Gil\nCalle Toro 21, 3º B\n37002 Salamanca", "ES"],
    ["Un abrazo,\nPilar\nC/ Santa Eulalia 4, 1º izda\n06800 Mérida", "ES"],
    ["Saludos cordiales,\nRaúl\nAv. Ordoño II 10, 2º A\n24001 León", "ES"],
    ["Saludos,\nJuan Pérez\nCalle Hidalgo 12, Col. Centro\nC.P. 36700 Salamanca", "MX"],
    ["Atentamente,\nLaura\nCalle Madero 15, Col. Centro\n37000 León", "MX"],
  ])("%j → %s", (block, country) => {
    const r = placeFromSignature(block, { lang: "es" });
    expect(r?.country).toBe(country);
    expect(r?.settledBy).toBe("the address's style");
  });

  it("a postcode that fits one country still settles it by its format", () => {
    const r = placeFromSignature("Saludos,\nLucía\nC/ Real 8, 1º izda\n46001 Valencia", {
      lang: "es",
    });
    expect(r?.country).toBe("ES");
  });

  it("without a style of one country the namesakes are weighed as before", () => {
    const r = placeFromSignature("Saludos,\nMarta\n37002 Salamanca", { lang: "es" });
    expect(r?.settledBy).not.toBe("the address's style");
  });
});
