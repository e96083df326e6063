import type { Logger } from "pino";
import type { Counter } from "prom-client";
import type { Intake } from "../src/queue/intake.js";
import type { Channel } from "../src/message/channel.js";

/** Durable key/value store for platform cursors (offset, UID, snowflake, since_id). */
export interface CursorStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** Counters adapters report to (the process's Prometheus registry, `src/metrics.ts`). */
export interface AdapterMetrics {
  /** A poll found the platform's history ending before the saved cursor: messages never read. */
  historyGaps: Counter<"channel" | "stream">;
}

/** What every adapter is given at start. */
export interface AdapterContext {
  intake: Intake;
  cursors: CursorStore;
  logger: Logger;
  /** Absent where nothing scrapes metrics (CLI, unit tests). */
  metrics?: AdapterMetrics;
}

/**
 * One answer a reader can pick. `data` is the caller's short opaque value (1–64 bytes of UTF-8,
 * unique within one message): it travels as Telegram `callback_data` or Discord `custom_id` and
 * comes back in `InboundMessage.choice.data`. `label` is what the reader sees, already in their
 * language (at most 80 characters).
 */
export interface Choice {
  data: string;
  label: string;
}

/**
 * How an adapter presents choices: `buttons` (Telegram inline keyboard, Discord buttons; a press
 * comes back as an InboundMessage with `choice`), `text` (a numbered list under the text; the
 * reader answers in a message of their own, read with `matchTextChoice`), `none` (cannot ask).
 */
export type ChoiceSupport = "buttons" | "text" | "none";

/** What an adapter can do beyond sending plain text. */
export interface AdapterCapabilities {
  choices: ChoiceSupport;
}

/** One outbound text to a reader (acknowledgement or relayed reply). */
export interface OutboundText {
  /** Prefixed conversation id from `InboundMessage.replyTo`. */
  to: string;
  text: string;
  /** Stable id for idempotent resends (Discord nonce, email Message-ID). */
  idempotencyKey: string;
  /** Prefixed id of the reader's message this answers, when known. */
  inReplyTo?: string;
  /**
   * Answers the reader can pick (at most 25; an empty list is none), shown as the adapter's
   * `capabilities.choices` says.
   * The text must then fit one platform message. In a group chat or the Discord contact channel
   * `inReplyTo` must name the reader's message: only that reader's press is taken.
   */
  choices?: Choice[];
}

/**
 * A question whose choices are closed (answered, timed out, or settled by a message of the
 * reader's own): its buttons are removed or disabled, and a press that still comes (a client
 * showing the old buttons) is answered with `lateText` instead of being taken as an answer.
 */
export interface ClosedQuestion {
  /** Prefixed id of the question message, as `send` returned it (`telegram:<chat>:<msg>`). */
  question: string;
  /** The choices it offered (Discord shows them again, disabled). */
  choices: Choice[];
  /** The choice that counted, if one did (shown as chosen). */
  chosen?: string;
  /** Said to a reader who presses after it closed, in their language (at most 200 characters). */
  lateText: string;
}

export interface AdapterHealth {
  state: "starting" | "running" | "retrying" | "stopped" | "failed";
  detail?: string;
  /** ISO time of the last message taken in. */
  lastInboundAt?: string;
}

/**
 * A channel adapter only translates: platform payloads in (to the intake), text out.
 * It never decides routing.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Absent: plain text only (choices `none`). */
  readonly capabilities?: AdapterCapabilities;
  start(ctx: AdapterContext): Promise<void>;
  stop(): Promise<void>;
  send(message: OutboundText): Promise<{ platformMessageId: string }>;
  /** Closes a question's choices (adapters with `buttons` choices); idempotent. */
  closeChoices?(question: ClosedQuestion): Promise<void>;
  health(): AdapterHealth;
}

/**
 * A factory validates its own configuration (zod) from the environment.
 * Returns null when the channel is not configured (it stays off); throws a
 * CONFIG_INVALID RouterError naming the variable when it is configured wrongly.
 */
export type AdapterFactory = (env: NodeJS.ProcessEnv) => ChannelAdapter | null;
