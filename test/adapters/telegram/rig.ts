import { pino } from "pino";
import {
  TelegramAdapter,
  type TelegramAdapterOptions,
} from "../../../adapters/telegram/adapter.js";
import type { TelegramWebhookConfig } from "../../../adapters/telegram/config.js";
import type { AdapterContext } from "../../../adapters/types.js";
import { MemoryCursorStore } from "../../../src/state/cursor-store.js";
import { FakeTelegramBotApi } from "../../fakes/telegram-bot-api.js";
import { RecordingCursorStore, RecordingIntake } from "../../support/recording-intake.js";

/** Short timings so failure paths run in milliseconds. */
export const FAST: TelegramAdapterOptions = {
  pollTimeoutSeconds: 2,
  backoff: { initialMs: 20, maxMs: 200 },
};

/** A fake Bot API, a recording intake and cursor store, and adapters pointed at them. */
export class TelegramRig {
  readonly api = new FakeTelegramBotApi();
  readonly intake = new RecordingIntake();
  readonly cursors = new RecordingCursorStore(new MemoryCursorStore(), this.intake);
  readonly ctx: AdapterContext = {
    intake: this.intake,
    cursors: this.cursors,
    logger: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
  };
  private readonly adapters: TelegramAdapter[] = [];

  async start(): Promise<this> {
    await this.api.start();
    return this;
  }

  adapter(options: TelegramAdapterOptions = FAST, webhook: TelegramWebhookConfig | null = null) {
    const a = new TelegramAdapter(
      { token: this.api.token, apiRoot: this.api.apiRoot, webhook },
      options,
    );
    this.adapters.push(a);
    return a;
  }

  /** The stored update offset, as a number (0 when none). */
  async offset(): Promise<number> {
    const key = `telegram:${this.api.token.split(":")[0]}:update_offset`;
    return Number((await this.cursors.get(key)) ?? 0);
  }

  /** Waits until `ids` are accepted and a cursor write followed the last of them. */
  async settled(ids: string[]): Promise<void> {
    await this.intake.waitForIds(ids);
    const events = this.intake.events;
    const acceptedAt = Math.max(
      ...ids.map((id) =>
        events.findIndex((e) => e.kind === "submit" && e.id === id && e.outcome === "accepted"),
      ),
    );
    await this.intake.waitUntil(
      () => events.slice(acceptedAt + 1).some((e) => e.kind === "cursor"),
      "the cursor write after the last message",
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.adapters.map((a) => a.stop()));
    await this.api.stop();
  }
}

/** Polls `probe` until it holds; for state outside the intake (health, fake). */
export async function eventually(
  what: string,
  probe: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
