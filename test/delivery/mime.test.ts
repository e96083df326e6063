import fc from "fast-check";
import { simpleParser, type AddressObject } from "mailparser";
import { describe, expect, it } from "vitest";
import { asciiAddress, buildMime, formatMailbox, type MimeMail } from "../../src/delivery/mime.js";

function mail(over: Partial<MimeMail> = {}): MimeMail {
  return {
    from: { name: "contact-router", address: "router@example.org" },
    to: { name: "Gruppe Internationaler Kommunisten", address: "de@leftcom.org" },
    subject: "[contact] Telegram · AT · de — Hallo",
    messageId: "<abc123@example.org>",
    date: new Date("2026-11-22T02:00:00Z"),
    headers: { "X-Contact-Router-Affiliate": "gik" },
    text: "Hallo\nzweite Zeile\n",
    html: "<p>Hallo</p>\n",
    ...over,
  };
}

const first = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a[0] : a)?.value[0];

describe("buildMime", () => {
  it("writes a 7-bit multipart/alternative message with CRLF line ends and lines of at most 78", async () => {
    const raw = buildMime(
      mail({
        subject: "[contact] Telegram · RU · ru — Здравствуйте, я живу в Новосибирске и хочу помочь",
        text: `${"long line ".repeat(30)}\nÜmlaut, 中文, فارسی, 👋\n`,
      }),
    );
    expect([...raw].every((b) => b < 0x80)).toBe(true);
    const s = raw.toString("latin1");
    expect(s.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of s.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(
      "[contact] Telegram · RU · ru — Здравствуйте, я живу в Новосибирске и хочу помочь",
    );
    expect(parsed.text).toBe(`${"long line ".repeat(30)}\nÜmlaut, 中文, فارسی, 👋\n`);
    expect(parsed.html).toBe("<p>Hallo</p>\n");
    expect(parsed.messageId).toBe("<abc123@example.org>");
    expect(parsed.date?.toISOString()).toBe("2026-11-22T02:00:00.000Z");
    expect(parsed.headers.get("x-contact-router-affiliate")).toBe("gik");
  });

  it("carries names in any script, and quotes names with specials", async () => {
    const raw = buildMime(
      mail({
        from: { name: 'Router, "the bot"', address: "router@example.org" },
        to: { name: "Коммунисты Москвы", address: "ru@leftcom.org" },
        replyTo: { address: "reader@bücher.example" },
      }),
    );
    const parsed = await simpleParser(raw);
    expect(first(parsed.from)).toEqual({
      name: 'Router, "the bot"',
      address: "router@example.org",
    });
    expect(first(parsed.to)).toEqual({ name: "Коммунисты Москвы", address: "ru@leftcom.org" });
    // Punycode on the wire; mailparser shows the Unicode form.
    expect(raw.toString("latin1")).toContain("Reply-To: reader@xn--bcher-kva.example\r\n");
    expect(first(parsed.replyTo)?.address).toBe("reader@bücher.example");
  });

  it("threads under the first contact", async () => {
    const parsed = await simpleParser(
      buildMime(mail({ inReplyTo: "<root@example.org>", references: ["<root@example.org>"] })),
    );
    expect(parsed.inReplyTo).toBe("<root@example.org>");
    expect(parsed.references).toBe("<root@example.org>");
  });

  it("cannot be made to add headers or recipients by what it carries", async () => {
    const raw = buildMime(
      mail({
        subject: "hi\r\nBcc: victim@example.net\r\n\r\nbody",
        to: { name: "x\r\nBcc: victim@example.net", address: "de@leftcom.org" },
        headers: { "X-Contact-Router-Step": "rule a\nBcc: victim@example.net" },
      }),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(first(parsed.to)?.address).toBe("de@leftcom.org");
    expect(() => buildMime(mail({ headers: { "Bad Name": "x" } }))).toThrow(/invalid header name/);
    expect(() => buildMime(mail({ messageId: "<a b@c>" }))).toThrow(/invalid message id/);
  });

  it("refuses addresses that are not a plain local@domain", () => {
    for (const bad of [
      "a@b@c",
      "a <b@c>",
      "a,b@c",
      "a@b\r\nBcc: c@d",
      "noat",
      "ä@example.org",
      "@example.org",
    ]) {
      expect(asciiAddress(bad), bad).toBeUndefined();
    }
    expect(asciiAddress(" reader@example.net ")).toBe("reader@example.net");
    expect(() => formatMailbox({ address: "a <b@c>" })).toThrow(/not a usable email address/);
  });

  it("round-trips any subject, name and text through a real parser", async () => {
    const text = fc.string({ unit: "grapheme", maxLength: 400 });
    await fc.assert(
      fc.asyncProperty(text, text, text, async (subject, name, body) => {
        const raw = buildMime(
          mail({ subject, to: { name, address: "de@leftcom.org" }, text: body, html: body }),
        );
        const parsed = await simpleParser(raw);
        const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
        // Whitespace runs at the ends of a header value are not significant in RFC 5322.
        expect((parsed.subject ?? "").trim()).toBe(oneLine(subject).trim());
        expect(first(parsed.to)?.address).toBe("de@leftcom.org");
        const lf = body.replace(/\r\n?/g, "\n");
        expect(parsed.html === false ? "" : parsed.html).toBe(lf);
      }),
      // A non-ASCII name with a comma once came out as two mailboxes ("=?…?= , <…>").
      { numRuns: 150, examples: [["", "¡ ,", ""]] },
    );
  });
});
