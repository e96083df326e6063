import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { PipelineScripts, limitOf } from "../../src/queue/scripts.js";
import { cleanup, testPrefix, testRedis } from "./helpers.js";

describe("pipeline scripts: GCRA limits (real Redis)", () => {
  let redis: Redis;
  let prefix: string;
  let scripts: PipelineScripts;

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    scripts = new PipelineScripts(redis);
  });
  afterEach(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  const keys = (affiliate = "a") => ({
    delivered: `${prefix}:delivered:${affiliate}`,
    limit: `${prefix}:limit:affiliate:${affiliate}`,
    slots: `${prefix}:limit:affiliate:${affiliate}:slots`,
  });

  it("lets a burst through, then gives each waiting job its own later slot", async () => {
    const limit = limitOf(60, 60_000, 2)!; // one a second, two at once
    const first = await scripts.deliverCheck(keys(), "j1", limit);
    const second = await scripts.deliverCheck(keys(), "j2", limit);
    const t0 = Date.now();
    const third = await scripts.deliverCheck(keys(), "j3", limit);
    const fourth = await scripts.deliverCheck(keys(), "j4", limit);
    const elapsed = Date.now() - t0;
    expect([first.waitMs, second.waitMs]).toEqual([0, 0]);
    expect(third.waitMs).toBeGreaterThan(0);
    expect(third.waitMs).toBeLessThanOrEqual(1000);
    // The next one's slot is a whole interval later: slots are reserved, not shared.
    expect(fourth.waitMs + elapsed - third.waitMs).toBeGreaterThanOrEqual(999);
    // Asking again before its slot: the same slot, no new reservation.
    const slot = await redis.zscore(keys().slots, "j4");
    const again = await scripts.deliverCheck(keys(), "j4", limit);
    expect(again.waitMs).toBeLessThanOrEqual(fourth.waitMs);
    expect(await redis.zscore(keys().slots, "j4")).toBe(slot);
    expect(await redis.zcard(keys().slots)).toBe(2);
    // Another affiliate is not affected.
    expect((await scripts.deliverCheck(keys("b"), "j5", limit)).waitMs).toBe(0);
  });

  it("a delivered record wins over the limit", async () => {
    await redis.set(keys().delivered, "<c1@x>");
    const r = await scripts.deliverCheck(keys(), "j1", limitOf(1, 60_000, 1));
    expect(r).toEqual({ deliveredAs: "<c1@x>", waitMs: 0 });
  });

  it("accepts limits too high to ever reach (no zero expiry) and no limit at all", async () => {
    const huge = limitOf(1e9, 60_000, 1e9);
    for (let i = 0; i < 3; i++) {
      expect((await scripts.deliverCheck(keys(), `j${i}`, huge)).waitMs).toBe(0);
    }
    expect((await scripts.deliverCheck(keys("c"), "j", null)).waitMs).toBe(0);
    const flood = await scripts.intakeCheck([`${prefix}:seen:x`], `${prefix}:flood:x`, huge);
    expect(flood).toEqual({ earlierJobId: null, floodWaitMs: 0 });
  });
});
