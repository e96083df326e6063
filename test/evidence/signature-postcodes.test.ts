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
