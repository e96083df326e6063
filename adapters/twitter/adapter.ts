import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { z } from "zod";
import { AdapterError, InvalidPayloadError, RateLimitError } from "../../src/errors.js";
import { decodeId } from "../../src/message/ids.js";
import type { AdapterContext, AdapterHealth, ChannelAdapter, OutboundText } from "../types.js";
import { createTwitterClient, httpStatus, rateLimitWaitMs, type TwitterClient } from "./client.js";
import type { TwitterConfig } from "./config.js";
import { normalizeTwitter, payloadAuthorId } from "./normalize.js";
import { fetchDmEvents, fetchMentions, type StreamItem, type StreamName } from "./poller.js";

/** X's limits on one outbound text: a DM holds 10,000 characters, a reply tweet 280. */
const DM_MAX_CHARS = 10_000;
const TWEET_MAX_CHARS = 280;
const SEND_ATTEMPTS = 3;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * X answers a DM post with `{"data": {"dm_event_id", "dm_conversation_id"}}`; twitter-api-v2 1.29
 * types it without the `data` wrapper and returns the body as is, so both shapes are read.
 */
const DmPostResultSchema = z.union([
  z.object({ data: z.object({ dm_event_id: z.string() }) }).transform((r) => r.data.dm_event_id),
  z.object({ dm_event_id: z.string() }).transform((r) => r.dm_event_id),
]);

function dmEventId(res: unknown): string {
  const parsed = DmPostResultSchema.safeParse(res);
  return parsed.success ? parsed.data : "unknown";
}

/** Cursor-store key of a stream's high-water mark (the newest id taken in). */
export function cursorKey(stream: StreamName): string {
  return `twitter:${stream}:high-water`;
}

/**
 * Twitter/X: polls DM events and mentions, pages down to each stream's high-water mark, submits
 * oldest-first and advances the mark only after the intake resolved. A 429 is waited out until
 * `x-rate-limit-reset` and shown in health; any other failure retries with exponential backoff.
 */
export class TwitterAdapter implements ChannelAdapter {
  readonly channel = "twitter" as const;
  private client: TwitterClient | undefined;
  private ctx: AdapterContext | undefined;
  private log: Logger | undefined;
  private userId: string | undefined;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private sendChain: Promise<unknown> = Promise.resolve();
  private state: AdapterHealth = { state: "stopped" };

  constructor(private readonly config: TwitterConfig) {
    this.userId = config.userId;
  }

  start(ctx: AdapterContext): Promise<void> {
    if (this.loop) return Promise.resolve();
    this.ctx = ctx;
    this.log = ctx.logger.child({ adapter: "twitter" });
    this.abort = new AbortController();
    this.client = createTwitterClient(
      this.config.auth,
      this.config.apiBase,
      this.config.requestTimeoutMs,
    );
    this.state = { state: "starting" };
    // Failures never escape: the loop reports them in health() and retries.
    this.loop = this.run(this.abort.signal);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const loop = this.loop;
    this.loop = undefined;
    // Destroying the sockets fails a call in flight at once (even to a hung server); the loop
    // checks the signal before acting on anything it got back.
    this.client?.agent.destroy();
    await loop;
    this.state = { ...this.state, state: "stopped", detail: "stopped" };
  }

  health(): AdapterHealth {
    return { ...this.state };
  }

  private setHealth(state: AdapterHealth["state"], detail?: string): void {
    this.state = {
      state,
      ...(detail ? { detail } : {}),
      ...(this.state.lastInboundAt ? { lastInboundAt: this.state.lastInboundAt } : {}),
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let delay = this.config.pollIntervalMs;
      try {
        await this.pollOnce(signal);
        failures = 0;
        this.setHealth("running");
      } catch (err) {
        const wait = rateLimitWaitMs(err);
        if (wait !== undefined) {
          const until = new Date(Date.now() + wait).toISOString();
          this.log?.warn({ waitMs: wait, until }, "twitter: rate limited (429), waiting for reset");
          this.setHealth("retrying", `rate limited (429) until ${until}`);
          delay = wait;
        } else {
          failures += 1;
          delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1));
          const status = httpStatus(err);
          const what = status ? `HTTP ${status}` : err instanceof Error ? err.name : "error";
          this.log?.warn({ err, status, failures, retryInMs: delay }, "twitter: poll failed");
          this.setHealth("retrying", `${what}; retry ${failures} in ${delay} ms`);
        }
      }
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return; // aborted by stop()
      }
    }
  }

  /** One round: who am I, then each stream. Throws to let run() choose the wait. */
  private async pollOnce(signal: AbortSignal): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.userId === undefined) {
      const me = await client.v2.me();
      this.userId = me.data.id;
      this.log?.info({ userId: this.userId }, "twitter: authenticated");
    }
    const userId = this.userId;
    const dms = await this.highWater("dm_events");
    const dmBatch = await fetchDmEvents(client.v2, dms, this.config.pageSize);
    await this.takeIn("dm_events", dmBatch, signal);
    if (!this.config.mentions || signal.aborted) return;
    const mentions = await this.highWater("mentions");
    const mentionBatch = await fetchMentions(client.v2, userId, mentions, this.config.pageSize);
    await this.takeIn("mentions", mentionBatch, signal);
  }

  private highWater(stream: StreamName): Promise<string | null> {
    if (!this.ctx) throw new Error("twitter adapter not started");
    return this.ctx.cursors.get(cursorKey(stream));
  }

  /** Submits (or quarantines) each item oldest-first, advancing the cursor after each. */
  private async takeIn(
    stream: StreamName,
    batch: { items: StreamItem[]; truncated: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    if (batch.truncated) {
      this.log?.warn(
        { stream },
        "twitter: backlog deeper than the page limit; oldest part skipped",
      );
    }
    for (const item of batch.items) {
      if (signal.aborted) return;
      const ref = `twitter:${stream === "dm_events" ? "dm" : "tweet"}:${item.id}`;
      if (payloadAuthorId(item.payload) === this.userId) {
        // The bot's own DM or tweet: never routed, just stepped over.
        this.log?.debug({ ref }, "twitter: skipping own message");
      } else {
        let message;
        try {
          message = normalizeTwitter(item.payload);
        } catch (err) {
          if (!(err instanceof InvalidPayloadError)) throw err;
          await ctx.intake.quarantine(ref, err.message, item.payload);
          this.log?.warn({ ref, code: err.code }, "twitter: payload quarantined");
        }
        if (message) {
          const result = await ctx.intake.submit(message);
          this.log?.info(
            { id: message.id, duplicate: result.duplicate },
            "twitter: message taken in",
          );
          this.state.lastInboundAt = new Date().toISOString();
        }
      }
      await ctx.cursors.set(cursorKey(stream), item.id);
    }
  }

  /**
   * Sends one text: `twitter:dm:<conversation>` and `twitter:user:<id>` as a DM, `twitter:tweet:<id>`
   * as a reply tweet. Sends are serialised so they arrive in order. A 429 is waited out up to
   * `sendMaxWaitMs` (then `RateLimitError`). X has no idempotency key for DMs, so a resend after
   * a lost response may duplicate; that is the platform's limit.
   */
  send(message: OutboundText): Promise<{ platformMessageId: string }> {
    const result = this.sendChain.then(() => this.sendNow(message));
    this.sendChain = result.catch(() => undefined);
    return result;
  }

  private async sendNow(message: OutboundText): Promise<{ platformMessageId: string }> {
    const client = this.client;
    if (!client) throw new AdapterError("twitter", "ADAPTER_NETWORK", "send() before start()");
    let target;
    try {
      target = decodeId(message.to);
    } catch {
      throw new InvalidPayloadError("twitter: send target is not a platform id");
    }
    const [kind = "", id = ""] = target.rest.split(/:(.*)/s);
    if (target.channel !== "twitter" || !["dm", "user", "tweet"].includes(kind) || !id) {
      throw new InvalidPayloadError(`twitter: cannot send to a "${target.channel}" target`);
    }
    const max = kind === "tweet" ? TWEET_MAX_CHARS : DM_MAX_CHARS;
    if ([...message.text].length > max) {
      throw new InvalidPayloadError(
        `twitter: text longer than ${max} characters`,
        "MESSAGE_TOO_LARGE",
      );
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (kind === "tweet") {
          const res = await client.v2.reply(message.text, id);
          return { platformMessageId: `twitter:tweet:${res.data.id}` };
        }
        const res: unknown =
          kind === "dm"
            ? await client.v2.sendDmInConversation(id, { text: message.text })
            : await client.v2.sendDmToParticipant(id, { text: message.text });
        return { platformMessageId: `twitter:dm:${dmEventId(res)}` };
      } catch (err) {
        const wait = rateLimitWaitMs(err);
        if (wait !== undefined) {
          if (wait > this.config.sendMaxWaitMs || attempt >= SEND_ATTEMPTS) {
            throw new RateLimitError("twitter: send rate limited", wait, { cause: err });
          }
          this.log?.warn({ waitMs: wait, attempt }, "twitter: send rate limited (429), waiting");
          await sleep(wait);
          continue;
        }
        const status = httpStatus(err);
        const retryable = status === undefined || status >= 500;
        throw new AdapterError(
          "twitter",
          status === 401 ? "ADAPTER_AUTH" : retryable ? "ADAPTER_NETWORK" : "DELIVERY_PERMANENT",
          `send failed (${status ? `HTTP ${status}` : "network"})`,
          { retryable, cause: err },
        );
      }
    }
  }
}
