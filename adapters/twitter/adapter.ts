import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { AdapterError, InvalidPayloadError } from "../../src/errors.js";
import { CHOICE_SUPPORT, checkChoices } from "../choices.js";
import { withTextChoices } from "../text-choices.js";
import type {
  AdapterCapabilities,
  AdapterContext,
  AdapterHealth,
  ChannelAdapter,
  OutboundText,
} from "../types.js";
import { createTwitterClient, httpStatus, rateLimitWaitMs, type TwitterClient } from "./client.js";
import type { TwitterConfig } from "./config.js";
import { normalizeTwitter, payloadAuthorId } from "./normalize.js";
import {
  TimelineWalk,
  fetchDmPage,
  fetchMentionPage,
  type StreamItem,
  type StreamName,
} from "./poller.js";
import { sendText } from "./send.js";

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5 * 60_000;

/** Cursor-store key of a stream's high-water mark (the newest id taken in). */
export function cursorKey(stream: StreamName): string {
  return `twitter:${stream}:high-water`;
}

/**
 * Twitter/X: polls DM events and mentions, pages down to each stream's high-water mark, submits
 * oldest-first and advances the mark only after the intake resolved. A 429 pauses only the stream
 * it hit, until `x-rate-limit-reset`, and shows in health; any other failure retries the round
 * with exponential backoff.
 */
export class TwitterAdapter implements ChannelAdapter {
  readonly channel = "twitter" as const;
  /** X has no buttons in DMs for this API: choices are a numbered list answered in a DM. */
  readonly capabilities: AdapterCapabilities = { choices: CHOICE_SUPPORT.twitter };
  private client: TwitterClient | undefined;
  private ctx: AdapterContext | undefined;
  private log: Logger | undefined;
  private userId: string | undefined;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private sendChain: Promise<unknown> = Promise.resolve();
  private state: AdapterHealth = { state: "stopped" };
  /** Per stream, when its rate-limit window resets (epoch ms). */
  private readonly blockedUntil = new Map<StreamName, number>();
  /** Per stream, a page-down cut by a 429, resumed at its next page after the reset. */
  private readonly walks = new Map<StreamName, TimelineWalk>();

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
        delay = this.afterRound(delay);
      } catch (err) {
        const wait = rateLimitWaitMs(err);
        if (wait !== undefined) {
          // Only /users/me gets here: the streams handle their own 429s.
          delay = wait;
          this.setHealth("retrying", `rate limited (429) on users/me until ${isoIn(wait)}`);
          this.log?.warn({ waitMs: wait }, "twitter: rate limited (429), waiting for reset");
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

  /** Health after a round, and how long to sleep: no longer than until a paused stream may resume. */
  private afterRound(pollIntervalMs: number): number {
    const now = Date.now();
    const paused = [...this.blockedUntil].filter(([, until]) => until > now);
    if (paused.length === 0) {
      this.setHealth("running");
      return pollIntervalMs;
    }
    const detail = paused
      .map(
        ([stream, until]) =>
          `rate limited (429) on ${stream} until ${new Date(until).toISOString()}`,
      )
      .join("; ");
    this.setHealth("retrying", detail);
    return Math.min(pollIntervalMs, ...paused.map(([, until]) => until - now));
  }

  /** One round: who am I, then each stream not paused by a 429. Other errors propagate. */
  private async pollOnce(signal: AbortSignal): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.userId === undefined) {
      const me = await client.v2.me();
      this.userId = me.data.id;
      this.log?.info({ userId: this.userId }, "twitter: authenticated");
    }
    const userId = this.userId;
    const streams: StreamName[] = this.config.mentions ? ["dm_events", "mentions"] : ["dm_events"];
    for (const stream of streams) {
      if (signal.aborted) return;
      if ((this.blockedUntil.get(stream) ?? 0) > Date.now()) continue;
      const highWater = await this.highWater(stream);
      let walk = this.walks.get(stream);
      if (walk?.highWater !== highWater) walk = new TimelineWalk(highWater);
      try {
        while (!walk.finished) {
          const page =
            stream === "dm_events"
              ? await fetchDmPage(client.v2, this.config.pageSize, walk.nextToken)
              : await fetchMentionPage(
                  client.v2,
                  userId,
                  highWater,
                  this.config.pageSize,
                  walk.nextToken,
                );
          if (signal.aborted) return;
          walk.absorb(page);
          // First start told not to route history: the newest item marks "now"; one page does.
          if (highWater === null && this.config.startFrom === "now") walk.finished = true;
        }
      } catch (err) {
        const wait = rateLimitWaitMs(err);
        if (wait === undefined) {
          this.walks.delete(stream);
          throw err;
        }
        this.blockedUntil.set(stream, Date.now() + wait);
        // Keep the pages read so far: the walk goes on from the next page after the reset.
        if (walk.pages > 0) this.walks.set(stream, walk);
        this.log?.warn(
          { stream, waitMs: wait, pagesRead: walk.pages },
          "twitter: rate limited (429), stream paused",
        );
        continue;
      }
      this.walks.delete(stream);
      this.blockedUntil.delete(stream);
      const items = walk.items();
      if (walk.historyGap(stream)) this.reportHistoryGap(stream, walk, items);
      await this.takeIn(stream, items, highWater, signal);
    }
  }

  /**
   * X lists DMs of the last 30 days only: when the list ends before the saved cursor, the DMs
   * between the two were never read and cannot be. Said loudly (error log with the counts, a
   * metric, health detail), never silently; what is still listed is taken in.
   */
  private reportHistoryGap(stream: StreamName, walk: TimelineWalk, items: StreamItem[]): void {
    const oldestListed = items.find((i) => i.id !== "")?.id;
    this.log?.error(
      {
        stream,
        savedCursor: walk.highWater,
        oldestListed,
        taken: items.length,
        pagesRead: walk.pages,
      },
      "twitter: the platform's history ends before the saved cursor; messages older than the oldest listed were never read and are no longer listed",
    );
    this.ctx?.metrics?.historyGaps.inc({ channel: "twitter", stream });
  }

  private highWater(stream: StreamName): Promise<string | null> {
    if (!this.ctx) throw new Error("twitter adapter not started");
    return this.ctx.cursors.get(cursorKey(stream));
  }

  /** Submits (or quarantines) each item oldest-first, advancing the cursor after each. */
  private async takeIn(
    stream: StreamName,
    items: StreamItem[],
    highWater: string | null,
    signal: AbortSignal,
  ): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    const newest = items.findLast((i) => i.id !== "");
    if (highWater === null && this.config.startFrom === "now") {
      // First start told not to route history: only mark where "now" is.
      if (newest) await ctx.cursors.set(cursorKey(stream), newest.id);
      this.log?.info({ stream, skipped: items.length }, "twitter: history skipped");
      return;
    }
    for (const item of items) {
      if (signal.aborted) return;
      const ref = `twitter:${stream === "dm_events" ? "dm" : "tweet"}:${item.id || "no-id"}`;
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
          this.log?.info({ id: message.id, duplicate: result.duplicate }, "twitter: taken in");
          this.state.lastInboundAt = new Date().toISOString();
        }
      }
      if (item.id !== "") await ctx.cursors.set(cursorKey(stream), item.id);
    }
  }

  /**
   * Sends one text (see `sendText`): a DM into the conversation, a DM to a user, or a reply tweet.
   * Choices are listed, numbered, under the text (`renderTextChoices`). Sends are serialised so
   * they arrive in order. X has no idempotency key for DMs, so a resend after a lost response may
   * duplicate; that is the platform's limit.
   */
  send(message: OutboundText): Promise<{ platformMessageId: string }> {
    const client = this.client;
    if (!client) {
      return Promise.reject(
        new AdapterError("twitter", "ADAPTER_NETWORK", "send() before start()"),
      );
    }
    const opts = { maxWaitMs: this.config.sendMaxWaitMs, signal: this.abort.signal, log: this.log };
    const result = this.sendChain.then(() => {
      if (message.choices?.length) checkChoices(message.choices);
      return sendText(client.v2, withTextChoices(message), opts);
    });
    this.sendChain = result.catch(() => undefined);
    return result;
  }
}

function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
