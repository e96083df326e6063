import type { Logger } from "pino";
import type { Intake } from "../src/queue/intake.js";
import type { Channel } from "../src/message/channel.js";

/** Durable key/value store for platform cursors (offset, UID, snowflake, since_id). */
export interface CursorStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** What every adapter is given at start. */
export interface AdapterContext {
  intake: Intake;
  cursors: CursorStore;
  logger: Logger;
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
  start(ctx: AdapterContext): Promise<void>;
  stop(): Promise<void>;
  send(message: OutboundText): Promise<{ platformMessageId: string }>;
  health(): AdapterHealth;
}

/**
 * A factory validates its own configuration (zod) from the environment.
 * Returns null when the channel is not configured (it stays off); throws a
 * CONFIG_INVALID RouterError naming the variable when it is configured wrongly.
 */
export type AdapterFactory = (env: NodeJS.ProcessEnv) => ChannelAdapter | null;
