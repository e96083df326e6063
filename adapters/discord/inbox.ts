import { DiscordAPIError, Routes, SnowflakeUtil, type REST } from "discord.js";
import { persist } from "./persist.js";
import type { Logger } from "pino";
import { z } from "zod";
import { InvalidPayloadError, isRetryable } from "../../src/errors.js";
import type { AdapterContext } from "../types.js";
import { isAutomated, normalizeDiscord } from "./normalize.js";
import { errorCode } from "./outbound.js";

/** Cursor-store keys: the list of DM channels we know, and the last message id taken per channel. */
export const KNOWN_DMS_KEY = "discord:dm-channels";
export const lastKey = (channelId: string): string => `discord:last:${channelId}`;

/** The minimum of a message the inbox needs before normalize: where it is and its id. */
const Envelope = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  channel_id: z.string().regex(/^\d{1,20}$/),
  guild_id: z.string().optional(),
  type: z.number().optional(),
  webhook_id: z.string().optional(),
  author: z.object({ bot: z.boolean().optional(), system: z.boolean().optional() }).loose(),
});

/** Message types a reader writes (DEFAULT, REPLY); joins, pins, calls etc. are skipped silently. */
const READER_TYPES = new Set([0, 19]);
const PAGE = 100;

export interface InboxOptions {
  ctx: AdapterContext;
  rest: REST;
  log: Logger;
  contactChannelId?: string;
  /** Aborted on stop(): every wait and retry ends promptly. */
  signal: AbortSignal;
  /** Backoff for intake and cursor-store retries. */
  retryMinMs: number;
  retryMaxMs: number;
  onTaken(): void;
}

/**
 * Takes messages into the intake, one channel at a time and in snowflake order, whether they come
 * live from the gateway or from the REST catch-up after a fresh IDENTIFY. A per-channel promise
 * chain serialises both sources, so the cursor (last id taken) only ever moves forward past
 * messages that were submitted, quarantined or deliberately skipped.
 */
export class DiscordInbox {
  private readonly known = new Set<string>();
  private readonly cursors = new Map<string, bigint>();
  private readonly chains = new Map<string, Promise<void>>();
  private closing = false;
  /** Counts for tests and health: live events skipped because the catch-up already took them. */
  readonly stats = { submitted: 0, quarantined: 0, skipped: 0, alreadyTaken: 0 };

  constructor(private readonly o: InboxOptions) {}

  /** Loads the known DM channels; on first run starts the contact channel at "now". */
  async load(): Promise<void> {
    // No retry here: a store that is down fails start-up, which the adapter reports and retries.
    const store = this.o.ctx.cursors;
    const raw = await store.get(KNOWN_DMS_KEY);
    const ids = z.array(z.string().regex(/^\d{1,20}$/)).safeParse(safeJson(raw ?? "[]"));
    if (ids.success) for (const id of ids.data) this.known.add(id);
    else this.o.log.error({ key: KNOWN_DMS_KEY }, "discord: stored DM channel list unreadable");
    const contact = this.o.contactChannelId;
    if (contact && (await store.get(lastKey(contact))) === null) {
      // A new contact channel starts now: its history is not a backlog of contacts.
      const now = SnowflakeUtil.generate({ timestamp: Date.now() });
      await store.set(lastKey(contact), now.toString());
      this.cursors.set(contact, now);
    }
  }

  /** Channels that are caught up after every fresh IDENTIFY. */
  channels(): string[] {
    return [...this.known, ...(this.o.contactChannelId ? [this.o.contactChannelId] : [])];
  }

  /** After READY (a new session, so events since the last one are gone): fetch what was missed. */
  onReady(): void {
    for (const c of this.channels()) this.enqueue(c, () => this.catchUp(c));
  }

  /** A live MESSAGE_CREATE from the gateway. */
  onMessage(raw: unknown): void {
    const env = Envelope.safeParse(raw);
    if (!env.success) {
      this.enqueue("invalid", () =>
        this.quarantine(
          "discord:message:invalid",
          "discord message without valid id/channel_id",
          raw,
        ),
      );
      return;
    }
    const { channel_id: c, guild_id: guild } = env.data;
    if (guild !== undefined && c !== this.o.contactChannelId) return; // other guild channels are not ours
    this.enqueue(c, () => this.take(raw, c));
  }

  /**
   * Stops taking new messages; the one in hand still finishes (submit, then cursor) so a clean
   * stop does not replay it. The signal aborts whatever is still retrying after that.
   */
  close(): void {
    this.closing = true;
  }

  /** Resolves when every queued task has settled (used by stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private enqueue(channelId: string, task: () => Promise<void>): void {
    const prev = this.chains.get(channelId) ?? Promise.resolve();
    const next = prev.then(task).catch((err: unknown) => {
      // Code only: a discord.js error carries the request body, which may hold message text.
      if (!this.o.signal.aborted) {
        this.o.log.error({ code: errorCode(err), channelId }, "discord inbox task failed");
      }
    });
    this.chains.set(channelId, next);
  }

  private async catchUp(channelId: string): Promise<void> {
    let fetched = 0;
    for (;;) {
      if (this.closing) return;
      const after = (await this.cursor(channelId)) ?? 0n;
      let page: unknown;
      try {
        page = await this.persist("fetch missed messages", () =>
          this.o.rest.get(Routes.channelMessages(channelId), {
            query: new URLSearchParams({ after: after.toString(), limit: String(PAGE) }),
            signal: this.o.signal,
          }),
        );
      } catch (err) {
        if (err instanceof DiscordAPIError && err.status >= 400 && err.status < 500) {
          // Deleted channel or lost access: nothing to catch up; live events still work.
          this.o.log.warn(
            { channelId, code: err.code, status: err.status },
            "discord catch-up refused",
          );
          return;
        }
        throw err;
      }
      const list = Array.isArray(page) ? (page as unknown[]) : [];
      const sorted = list
        .map((m) => ({ m, id: Envelope.safeParse(m).data?.id }))
        .filter((x): x is { m: unknown; id: string } => x.id !== undefined)
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      for (const { m } of sorted) await this.take(m, channelId);
      fetched += sorted.length;
      if (list.length < PAGE) break;
    }
    if (fetched > 0) this.o.log.info({ channelId, fetched }, "discord catch-up done");
  }

  /** Takes one message: skip if already past, else submit (or quarantine), then move the cursor. */
  private async take(raw: unknown, channelId: string): Promise<void> {
    const env = Envelope.safeParse(raw);
    if (!env.success || env.data.channel_id !== channelId) {
      await this.quarantine(
        `discord:${channelId}:invalid`,
        "discord message without valid id/channel_id",
        raw,
      );
      return;
    }
    if (this.closing) return; // left for the catch-up of the next session
    const id = BigInt(env.data.id);
    const current = await this.cursor(channelId);
    if (current !== null && id <= current) {
      this.stats.alreadyTaken += 1;
      return;
    }
    if (env.data.guild_id === undefined && !this.known.has(channelId))
      await this.remember(channelId, id);

    const type = env.data.type ?? 0;
    if (
      isAutomated({ author: env.data.author, webhook_id: env.data.webhook_id }) ||
      !READER_TYPES.has(type)
    ) {
      // The bot's own replies, other bots, webhooks and system notices are not contacts.
      this.stats.skipped += 1;
      await this.advance(channelId, id);
      return;
    }
    const ref = `discord:${channelId}:${env.data.id}`;
    let normalized;
    try {
      normalized = normalizeDiscord(raw);
    } catch (err) {
      // Any failure here is about this payload: keep it with the reason rather than block the channel.
      const reason =
        err instanceof InvalidPayloadError
          ? err.message
          : `discord normalize failed: ${errorCode(err)}`;
      await this.quarantine(ref, reason, raw);
      await this.advance(channelId, id);
      return;
    }
    try {
      await this.persist("submit", () => this.o.ctx.intake.submit(normalized), isRetryable);
    } catch (err) {
      if (this.o.signal.aborted || isRetryable(err)) throw err;
      await this.quarantine(
        ref,
        err instanceof Error ? err.message : "intake refused the message",
        raw,
      );
      await this.advance(channelId, id);
      return;
    }
    this.stats.submitted += 1;
    this.o.onTaken();
    await this.advance(channelId, id);
  }

  /**
   * First message of a DM channel: store a cursor just before it, then the channel in the known
   * list, so a crash right after still catches this message up on restart.
   */
  private async remember(channelId: string, firstId: bigint): Promise<void> {
    if ((await this.cursor(channelId)) === null) await this.advance(channelId, firstId - 1n);
    this.known.add(channelId);
    const list = JSON.stringify([...this.known]);
    await this.persist("store known channels", () => this.o.ctx.cursors.set(KNOWN_DMS_KEY, list));
  }

  private async quarantine(ref: string, reason: string, raw: unknown): Promise<void> {
    await this.persist("quarantine", () => this.o.ctx.intake.quarantine(ref, reason, raw));
    this.stats.quarantined += 1;
    this.o.log.warn({ ref, reason }, "discord message quarantined");
  }

  private async cursor(channelId: string): Promise<bigint | null> {
    const cached = this.cursors.get(channelId);
    if (cached !== undefined) return cached;
    const stored = await this.persist("read cursor", () =>
      this.o.ctx.cursors.get(lastKey(channelId)),
    );
    if (stored === null || !/^\d{1,20}$/.test(stored)) return null;
    const value = BigInt(stored);
    this.cursors.set(channelId, value);
    return value;
  }

  private async advance(channelId: string, id: bigint): Promise<void> {
    await this.persist("advance cursor", () =>
      this.o.ctx.cursors.set(lastKey(channelId), id.toString()),
    );
    this.cursors.set(channelId, id);
  }

  /** Retries until it works or the adapter stops (see ./persist.ts). */
  private persist<T>(
    what: string,
    fn: () => Promise<T>,
    retryable?: (e: unknown) => boolean,
  ): Promise<T> {
    return persist(this.o, "discord: retrying", what, fn, retryable);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
