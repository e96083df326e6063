import type { Channel } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";
import type { MimeMail } from "./mime.js";

/** One line of a conversation's history as a forward shows it (a subset of the stored entry). */
export interface ForwardHistoryEntry {
  kind: "reader" | "answer" | "note" | "event";
  at: string;
  text?: string;
  /** Who answered or wrote the note; for a reroute, the new affiliate. */
  affiliate?: string;
  event?: string;
  from?: string;
  by?: string;
  detail?: string;
}

/** What a forward says about its conversation: reference, reply path, thread and history. */
export interface ForwardContext {
  /** Conversation id. */
  id: string;
  /** `C-7KQ2M`: in the subject and the body. */
  ref: string;
  /** The relay token for this affiliate and generation: `Reply-To: relay+<token>@<relay domain>`. */
  token: string;
  /** A reader's follow-up in an existing conversation (not routed afresh). */
  followUp: boolean;
  /** Message-ID seeds of the conversation's earlier forwards, oldest first (References). */
  earlier: string[];
  /** The last few entries before this message, oldest first. */
  history: ForwardHistoryEntry[];
  /** How many older entries the history leaves out. */
  earlierCount: number;
  /** What the first forward's subject was made of, so every email has the same subject. */
  opening: { channel: Channel; country: string | null; language: string | null; words: string };
  /** False when the reader cannot be answered at all (web form without an address). */
  canAnswer: boolean;
  /** Set on the reader's channel when the platform refused delivery for good. */
  unreachable?: { channel: Channel; code: string };
  /** A conversation handed over by `#reroute`: from which affiliate, by whom, why. */
  handover?: { from: { id: string; name: string }; by: string; reason: string };
}

/** The affiliate a forward is for. */
export interface ForwardAffiliate {
  id: string;
  name: string;
  inbox: string;
  languages?: string[];
  /** IANA time zone, e.g. Europe/Berlin. */
  timezone?: string;
}

/** One routed contact, ready to be emailed to its affiliate. */
export interface ContactToDeliver {
  /** Stable, derived from the message id; the email Message-ID is built from it. */
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  /**
   * Whom it goes to. `languages` and `timezone` (from routing-rules.yaml) set the language and
   * time zone the forward is written in; without them it is English and UTC.
   */
  affiliate: ForwardAffiliate;
  /** When the decision says `needs_translation`: the affiliates that list the reader's language. */
  translators?: { id: string; name: string }[];
  /** The ids a `#reroute` may name (the current affiliates), shown with the command. */
  affiliateIds?: string[];
  /** The conversation this contact belongs to; absent for contacts routed without one. */
  conversation?: ForwardContext;
}

/** What a successful send produced. */
export interface DeliveryResult {
  /** The email's Message-ID header, angle brackets included. */
  messageId: string;
  transport: "smtp" | "outbox";
}

/**
 * Sends contacts to affiliate inboxes. `send` throws RouterError `DELIVERY_TRANSIENT` (retry),
 * or `DELIVERY_PERMANENT` (dead-letter with the reason). Send limits are the deliver stage's.
 */
export interface Delivery {
  send(c: ContactToDeliver): Promise<DeliveryResult>;
  /**
   * Sends any other email through the same transport (SMTP or the outbox): answers to web-form
   * readers, confirmations and notices to affiliates. `key` names the send: the outbox file is
   * derived from it, so a resend overwrites; `label` says whom it is for in logs. Same errors.
   */
  sendMail(mail: MimeMail, key: string, label: string): Promise<DeliveryResult>;
  /** Closes pooled connections; pending sends finish first. */
  close(): Promise<void>;
}
