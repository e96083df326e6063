import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countryFromPhone } from "../../src/evidence/phone.js";

describe("countryFromPhone", () => {
  it.each([
    // a mobile number in a country of each of the eleven languages, as Telegram sends them
    ["+447400123456", "GB"],
    ["+447911123456", "GG"],
    ["393471234567", "IT"],
    ["+491701234567", "DE"],
    ["33612345678", "FR"],
    ["+46701234567", "SE"],
    ["34612345678", "ES"],
    ["+989121234567", "IR"],
    ["48512345678", "PL"],
    ["+79161234567", "RU"],
    ["31612345678", "NL"],
    ["+5511912345678", "BR"],
    // shared calling codes are told apart by the number
    ["+14165551234", "CA"],
    ["+12125551234", "US"],
    ["77011234567", "KZ"],
    ["+61412345678", "AU"],
    // formatting and the 00 international prefix
    ["+43 664 1234567", "AT"],
    ["0041 79 123 45 67", "CH"],
    ["(+351) 912-345-678", "PT"],
  ])("%s → %s", (phone, country) => {
    expect(countryFromPhone(phone)).toBe(country);
  });

  it.each([
    undefined,
    "",
    "   ",
    "+4917",
    "12",
    "not a number",
    "+",
    "++49170",
    "9".repeat(100),
    "+000000000",
  ])("%j → null", (phone) => {
    expect(countryFromPhone(phone)).toBeNull();
  });

  it("leaves a shared calling code unresolved rather than guess (+1 is the US and Canada)", () => {
    expect(countryFromPhone("+1 555 010 0000")).toBeNull();
  });

  it("never throws, and returns null or an alpha-2 code", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/)), (phone) => {
        const country = countryFromPhone(phone);
        if (country !== null) expect(country).toMatch(/^[A-Z]{2}$/);
      }),
      { numRuns: 500 },
    );
  });
});
