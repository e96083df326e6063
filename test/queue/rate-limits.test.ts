import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { RateLimitError } from "../../src/errors.js";
import { createMetrics } from "../../src/metrics.js";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import type { Sender } from "../../src/queue/types.js";
import { cleanup, sampleMessage, testPrefix, testRedis, waitFor } from "./helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "./fixtures.js";

/** Few attempts, short backoff: a rate limit that used attempts would dead-letter at once. */
const FAST = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

/** A contact for the German affiliate (gik) or, with `en`, the default one (cwo). */
const contact = (n: number | string, lang: "de" | "en" = "de") =>
  sampleMessage(n, {
    id: `web:burst-${n}`,
    channel: "web",
    replyTo: `web:burst-${n}`,
    // One web reader each (no address given): the flood limit does not apply.
    sender: { id: `web:burst-${n}` },
    evidence: { languageTag: lang === "de" ? "de-AT" : "en-GB" },
  });

/**
 * Issue 10, finding 2: 50 web contacts to one affiliate in 2 s gave 21 delivered and 29
 * dead-lettered RATE_LIMITED, because the per-affiliate limit used up job attempts. Now a job
 * over the limit waits for a reserved send slot, without using an attempt.
 */
describe("send limits delay, never drop (real Redis)", () => {
  let redis: Redis;
  let prefix: string;
  let key: Buffer;
  let open: Pipeline[];

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    key = randomBytes(32);
    open = [];
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
      key,
      roles: ["ingest", "route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery: new RecordingDelivery(),
      retry: { inbound: FAST, deliver: FAST, outbound: FAST },
      ...over,
    });
    open.push(p);
    return p;
  }

  it("the issue's burst: 50 contacts to one affiliate, low limit: all 50 delivered, 0 dead letters, no attempts used", async () => {
    const delivery = new RecordingDelivery();
    const metrics = createMetrics();
    // 5 at once, then one every 50 ms: the 50 take about 2.3 s, like the 2 s burst.
    const p = start({ delivery, metrics, deliverRate: { perMinute: 1200, burst: 5 } });
    await Promise.all(Array.from({ length: 50 }, (_, i) => p.intake.submit(contact(i))));
    await waitFor("50 deliveries", () => delivery.sent.length === 50, 60_000);
    expect(new Set(delivery.sent.map((c) => c.contactId)).size).toBe(50);
    expect(delivery.sent.every((c) => c.affiliate.id === "gik")).toBe(true);
    expect(await p.deadLetters.list()).toEqual([]);
    const done = await p.queues.deliver.getCompleted(0, 100);
    expect(done).toHaveLength(50);
    // One attempt each: the one that completed it (BullMQ counts the completing attempt).
    expect(done.map((j) => j.attemptsMade)).toEqual(Array(50).fill(1));
    const limited = await metrics.registry.getSingleMetricAsString(
      "contact_router_rate_limited_total",
    );
    // Jobs beyond the burst waited, each about once for its reserved slot (without reservations a
    // backlog wakes together and retries in hundreds of rounds).
    const waits = Number(/queue="deliver"} (\d+)/.exec(limited)?.[1]);
    expect(waits).toBeGreaterThan(0);
    expect(waits).toBeLessThanOrEqual(55);
  }, 90_000);

  it("one affiliate's backlog does not hold up another affiliate", async () => {
    const delivery = new RecordingDelivery();
    // gik: one at once, then one every 2 s; 5 contacts are an 8 s backlog.
    const p = start({ delivery, deliverRate: { perMinute: 30, burst: 1 } });
    for (let i = 0; i < 5; i++) await p.intake.submit(contact(`de-${i}`));
    await waitFor("first gik contact", () => delivery.sent.length === 1);
    for (let i = 0; i < 3; i++) await p.intake.submit(contact(`en-${i}`, "en"));
    await waitFor(
      "the other affiliate's three",
      () => delivery.sent.filter((c) => c.affiliate.id === "cwo").length === 3,
    );
    expect(delivery.sent.filter((c) => c.affiliate.id === "gik").length).toBeLessThan(5);
    await waitFor("the backlog", () => delivery.sent.length === 8, 60_000);
    expect(await p.deadLetters.list()).toEqual([]);
  }, 90_000);

  it("the limit is shared by every deliver process through Redis", async () => {
    const sentAt: number[] = [];
    const record = (d: RecordingDelivery) => {
      const send = d.send.bind(d);
      d.send = (c) => {
        sentAt.push(Date.now());
        return send(c);
      };
      return d;
    };
    const rate = { perMinute: 600, burst: 2 }; // then one every 100 ms
    const ingest = start({ roles: ["ingest", "route"], delivery: undefined });
    const a = record(new RecordingDelivery());
    const b = record(new RecordingDelivery());
    start({ roles: ["deliver"], delivery: a, deliverRate: rate, route: undefined });
    start({ roles: ["deliver"], delivery: b, deliverRate: rate, route: undefined });
    const t0 = Date.now();
    for (let i = 0; i < 12; i++) await ingest.intake.submit(contact(i));
    await waitFor("12 deliveries", () => a.sent.length + b.sent.length === 12, 60_000);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    // Together they never sent faster than the one limit allows: the k-th send (0-based) not
    // before k - burst + 1 intervals after the start, less the half interval a slot may be early
    // (and a millisecond of clock rounding).
    sentAt.sort((x, y) => x - y);
    for (let k = rate.burst; k < sentAt.length; k++) {
      expect(sentAt[k]! - t0).toBeGreaterThanOrEqual((k - rate.burst + 1) * 100 - 50 - 1);
    }
  }, 90_000);

  it("a platform's 429 delays the acknowledgement without using attempts, and holds back the channel's other acks", async () => {
    let calls = 0;
    // More 429s in a row than the job has attempts; the first asks for a longer wait.
    const waits = [2000, 100, 100, 100];
    const sender: Sender = {
      send(channel) {
        calls++;
        const wait = waits.shift();
        if (wait !== undefined) return Promise.reject(new RateLimitError(`${channel}: 429`, wait));
        return Promise.resolve({ platformMessageId: `${channel}:${calls}` });
      },
    };
    const delivery = new RecordingDelivery();
    const p = start({ delivery, sender, ackText: (lang, name) => `[${lang}] ${name}` });
    await p.intake.submit(sampleMessage(1));
    await waitFor(
      "the channel held back",
      async () => (await redis.pttl(`${prefix}:limit:channel:telegram`)) > 0,
    );
    // Another reader's ack on the same channel while the platform asked to wait: not sent, delayed.
    await p.intake.submit(sampleMessage(2, { sender: { id: "telegram:user:43" } }));
    await waitFor(
      "both acks delayed",
      async () => (await p.queues.outbound.getDelayedCount()) === 2,
    );
    expect(calls).toBe(1);
    await waitFor("both delivered", () => delivery.sent.length === 2);
    await waitFor(
      "both acks sent",
      async () => (await p.queues.outbound.getCompletedCount()) === 2,
      30_000,
    );
    const done = await p.queues.outbound.getCompleted();
    expect(done.map((j) => j.attemptsMade)).toEqual([1, 1]);
    expect(await p.deadLetters.list()).toEqual([]);
    expect(calls).toBe(6); // four 429s, then the two acks
  }, 60_000);
});
