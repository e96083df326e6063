import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import { RouterError } from "../../src/errors.js";
import { createMetrics } from "../../src/metrics.js";
import type { Sender } from "../../src/queue/types.js";
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
import { stickyRoute } from "../../src/conversation/sticky.js";
import type { ContactToDeliver } from "../../src/delivery/types.js";
import { createRelayTokens } from "../../src/relay/token.js";
import { testKeyring, testStore } from "../conversation/fixtures.js";

const FAST = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

describe("pipeline (real Redis)", () => {
  let redis: Redis;
  let prefix: string;
  let key: Buffer;
  let open: Pipeline[];
  let delivery: RecordingDelivery;

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    key = randomBytes(32);
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
      key,
      roles: ["ingest", "route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery,
      ackText: (lang, name) => `[${lang}] passed to ${name}`,
      retry: { inbound: FAST, deliver: FAST, outbound: FAST },
      ...over,
    });
    open.push(p);
    return p;
  }

  it("delivers a message to the routed affiliate, once, even when it arrives twice", async () => {
    const p = start();
    const first = await p.intake.submit(sampleMessage(1));
    const again = await p.intake.submit(sampleMessage(1));
    await waitFor("delivery", () => delivery.sent.length >= 1);
    const late = await p.intake.submit(sampleMessage(1));
    expect([first.duplicate, again.duplicate, late.duplicate]).toEqual([false, true, true]);
    // Wait until no job is left anywhere: a duplicate that slipped through would be delivered
    // (or still be pending) by then, so the count below sees it.
    await waitFor("every queue drained", async () => {
      for (const q of [p.queues.inbound, p.queues.deliver]) {
        const c = await q.getJobCounts("wait", "active", "delayed", "prioritized");
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    });
    expect(delivery.sent).toHaveLength(1);
    expect(delivery.sent[0]!.affiliate.id).toBe("gik");
    expect(delivery.sent[0]!.message.text).toBe(SECRET_TEXT);
    expect(delivery.sent[0]!.contactId).toMatch(/^c[0-9a-f]{32}$/);
  });

  it("keeps a reader's follow-up in their conversation, threaded under the first contact", async () => {
    const keyring = testKeyring(key);
    const store = testStore(redis, prefix, keyring);
    const tokens = createRelayTokens(keyring);
    const p = start({
      conversation: (input) =>
        stickyRoute({ store, tokens, affiliateExists: (id) => !!affiliate(id) }, input),
    });
    await p.intake.submit(sampleMessage("a"));
    await waitFor("first", () => delivery.sent.length === 1);
    // English this time: routed afresh it would go to cwo, but it stays with gik.
    await p.intake.submit(sampleMessage("b", { evidence: { languageTag: "en" } }));
    await waitFor("second", () => delivery.sent.length === 2);
    const [first, second] = delivery.sent as [ContactToDeliver, ContactToDeliver];
    expect(first.conversation).toMatchObject({ followUp: false, earlier: [] });
    expect(second.affiliate.id).toBe("gik");
    expect(second.decision.affiliate).toBe("cwo");
    expect(second.conversation).toMatchObject({
      id: first.conversation!.id,
      ref: first.conversation!.ref,
      followUp: true,
      earlier: [first.contactId],
    });
    expect(second.conversation!.history.map((e) => e.kind)).toEqual(["reader"]);
  });

  it("quarantines bad input with its reason and delivers the rest", async () => {
    const metrics = createMetrics();
    const p = start({ metrics });
    await p.intake.submit(sampleMessage(1));
    await p.intake.submit(sampleMessage(2, { text: "POISON pill" }));
    await p.intake.submit(sampleMessage(3));
    await waitFor("two deliveries", () => delivery.sent.length === 2);
    const entries = await waitFor("quarantine", async () => {
      const l = await p.quarantine.list();
      return l.length === 1 ? l : null;
    });
    expect(entries[0]!.reason).toBe("INVALID_PAYLOAD: text is unroutable (test)");
    expect(entries[0]!.stage).toBe("inbound");
    expect(await p.quarantine.raw(entries[0]!.ref)).toContain("POISON pill");
    await waitFor(
      "quarantined job dropped from the failed set",
      async () => (await p.queues.inbound.getFailedCount()) === 0,
    );
    expect(await p.deadLetters.list()).toEqual([]);
    expect(
      await metrics.registry.getSingleMetricAsString("contact_router_quarantined_total"),
    ).toMatch(/stage="inbound"} 1/);
  });

  it("retries transient failures, dead-letters after the last attempt, and retries from the DLQ", async () => {
    const p = start();
    let calls = 0;
    delivery.fail = () => {
      calls++;
      return new RouterError("DELIVERY_TRANSIENT", "421 try later for x@y.org", {
        retryable: true,
      });
    };
    const { jobId } = await p.intake.submit(sampleMessage(9));
    const [dead] = await waitFor("dead letter", async () => {
      const l = await p.deadLetters.list();
      return l.length === 1 ? l : null;
    });
    expect(calls).toBe(3);
    expect(dead!.queue).toBe("deliver");
    expect(dead!.id).toBe(`deliver/${jobId.replace("inbound-", "deliver-")}`);
    expect(dead!.reason).toBe("DELIVERY_TRANSIENT: 421 try later for <address>");
    delivery.fail = () => null;
    expect(await p.deadLetters.retry(dead!.id)).toBe(true);
    await waitFor("delivery after retry", () => delivery.sent.length === 1);
    expect(await p.deadLetters.list()).toEqual([]);
    expect(await p.deadLetters.retry(dead!.id)).toBe(false);
  });

  it("dead-letters a permanent failure at once, and discards it on request", async () => {
    const p = start();
    let calls = 0;
    delivery.fail = () => {
      calls++;
      return new RouterError("DELIVERY_PERMANENT", "550 mailbox unknown");
    };
    await p.intake.submit(sampleMessage(5));
    const [dead] = await waitFor("dead letter", async () => {
      const l = await p.deadLetters.list();
      return l.length === 1 ? l : null;
    });
    expect(calls).toBe(1);
    expect(dead!.reason).toBe("DELIVERY_PERMANENT: 550 mailbox unknown");
    expect(await p.quarantine.count()).toBe(0);
    expect(await p.deadLetters.discard(dead!.id)).toBe(true);
    expect(await p.deadLetters.list()).toEqual([]);
    expect(await p.deadLetters.discard("nope/1")).toBe(false);
  });

  it("runs as separate roles sharing one Redis", async () => {
    const ingest = start({ roles: ["ingest"] });
    // An ingest-only process runs no worker, so the job waits for a route process.
    expect(ingest.workers).toHaveLength(0);
    await ingest.intake.submit(sampleMessage(1));
    expect(await ingest.queues.inbound.getJobCounts("wait")).toEqual({ wait: 1 });
    start({ roles: ["route"], delivery: undefined });
    await waitFor(
      "routed",
      async () => (await ingest.queues.deliver.getJobCounts("wait")).wait === 1,
    );
    expect(delivery.sent).toHaveLength(0);
    start({ roles: ["deliver"], route: undefined, affiliate: undefined });
    await waitFor("delivered", () => delivery.sent.length === 1);
  });

  it("acknowledges non-web readers in their language; a failing ack does not block delivery", async () => {
    const acks: { channel: string; to: string; text: string; key: string }[] = [];
    let failAcks = true;
    const sender: Sender = {
      send(channel, m) {
        if (failAcks)
          return Promise.reject(new RouterError("ADAPTER_NETWORK", "down", { retryable: true }));
        acks.push({ channel, to: m.to, text: m.text, key: m.idempotencyKey });
        return Promise.resolve({ platformMessageId: "telegram:1" });
      },
    };
    const p = start({ sender });
    await p.intake.submit(sampleMessage(1));
    await p.intake.submit(
      sampleMessage(2, { id: "web:form-2", channel: "web", replyTo: "web:none", evidence: {} }),
    );
    await waitFor("both delivered", () => delivery.sent.length === 2);
    const [deadAck] = await waitFor("ack dead letter", async () => {
      const l = await p.deadLetters.list();
      return l.length === 1 ? l : null;
    });
    expect(deadAck!.queue).toBe("outbound");
    failAcks = false;
    await p.deadLetters.retry(deadAck!.id);
    await waitFor("ack", () => acks.length === 1);
    expect(acks[0]).toMatchObject({
      channel: "telegram",
      to: "telegram:1000",
      text: "[de] passed to Gruppe Internationalistischer Kommunistinnen",
    });
    expect(acks[0]!.key).toBe(`ack-${delivery.sent[0]!.contactId}`);
  });

  it("keeps no message text, names or handles in clear anywhere under the prefix", async () => {
    const p = start();
    for (let i = 0; i < 5; i++) await p.intake.submit(sampleMessage(i));
    await waitFor("deliveries", () => delivery.sent.length === 5);
    const keys = await keysUnder(redis, prefix);
    expect(keys.length).toBeGreaterThan(5);
    for (const k of keys) {
      const raw = (await redis.dumpBuffer(k))?.toString("latin1") ?? "";
      for (const secret of ["geheim-7f3a", "Anna", "anna_b", "de@example.org", "telegram:1000:"]) {
        expect(raw, `${k} holds ${secret}`).not.toContain(secret);
      }
    }
  });
});
