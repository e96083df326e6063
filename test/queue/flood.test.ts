import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createMetrics } from "../../src/metrics.js";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import {
  SECRET_TEXT,
  cleanup,
  keysUnder,
  sampleMessage,
  testPrefix,
  testRedis,
  waitFor,
} from "./helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "./fixtures.js";

const FAST = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
const FLOOD = { maxMessages: 3, windowSeconds: 3600 };

/** A message from `sender` on `channel`. */
const from = (sender: string, n: number, channel: "telegram" | "email" | "web" = "telegram") =>
  sampleMessage(`${sender}-${n}`, {
    id: `${channel}:flood-${sender}-${n}`,
    channel,
    replyTo: channel === "web" ? `email:${sender}@example.org` : `${channel}:${sender}`,
    sender: {
      id: channel === "telegram" ? `telegram:user:${sender}` : `email:${sender}@example.org`,
    },
  });

/**
 * The per-sender flood limit (issue 10, "What to build"; finding 7's email channel had none): the
 * excess of one sender, on any channel, is held sealed for an admin, never dropped, and other
 * readers go through untouched.
 */
describe("per-sender flood limit (real Redis)", () => {
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

  function start(over: Partial<PipelineOptions> = {}): Pipeline {
    const p = createPipeline({
      connection: redis,
      prefix,
      key: randomBytes(32),
      roles: ["ingest", "route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery,
      retry: { inbound: FAST, deliver: FAST, outbound: FAST },
      flood: FLOOD,
      ...over,
    });
    open.push(p);
    return p;
  }

  it("holds one sender's excess for an admin, lets other readers through, and loses nothing", async () => {
    const metrics = createMetrics();
    const p = start({ metrics });
    const results = [];
    for (let i = 0; i < 6; i++) {
      results.push(await p.intake.submit(from("flooder", i)));
      if (i < 2) results.push(await p.intake.submit(from("reader", i)));
    }
    expect(results.filter((r) => r.held)).toHaveLength(3);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    await waitFor("five deliveries", () => delivery.sent.length === 5);
    expect(
      delivery.sent.filter((c) => c.message.sender.id === "telegram:user:reader"),
    ).toHaveLength(2);

    const held = await p.held.list();
    expect(held).toHaveLength(3);
    expect(new Set(held.map((h) => h.sender)).size).toBe(1);
    expect(held[0]).toMatchObject({ channel: "telegram" });
    expect(held[0]!.sender).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{32}$/);
    expect(await metrics.registry.getSingleMetricAsString("contact_router_held_total")).toMatch(
      /channel="telegram"} 3/,
    );
    await p.refreshDepths();
    expect(await metrics.registry.getSingleMetricAsString("contact_router_held_messages")).toMatch(
      / 3$/m,
    );
    // Held, the message is sealed like a queued one.
    for (const k of await keysUnder(redis, prefix)) {
      const raw = (await redis.dumpBuffer(k))?.toString("latin1") ?? "";
      expect(raw, k).not.toContain("geheim-7f3a");
    }
    // A re-delivery of a held message is a duplicate: it is kept once.
    expect(await p.intake.submit(from("flooder", 5))).toMatchObject({ duplicate: true });

    expect(await p.held.release(held[0]!.ref)).toBe(true);
    await waitFor("released one delivered", () => delivery.sent.length === 6);
    expect(delivery.sent[5]!.message.text).toBe(SECRET_TEXT);
    expect(await p.held.discard(held[1]!.ref)).toBe(true);
    expect(await p.held.list()).toEqual([held[2]]);
    expect(await p.held.release("inbound-nope")).toBe(false);
    expect(await p.deadLetters.list()).toEqual([]);
  });

  it("counts one sender across channels (an address by email and by the web form)", async () => {
    const p = start();
    const a = await p.intake.submit(from("anna", 1, "email"));
    const b = await p.intake.submit(from("anna", 2, "web"));
    const c = await p.intake.submit(from("anna", 3, "email"));
    const d = await p.intake.submit(from("anna", 4, "web"));
    expect([a, b, c, d].map((r) => r.held ?? false)).toEqual([false, false, false, true]);
    expect((await p.held.list())[0]).toMatchObject({ channel: "web" });
  });

  it("is shared by every ingest process through Redis", async () => {
    const key = randomBytes(32);
    const one = start({ key, roles: ["ingest"] });
    const two = start({ key, roles: ["ingest"] });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await (i % 2 ? one : two).intake.submit(from("x", i)));
    expect(results.map((r) => r.held ?? false)).toEqual([false, false, false, true]);
  });

  it("off when not configured", async () => {
    const p = start({ flood: null, roles: ["ingest"] });
    for (let i = 0; i < 5; i++) expect((await p.intake.submit(from("y", i))).held).toBeUndefined();
    expect(await p.held.count()).toBe(0);
  });
});
