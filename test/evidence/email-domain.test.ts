import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countryFromEmailAddress } from "../../src/evidence/email-domain.js";

/** The generic-use ccTLDs of the default routing-rules.yaml. */
const GENERIC = new Set([
  "co",
  "io",
  "me",
  "tv",
  "ai",
  "fm",
  "am",
  "ly",
  "to",
  "cc",
  "ws",
  "gg",
  "la",
  "sh",
  "ac",
  "so",
]);

describe("countryFromEmailAddress", () => {
  it.each([
    ["reader@example.de", "DE"],
    ["reader@example.at", "AT"],
    ["someone@example.com.br", "BR"],
    ["someone@example.co.uk", "GB"],
    ["someone@example.uk", "GB"],
    ["someone@mail.example.it", "IT"],
    ["someone@example.fr", "FR"],
    ["someone@example.se", "SE"],
    ["someone@example.es", "ES"],
    ["someone@example.ir", "IR"],
    ["someone@example.pl", "PL"],
    ["someone@example.ru", "RU"],
    ["someone@example.nl", "NL"],
    ["someone@example.pt", "PT"],
    ["someone@EXAMPLE.CA", "CA"],
    ["someone@example.com.au.", "AU"],
    ["Jane Doe <jane@example.ch>", "CH"],
    ["someone@bücher.de", "DE"],
  ])("%s → %s", (address, country) => {
    expect(countryFromEmailAddress(address, GENERIC)).toBe(country);
  });

  it.each([
    ["someone@example.com", "generic TLD"],
    ["someone@example.org", "generic TLD"],
    ["someone@example.eu", "not a country"],
    ["someone@example.su", "not an ISO 3166-1 country"],
    ["someone@example.io", "generic-use ccTLD from the rules"],
    ["someone@example.co", "generic-use ccTLD from the rules"],
    ["someone@example.me", "generic-use ccTLD from the rules"],
    ["someone@localhost", "no TLD"],
    ["someone@de", "a bare TLD"],
    ["not an address", "no @"],
    ["@example.de", "no local part"],
    ["someone@", "no domain"],
    ["someone@exa mple.de", "space in the domain"],
    ["someone@example.xn--p1ai", "IDN ccTLD is not alpha-2"],
    ["someone@example.123", "numeric TLD"],
  ])("%s → null (%s)", (address) => {
    expect(countryFromEmailAddress(address, GENERIC)).toBeNull();
  });

  it("honours the admin's list, not a built-in one", () => {
    expect(countryFromEmailAddress("someone@example.io", new Set())).toBe("IO");
    expect(countryFromEmailAddress("someone@example.de", new Set(["de"]))).toBeNull();
    expect(countryFromEmailAddress(undefined, GENERIC)).toBeNull();
  });

  it("never throws, and returns null or an alpha-2 code", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.emailAddress(), fc.string({ unit: "binary" })),
        (address) => {
          const country = countryFromEmailAddress(address, GENERIC);
          if (country !== null) expect(country).toMatch(/^[A-Z]{2}$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
