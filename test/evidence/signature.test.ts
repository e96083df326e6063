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
