import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import addressparser from "nodemailer/lib/addressparser";
import {
  encodeWord,
  encodeWords,
  foldLines,
  isPlainText,
  quoteString,
} from "nodemailer/lib/mime-funcs";
import { encode as qpEncode, wrap as qpWrap } from "nodemailer/lib/qp";

/**
 * The RFC 5322 / MIME writer for contact emails. Every contact email has the same shape, a
 * multipart/alternative of a plain-text and an HTML part, so it is written directly with
 * nodemailer's own encoders (RFC 2047 encoded words, quoted-printable, header folding) rather
 * than through its general MIME tree, which cost ~5× more CPU per email (docs/delivery.md).
 * SMTP sends these bytes as they are (`sendMail({ raw })`), so the outbox and the inbox get the
 * same message.
 */

/** A mailbox: an ASCII address (the domain is punycoded) and an optional display name. */
export interface Mailbox {
  name?: string;
  address: string;
}

export interface MimeMail {
  from: Mailbox;
  to: Mailbox;
  replyTo?: Mailbox;
  subject: string;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  date: Date;
  /** Extra structured headers; names are ASCII tokens, values are folded and encoded as needed. */
  headers: Record<string, string>;
  text: string;
  html: string;
}

// A deliberately narrow address form: no whitespace, quotes, brackets, commas or control
// characters anywhere, so nothing in it can end a header or smuggle a second recipient.
// eslint-disable-next-line no-control-regex
const ADDRESS = /^[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+@[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+$/;
// Display names outside this set are quoted (RFC 5322 `specials`).
const NEEDS_QUOTES = /[()<>[\]:;@\\,."]/;
// A header name: printable ASCII without the colon (RFC 5322 `ftext`).
const HEADER_NAME = /^[!-9;-~]+$/;

/**
 * The address in the form a header can carry it, or undefined when it is not a plain
 * `local@domain` (a reader-supplied address that is not one is dropped, not repaired). The
 * domain is punycoded; a local part outside ASCII is refused, since it needs SMTPUTF8.
 */
export function asciiAddress(address: string): string | undefined {
  const trimmed = address.trim();
  if (!ADDRESS.test(trimmed)) return undefined;
  const at = trimmed.lastIndexOf("@");
  const local = trimmed.slice(0, at);
  if (/[^\x21-\x7e]/.test(local)) return undefined;
  const domain = domainToASCII(trimmed.slice(at + 1));
  return domain ? `${local}@${domain}` : undefined;
}

/** Parses one mailbox as written in settings (`Name <a@b>` or `a@b`); undefined if unusable. */
export function parseMailbox(text: string): Mailbox | undefined {
  const [first, ...more] = addressparser(text, { flatten: true });
  if (!first?.address || more.length > 0) return undefined;
  const address = asciiAddress(first.address);
  if (!address) return undefined;
  return first.name ? { name: first.name, address } : { address };
}

/** `Name <address>`, the name quoted or encoded as needed. Throws on an unusable address. */
export function formatMailbox(m: Mailbox): string {
  const address = asciiAddress(m.address);
  if (!address) throw new Error("not a usable email address");
  const name = (m.name ?? "").replace(/[\r\n\t]+/g, " ").trim();
  if (!name) return address;
  let shown: string;
  // The whole name as encoded words: encodeWords would leave ASCII specials such as a comma
  // outside them, and "=?…?= , <a@b>" parses as two mailboxes.
  if (!isPlainText(name)) shown = encodeWord(name, "Q", 52);
  else shown = NEEDS_QUOTES.test(name) ? quoteString(name) : name;
  return `${shown} <${address}>`;
}

/** One header line (CRLF-folded at 76), the value's non-ASCII words as RFC 2047 encoded words. */
function header(name: string, value: string): string {
  if (!HEADER_NAME.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
  const flat = value.replace(/[\r\n]+/g, " ");
  return foldLines(`${name}: ${encodeWords(flat, "Q", 52)}`, 76);
}

/** A header whose value is already in wire form (addresses, ids): folded only. */
function rawHeader(name: string, value: string): string {
  return foldLines(`${name}: ${value}`, 76);
}

/** RFC 5322 date, as mail clients and nodemailer write it. */
function dateHeader(d: Date): string {
  return d.toUTCString().replace(/GMT$/, "+0000");
}

/** A UTF-8 text part, canonical CRLF line ends, quoted-printable. */
function textPart(type: "plain" | "html", body: string): string {
  const crlf = body.replace(/\r?\n|\r/g, "\r\n");
  return [
    `Content-Type: text/${type}; charset=utf-8`,
    "Content-Transfer-Encoding: quoted-printable",
    "",
    qpWrap(qpEncode(Buffer.from(crlf, "utf8")), 76),
  ].join("\r\n");
}

/** A message id (`<local@domain>`) as the narrow form a header can carry. */
function msgId(id: string): string {
  if (!/^<[^\s<>"]+@[^\s<>"]+>$/.test(id)) throw new Error("invalid message id");
  return id;
}

/**
 * The whole message in canonical form (CRLF line ends, 7-bit), ready for SMTP or DKIM signing.
 * `boundary` is for tests; by default it is random, so no text can contain it.
 */
export function buildMime(
  mail: MimeMail,
  boundary = `--_cr_${randomBytes(12).toString("hex")}`,
): Buffer {
  const lines = [
    rawHeader("From", formatMailbox(mail.from)),
    rawHeader("To", formatMailbox(mail.to)),
  ];
  if (mail.replyTo) lines.push(rawHeader("Reply-To", formatMailbox(mail.replyTo)));
  lines.push(header("Subject", mail.subject), rawHeader("Message-ID", msgId(mail.messageId)));
  if (mail.inReplyTo) lines.push(rawHeader("In-Reply-To", msgId(mail.inReplyTo)));
  if (mail.references?.length)
    lines.push(rawHeader("References", mail.references.map(msgId).join(" ")));
  for (const [name, value] of Object.entries(mail.headers)) lines.push(header(name, value));
  lines.push(
    rawHeader("Date", dateHeader(mail.date)),
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    textPart("plain", mail.text),
    `--${boundary}`,
    textPart("html", mail.html),
    `--${boundary}--`,
    "",
  );
  return Buffer.from(lines.join("\r\n"), "latin1");
}
