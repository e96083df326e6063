import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createIdentityHasher, keyId } from "../../src/crypto/identity-hash.js";
import { HASH_PURPOSE, legacyIdHash } from "../../src/queue/keys.js";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import { cleanup, keysUnder, sampleMessage, testPrefix, testRedis, waitFor } from "./helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "./fixtures.js";

const FAST = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * Issue 10, finding 6: thread and seen keys were unsalted sha256(sender id) prefixes, so anyone
 * with a Redis dump and a guessed address or Telegram id could confirm that a person made
 * contact. Every identity-derived name is now an HMAC under a key derived from the data key.
 */
describe("keyed identity hashes in Redis (real Redis)", () => {
  let redis: Redis;
  let prefix: string;
  let open: Pipeline[];
  let delivery: RecordingDelivery;

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    open = [];
    delivery = new RecordingDelivery();
  });
  afterEach(async () => {
    await Promise.all(open.map((p) => p.close()));
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  function start(over: Partial<PipelineOptions> & Pick<PipelineOptions, "key">): Pipeline {
    const p = createPipeline({
      connection: redis,
      prefix,
      roles: ["ingest", "route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery,
      retry: { inbound: FAST, deliver: FAST, outbound: FAST },
      flood: { maxMessages: 20, windowSeconds: 3600 },
      ackText: (lang, name) => `[${lang}] ${name}`,
      ...over,
    });
    open.push(p);
    return p;
  }

  /** Every key name and every value (DUMP) under the prefix, as one text. */
  async function dump(): Promise<string> {
    const parts: string[] = [];
    for (const k of await keysUnder(redis, prefix)) {
      parts.push(k, (await redis.dumpBuffer(k))?.toString("latin1") ?? "");
    }
    return parts.join("\n");
  }

  it("a dump after intake and after delivery holds no plain hash of a sender id or message id", async () => {
    const ingest = start({ key: randomBytes(32), roles: ["ingest"] });
    const messages = [0, 1, 2].map((i) => sampleMessage(i));
    for (const m of messages) await ingest.intake.submit(m);
    const guesses = [
      ...messages.map((m) => m.id),
      "telegram:user:42", // the sender id
      "telegram:1000", // the chat (reply-to)
    ].flatMap((id) => [sha256(id), legacyIdHash(id)]);
    const afterIntake = await dump();
    for (const g of guesses) expect(afterIntake).not.toContain(g);

    start({ key: ingest.keyring.current.key });
    await waitFor("deliveries", () => delivery.sent.length === 3);
    const afterDelivery = await dump();
    expect(afterDelivery).toContain(":delivered:");
    expect(afterDelivery).toContain(":flood:");
    for (const g of guesses) expect(afterDelivery).not.toContain(g);
  });

  it("intake is three round trips: the seen/flood check, the add, the seen record", async () => {
    const p = start({ key: randomBytes(32), roles: ["ingest"] });
    await p.intake.submit(sampleMessage("warm-up")); // loads the script (EVALSHA miss → EVAL)
    const sent: string[] = [];
    const original = redis.sendCommand.bind(redis);
    redis.sendCommand = (command: { name: string }, ...rest: unknown[]) => {
      sent.push(command.name);
      return (original as (...a: unknown[]) => unknown)(command, ...rest);
    };
    try {
      await p.intake.submit(sampleMessage("counted"));
      expect(sent.length).toBe(3);
      sent.length = 0;
      expect((await p.intake.submit(sampleMessage("counted"))).duplicate).toBe(true);
      expect(sent.length).toBe(1); // a duplicate costs the check alone
    } finally {
      redis.sendCommand = original;
    }
  });

  it("finds records written under their legacy unkeyed names and renames them (TTL kept)", async () => {
    const key = randomBytes(32);
    const hasher = createIdentityHasher([{ kid: keyId(key), key }]);
    const old = sampleMessage("old");
    // As written before keyed hashes.
    const legacySeen = `${prefix}:seen:${legacyIdHash(old.id)}`;
    await redis.set(legacySeen, `inbound-${legacyIdHash(old.id)}`, "EX", 1000);

    const p = start({ key });
    const again = await p.intake.submit(old);
    expect(again).toEqual({ jobId: `inbound-${legacyIdHash(old.id)}`, duplicate: true });
    const keyedSeen = `${prefix}:seen:${hasher.hash(HASH_PURPOSE.message, old.id)}`;
    expect(await redis.exists(legacySeen)).toBe(0);
    expect(await redis.ttl(keyedSeen)).toBeGreaterThan(990);
  });

  it("after a rotation, records under the old key are still found and move to the new key's name", async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const before = start({ key: a });
    await before.intake.submit(sampleMessage("first"));
    await waitFor("first delivered", () => delivery.sent.length === 1);
    await before.close();
    open.splice(open.indexOf(before), 1);

    const after = start({ key: b, oldKeys: [a] });
    expect(await after.intake.submit(sampleMessage("first"))).toMatchObject({ duplicate: true });
    await after.intake.submit(sampleMessage("second"));
    await waitFor("second delivered", () => delivery.sent.length === 2);
    const names = await keysUnder(redis, prefix);
    const seen = names.filter((n) => n.includes(":seen:"));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n.includes(`:seen:${keyId(b)}.`))).toBe(true);
  });
});
