import { describe, expect, it } from "vitest";
import { extractEvidence } from "../../src/evidence/index.js";
import { placeFromSignature } from "../../src/evidence/signature.js";
import type { InboundMessage } from "../../src/message/inbound.js";

describe("placeFromSignature", () => {
  it.each([
    ["Maria Rossi\nLyon", "FR", "Lyon", "city"],
    ["Sinéad\nGalway", "IE", "Gaillimh", "city"],
    ["— Sinéad, Galway", "IE", "Gaillimh", "city"],
    ["Thabo Mokoena\nUnit 4, 17 Roeland Street\nCape Town 8001", "ZA", "Cape Town", "address"],
    ["Sofia Ramalho\nRua Augusta 120, 3.º Esq.\n1100-053 Lisboa", "PT", "Lisbon", "address"],
    ["Jean Dupont\n12 rue des Lilas\n69001 Lyon, France", "FR", "Lyon", "address"],
    ["امیر حسینی\nتهران، خیابان ولیعصر، پلاک ۱۲", "IR", "Tehran", "city"],
    ["Bryce\nToronto, ON", "CA", "Toronto", "city"],
    ["Saludos desde Valencia, España", "ES", "Valencia", "greeting"],
  ])("%j → %s %s (%s)", (signature, country, city, kind) => {
    expect(placeFromSignature(signature)).toMatchObject({ country, city, kind });
  });

  it("reads the country of an international phone number when no place is written", () => {
    expect(placeFromSignature("Thabo\nTel: +27 21 461 5530")).toMatchObject({
      country: "ZA",
      city: null,
      kind: "phone",
    });
    // A national number says nothing about the country.
    expect(placeFromSignature("Thabo\nTel: 021 461 5530")).toBeNull();
  });

  it("does not take the writer's name, a job or a plain sign-off for a place", () => {
    expect(placeFromSignature("Paris Hilton", { name: "Paris Hilton" })).toBeNull();
    expect(placeFromSignature("Best,\nJordan", { name: "Jordan" })).toBeNull();
    expect(placeFromSignature("Thanks,\nBryce")).toBeNull();
    expect(placeFromSignature("Staff nurse and union rep")).toBeNull();
    expect(placeFromSignature(null)).toBeNull();
    expect(placeFromSignature("")).toBeNull();
  });
});

describe("postal addresses and names in the sign-off", () => {
  it.each([
    // the street names a place of its own; the postcode line names the city
    ["Un abrazo,\nCarmen Vidal\nCalle de Zaragoza 14, 2º\n46001 Valencia", "ES", "Valencia"],
    ["Cordiali saluti,\nGiulia Neri\nVia Bologna 8\n10152 Torino", "IT", "Turin"],
    ["Mit Grüßen\nKarl Weber\nFrankfurter Straße 21\n04105 Leipzig", "DE", "Leipzig"],
    ["Pozdrawiam,\nAnna Nowak\nul. Krakowska 7/3\n50-425 Wrocław", "PL", "Wrocław"],
    ["Abraços,\nRui Lopes\nAvenida de Lisboa 33\n4000-123 Porto", "PT", "Porto"],
    ["Hälsningar,\nEva\nUppsalavägen 4\n802 67 Gävle", "SE", "Gävle"],
    ["Groeten,\nPieter\nUtrechtseweg 10\n2012 AB Haarlem", "NL", "Haarlem"],
    ["Amitiés,\nClaire\n7 rue de Bordeaux 31000 Toulouse", "FR", "Toulouse"],
    ["Cheers,\nNadia\n40 London Road\nCambridge CB1 2AB", "GB", "Cambridge"],
    ["С уважением,\nОльга\nул. Московская, д. 5\n620014 Екатеринбург", "RU", "Yekaterinburg"],
  ])("%j → %s %s", (signature, country, city) => {
    expect(placeFromSignature(signature)).toMatchObject({ country, city, kind: "address" });
  });

  it("settles a city's name by a postcode shape that few countries use", () => {
    // Porto in Portugal, not a Porto of Brazil; London, Ontario by its Canadian postcode
    expect(placeFromSignature("Rui\n4150-001 Porto")).toMatchObject({ country: "PT" });
    expect(placeFromSignature("Tom\nN6A 3K7 London")).toMatchObject({ country: "CA" });
    expect(placeFromSignature("Sara\nCH-1201 Genève")).toMatchObject({ country: "CH" });
  });

  it("reads the line under a closing, and the mailbox's words, as the writer's name", () => {
    // "Luc", "Florence", "Lincoln" are names here, not places
    expect(placeFromSignature("Bien à vous,\nLuc")).toBeNull();
    expect(placeFromSignature("Kind regards,\nFlorence")).toBeNull();
    expect(
      placeFromSignature("Grazie\nLincoln", { mailbox: "lincoln.obi@example.org" }),
    ).toBeNull();
    // … but a place after the name on that line still counts
    expect(placeFromSignature("Cheers,\nFlorence, Leeds")).toMatchObject({ city: "Leeds" });
    // closings without a comma, in other languages: the next line is the name
    expect(placeFromSignature("با سپاس\nمریم\nتهران")).toMatchObject({ country: "IR" });
    expect(placeFromSignature("С уважением,\nИгорь\nг. Новосибирск")).toMatchObject({
      city: "Novosibirsk",
    });
    // a street alone is no city
    expect(placeFromSignature("Ana\nAvenida de Salamanca 12")).toBeNull();
  });
});

function email(text: string, from = "thabo@example.org"): InboundMessage {
  return {
    id: "email:1",
    channel: "email",
    replyTo: `email:${from}`,
    sender: { id: `email:${from}`, displayName: "Thabo Mokoena", handle: from },
    subject: "Request for literature",
    text,
    sentAt: "2026-01-01T00:00:00.000Z",
    evidence: { emailAddress: from },
    attachments: [],
  };
}

describe("the signature as location evidence", () => {
  it("reads a city settled by the division after it, and a sign-off without a known greeting", () => {
    const quebec = extractEvidence(
      email(
        "Bonjour,\n\nJ'aimerais recevoir vos publications.\n\nMerci à l'avance,\n\nGeneviève Bélanger\nSherbrooke (Québec)",
      ),
      new Set(),
    );
    expect(quebec.location).toMatchObject({
      country: "CA",
      city: "Sherbrooke",
      source: "signature",
    });
  });

  it("comes after a self-report and before the email domain", () => {
    const body =
      "Good day,\n\nI would like to request any literature you have on the trade union question.\n\nKind regards\n\nThabo Mokoena\nCape Town 8001\nTel: +27 21 461 5530\n";
    const ev = extractEvidence(email(body, "thabo@example.de"), new Set());
    expect(ev.location).toMatchObject({ country: "ZA", city: "Cape Town", source: "signature" });
    expect(ev.location?.confidence).toBe(0.8);
    // The reasons name the place, never the street or the number.
    expect(ev.location?.detail).toBe('signature: an address line, "Cape Town"');
    const self = extractEvidence(email(`I live in Durban now.\n\n${body}`), new Set());
    expect(self.location).toMatchObject({ city: "Durban", source: "self_report" });
  });
});
