import { createHash } from "node:crypto";
import type DKIM from "nodemailer/lib/dkim";
import { RouterError } from "../errors.js";
import { CHANNEL_LABEL } from "../message/channel.js";
import { relayAddress, relayRef } from "../relay/token.js";
import type { DeliveryConfig } from "./config.js";
import { asciiAddress, buildMime, parseMailbox, type Mailbox, type MimeMail } from "./mime.js";
import { buildReceipt, type Receipt } from "./receipt.js";
import type { ContactToDeliver } from "./types.js";

/** How much of the message the subject shows. */
export const SUBJECT_WORDS_CHARS = 60;

/**
 * The Message-ID of a contact's email: a hash of the contact id, so a resend carries the same id
 * and the id itself reveals nothing about the reader.
 */
export function messageIdFor(contactId: string, domain: string): string {
  const hash = createHash("sha256").update(contactId, "utf8").digest("hex").slice(0, 32);
  return `<${hash}@${domain}>`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The first words of a text on one line, cut at a word boundary, with `…` when shortened. */
export function firstWords(text: string, max = SUBJECT_WORDS_CHARS): string {
  const flat = text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `[contact] Telegram · AT · de — first words…` */
export function subjectFor(c: ContactToDeliver): string {
  const words = firstWords(c.message.text || c.message.subject || "");
  const country = c.decision.country ?? "??";
  const lang = c.decision.language ?? "??";
  const head = `[contact] ${CHANNEL_LABEL[c.message.channel]} · ${country} · ${lang}`;
  return words ? `${head} — ${words}` : head;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function renderText(r: Receipt): string {
  const rows = (xs: { label: string; value: string }[]) =>
    xs.map((x) => `${`${x.label}:`.padEnd(19)}${x.value}`).join("\n");
  return [
    rows(r.contact),
    "",
    "----- Message -----",
    r.text,
    "----- End of message -----",
    "",
    "Why this contact came to you",
    rows(r.decision),
    "Reasons:",
    ...r.reasons.map((x) => `  - ${x}`),
    "",
  ].join("\n");
}

function renderHtml(r: Receipt, subject: string): string {
  const rows = (xs: { label: string; value: string }[]) =>
    xs
      .map(
        (x) =>
          `<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0">${escapeHtml(x.label)}</th><td>${escapeHtml(x.value)}</td></tr>`,
      )
      .join("\n");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:sans-serif;line-height:1.4">
<table>${rows(r.contact)}</table>
<div dir="auto" style="white-space:pre-wrap;border-left:3px solid #999;padding:8px 12px;margin:12px 0">${escapeHtml(r.text)}</div>
<h3>Why this contact came to you</h3>
<table>${rows(r.decision)}</table>
<p><strong>Reasons</strong></p>
<ul>${r.reasons.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>
</body></html>
`;
}

/** The configured sender (`MAIL_FROM`, e.g. `contact-router <router@example.org>`), parsed once. */
const senders = new Map<string, Mailbox>();
function senderMailbox(from: string): Mailbox {
  let m = senders.get(from);
  if (!m) {
    m = parseMailbox(from);
    // The environment schema refuses such a MAIL_FROM; this guards hand-built configs.
    if (!m) throw new RouterError("DELIVERY_PERMANENT", "MAIL_FROM is not a usable email address");
    senders.set(from, m);
  }
  return m;
}

/**
 * The whole email for a contact. SMTP and outbox both send exactly this, so a file in the outbox
 * is the email an affiliate would have received.
 */
export function composeMail(
  c: ContactToDeliver,
  config: DeliveryConfig,
  date: Date = new Date(),
): MimeMail {
  const messageId = messageIdFor(c.contactId, config.messageIdDomain);
  // A reader-supplied address that is not a plain address is not offered as a reply path.
  const readerEmail = c.message.evidence.emailAddress;
  const readerAddress = readerEmail ? asciiAddress(readerEmail) : undefined;
  let replyTo: Mailbox | undefined;
  let replyHint: string;
  if (config.relay) {
    replyTo = { address: relayAddress(c.contactId, config.relay.secret, config.relay.domain) };
    replyHint = "reply to this email; the relay passes your answer on to the reader";
  } else if (readerAddress) {
    replyTo = { address: readerAddress };
    replyHint = "reply to this email; it goes straight to the reader's address";
  } else {
    replyHint = `no reply address; contact the reader on ${CHANNEL_LABEL[c.message.channel]}`;
  }
  const subject = subjectFor(c);
  const receipt = buildReceipt(c, replyHint);
  const root =
    c.threadRootId && c.threadRootId !== c.contactId
      ? messageIdFor(c.threadRootId, config.messageIdDomain)
      : undefined;
  const d = c.decision;
  return {
    from: senderMailbox(config.from),
    to: { name: c.affiliate.name, address: c.affiliate.inbox },
    ...(replyTo ? { replyTo } : {}),
    subject,
    messageId,
    ...(root ? { inReplyTo: root, references: [root] } : {}),
    date,
    text: renderText(receipt),
    html: renderHtml(receipt, subject),
    headers: {
      "X-Contact-Router-Ref": relayRef(c.contactId),
      "X-Contact-Router-Affiliate": c.affiliate.id,
      "X-Contact-Router-Channel": c.message.channel,
      "X-Contact-Router-Step": d.step === "rule" ? `rule ${d.rule ?? "?"}` : d.step,
      "X-Contact-Router-Needs-Translation": d.needs_translation ? "yes" : "no",
    },
  };
}

/** Reads a stream to its end. */
async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * The message as the outbox stores it: LF line ends (a Unix `.eml`), DKIM-signed when a signer is
 * given. The signature is made over the canonical CRLF form, as SMTP would carry it, so it still
 * verifies once a reader restores CRLF.
 */
export async function buildOutboxMessage(mail: MimeMail, dkim?: DKIM): Promise<Buffer> {
  const crlf = buildMime(mail);
  const signed = dkim ? await collect(dkim.sign(crlf)) : crlf;
  // The message is 7-bit (quoted-printable, encoded words), so latin1 is byte-exact.
  return Buffer.from(signed.toString("latin1").replace(/\r\n/g, "\n"), "latin1");
}
