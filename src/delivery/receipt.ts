import { CHANNEL_LABEL } from "../message/channel.js";
import { formatKm } from "../routing/names.js";
import type { ContactToDeliver, ForwardHistoryEntry } from "./types.js";

/**
 * What a forward says, as one data structure: the text and the HTML part are both rendered from
 * it (compose.ts), so they never disagree, and localising the labels later changes one place.
 */

/** One labelled line of the email: what the reader sent, or why it went where it went. */
export interface ReceiptRow {
  label: string;
  value: string;
}

/** One earlier entry of the conversation, as the forward lists it. */
export interface ReceiptHistoryLine {
  when: string;
  who: string;
  text: string;
}

/** The pieces both the text and the HTML part are rendered from. */
export interface Receipt {
  /** The "reply above this line" marker: the relay cuts a reply where it finds it quoted. */
  marker: string | null;
  /** `Conversation C-7KQ2M: …` */
  heading: string | null;
  /** How to answer (or that no answer is possible), one paragraph each. */
  reply: string[];
  /** The commands a reply may start with. */
  commands: ReceiptRow[];
  /** About the reader and their message (channel, handle, attachments…). */
  contact: ReceiptRow[];
  text: string;
  /** Earlier in the conversation (for a handover: all of it), oldest first. */
  history: ReceiptHistoryLine[];
  historyTitle: string;
  /** e.g. "4 earlier entries are not shown." */
  historyNote: string | null;
  /** The routing decision, readable without knowing the code. */
  decision: ReceiptRow[];
  reasons: string[];
}

/**
 * The marker line at the top of every forward. A reply's text is cut where this line appears in
 * the quoted forward (`cutMarkers` of the reply reader), so it must stay one distinctive line.
 */
export const REPLY_MARKER = "## Reply above this line to answer the reader ##";

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

/** The commands a reply can carry, as the forward explains them. */
export const COMMAND_HELP: ReceiptRow[] = [
  {
    label: "#note <text>",
    value: "an internal note for the conversation, never sent to the reader",
  },
  {
    label: "#reroute <id> [why]",
    value: "hand the conversation to another affiliate (by its id in routing-rules.yaml)",
  },
  { label: "#close", value: "end the conversation; the reader's next message starts a new one" },
];

function replyParagraphs(c: ContactToDeliver, relayed: boolean, fallback: string): string[] {
  const conv = c.conversation;
  const channel = CHANNEL_LABEL[conv?.unreachable?.channel ?? c.message.channel];
  if (!conv || !relayed) return [fallback];
  if (!conv.canAnswer) {
    return [
      "No answer is possible: the reader used the web form without leaving an email address.",
      "You can still reply with one of the commands below.",
    ];
  }
  const out: string[] = [];
  if (conv.unreachable) {
    out.push(
      `The reader cannot be reached on ${channel} at the moment (the platform refused delivery: ${conv.unreachable.code}). An answer will be tried again, but may not arrive.`,
    );
  }
  out.push(
    `Reply to this email to answer the reader. Write above the quoted text: only your own words are sent, on ${CHANNEL_LABEL[c.message.channel]}, framed in the reader's language; the quote, your signature and attachments are not.`,
    "Commands go on their own line at the top of a reply; a reply with a command is not sent to the reader.",
  );
  return out;
}

function historyLine(e: ForwardHistoryEntry, affiliateId: string): ReceiptHistoryLine {
  const when = e.at.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
  switch (e.kind) {
    case "reader":
      return { when, who: "Reader", text: e.text ?? "" };
    case "answer":
      return { when, who: `Answer (${e.affiliate ?? affiliateId})`, text: e.text ?? "" };
    case "note":
      return { when, who: `Note (${e.affiliate ?? affiliateId})`, text: e.text ?? "" };
    case "event": {
      const text =
        e.event === "reroute"
          ? `Rerouted from ${e.from ?? "?"} to ${e.affiliate ?? "?"}${e.detail ? `: ${e.detail}` : ""}`
          : e.event === "unreachable"
            ? `The reader could not be reached (${e.detail ?? "refused"})`
            : `${e.event}${e.detail ? `: ${e.detail}` : ""}`;
      return { when, who: "Event", text };
    }
  }
}

/**
 * Builds the receipt of a contact: the reference and how to answer, what was sent and by whom
 * (handle only), the conversation so far, and why it came here. `relayed`: the forward carries
 * a relay Reply-To; otherwise `fallback` says how to answer.
 */
export function buildReceipt(c: ContactToDeliver, relayed: boolean, fallback: string): Receipt {
  const { message: m, decision: d, evidence: ev } = c;
  const conv = c.conversation;
  const from = [m.sender.displayName, m.sender.handle].filter(Boolean).join(" · ");
  const contact: ReceiptRow[] = [
    { label: "Channel", value: CHANNEL_LABEL[m.channel] },
    { label: "From", value: from || m.sender.id },
    { label: "Sent", value: m.sentAt },
  ];
  if (m.subject) contact.push({ label: "Subject", value: m.subject });
  if (m.attachments.length > 0) {
    contact.push({
      label: "Attachments",
      value: `${m.attachments.map((a) => `${a.name} (${size(a.size)}, ${a.contentType})`).join("; ")} (not forwarded)`,
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
  ];
  if (conv?.handover) {
    decision.push({
      label: "Handed over",
      value: `by ${conv.handover.from.name} (${conv.handover.from.id}), ${conv.handover.by}${conv.handover.reason ? `: ${conv.handover.reason}` : ""}`,
    });
  } else if (conv?.followUp) {
    decision.push({
      label: "Decided by",
      value: `follow-up in conversation ${conv.ref}: it stays with its affiliate${d.affiliate === c.affiliate.id ? "" : ` (routed afresh it would have gone to ${d.affiliate})`}`,
    });
  } else {
    decision.push({ label: "Decided by", value: step(c) });
  }
  decision.push(
    { label: "Country", value: country },
    { label: "Language", value: language },
    { label: "Confidence", value: d.confidence.toFixed(2) },
    {
      label: "Needs translation",
      value: d.needs_translation ? `yes: ${c.affiliate.id} does not list ${d.language}` : "no",
    },
    { label: "Runner-up", value: runnerUp },
  );

  let heading: string | null = null;
  if (conv) {
    const what = conv.handover
      ? "handed over to you"
      : conv.followUp
        ? "the reader wrote again"
        : "a new contact";
    heading = `Conversation ${conv.ref}: ${what}`;
  }
  const history = (conv?.history ?? []).map((e) => historyLine(e, c.affiliate.id));
  const hidden = conv?.earlierCount ?? 0;
  return {
    marker: conv && relayed ? REPLY_MARKER : null,
    heading,
    reply: replyParagraphs(c, relayed, fallback),
    commands: conv && relayed ? COMMAND_HELP : [],
    contact,
    text: m.text,
    history,
    historyTitle: conv?.handover
      ? "The conversation so far (oldest first)"
      : "Earlier in this conversation (oldest first)",
    historyNote:
      hidden > 0
        ? `${hidden} earlier ${hidden === 1 ? "entry is" : "entries are"} not shown.`
        : null,
    decision,
    reasons: d.reasons,
  };
}
