import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RAW_BYTES, normalize } from "../../../adapters/email/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { InboundMessageSchema, LIMITS } from "../../../src/message/inbound.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/email");
/** Fixtures are read as bytes: several are in 8-bit legacy charsets. */
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

async function rejection(raw: unknown): Promise<InvalidPayloadError> {
  const err: unknown = await normalize(raw).then(
    () => new Error("expected normalize to reject"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidPayloadError);
  return err as InvalidPayloadError;
}

describe("email normalize: content", () => {
  const cases: {
    file: string;
    id: string;
    text: RegExp;
    subject?: string;
    charset: string;
  }[] = [
    {
      file: "multipart-alternative.eml",
      id: "email:20250303091455.abc123@mail.example.at",
      text: /^Hallo, ich wohne in Wien und möchte mehr über eure Arbeit erfahren\.$/,
      subject: "Frage zur Gruppe",
      charset: "UTF-8 8bit, text part preferred over HTML",
    },
    {
      file: "html-only.eml",
      id: "email:html-only-1@example.fr",
      text: /Bonjour, je suis à Lyon\.\s+Je voudrais rejoindre le réseau\./,
      charset: "HTML-only, quoted-printable UTF-8",
    },
    {
      file: "base64-utf8.eml",
      id: "email:b64-1@example.it",
      text: /^Ciao! Abito a Torino e vorrei sapere come contribuire\.\nGrazie\.$/,
      subject: "Come contribuire?",
      charset: "base64 UTF-8 with encoded-word subject",
    },
    {
      file: "qp-latin1.eml",
      id: "email:qp-latin1-1@example.ca",
      text: /^Bonjour, je suis à Montréal et j'aimerais vous aider\. Ça marche très bien\.$/,
      subject: "Question de Montréal",
      charset: "ISO-8859-1 quoted-printable with soft line break",
    },
    {
      file: "windows-1252.eml",
      id: "email:cp1252-1@example.ie",
      text: /^I’d like to give €20 – “for the press”\.$/,
      subject: "Donation",
      charset: "windows-1252 8bit",
    },
    {
      file: "koi8r.eml",
      id: "email:koi8-1@example.ru",
      text: /^Здравствуйте! Я живу в Москве\.$/,
      subject: "Вопрос",
      charset: "KOI8-R 8bit with KOI8-R encoded-word subject",
    },
  ];

  it.each(cases)("$file ($charset)", async (c) => {
    const msg = await normalize(fixture(c.file));
    expect(InboundMessageSchema.parse(msg)).toEqual(msg);
    expect(msg.id).toBe(c.id);
    expect(msg.channel).toBe("email");
    expect(msg.text).toMatch(c.text);
    expect(msg.text).not.toMatch(/<\/?p>|<script|alert\(|color:red/);
    if (c.subject !== undefined) expect(msg.subject).toBe(c.subject);
  });

  it("maps sender, Reply-To, Content-Language, Date and the From address as evidence", async () => {
    const msg = await normalize(fixture("multipart-alternative.eml"));
    expect(msg.sender).toEqual({
      id: "email:Anna.Gruber@example.at",
      displayName: "Anna Gruber",
      handle: "Anna.Gruber@example.at",
    });
    expect(msg.replyTo).toBe("email:anna.replies@example.at");
    expect(msg.sentAt).toBe("2025-03-03T08:14:55.000Z");
    expect(msg.evidence).toEqual({
      emailAddress: "Anna.Gruber@example.at",
      languageTag: "de-AT",
      languageTagSource: "email.content-language",
    });
    expect(msg.attachments).toEqual([]);
  });

  it("decodes an encoded-word display name and uses From for replies without Reply-To", async () => {
    const msg = await normalize(fixture("qp-latin1.eml"));
    expect(msg.sender.displayName).toBe("François Bédard");
    expect(msg.replyTo).toBe("email:francois@example.ca");
    expect(msg.evidence.languageTag).toBe("fr-CA");
  });

  it("lists attachments by name, size and type only", async () => {
    const msg = await normalize(fixture("attachment.eml"));
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]).toEqual({
      name: "plan.pdf",
      size: 2029,
      contentType: "application/pdf",
    });
    expect(msg.text).toBe("Mieszkam w Krakowie. W załączniku plan.");
    expect(JSON.stringify(msg)).not.toContain("PDF-1.4");
  });

  it("maps In-Reply-To to a prefixed id and keeps the quoted part in the text", async () => {
    const msg = await normalize(fixture("in-reply-to.eml"));
    expect(msg.inReplyTo).toBe("email:ack-1@contact.leftcom.test");
    expect(msg.text).toContain("Jag bor i Göteborg.");
  });

  it("derives a stable id from From+Date+Subject+body when Message-ID is missing", async () => {
    const a = await normalize(fixture("no-message-id.eml"));
    const b = await normalize(fixture("no-message-id.eml").toString("utf8"));
    expect(a.id).toMatch(/^email:[0-9a-f]{40}@derived\.contact-router\.invalid$/);
    expect(b.id).toBe(a.id);
    const changed = fixture("no-message-id.eml").toString("utf8").replace("Oi", "Oi!");
    expect((await normalize(changed)).id).not.toBe(a.id);
  });

  it("falls back to the topmost Received date, then to the given delivery date", async () => {
    const viaReceived = await normalize(fixture("no-date-received.eml"));
    expect(viaReceived.sentAt).toBe("2025-03-11T15:30:00.000Z");
    const internal = new Date("2025-04-01T10:00:00Z");
    const viaInternal = await normalize(fixture("no-date.eml"), { receivedAt: internal });
    expect(viaInternal.sentAt).toBe("2025-04-01T10:00:00.000Z");
  });
});

describe("email normalize: decoding real mail (issue 9)", () => {
  it("decodes raw UTF-8 in a quoted-printable body and drops the NUL", async () => {
    const msg = await normalize(fixture("qp-raw-utf8.eml"));
    expect(msg.text).toBe("Я живу в Казани и хочу помочь.\nБудьте здоровы!");
    expect(msg.subject).toBe("Привет");
  });

  it("reads 8-bit UTF-8 declared as ISO-8859-1 as UTF-8", async () => {
    const msg = await normalize(fixture("latin1-label-utf8.eml"));
    expect(msg.text).toBe("J'habite à Besançon, ça me plaît.");
  });

  it("still decodes real legacy charsets with their declared charset", async () => {
    expect((await normalize(fixture("windows-1252.eml"))).text).toBe(
      "I’d like to give €20 – “for the press”.",
    );
    expect((await normalize(fixture("koi8r.eml"))).text).toBe("Здравствуйте! Я живу в Москве.");
  });

  it("reads a file that starts with a blank line or an mbox From line", async () => {
    for (const file of ["leading-blank-line.eml", "mbox-from-line.eml"]) {
      const msg = await normalize(fixture(file));
      expect(msg.sender.handle).toBe("greta@example.se");
      expect(msg.subject).toBe("Hej");
      expect(msg.text).toBe("Jag bor i Umeå.");
    }
  });

  it("strips control characters from text, subject and display name", async () => {
    const raw =
      "From: =?UTF-8?Q?Ann=00a?= <ann@example.org>\r\nSubject: a\u0007b\r\nDate: Wed, 12 Mar 2025 17:00:00 +0100\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n\r\nx\u0000y\u001bz\tw\r\n";
    const msg = await normalize(raw);
    expect(msg.text).toBe("xyz\tw");
    expect(msg.subject).toBe("ab");
    expect(msg.sender.displayName).toBe("Anna");
  });
});

describe("email normalize: mail that is not routed", () => {
  it.each([
    ["auto-submitted.eml", /Auto-Submitted: auto-replied/],
    ["precedence-bulk.eml", /Precedence: bulk/],
    ["list-id.eml", /list mail \(list-id/],
    ["x-autoreply.eml", /x-autoreply/],
    ["bounce.eml", /multipart\/report/],
    ["postmaster.eml", /sent by a mail system \(postmaster\)/],
    ["mailer-daemon-bare.eml", /sent by a mail system .*\(bounce\)/],
    ["noreply.eml", /no-reply sender address \(no-reply\)/],
    ["auto-generated-subject.eml", /subject tag \[automated\] \(no-reply\)/],
    ["spam-flag.eml", /X-Spam-Flag: yes \(spam\)/],
    ["spam-ses.eml", /X-SES-Spam-Verdict: fail \(spam\)/],
    ["spam-status.eml", /X-Spam-Status: yes \(spam\)/],
    ["spam-rspamd.eml", /X-Spam: yes \(spam\)/],
  ])("%s → AUTO_REPLY", async (file, reason) => {
    const err = await rejection(fixture(file));
    expect(err.code).toBe("AUTO_REPLY");
    expect(err.message).toMatch(reason);
    expect(err.message).not.toMatch(/@/);
  });

  it("treats Auto-Submitted: no as a person's mail", async () => {
    const raw = fixture("auto-submitted.eml")
      .toString("utf8")
      .replace("auto-replied", "no")
      .replace("Abwesenheitsnotiz", "Frage");
    expect((await normalize(raw)).id).toBe("email:ooo-1@example.de");
  });

  it("treats a null Return-Path as a bounce", async () => {
    const raw = `Return-Path: <>\r\n${fixture("no-date-received.eml").toString("utf8")}`;
    expect((await rejection(raw)).message).toMatch(/null envelope sender/);
  });
});

describe("email normalize: bad input", () => {
  it.each([
    [42, /must be a string or a Buffer/],
    [{ raw: "x" }, /must be a string or a Buffer/],
    ["", /empty/],
    ["just some words, no headers at all", /no usable From address/],
  ])("rejects %j", async (raw, reason) => {
    const err = await rejection(raw);
    expect(err.code).toBe("INVALID_PAYLOAD");
    expect(err.message).toMatch(reason);
  });

  it("rejects mail without From and mail without any date", async () => {
    expect((await rejection(fixture("no-from.eml"))).message).toMatch(/no usable From/);
    expect((await rejection(fixture("no-date.eml"))).message).toMatch(/no valid Date/);
  });

  it("rejects raw mail over the byte cap without parsing it", async () => {
    const huge = Buffer.alloc(MAX_RAW_BYTES + 1, 0x61);
    const err = await rejection(huge);
    expect(err.code).toBe("MESSAGE_TOO_LARGE");
    expect(err.message).toMatch(/over the 10485760-byte limit/);
  });

  it("rejects a body over LIMITS.textChars and a subject over LIMITS.subjectChars", async () => {
    const head = "From: big@example.org\r\nDate: Wed, 12 Mar 2025 17:00:00 +0100\r\n";
    const bigBody = `${head}Subject: big\r\n\r\n${"word ".repeat(LIMITS.textChars / 4)}\r\n`;
    const bodyErr = await rejection(bigBody);
    expect(bodyErr.code).toBe("MESSAGE_TOO_LARGE");
    expect(bodyErr.message).toMatch(/body is \d+ characters/);
    const bigSubject = `${head}Subject: ${"s".repeat(LIMITS.subjectChars + 1)}\r\n\r\nhi\r\n`;
    expect((await rejection(bigSubject)).message).toMatch(/subject is \d+ characters/);
  });

  it("rejects pathological MIME through mailparser's limits, with the limit as reason", async () => {
    const head = "From: a@example.org\r\nDate: Wed, 12 Mar 2025 17:00:00 +0100\r\nSubject: s\r\n";
    let nested = `${head}Content-Type: multipart/mixed; boundary=b0\r\n\r\n`;
    for (let i = 1; i < 3000; i++) {
      nested += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
    }
    const cases: [string, RegExp][] = [
      [`${head}${"X-A: b\r\n".repeat(600_000)}\r\nhi`, /Max header size/],
      [`${nested}--b2999\r\nContent-Type: text/plain\r\n\r\nhello\r\n`, /child nodes/],
      [`${head}Content-Type: text/html\r\n\r\n${"<div><p>x</p>".repeat(700_000)}`, /HTML too long/],
    ];
    for (const [raw, reason] of cases) {
      const err = await rejection(raw);
      expect(err.message).toMatch(/could not be parsed as MIME/);
      expect(err.message).toMatch(reason);
    }
  });

  it("never leaks the sender address into a rejection reason", async () => {
    const raw = fixture("no-date.eml");
    const err = await rejection(raw);
    expect(err.message).not.toContain("nodate@example.net");
  });
});

describe("email normalize: hostile input (property)", () => {
  const headerName = fc.constantFrom(
    "From",
    "Date",
    "Subject",
    "Message-ID",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Reply-To",
    "In-Reply-To",
    "Content-Language",
    "Received",
    "X-Whatever",
  );
  const mimeish = fc
    .tuple(
      fc.array(fc.tuple(headerName, fc.string({ maxLength: 80 })), { maxLength: 12 }),
      fc.string({ maxLength: 400 }),
    )
    .map(
      ([headers, body]) => `${headers.map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`,
    );
  const input = fc.oneof(
    mimeish,
    fc.string({ maxLength: 500 }),
    fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a)),
    fc.anything(),
  );

  it("any input gives a schema-valid message or an InvalidPayloadError, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(input, async (raw) => {
        const outcome = await normalize(raw).then(
          (msg) => InboundMessageSchema.safeParse(msg).success,
          (err: unknown) => err instanceof InvalidPayloadError,
        );
        expect(outcome).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
