import type { Channel } from "../src/message/channel.js";
import type { InboundMessage } from "../src/message/inbound.js";

type Normalizer = (raw: unknown) => InboundMessage | Promise<InboundMessage>;

/**
 * Each channel's pure payload → canonical message translation (no network). Loaded on first
 * use, so routing one Telegram message does not pay for the MIME parser.
 */
const LOADERS: Record<Channel, () => Promise<Normalizer>> = {
  telegram: async () => (await import("./telegram/normalize.js")).normalizeTelegramUpdate,
  discord: async () => (await import("./discord/normalize.js")).normalizeDiscord,
  twitter: async () => (await import("./twitter/normalize.js")).normalizeTwitter,
  web: async () => {
    const { normalizeWebForm } = await import("./web/normalize.js");
    return (raw) => normalizeWebForm(raw);
  },
  email: async () => {
    const { normalize } = await import("./email/normalize.js");
    return (raw) => normalize(raw);
  },
};

const loaded = new Map<Channel, Normalizer>();

/** Normalises a raw platform payload for a channel; throws InvalidPayloadError on bad input. */
export async function normalizeForChannel(channel: Channel, raw: unknown): Promise<InboundMessage> {
  let normalize = loaded.get(channel);
  if (!normalize) {
    normalize = await LOADERS[channel]();
    loaded.set(channel, normalize);
  }
  return normalize(raw);
}
