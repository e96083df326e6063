import { createHash } from "node:crypto";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import { InboundMessageSchema, LIMITS, type InboundMessage } from "../../src/message/inbound.js";
import { withoutControls } from "../../src/evidence/email-lines.js";
import {
  classifyMachineMail,
  headerValue,
  MachineMailError,
  type HeaderLine,
  type MachineMailVerdict,
} from "./auto-reply.js";
import { repairRawEmail } from "./raw-repair.js";

/** Largest raw RFC 5322 message accepted (bytes); larger mail is rejected, never half-read. */
export const MAX_RAW_BYTES = 10 * 1024 * 1024;

/** HTML bodies longer than this are not converted to text (the converter is slow on huge input). */
const MAX_HTML_CHARS = 2 * 1024 * 1024;
const MAX_ATTACHMENTS_LISTED = 100;

/** Options for {@link normalize}. */
export interface NormalizeEmailOptions {
  /**
   * A stable fallback for `sentAt` when the mail has no usable Date header and no Received
   * header with a date: the IMAP INTERNALDATE, which the server fixes at delivery.
   */
  receivedAt?: Date;
}

const RawEmailSchema = z.union([z.string(), z.instanceof(Buffer)], {
  error: "raw email must be a string or a Buffer holding an RFC 5322 message",
});

const ADDRESS = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:]{1,255}$/;

/** The first mailbox of an address header, with the domain lowercased; undefined when unusable. */
function firstAddress(
  obj: AddressObject | AddressObject[] | undefined,
): { address: string; name?: string } | undefined {
  const list = Array.isArray(obj) ? obj : obj === undefined ? [] : [obj];
  for (const group of list) {
    for (const entry of group.value) {
      const addr = entry.address?.trim();
      if (addr === undefined || !ADDRESS.test(addr)) continue;
      const at = addr.lastIndexOf("@");
      const address = `${addr.slice(0, at)}@${addr.slice(at + 1).toLowerCase()}`;
      const name = withoutControls(entry.name).trim();
      return name.length > 0 ? { address, name } : { address };
    }
  }
  return undefined;
}

/** `<abc@host>` → `abc@host`; the first id when several are given. */
function bareMessageId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = (bracketed?.[1] ?? value.trim().split(/\s+/)[0] ?? "").trim();
  return id.length > 0 ? id : undefined;
}

function validDate(d: Date | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** The date the topmost Received header carries (after its last `;`), set by our own server. */
function receivedDate(lines: readonly HeaderLine[]): Date | undefined {
  const top = lines.find((l) => l.key === "received");
  if (top === undefined) return undefined;
  const value = headerValue(top);
  const semi = value.lastIndexOf(";");
  if (semi < 0) return undefined;
  const d = new Date(value.slice(semi + 1).trim());
  return validDate(d) ? d : undefined;
}

/**
 * Id for mail without a Message-ID: a SHA-256 over sender, the raw Date header, subject and
 * body text, so a re-delivery of the same mail maps to the same id and the intake dedupes it.
 */
export function derivedMessageId(parts: {
  from: string;
  date: string;
  subject: string;
  text: string;
}): string {
  const hash = createHash("sha256")
    .update([parts.from, parts.date, parts.subject, parts.text].join("\u0000"))
    .digest("hex")
    .slice(0, 40);
  return `${hash}@derived.contact-router.invalid`;
}

function languageTag(lines: readonly HeaderLine[]): string | undefined {
  const h = lines.find((l) => l.key === "content-language");
  if (h === undefined) return undefined;
  const tag = headerValue(h).split(",")[0]?.trim() ?? "";
  if (tag.length > 64) return undefined;
  // BCP 47 shape: a 1-8 letter language, then up to seven 1-8 character subtags.
  const [language = "", ...subtags] = tag.split("-");
  const ok =
    /^[A-Za-z]{1,8}$/.test(language) &&
    subtags.length <= 7 &&
    subtags.every((t) => /^[A-Za-z0-9]{1,8}$/.test(t));
  return ok ? tag : undefined;
}

/**
 * The body as plain text: CRLF to LF, trailing blanks of each line and control characters
 * (NUL, the other C0 controls, DEL) removed. A pass over lines, no backtracking pattern.
 */
function bodyText(mail: ParsedMail): string {
  // mailparser fills `text` from the HTML part for HTML-only mail (html-to-text).
  const lines = withoutControls(mail.text ?? "").split(/\r\n|\r|\n/u);
  return lines
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();
}

function attachmentsOf(mail: ParsedMail): InboundMessage["attachments"] {
  return mail.attachments
    .filter((a) => !(a.related && a.contentDisposition !== "attachment"))
    .slice(0, MAX_ATTACHMENTS_LISTED)
    .map((a) => ({
      name: (a.filename ?? "(unnamed)").slice(0, 300),
      size: a.size,
      contentType: a.contentType.slice(0, 200),
    }));
}

/** Words with an `@` replaced by "[address]": an error text might quote the input. */
function scrubAddresses(text: string): string {
  return text
    .split(" ")
    .map((w) => (w.includes("@") ? "[address]" : w))
    .join(" ");
}

/**
 * Parses raw mail the way the intake does: the repairs of raw-repair.ts, then mailparser with
 * the intake's limits. Throws InvalidPayloadError naming mailparser's reason. For the relay,
 * which reads affiliates' replies with the same parser.
 */
export async function parseEmail(input: string | Buffer): Promise<ParsedMail> {
  const raw = await repairRawEmail(typeof input === "string" ? Buffer.from(input, "utf8") : input);
  try {
    return await simpleParser(raw, {
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: MAX_HTML_CHARS,
    });
  } catch (err) {
    // mailparser's own limits (header size, MIME depth, HTML length) explain themselves; the
    // address scrub is for any other error that might quote the input.
    const why = scrubAddresses(
      (err instanceof Error ? err.message : "unknown error").slice(0, 120),
    );
    throw new InvalidPayloadError(`email could not be parsed as MIME (${why})`);
  }
}

/**
 * Whether a parsed mail was sent by a machine (auto-reply, bounce, list, no-reply) or marked as
 * spam, from its headers, sender and subject; null for a person's mail. Shared with the relay.
 */
export function machineMailOf(mail: ParsedMail): MachineMailVerdict | null {
  const first = mail.from?.value[0];
  return classifyMachineMail(mail.headerLines, {
    // A bounce may come from a bare "MAILER-DAEMON", which is no usable address.
    fromAddress: firstAddress(mail.from)?.address ?? first?.address,
    fromName: first?.name,
    subject: mail.subject,
  });
}

/**
 * Turns one raw RFC 5322 message into the canonical message. Pure and offline (no DNS):
 * SPF/DKIM/DMARC verdicts are added by the adapter. Throws {@link MachineMailError} (code
 * AUTO_REPLY) for auto-replies, bounces, list, no-reply and spam-marked mail,
 * InvalidPayloadError with MESSAGE_TOO_LARGE past the size caps, INVALID_PAYLOAD else.
 */
export async function normalize(
  raw: unknown,
  options: NormalizeEmailOptions = {},
): Promise<InboundMessage> {
  const checked = RawEmailSchema.safeParse(raw);
  if (!checked.success) {
    throw new InvalidPayloadError(checked.error.issues[0]?.message ?? "raw email is invalid");
  }
  const input = checked.data;
  const bytes = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length;
  if (bytes === 0) throw new InvalidPayloadError("raw email is empty");
  if (bytes > MAX_RAW_BYTES) {
    throw new InvalidPayloadError(
      `email is ${bytes} bytes, over the ${MAX_RAW_BYTES}-byte limit`,
      "MESSAGE_TOO_LARGE",
    );
  }

  const mail = await parseEmail(input);
  const lines = mail.headerLines as HeaderLine[];
  const from = firstAddress(mail.from);
  const subject = mail.subject === undefined ? undefined : withoutControls(mail.subject).trim();
  const robot = machineMailOf(mail);
  if (robot !== null) throw new MachineMailError(robot);
  if (from === undefined) throw new InvalidPayloadError("email has no usable From address");

  const text = bodyText(mail);
  if (text.length > LIMITS.textChars) {
    throw new InvalidPayloadError(
      `email body is ${text.length} characters, over the ${LIMITS.textChars} limit`,
      "MESSAGE_TOO_LARGE",
    );
  }
  if (subject !== undefined && subject.length > LIMITS.subjectChars) {
    throw new InvalidPayloadError(
      `email subject is ${subject.length} characters, over the ${LIMITS.subjectChars} limit`,
      "MESSAGE_TOO_LARGE",
    );
  }
  const attachments = attachmentsOf(mail);
  if (text.length === 0 && (subject ?? "").length === 0 && attachments.length === 0) {
    throw new InvalidPayloadError("email has neither subject, text nor attachments");
  }

  const sentAt = validDate(mail.date) ? mail.date : (receivedDate(lines) ?? options.receivedAt);
  if (!validDate(sentAt)) {
    throw new InvalidPayloadError("email has no valid Date header and no delivery date");
  }

  const dateHeader = lines.find((l) => l.key === "date");
  const messageId =
    bareMessageId(mail.messageId) ??
    derivedMessageId({
      from: from.address,
      date: dateHeader === undefined ? "" : headerValue(dateHeader),
      subject: subject ?? "",
      text,
    });
  if (messageId.length > 500) throw new InvalidPayloadError("email Message-ID is too long");

  const replyAddress = firstAddress(mail.replyTo)?.address ?? from.address;
  const inReplyTo = bareMessageId(mail.inReplyTo);
  const tag = languageTag(lines);

  const candidate = {
    id: encodeId("email", messageId),
    channel: "email" as const,
    replyTo: encodeId("email", replyAddress),
    sender: {
      id: encodeId("email", from.address),
      ...(from.name === undefined ? {} : { displayName: from.name.slice(0, LIMITS.nameChars) }),
      handle: from.address,
    },
    ...(subject === undefined || subject.length === 0 ? {} : { subject }),
    text,
    sentAt: sentAt.toISOString(),
    ...(inReplyTo === undefined || inReplyTo.length > 990
      ? {}
      : { inReplyTo: encodeId("email", inReplyTo) }),
    evidence: {
      emailAddress: from.address,
      ...(tag === undefined
        ? {}
        : { languageTag: tag, languageTagSource: "email.content-language" as const }),
    },
    attachments,
  };
  const result = InboundMessageSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidPayloadError(
      `email does not fit the message schema at ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return result.data;
}
