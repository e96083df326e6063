import type { Choice, ClosedQuestion, OutboundText } from "../../adapters/types.js";
import type { ForwardContext } from "../delivery/types.js";
import type { Channel } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";

/** The roles a process can take: `ingest` (web, adapters, acks), `route`, `deliver`. */
export type Role = "ingest" | "route" | "deliver";
export const ROLES: readonly Role[] = ["ingest", "route", "deliver"];

/** What the route worker needs about an affiliate. */
export interface AffiliateRef {
  id: string;
  name: string;
  inbox: string;
  /** Languages and time zone from the rules: the forward is written in them. */
  languages?: readonly string[];
  timezone?: string | undefined;
}

/** The routing engine as the route worker calls it (the lead's `routeMessage` with the current rules). */
export type RouteFn = (message: InboundMessage) => { evidence: Evidence; decision: Decision };

/**
 * Sends a reader acknowledgement on its channel. The lead maps it onto the configured adapters'
 * `send()`. Throw a non-retryable RouterError when the channel cannot answer at all.
 */
export interface Sender {
  send(channel: Channel, message: OutboundText): Promise<{ platformMessageId: string }>;
  /** Closes a question's buttons through the channel's adapter (nothing where it has none). */
  closeChoices?(channel: Channel, question: ClosedQuestion): Promise<void>;
}

/** The acknowledgement text in the reader's language, naming the affiliate (D's i18n). */
export type AckTextFn = (language: string, affiliateName: string) => string;

/** Payload of an `outbound` job. */
export interface AckJob {
  channel: Channel;
  message: OutboundText;
  /** For the clarifying question: its conversation, told the question's message id once sent. */
  question?: string;
}

/** Payload of an `outbound` job that closes a question's buttons (job `outbound-close-<conv>`). */
export interface CloseJob {
  channel: Channel;
  close: ClosedQuestion;
}

/** A question to close, as the conversation step hands it to the route stage. */
export interface QuestionClose {
  conversationId: string;
  channel: Channel;
  close: ClosedQuestion;
}

/**
 * The question of `conversationId` was sent as `platformMessageId`: recorded in the conversation.
 * Returns what to close when the question was settled meanwhile (else null).
 */
export type QuestionSentFn = (
  conversationId: string,
  platformMessageId: string,
) => Promise<QuestionClose | null>;

/** What the route stage's conversation step is given about one routed message. */
export interface StepInput {
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  /** When the message was taken in (ISO); stable across retries of the job. */
  at: string;
  /** The message's job hash and intake time, so a held message can be handed on later as itself. */
  h: string;
  t: number;
  /** The router: re-decides a held message on the reader's answer. */
  route: RouteFn;
}

/**
 * A held message let go (the reader answered the clarifying question, or its time ran out): the
 * route stage hands it on exactly as it would have at first, with the same job ids.
 */
export interface HeldRelease {
  h: string;
  t: number;
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  affiliate: string;
  forward: ForwardContext;
  /** The reader's language for the acknowledgement. */
  language: string | null;
  /** The question's buttons to close, when its message is known. */
  close?: QuestionClose;
}

/**
 * What the conversation step decided for a message:
 * - `forward`: forward it to `affiliate` (a new conversation or a follow-up), acknowledged or not;
 * - `ask`: hold it and ask the reader where they are (`text` with `choices`), until `timeoutAt`
 *   (ms since epoch) at the latest;
 * - `answer`: it answered (or pressed a button of) the bot's question: never forwarded; `prompt`
 *   is a text to send back (after "another country").
 * `release`, when set, is a held message to hand on first.
 */
export type StepOutcome =
  | {
      kind: "forward";
      affiliate: string;
      forward: ForwardContext;
      ack: boolean;
      release?: HeldRelease;
    }
  | {
      kind: "ask";
      conversationId: string;
      text: string;
      choices: Choice[];
      timeoutAt: number;
      release?: never;
    }
  | { kind: "answer"; release?: HeldRelease; prompt?: string; close?: QuestionClose };

/**
 * The route stage's conversation step (`stickyRoute` of src/conversation): records the routed
 * message in its conversation and says what becomes of it (see `StepOutcome`).
 */
export type ConversationStep = (input: StepInput) => Promise<StepOutcome>;

/** A held message's time to wait for the reader's answer is up: what to hand on (null: nothing). */
export type AskTimeoutFn = (conversationId: string) => Promise<HeldRelease | null>;
