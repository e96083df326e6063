import { CHANNEL_LABEL } from "../message/channel.js";
import { formatKm } from "../routing/names.js";
import type { ContactToDeliver } from "./types.js";

/** One labelled line of the email: what the reader sent, or why it went where it went. */
export interface ReceiptRow {
  label: string;
  value: string;
}

/** The pieces both the text and the HTML part are rendered from, so they never disagree. */
export interface Receipt {
  /** About the reader and their message (channel, handle, attachments…). */
  contact: ReceiptRow[];
  /** The routing decision, readable without knowing the code. */
  decision: ReceiptRow[];
  reasons: string[];
  text: string;
}

const LOCATION_SOURCE: Record<string, string> = {
  answer: "the reader's own answer",
  self_report: "a self-report in the message",
  signature: "the signature of the email",
  profile: "the profile location",
  phone: "the phone number",
  email_tld: "the email address's country domain",
  language_tag: "the region of the platform's language tag",
};

const LANGUAGE_SOURCE: Record<string, string> = {
  text: "detected in the text",
  platform_tag: "the platform's language tag",
};

// distance_km is already rounded to 0.1 km; the same formatter as the decision's reasons.
const km = formatKm;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function step(c: ContactToDeliver): string {
  const d = c.decision;
  switch (d.step) {
    case "rule":
      return `rule "${d.rule ?? "?"}" of routing-rules.yaml`;
    case "nearest":
      return d.distance_km === null
        ? "nearest affiliate"
        : `nearest affiliate, ${km(d.distance_km)} away`;
    case "language":
      return "primary affiliate for the reader's language (no location known)";
    case "default":
      return "default affiliate (neither location nor language known)";
  }
}

/** Builds the receipt of a contact: what was sent, by whom (handle only), and why it came here. */
export function buildReceipt(c: ContactToDeliver, replyHint: string): Receipt {
  const { message: m, decision: d, evidence: ev } = c;
  const from = [m.sender.displayName, m.sender.handle].filter(Boolean).join(" · ");
  const contact: ReceiptRow[] = [
    { label: "Channel", value: CHANNEL_LABEL[m.channel] },
    { label: "From", value: from || m.sender.id },
    { label: "Sent", value: m.sentAt },
    { label: "Reply", value: replyHint },
  ];
  if (m.subject) contact.push({ label: "Subject", value: m.subject });
  if (m.attachments.length > 0) {
    contact.push({
      label: "Attachments",
      value: m.attachments.map((a) => `${a.name} (${size(a.size)}, ${a.contentType})`).join("; "),
    });
  }

  const auth = m.evidence.emailAuth;
  if (auth) {
    // Shown so an affiliate can tell a forged sender from a real one before answering.
    contact.push({
      label: "Sender checks",
      value: `SPF ${auth.spf ?? "none"}, DKIM ${auth.dkim ?? "none"}, DMARC ${auth.dmarc ?? "none"}`,
    });
  }

  const country = d.country
    ? `${d.country}${d.city ? ` (${d.city})` : ""}, from ${LOCATION_SOURCE[d.country_source ?? ""] ?? "unknown source"}${ev.location?.detail ? `: ${ev.location.detail}` : ""}`
    : "unknown";
  const language = d.language
    ? `${d.language}, ${LANGUAGE_SOURCE[d.language_source ?? ""] ?? "unknown source"}${ev.language?.detail ? ` (${ev.language.detail})` : ""}`
    : "unknown";
  const runnerUp = d.runner_up
    ? `${d.runner_up.affiliate}${d.runner_up.distance_km === null ? "" : `, ${km(d.runner_up.distance_km)}`}: ${d.runner_up.why}`
    : "none";

  const decision: ReceiptRow[] = [
    { label: "Affiliate", value: `${c.affiliate.name} (${c.affiliate.id})` },
    { label: "Decided by", value: step(c) },
    { label: "Country", value: country },
    { label: "Language", value: language },
    { label: "Confidence", value: d.confidence.toFixed(2) },
    {
      label: "Needs translation",
      value: d.needs_translation ? `yes: ${c.affiliate.id} does not list ${d.language}` : "no",
    },
    { label: "Runner-up", value: runnerUp },
  ];
  return { contact, decision, reasons: d.reasons, text: m.text };
}
