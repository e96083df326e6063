import type { Channel } from "../src/message/channel.js";
import type { InboundMessage } from "../src/message/inbound.js";
import { normalizeDiscord } from "./discord/normalize.js";
import { normalize as normalizeEmail } from "./email/normalize.js";
import { normalizeTelegramUpdate } from "./telegram/normalize.js";
import { normalizeTwitter } from "./twitter/normalize.js";
import { normalizeWebForm } from "./web/normalize.js";

type Normalizer = (raw: unknown) => InboundMessage | Promise<InboundMessage>;

/** Each channel's pure payload → canonical message translation (no network). */
export const NORMALIZERS: Record<Channel, Normalizer> = {
  telegram: normalizeTelegramUpdate,
  discord: normalizeDiscord,
  twitter: normalizeTwitter,
  web: (raw) => normalizeWebForm(raw),
  email: (raw) => normalizeEmail(raw),
};

/** Normalises a raw platform payload for a channel; throws InvalidPayloadError on bad input. */
export async function normalizeForChannel(channel: Channel, raw: unknown): Promise<InboundMessage> {
  return NORMALIZERS[channel](raw);
}
