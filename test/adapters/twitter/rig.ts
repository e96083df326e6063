import { pino } from "pino";
import { createTwitterAdapter } from "../../../adapters/twitter/index.js";
import type { AdapterContext, ChannelAdapter } from "../../../adapters/types.js";
import { MemoryCursorStore } from "../../../src/state/cursor-store.js";
import type { FakeUser } from "../../fakes/twitter-api.js";
import { RecordingCursorStore, RecordingIntake } from "../../support/recording-intake.js";

export const log = pino({ level: process.env.LOG_LEVEL ?? "silent" });

/** Readers who write to the fake; ids are numeric like X user ids. */
export function reader(n: number, location?: string): FakeUser {
  return {
    id: String(1_570_000_000_000_000_100n + BigInt(n)),
    name: `Reader ${n}`,
    username: `reader_${n}`,
    ...(location === undefined ? {} : { location }),
  };
}

/** An adapter built by the real factory from env variables, pointed at the fake. */
export function adapterFor(baseUrl: string, extra: Record<string, string> = {}): ChannelAdapter {
  const adapter = createTwitterAdapter({
    TWITTER_USER_TOKEN: "test-user-token",
    TWITTER_API_BASE: baseUrl,
    TWITTER_POLL_INTERVAL_MS: "100",
    ...extra,
  });
  if (!adapter) throw new Error("factory returned null");
  return adapter;
}

export function recordingContext(intake = new RecordingIntake()): {
  intake: RecordingIntake;
  ctx: AdapterContext;
  cursors: MemoryCursorStore;
} {
  const cursors = new MemoryCursorStore();
  return {
    intake,
    cursors,
    ctx: { intake, cursors: new RecordingCursorStore(cursors, intake), logger: log },
  };
}

/** Polls `check` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
