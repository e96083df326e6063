import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createRedisIntake, type RedisIntake } from "../../src/queue/redis-intake.js";
import { InvalidPayloadError } from "../../src/errors.js";
import {
  SECRET_TEXT,
  cleanup,
  keysUnder,
  sampleMessage,
  testPrefix,
  testRedis,
} from "./helpers.js";

describe("createRedisIntake", () => {
  let redis: Redis;
  let prefix: string;
  let intake: RedisIntake;

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    intake = createRedisIntake({ connection: redis, prefix, key: randomBytes(32) });
  });
  afterEach(async () => {
    await intake.close();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it("enqueues once per message id, even after the job is gone", async () => {
    const a = await intake.submit(sampleMessage(1));
    expect(a.duplicate).toBe(false);
    expect(a.jobId).toMatch(/^inbound-[0-9a-f]{8}\.[0-9a-f]{32}$/);
    const b = await intake.submit(sampleMessage(1));
    expect(b).toEqual({ jobId: a.jobId, duplicate: true });
    await intake.queue.remove(a.jobId);
    expect((await intake.submit(sampleMessage(1))).duplicate).toBe(true);
    expect(await intake.queue.getJobCounts("wait")).toEqual({ wait: 0 });
    await intake.submit(sampleMessage(2));
    expect((await intake.queue.getJobCounts("wait")).wait).toBe(1);
  });

  it("concurrent submits of one id enqueue one job", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => intake.submit(sampleMessage(7))));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await intake.queue.getJobCounts("wait")).wait).toBe(1);
  });

  it("keeps nothing personal in clear in Redis", async () => {
    await intake.submit(sampleMessage(3));
    await intake.quarantine("telegram:update:9", "bad shape", {
      text: SECRET_TEXT,
      phone: "+43 660 1234567",
    });
    const keys = await keysUnder(redis, prefix);
    expect(keys.length).toBeGreaterThan(2);
    for (const key of keys) {
      const dump = await redis.dumpBuffer(key);
      const text = dump?.toString("latin1") ?? "";
      for (const secret of ["geheim-7f3a", "Anna", "anna_b", "660 1234567", "telegram:1000:3"]) {
        expect(text, `${key} holds ${secret}`).not.toContain(secret);
      }
    }
  });

  it("rejects a malformed message with a reason that names the field, not its value", async () => {
    const bad = { ...sampleMessage(4), sentAt: "yesterday", id: "nochannel" };
    const err = await intake.submit(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidPayloadError);
    expect((err as Error).message).toMatch(/id: invalid_format.*sentAt/);
    expect((err as Error).message).not.toContain("yesterday");
  });

  it("quarantine keeps the reason and the sealed raw payload", async () => {
    await intake.quarantine("discord:msg:5", "no text", { weird: true });
    const [entry] = await intake.quarantineStore.list();
    expect(entry).toMatchObject({ ref: "discord:msg:5", reason: "no text", stage: "intake" });
    expect(await intake.quarantineStore.raw("discord:msg:5")).toBe('{"weird":true}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await intake.quarantine("discord:msg:6", "circular", circular);
    expect(await intake.quarantineStore.count()).toBe(2);
  });
});
