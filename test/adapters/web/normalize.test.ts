import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeWebForm, preferredLanguage } from "../../../adapters/web/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { decodeId } from "../../../src/message/ids.js";
import { InboundMessageSchema, LIMITS } from "../../../src/message/inbound.js";

const at = new Date("2026-11-21T09:30:00Z");

function rejection(payload: unknown, ctx = {}): InvalidPayloadError {
  try {
    normalizeWebForm(payload, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPayloadError);
    return err as InvalidPayloadError;
  }
  throw new Error("expected normalizeWebForm to throw");
}

describe("normalizeWebForm: valid forms", () => {
  it("maps every field, with the email as the reply channel", () => {
    const msg = normalizeWebForm(
      {
        name: "Ana Souza",
        email: "Ana@Example.COM.BR",
        country: "Brasil",
        message: "Olá, moro em São Paulo.",
        language: "pt-BR",
      },
      { receivedAt: at, acceptLanguage: "en-US" },
    );
    expect(msg).toMatchObject({
      channel: "web",
      replyTo: "email:Ana@example.com.br",
      sender: {
        id: "email:Ana@example.com.br",
        displayName: "Ana Souza",
        handle: "Ana@example.com.br",
      },
      text: "Olá, moro em São Paulo.",
      sentAt: "2026-11-21T09:30:00.000Z",
      evidence: {
        statedCountry: "Brasil",
        emailAddress: "Ana@example.com.br",
        languageTag: "pt-BR",
        languageTagSource: "web.form",
      },
    });
    expect(msg.id).toMatch(/^web:[0-9a-f]{24}$/);
  });

  it("gives the same form the same id (deterministic CLI, double submits dedupe)", () => {
    const form = { message: "hello", country: "DE" };
    const a = normalizeWebForm(form, { receivedAt: at });
    const b = normalizeWebForm({ ...form }, { receivedAt: new Date() });
    expect(a.id).toBe(b.id);
    expect(normalizeWebForm({ ...form, country: "AT" }).id).not.toBe(a.id);
  });

  it("uses the context id, and replyTo is the message itself when there is no email", () => {
    const msg = normalizeWebForm({ message: "hi" }, { id: "sub-42", receivedAt: at });
    expect(msg.id).toBe("web:sub-42");
    expect(msg.replyTo).toBe("web:sub-42");
    expect(msg.sender.id).toBe("web:sub-42");
    expect(msg.evidence).toEqual({});
    expect(decodeId(msg.id)).toEqual({ channel: "web", rest: "sub-42" });
  });

  it("falls back to the most preferred Accept-Language tag", () => {
    const msg = normalizeWebForm(
      { message: "Bonjour" },
      { acceptLanguage: "en;q=0.5, fr-CA, fr;q=0.9" },
    );
    expect(msg.evidence.languageTag).toBe("fr-CA");
    expect(msg.evidence.languageTagSource).toBe("web.accept-language");
  });

  it("treats blank optional fields as absent and trims the message", () => {
    const msg = normalizeWebForm({
      name: " ",
      email: "",
      country: "",
      language: "",
      message: "  hi \n",
    });
    expect(msg.text).toBe("hi");
    expect(msg.sender.displayName).toBeUndefined();
    expect(msg.evidence).toEqual({});
  });

  it("drops unknown fields such as honeypots", () => {
    expect(normalizeWebForm({ message: "hi", website: "spam" }).text).toBe("hi");
  });

  it("keeps multi-line text, markup and RTL text as data", () => {
    const text = "<script>alert(1)</script>\n\tسلام، من در تهران زندگی می‌کنم ‮";
    expect(normalizeWebForm({ message: text }).text).toBe(text);
  });
});

describe("normalizeWebForm: rejected forms", () => {
  const cases: { name: string; payload: unknown; ctx?: object; reason: RegExp; code?: string }[] = [
    { name: "missing message", payload: { name: "A" }, reason: /message is required/ },
    { name: "empty message", payload: { message: "   " }, reason: /message is empty/ },
    { name: "message not a string", payload: { message: 42 }, reason: /message is required/ },
    {
      name: "huge message",
      payload: { message: "x".repeat(LIMITS.textChars + 1) },
      reason: /more than the limit of 20000/,
      code: "MESSAGE_TOO_LARGE",
    },
    {
      name: "bad email",
      payload: { message: "hi", email: "not-an-address" },
      reason: /email is not a valid address/,
    },
    {
      name: "header injection in email",
      payload: { message: "hi", email: "a@b.org\r\nBcc: victim@c.org" },
      reason: /email is not a valid address/,
    },
    {
      name: "long name",
      payload: { message: "hi", name: "n".repeat(201) },
      reason: /name is longer than 200/,
    },
    {
      name: "newline in name",
      payload: { message: "hi", name: "Eve\r\nBcc: x" },
      reason: /name contains control/,
    },
    {
      name: "NUL in message",
      payload: { message: "hi\u0000there" },
      reason: /message contains control/,
    },
    {
      name: "long country",
      payload: { message: "hi", country: "c".repeat(101) },
      reason: /country is longer/,
    },
    {
      name: "bad language",
      payload: { message: "hi", language: "français!!" },
      reason: /language is not a language tag/,
    },
    { name: "array", payload: [], reason: /form must be a JSON object/ },
    { name: "null", payload: null, reason: /form must be a JSON object/ },
    {
      name: "bad context id",
      payload: { message: "hi" },
      ctx: { id: "../../etc" },
      reason: /context id/,
    },
    {
      name: "bad receivedAt",
      payload: { message: "hi" },
      ctx: { receivedAt: new Date("nope") },
      reason: /receivedAt/,
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      const err = rejection(c.payload, c.ctx);
      expect(err.message).toMatch(c.reason);
      expect(err.code).toBe(c.code ?? "INVALID_PAYLOAD");
    });
  }

  it("never echoes the bad value", () => {
    expect(rejection({ message: "hi", email: "secret.person@@x" }).message).not.toMatch(/secret/);
  });

  it("gives a message or a clear error for any input, never anything else", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            name: fc.oneof(fc.string(), fc.anything()),
            email: fc.oneof(fc.emailAddress(), fc.string()),
            country: fc.string(),
            message: fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), fc.anything()),
            language: fc.string({ maxLength: 12 }),
          },
          { requiredKeys: [] },
        ),
        (form) => {
          try {
            InboundMessageSchema.parse(normalizeWebForm(form));
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidPayloadError);
            expect((err as Error).message).toMatch(/^web: /);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("preferredLanguage", () => {
  it.each([
    ["de-AT,de;q=0.9,en;q=0.8", "de-AT"],
    ["en;q=0.1, pt-BR;q=0.7", "pt-BR"],
    ["*", undefined],
    ["", undefined],
    ["garbage;;;q=x", undefined],
    ["it;q=0", undefined],
  ])("%j → %j", (header, tag) => {
    expect(preferredLanguage(header)).toBe(tag);
  });
});
