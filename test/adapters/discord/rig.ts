import { DiscordAdapter, type DiscordAdapterOptions } from "../../../adapters/discord/adapter.js";
import { FakeDiscord, type FakeUser } from "../../fakes/discord-gateway.js";
import type { AdapterRig } from "../contract.js";

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
    teardown: () => fake.close(),
  };
}
