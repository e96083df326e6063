import { describe, expect, it } from "vitest";
import { extractEvidence } from "../../src/evidence/index.js";
import type { InboundMessage } from "../../src/message/inbound.js";

/** A web form message with a country field. */
function form(text: string, country: string): InboundMessage {
  return {
    id: "web:1",
    channel: "web",
    replyTo: "web:1",
    sender: { id: "web:1" },
    text,
    sentAt: "2026-01-01T00:00:00.000Z",
    evidence: { statedCountry: country },
    attachments: [],
  };
}

describe("the reader's answer with a city of that country in the text (ROUTING.md, source 1)", () => {
  it("puts the point in the city", () => {
    const ev = extractEvidence(form("Vivo a Torino e vorrei abbonarmi.", "IT"), new Set());
    expect(ev.location).toMatchObject({ country: "IT", city: "Turin", source: "answer" });
    expect(ev.location?.detail).toContain("named in the text");
  });

  it("takes a city of that country that is only mentioned, not one elsewhere", () => {
    const bcn = extractEvidence(form("Hola, ¿tenéis grupo en Barcelona?", "ES"), new Set());
    expect(bcn.location).toMatchObject({ country: "ES", city: "Barcelona", pointKind: "city" });
    // A city of another country leaves the answer's country and its capital.
    const paris = extractEvidence(form("I read your piece on Paris.", "DE"), new Set());
    expect(paris.location).toMatchObject({ country: "DE", city: undefined, pointKind: "capital" });
  });
});
