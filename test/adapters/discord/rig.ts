import { pino } from "pino";
import { afterEach, beforeEach } from "vitest";
import { DiscordAdapter, type DiscordAdapterOptions } from "../../../adapters/discord/adapter.js";
import type { AdapterContext } from "../../../adapters/types.js";
import { MemoryCursorStore } from "../../../src/state/cursor-store.js";
import { RecordingCursorStore, RecordingIntake } from "../../support/recording-intake.js";
import { FakeDiscord, type FakeUser } from "../../fakes/discord-gateway.js";
import type { AdapterRig } from "../contract.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "silent" });

/** A reader who writes to the bot. */
export const reader: FakeUser = {
  id: "887766554433221100",
  username: "lena_w",
  global_name: "Lena",
};

/** Short timings so failures and retries show up within a test. */
export const FAST: Partial<DiscordAdapterOptions> = {
  connectTimeoutMs: 10_000,
  reconnectMinMs: 100,
  reconnectMaxMs: 1_000,
  retryMinMs: 50,
  retryMaxMs: 400,
};

/** A running fake Discord with one DM channel, and adapters pointed at it. */
export interface DiscordRig extends AdapterRig {
  fake: FakeDiscord;
  dm: string;
  createAdapter(extra?: Partial<DiscordAdapterOptions>): DiscordAdapter;
}

export async function discordRig(): Promise<DiscordRig> {
  const fake = await FakeDiscord.start();
  const dm = fake.dmChannel(reader);
  return {
    fake,
    dm,
    createAdapter: (extra = {}) =>
      new DiscordAdapter({ token: fake.token, apiUrl: fake.apiBase, ...FAST, ...extra }),
    injectInbound: (text) => {
      const m = fake.post(dm, reader, text);
      return Promise.resolve(`discord:${dm}:${m.id}`);
    },
    sentTexts: () =>
      Promise.resolve(
        fake.botMessages().map((m) => ({ to: `discord:${m.channel_id}`, text: m.content })),
      ),
    replyTarget: `discord:${dm}`,
    rateLimitNextSend: (seconds) => fake.rateLimitNextSend(seconds),
    choices: {
      pressable: (id) => {
        const [, channel = "", message = ""] = id.split(":");
        return Promise.resolve(
          fake
            .pressableButtons(channel, message)
            .map((b) => ({ data: b.custom_id ?? "", label: b.label ?? "" })),
        );
      },
      press: (id, data) => {
        const [, channel = "", message = ""] = id.split(":");
        fake.press(channel, message, reader, data);
        return Promise.resolve(`${id}:choice`);
      },
      unansweredPresses: () => Promise.resolve(fake.unansweredInteractions().length),
    },
    teardown: () => fake.close(),
  };
}

/** What each adapter test gets: a fresh fake, intake and cursor store; adapters stopped after. */
export interface DiscordTestEnv {
  readonly rig: DiscordRig;
  readonly intake: RecordingIntake;
  readonly cursors: MemoryCursorStore;
  readonly ctx: AdapterContext;
  readonly running: DiscordAdapter[];
  /** Creates, registers for cleanup and starts an adapter. */
  started(extra?: Partial<DiscordAdapterOptions>): Promise<DiscordAdapter>;
}

/** Registers beforeEach/afterEach hooks and returns the current test's environment. */
export function useDiscordRig(): DiscordTestEnv {
  let current: Omit<DiscordTestEnv, "started"> | null = null;
  const get = () => {
    if (!current) throw new Error("useDiscordRig: used outside a test");
    return current;
  };
  beforeEach(async () => {
    const rig = await discordRig();
    const intake = new RecordingIntake();
    const cursors = new MemoryCursorStore();
    const ctx = { intake, cursors: new RecordingCursorStore(cursors, intake), logger: log };
    current = { rig, intake, cursors, ctx, running: [] };
  });
  afterEach(async () => {
    const env = get();
    await Promise.all(env.running.splice(0).map((a) => a.stop()));
    await env.rig.teardown();
    current = null;
  });
  return {
    get rig() {
      return get().rig;
    },
    get intake() {
      return get().intake;
    },
    get cursors() {
      return get().cursors;
    },
    get ctx() {
      return get().ctx;
    },
    get running() {
      return get().running;
    },
    async started(extra = {}) {
      const env = get();
      const adapter = env.rig.createAdapter(extra);
      env.running.push(adapter);
      await adapter.start(env.ctx);
      return adapter;
    },
  };
}

/** Polls a condition outside the intake (e.g. health), failing with what it waited for. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
