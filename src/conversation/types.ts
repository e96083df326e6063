import type { Channel } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";

/**
 * The conversation record: everything the router keeps about one conversation between a reader
 * and an affiliate. Stored sealed (AES-256-GCM) as one value; see docs/conversations.md.
 */

/**
 * `open`: waiting for the affiliate; `answered`: the affiliate has answered and the reader has not
 * written since; `closed`: ended by `#close` (the reader's next message starts a new one).
 * `asking`: the bot asked the reader where they are and holds their first message (see `ask`);
 * `escalated`: handed to the escalation affiliate after a reminder went unanswered.
 */
export type ConversationStatus = "open" | "answered" | "closed" | "asking" | "escalated";

/** Statuses in which a reader's next message continues the conversation. */
export const CONTINUING: ReadonlySet<ConversationStatus> = new Set([
  "open",
  "answered",
  "asking",
  "escalated",
]);

/** A reader's message in the history. */
export interface ReaderEntry {
  kind: "reader";
  /** The contact id of the message (`c<hash>`), also the forward's Message-ID seed. */
  id: string;
  at: string;
  channel: Channel;
  text: string;
  subject?: string;
  /** Names of attachments the reader sent (never their content). */
  attachments?: string[];
}

/** An affiliate's answer, as relayed to the reader. */
export interface AnswerEntry {
  kind: "answer";
  /** The reply's id (hash of its Message-ID). */
  id: string;
  at: string;
  affiliate: string;
  text: string;
}

/** An internal note (`#note`): never sent to the reader. */
export interface NoteEntry {
  kind: "note";
  id: string;
  at: string;
  affiliate: string;
  /** The address the note came from. */
  by: string;
  text: string;
}

/** Something that happened to the conversation. */
export interface EventEntry {
  kind: "event";
  id: string;
  at: string;
  event: "reroute" | "close" | "unreachable" | "reopen" | "escalate" | "remind" | "ask";
  /** The affiliate the event concerns (for a reroute: the new one). */
  affiliate?: string;
  /** For a reroute: the affiliate it came from. */
  from?: string;
  /** Who did it (an address), when a person did. */
  by?: string;
  /** Why, in the words of who did it, or a code. */
  detail?: string;
}

export type HistoryEntry = ReaderEntry | AnswerEntry | NoteEntry | EventEntry;

/** The evidence and decision of one routed reader message, kept so edited rules can be replayed. */
export interface DecisionRecord {
  /** The contact id of the message. */
  contactId: string;
  at: string;
  evidence: Evidence;
  decision: Decision;
  /** The affiliate the message actually went to (the conversation's, for a follow-up). */
  deliveredTo: string;
}

/** One generation of reply tokens: issued to one affiliate, revoked by the next reroute. */
export interface TokenGeneration {
  generation: number;
  affiliate: string;
  issuedAt: string;
  revokedAt?: string;
}

/** Where and how the reader is answered. */
export interface ReaderRef {
  /** Channel of the reader's newest message. */
  channel: Channel;
  /** The identity the conversation is found by (`telegram:<chat>`, `email:<address>` …); null: none. */
  identity: string | null;
  /** Where answers go (prefixed id); null: the reader cannot be answered (web form, no address). */
  replyTo: string | null;
  /** The reader's newest message (prefixed platform id), which an answer replies to. */
  lastMessageId: string;
  /** The reader's language (ISO 639-1), for the frames around answers; null: English. */
  language: string | null;
  /** Set when the platform refused to deliver to the reader for good (blocked bot, DMs closed). */
  unreachable?: { at: string; channel: Channel; code: string };
}

/** What the first forward's subject was built from, so every later email carries the same one. */
export interface Opening {
  channel: Channel;
  country: string | null;
  language: string | null;
  /** The first words of the first message. */
  words: string;
}

/** One answer the bot offered to "where are you writing from?". */
export interface AskChoice {
  /** `loc:<country>`, `loc:other` or `loc:decline` (the button's data). */
  data: string;
  /** What the reader saw, in their language. */
  label: string;
  /** Other whole answers that mean it (the country's code and names), for text replies. */
  aliases?: string[];
}

/** How a clarifying question ended. */
export interface AskOutcome {
  /**
   * `answer`: the reader named a place; `decline`: "I'd rather not say"; `timeout`: no answer in
   * time; `next-message`: the reader wrote something else, which is forwarded as a follow-up
   * (its own place, if it names one, routes the held message).
   */
  how: "answer" | "decline" | "timeout" | "next-message";
  at: string;
  /** The contact id of the message that settled it, or `timeout`. */
  by: string;
  /** The country the held message was routed on, when the reader gave one. */
  country?: string;
}

/**
 * The clarifying question (`ask_location`): the contact held while the bot asks the reader where
 * they are, and what became of it. Kept with the conversation, so a restart loses nothing.
 */
export interface AskState {
  /** The held message's contact id (the conversation's opening message). */
  contactId: string;
  /** Its job hash and intake time: releasing it makes the jobs its route stage would have made. */
  h: string;
  t: number;
  /** The held message in full. */
  message: InboundMessage;
  /** The language the question was asked in. */
  language: string;
  askedAt: string;
  /** When it is routed by the default step if the reader has not answered. */
  deadline: string;
  choices: AskChoice[];
  /** The reader chose "another country" and was asked to write it. */
  other?: boolean;
  outcome?: AskOutcome;
  /** The question's message (prefixed platform id) once sent: its buttons are closed when settled. */
  question?: string;
}

/** One conversation. */
export interface Conversation {
  schema: 1;
  /** 16 lower-case base32 characters (80 random bits); carried in relay tokens. */
  id: string;
  /** Short human reference, e.g. `C-7KQ2M`. */
  ref: string;
  /** The contact id of the message that opened it. */
  openedBy: string;
  status: ConversationStatus;
  /** Current affiliate id. */
  affiliate: string;
  /** Current token generation; `tokens` lists every one. */
  generation: number;
  tokens: TokenGeneration[];
  reader: ReaderRef;
  opening: Opening;
  /** Seeds of the Message-IDs of the forwards sent so far, oldest first (bounded). */
  forwards: string[];
  /** Messages, answers, notes and events, oldest first (bounded: see `dropped`). */
  history: HistoryEntry[];
  /** How many history entries were dropped to keep the record bounded. */
  dropped: number;
  /** Evidence and decision of every routed reader message, oldest first (bounded likewise). */
  decisions: DecisionRecord[];
  /** The reader's newest message in full, so a reroute can hand it over as a forward. */
  lastReaderMessage: InboundMessage;
  createdAt: string;
  lastMessageAt: string;
  firstAnswerAt?: string;
  lastAnswerAt?: string;
  lastAckAt?: string;
  /** The contact id of the message the last acknowledgement answered. */
  lastAckFor?: string;
  closedAt?: string;
  /** The clarifying question, when one was asked (at most once per conversation). */
  ask?: AskState;
}

/** What an admin list shows without opening the sealed record: ids, codes and times only. */
export interface ConversationSummary {
  id: string;
  ref: string;
  status: ConversationStatus;
  affiliate: string;
  channel: Channel;
  createdAt: string;
  lastMessageAt: string;
  firstAnswerAt?: string;
  lastAckAt?: string;
  /** When the conversation is erased by the retention rule. */
  expiresAt: string;
}
