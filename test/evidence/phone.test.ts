import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cuesOf } from "../../src/evidence/location-cues.js";
import { countryFromPhone, phoneInText } from "../../src/evidence/phone.js";

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

describe("phoneInText", () => {
  // As the evidence reader calls it: a word of the "someone else" role (brother, amici, Genossen).
  const other = (lang: string) => (w: string) => cuesOf(w, [lang, "en"]).includes("third");

  it.each([
    ["en", "Ring me any evening on +44 7400 123456, I finish work at six", "GB", "+44"],
    ["en", "rather not put much in writing. whatsapp +61 423 111 987 works", "AU", "+61"],
    ["it", "Potete chiamarmi al +39 347 123 4567 dopo le otto", "IT", "+39"],
    ["de", "Erreichbar bin ich unter 0049 170 1234567 (auch Signal)", "DE", "+49"],
    ["fr", "Mon portable : +33 6 12 34 56 78, merci de m'appeler le soir", "FR", "+33"],
    ["sv", "Ring gärna på +46 70 123 45 67 om ni vill prata", "SE", "+46"],
    ["es", "Me pueden escribir al (+34) 622-334-455 por Telegram", "ES", "+34"],
    ["pt", "O meu número é +351 912 345 678, liguem quando quiserem", "PT", "+351"],
    ["nl", "Bel of app me op 0031 6 23456789", "NL", "+31"],
    ["pl", "Mój numer: +48 512 345 678", "PL", "+48"],
    ["ru", "Звоните мне: +7 916 123-45-67", "RU", "+7"],
    ["fa", "شماره من +98 912 123 4567 است", "IR", "+98"],
    // "call the office on …": still the reader's own way to be reached
    ["en", "You can call the office on +61 2 9374 4000 and ask for me", "AU", "+61"],
  ])("%s: %s → %s", (lang, text, country, code) => {
    expect(phoneInText(text, other(lang))).toEqual({ country, callingCode: code });
  });

  it.each([
    // national format without a country code: no country is guessed
    ["de", "Ruft mich gern an: 0151 23456789"],
    ["en", "my number is 07700 900123"],
    // someone else's number
    ["en", "My brother is on +44 7400 123456 if you want to ask him"],
    ["it", "Il numero di mia sorella è +39 347 123 4567"],
    ["de", "Meine Genossen erreicht ihr unter +49 170 1234567"],
    ["en", "I tried your office on +44 20 7946 0000 twice"],
    ["fr", "J'ai essayé votre numéro +33 1 42 00 00 00"],
    // not a phone number: an IBAN, a sum, a date
    ["de", "IBAN DE89 3704 0044 0532 0130 00, bitte"],
    ["en", "we raised 2+2 = 4 and 00 12 2026"],
    ["en", "+00000 000 000"],
  ])("%s: %s → null", (lang, text) => {
    expect(phoneInText(text, other(lang))).toBeNull();
  });

  // The owner words are the cue lexicon's "first" and "second" roles, in every language
  // whatever the text's: a message in one language may quote a number in another.
  it.each([
    ["en", "Ho provato il vostro numero +39 06 1234 5678 ma nessuno risponde"],
    ["en", "J'ai appelé votre bureau au +33 1 42 00 00 00"],
    ["de", "Probeer jouw nummer +31 20 123 4567 morgen nog eens"],
    ["pl", "Dzwoniłem na wasz numer +48 22 123 45 67 dwa razy"],
    ["ru", "Я звонил по вашему номеру, ваш номер +7 495 123-45-67"],
    ["sv", "Jag ringde ert kontor på +46 8 123 456 78"],
  ])("the addressee's number: %s: %s → null", (lang, text) => {
    expect(phoneInText(text, other(lang))).toBeNull();
  });

  it.each([
    ["en", "Mi número es +34 612 345 678, escribidme", "ES"],
    ["de", "Mijn nummer: +31 6 23456789", "NL"],
    ["en", "Il mio numero è +39 347 123 4567", "IT"],
    ["fr", "Meu telemóvel é +351 912 345 678", "PT"],
  ])("the writer's own number in another language: %s: %s → %s", (lang, text, country) => {
    expect(phoneInText(text, other(lang))?.country).toBe(country);
  });

  it("never throws, and returns null or an alpha-2 code with its calling code", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z +0-9()-]{0,60}$/)), (text) => {
        const phone = phoneInText(text);
        if (phone !== null) {
          expect(phone.country).toMatch(/^[A-Z]{2}$/);
          expect(phone.callingCode).toMatch(/^\+\d{1,3}$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
