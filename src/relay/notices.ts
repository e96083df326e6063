import type { Conversation } from "../conversation/types.js";
import {
  conversationSubject,
  escapeHtml,
  messageIdFor,
  senderMailbox,
} from "../delivery/compose.js";
import type { MimeMail } from "../delivery/mime.js";
import { nt } from "../i18n/notices.js";
import { relayAddress } from "./token.js";

/**
 * The emails the relay writes to affiliates: confirmations of commands, notices (attachments not
 * relayed, reader unreachable, delivery uncertain, escalation) and explanatory bounces, in the
 * affiliate's language (texts in src/i18n/notices.ts). Plain words, the
 * conversation's reference in subject and body, threaded under the affiliate's reply, and marked
 * `Auto-Submitted` so no auto-responder answers them.
 */

/** What every relay email needs from the delivery settings. */
export interface MailSettings {
  /** MAIL_FROM. */
  from: string;
  messageIdDomain: string;
  relayDomain: string;
}

export interface NoticeInput {
  /** Recipient address. */
  to: string;
  /** The conversation, when known (subject, thread, reference). */
  conversation: Conversation | null;
  /** The affiliate's notice language (`noticeLanguage`); English when absent. */
  lang?: string;
  /** The first line: what happened. */
  headline: string;
  /** Paragraphs below it. */
  paragraphs: string[];
  /** The send key: the Message-ID and outbox file derive from it, so a resend is the same email. */
  key: string;
  /** Message-ID (with brackets) of the affiliate's reply this answers. */
  inReplyTo?: string | null;
  /** The relay token to offer as Reply-To (the conversation's current one), if the affiliate may go on. */
  replyToken?: string;
  date?: Date;
}

/** The text of a notice: headline, paragraphs, the reference. */
function body(n: NoticeInput): string {
  const lang = n.lang ?? "en";
  const lines = [n.headline, "", ...n.paragraphs.flatMap((p) => [p, ""])];
  if (n.conversation) lines.push(nt(lang, "footer.ref", { ref: n.conversation.ref }));
  lines.push("", "-- ", nt(lang, "footer.auto"));
  return lines.join("\n");
}

/** One relay email, ready for `Delivery.sendMail`. */
export function noticeMail(settings: MailSettings, n: NoticeInput): MimeMail {
  const c = n.conversation;
  const subject = c
    ? `Re: ${conversationSubject(c.ref, c.opening)}`
    : nt(n.lang ?? "en", "bounce.subject");
  const thread = c ? c.forwards.map((seed) => messageIdFor(seed, settings.messageIdDomain)) : [];
  if (n.inReplyTo) thread.push(n.inReplyTo);
  const text = body(n);
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.4">\n${text
    .split(/\n{2,}/)
    .map((p) => `<p style="white-space:pre-wrap">${escapeHtml(p)}</p>`)
    .join("\n")}\n</body></html>\n`;
  return {
    from: senderMailbox(settings.from),
    to: { address: n.to },
    ...(n.replyToken
      ? { replyTo: { address: relayAddress(n.replyToken, settings.relayDomain) } }
      : {}),
    subject,
    messageId: messageIdFor(n.key, settings.messageIdDomain),
    ...(thread.length > 0 ? { inReplyTo: thread.at(-1)!, references: thread.slice(-20) } : {}),
    date: n.date ?? new Date(),
    headers: {
      "Auto-Submitted": "auto-replied",
      ...(c ? { "X-Contact-Router-Ref": c.ref } : {}),
    },
    text,
    html,
  };
}
