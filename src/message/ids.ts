import { CHANNELS, type Channel } from "./channel.js";

/**
 * Platform-prefixed ids: `telegram:123:45`, `email:<message-id>`.
 * The prefix makes an id unique across channels and says which adapter can act on it.
 */
export type PlatformId = `${Channel}:${string}`;

/** Builds a prefixed id from a channel and one or more platform-side parts. */
export function encodeId(channel: Channel, ...parts: (string | number | bigint)[]): PlatformId {
  if (parts.length === 0) throw new Error("encodeId needs at least one part");
  const body = parts.map((p) => String(p)).join(":");
  if (body.length === 0) throw new Error("encodeId: empty id");
  return `${channel}:${body}`;
}

/** Splits a prefixed id into its channel and the platform-side remainder. */
export function decodeId(id: string): { channel: Channel; rest: string } {
  const colon = id.indexOf(":");
  if (colon <= 0)
    throw new Error(`not a platform id (no channel prefix): ${JSON.stringify(id.slice(0, 40))}`);
  const channel = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    throw new Error(`unknown channel prefix "${channel.slice(0, 20)}"`);
  }
  if (rest.length === 0) throw new Error(`platform id has an empty body: ${channel}:`);
  return { channel: channel as Channel, rest };
}
