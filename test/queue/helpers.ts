import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createIdentityHasher, keyId } from "../../src/crypto/identity-hash.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import { HASH_PURPOSE, QUEUE, jobIdFor } from "../../src/queue/keys.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A Redis client as BullMQ wants it. */
export function testRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

/** A unique hash-tagged prefix per test. */
export function testPrefix(): string {
  return `{crtest-${randomBytes(5).toString("hex")}}`;
}

/** The inbound job id the intake gives a message id under data key `key` (raw or hex). */
export function inboundJobId(key: Buffer | string, messageId: string): string {
  const k = typeof key === "string" ? Buffer.from(key, "hex") : key;
  const hasher = createIdentityHasher([{ kid: keyId(k), key: k }]);
  return jobIdFor(QUEUE.inbound, hasher.hash(HASH_PURPOSE.message, messageId));
}

/** Every key under the prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    out.push(...batch);
  } while (cursor !== "0");
  return out;
}

export async function cleanup(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

export const SECRET_TEXT = "Ich wohne in Wien und möchte mitmachen, geheim-7f3a";

/** A valid canonical message; `n` makes the id unique. */
export function sampleMessage(
  n: number | string,
  over: Partial<InboundMessage> = {},
): InboundMessage {
  return {
    id: `telegram:1000:${n}`,
    channel: "telegram",
    replyTo: "telegram:1000",
    sender: { id: "telegram:user:42", displayName: "Anna Beispiel", handle: "@anna_b" },
    text: SECRET_TEXT,
    sentAt: "2026-11-22T02:00:00.000Z",
    evidence: { languageTag: "de-AT", languageTagSource: "telegram.language_code" },
    attachments: [],
    ...over,
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
