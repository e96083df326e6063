import { createHash } from "node:crypto";
import type DKIM from "nodemailer/lib/dkim";
import { RouterError } from "../errors.js";
import { CHANNEL_LABEL, type Channel } from "../message/channel.js";
import { relayAddress } from "../relay/token.js";
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

/** A conversation's subject: `[C-7KQ2M] Telegram · AT · de — first words…`. */
export function conversationSubject(
  ref: string | null,
  o: { channel: Channel; country: string | null; language: string | null; words: string },
): string {
  const head = `${ref ? `[${ref}]` : "[contact]"} ${CHANNEL_LABEL[o.channel]} · ${o.country ?? "??"} · ${o.language ?? "??"}`;
  return o.words ? `${head} — ${o.words}` : head;
}

/** The subject of a contact's email; a follow-up's is its conversation's with `Re: `. */
export function subjectFor(c: ContactToDeliver): string {
  const conv = c.conversation;
  const subject = conversationSubject(
    conv?.ref ?? null,
    conv?.opening ?? {
      channel: c.message.channel,
      country: c.decision.country,
      language: c.decision.language,
      words: firstWords(c.message.text || c.message.subject || ""),
    },
  );
  return conv?.followUp && !conv.handover ? `Re: ${subject}` : subject;
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

const rowsText = (xs: { label: string; value: string }[], colon: string) => {
  const width = Math.min(26, Math.max(...xs.map((x) => x.label.length)) + colon.length + 1);
  return xs.map((x) => `  ${`${x.label}${colon}`.padEnd(width)}${x.value}`).join("\n");
};

function renderText(r: Receipt): string {
  const out: string[] = [];
  if (r.marker) out.push(r.marker, "");
  out.push(r.heading, "");
  out.push(...r.reply.flatMap((p) => [p, ""]));
  if (r.commandsTitle) {
    const width = Math.max(...r.commands.map((c) => c.label.length)) + 3;
    out.push(r.commandsTitle, ...r.commands.map((c) => `  ${c.label.padEnd(width)}${c.value}`), "");
  }
  out.push(rowsText(r.contact, r.colon), "", r.messageStart, r.text, r.messageEnd, "");
  if (r.history.length > 0) {
    out.push(`${r.historyTitle}${r.colon}`);
    if (r.historyNote) out.push(r.historyNote);
    for (const h of r.history) out.push("", `[${h.when}] ${h.who}:`, h.text);
    out.push("");
  }
  out.push(r.whyTitle, rowsText(r.decision, r.colon), "");
  out.push(r.techTitle, ...r.technical.map((x) => `  - ${x}`), `  ${r.reasonsTitle}`);
  out.push(...r.reasons.map((x) => `    - ${x}`), "");
  return out.join("\n");
}

function renderHtml(r: Receipt, subject: string): string {
  const rows = (xs: { label: string; value: string }[]) =>
    xs
      .map(
        (x) =>
          `<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0">${escapeHtml(x.label)}</th><td>${escapeHtml(x.value)}</td></tr>`,
      )
      .join("\n");
  const quote = (text: string) =>
    `<div dir="auto" style="white-space:pre-wrap;border-left:3px solid #999;padding:8px 12px;margin:12px 0">${escapeHtml(text)}</div>`;
  const parts = [
    "<!doctype html>",
    `<html lang="${escapeHtml(r.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
  ];
  parts.push('<body style="font-family:sans-serif;line-height:1.4">');
  if (r.marker) parts.push(`<p style="color:#777">${escapeHtml(r.marker)}</p>`);
  parts.push(`<h2>${escapeHtml(r.heading)}</h2>`);
  parts.push(...r.reply.map((p) => `<p>${escapeHtml(p)}</p>`));
  if (r.commandsTitle)
    parts.push(
      `<p><strong>${escapeHtml(r.commandsTitle)}</strong></p>`,
      `<table>${rows(r.commands)}</table>`,
    );
  parts.push(`<table>${rows(r.contact)}</table>`, quote(r.text));
  if (r.history.length > 0) {
    parts.push(`<h3>${escapeHtml(r.historyTitle)}</h3>`);
    if (r.historyNote) parts.push(`<p>${escapeHtml(r.historyNote)}</p>`);
    for (const h of r.history)
      parts.push(
        `<p><strong>${escapeHtml(h.who)}</strong>, ${escapeHtml(h.when)}</p>`,
        quote(h.text),
      );
  }
  parts.push(`<h3>${escapeHtml(r.whyTitle)}</h3>`, `<table>${rows(r.decision)}</table>`);
  // Folded: most volunteers never need it.
  parts.push(
    `<details><summary>${escapeHtml(r.techTitle)}</summary>`,
    `<ul>${r.technical.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>`,
    `<p>${escapeHtml(r.reasonsTitle)}</p>`,
    `<ul>${r.reasons.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>`,
    "</details>",
  );
  parts.push("</body></html>", "");
  return parts.join("\n");
}

/** The configured sender (`MAIL_FROM`, e.g. `contact-router <router@example.org>`), parsed once. */
const senders = new Map<string, Mailbox>();
export function senderMailbox(from: string): Mailbox {
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
 * is the email an affiliate would have received. A contact in a conversation carries the
 * conversation's reference, its relay Reply-To and its thread.
 */
export function composeMail(
  c: ContactToDeliver,
  config: DeliveryConfig,
  date: Date = new Date(),
): MimeMail {
  const messageId = messageIdFor(c.contactId, config.messageIdDomain);
  const conv = c.conversation;
  // A reader-supplied address that is not a plain address is not offered as a reply path.
  const readerEmail = c.message.evidence.emailAddress;
  const readerAddress = readerEmail ? asciiAddress(readerEmail) : undefined;
  let replyTo: Mailbox | undefined;
  if (conv && config.relay) {
    replyTo = { address: relayAddress(conv.token, config.relay.domain) };
  } else if (readerAddress) {
    replyTo = { address: readerAddress };
  }
  const subject = subjectFor(c);
  const relayed = conv !== undefined && config.relay !== undefined;
  const receipt = buildReceipt(
    c,
    relayed && replyTo ? replyTo.address : null,
    !relayed && replyTo !== undefined,
  );
  const thread = (conv?.earlier ?? []).map((seed) => messageIdFor(seed, config.messageIdDomain));
  const d = c.decision;
  return {
    from: senderMailbox(config.from),
    to: { name: c.affiliate.name, address: c.affiliate.inbox },
    ...(replyTo ? { replyTo } : {}),
    subject,
    messageId,
    ...(thread.length > 0 ? { inReplyTo: thread.at(-1)!, references: thread } : {}),
    date,
    text: renderText(receipt),
    html: renderHtml(receipt, subject),
    headers: {
      ...(conv ? { "X-Contact-Router-Ref": conv.ref } : {}),
      "X-Contact-Router-Affiliate": c.affiliate.id,
      "X-Contact-Router-Channel": c.message.channel,
      "X-Contact-Router-Step": conv?.handover
        ? "reroute"
        : conv?.followUp
          ? "follow-up"
          : d.step === "rule"
            ? `rule ${d.rule ?? "?"}`
            : d.step,
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
