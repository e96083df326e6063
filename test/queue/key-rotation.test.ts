import { createCipheriv, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { keyId } from "../../src/crypto/identity-hash.js";
import { resealAll, censusAll } from "../../src/crypto/sealed-store.js";
import { RouterError } from "../../src/errors.js";
import { createMetrics } from "../../src/metrics.js";
import { legacyIdHash } from "../../src/queue/keys.js";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import { cleanup, sampleMessage, testPrefix, testRedis, waitFor } from "./helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "./fixtures.js";

const FAST = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

/** A value in the envelope format from before key ids (`v1.`), as jobs queued before the upgrade are. */
function sealV1(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
  c.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64url")}`;
}

/**
 * Issue 10, finding 1: a process started with another DATA_KEY used to quarantine every queued
 * job as DECRYPT_FAILED within milliseconds, with no way back. Now such jobs are kept untouched,
 * delayed without using an attempt, counted, reported by the readiness check, and delivered once
 * the key is in DATA_KEYS.
 */
describe("data keys and rotation (real Redis)", () => {
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
      roles: ["route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery,
      retry: { inbound: FAST, deliver: FAST, outbound: FAST },
      ...over,
    });
    open.push(p);
    return p;
  }

  async function stop(p: Pipeline): Promise<void> {
    open.splice(open.indexOf(p), 1);
    await p.close();
  }

  it("a job sealed with a key the process lacks waits untouched, then is delivered once the key is in DATA_KEYS", async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const ingest = start({ key: a, roles: [] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ingest.intake.submit(sampleMessage(i))).jobId);
    const before = await Promise.all(ids.map((id) => ingest.queues.inbound.getJob(id)));
    const dataBefore = before.map((j) => JSON.stringify(j!.data));

    // Restarted with a new DATA_KEY only (the finding's scenario).
    const metrics = createMetrics();
    const wrong = start({ key: b, metrics });
    await waitFor(
      "all three put back as delayed",
      async () => (await wrong.queues.inbound.getJobCounts("delayed")).delayed === 3,
    );
    const after = await Promise.all(ids.map((id) => wrong.queues.inbound.getJob(id)));
    expect(after.map((j) => JSON.stringify(j!.data))).toEqual(dataBefore);
    expect(after.map((j) => j!.attemptsMade)).toEqual([0, 0, 0]);
    expect(await wrong.quarantine.count()).toBe(0);
    expect(await wrong.deadLetters.list()).toEqual([]);
    expect(delivery.sent).toHaveLength(0);
    const health = await wrong.keyHealth();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain(keyId(a));
    expect(health.detail).toContain("DATA_KEYS");
    expect(
      await metrics.registry.getSingleMetricAsString("contact_router_key_unavailable_total"),
    ).toMatch(new RegExp(`queue="inbound",kid="${keyId(a)}"} 3`));
    // The same message posted again is still a duplicate: the original is kept, not lost.
    expect((await ingest.intake.submit(sampleMessage(0))).duplicate).toBe(true);

    // Restarted again with the old key in DATA_KEYS: the jobs open and are delivered.
    await stop(wrong);
    const fixed = start({ key: b, oldKeys: [a] });
    await fixed.queues.inbound.promoteJobs(); // what their backoff would do later
    await waitFor("three deliveries", () => delivery.sent.length === 3);
    expect(delivery.sent.map((c) => c.message.id).sort()).toEqual(
      [0, 1, 2].map((i) => sampleMessage(i).id).sort(),
    );
    expect((await fixed.keyHealth()).ok).toBe(true);
    expect(await fixed.quarantine.count()).toBe(0);
  });

  it("the process lacking the key turns ready again once another process has delivered the job", async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const ingest = start({ key: a, roles: [] });
    await ingest.intake.submit(sampleMessage(1));
    const lacking = start({ key: b });
    await waitFor("red", async () => !(await lacking.keyHealth()).ok);
    // Only the other process may take the job now (else it could be put back once more).
    await Promise.all(lacking.workers.map((w) => w.pause()));
    // A process with the old key in DATA_KEYS (a rolling restart) takes the job.
    const other = start({ key: b, oldKeys: [a] });
    await other.queues.inbound.promoteJobs();
    await waitFor("delivered", () => delivery.sent.length === 1);
    await waitFor("green again", async () => (await lacking.keyHealth()).ok);
  });

  it("a job altered under a key the process has is still quarantined as DECRYPT_FAILED", async () => {
    const key = randomBytes(32);
    const p = start({ key });
    const h = `${keyId(key)}.${"0".repeat(32)}`;
    // Sealed under the right key but for another job: authentication fails.
    const moved = { v: 1, h, t: Date.now(), s: p.envelope.seal("{}", "inbound:other") };
    await p.queues.inbound.add("route", moved, { jobId: `inbound-${h}` });
    const [entry] = await waitFor("quarantined", async () => {
      const l = await p.quarantine.list();
      return l.length === 1 ? l : null;
    });
    expect(entry!.reason).toMatch(/^DECRYPT_FAILED/);
    expect((await p.keyHealth()).ok).toBe(true);
  });

  it("jobs queued before key ids (v1 envelope, unkeyed id hash) are still delivered", async () => {
    const key = randomBytes(32);
    const p = start({ key, roles: [] });
    const message = sampleMessage("legacy");
    const h = legacyIdHash(message.id);
    const data = {
      v: 1,
      h,
      t: Date.now(),
      s: sealV1(key, JSON.stringify(message), `inbound:${h}`),
    };
    await p.queues.inbound.add("route", data, { jobId: `inbound-${h}`, attempts: 3 });
    start({ key });
    await waitFor("delivered", () => delivery.sent.length === 1);
    expect(delivery.sent[0]!.message.text).toBe(message.text);
    // Same contact id as before the upgrade: c + the unkeyed hash.
    expect(delivery.sent[0]!.contactId).toBe(`c${h}`);
  });

  it("rotation re-seals queued, delayed and failed jobs, quarantine and held messages under the current key", async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    // A dead letter under key A.
    const failing = start({ key: a });
    delivery.fail = () => new RouterError("DELIVERY_PERMANENT", "550 no such mailbox");
    await failing.intake.submit(sampleMessage(0, { sender: { id: "telegram:user:99" } }));
    await waitFor("dead letter", async () => (await failing.deadLetters.list()).length === 1);
    await stop(failing);
    delivery.fail = () => null;
    const old = start({ key: a, roles: [], flood: { maxMessages: 1, windowSeconds: 3600 } });
    await old.intake.submit(sampleMessage(1)); // waiting
    await old.intake.submit(sampleMessage(2)); // same sender: held
    await old.intake.submit(sampleMessage(3, { sender: { id: "telegram:user:7" } })); // waiting
    await old.intake.quarantine("telegram:update:9", "no message", { update_id: 9 });
    await old.queues.deliver.add(
      "deliver",
      { v: 1, h: "x", t: 0, s: old.envelope.seal("{}", "deliver:x") },
      { jobId: "deliver-x", delay: 60_000 },
    );
    expect(await old.held.count()).toBe(1);

    const rotated = start({ key: b, oldKeys: [a], roles: [] });
    const before = await censusAll(rotated.sealedStores, rotated.envelope);
    // inbound: 2 waiting + 1 completed (kept an hour); deliver: 1 delayed + 1 failed;
    // quarantine 1; held 1.
    expect(before.reduce((n, c) => n + (c.byKid[keyId(a)] ?? 0), 0)).toBe(7);
    const reports = await resealAll(rotated.sealedStores, rotated.envelope);
    expect(reports.reduce((n, r) => n + r.resealed, 0)).toBe(7);
    expect(reports.flatMap((r) => r.unreadable)).toEqual([]);
    const after = await censusAll(rotated.sealedStores, rotated.envelope);
    for (const c of after) expect(Object.keys(c.byKid).filter((k) => k !== keyId(b))).toEqual([]);

    // Without the old key, everything still opens: the queued jobs are delivered, the held one
    // too once released, and the quarantined payload reads.
    await stop(rotated);
    await stop(old);
    const only = start({ key: b });
    expect(await only.quarantine.raw("telegram:update:9")).toBe('{"update_id":9}');
    await waitFor("two deliveries", () => delivery.sent.length === 2);
    const [held] = await only.held.list();
    expect(await only.held.release(held!.ref)).toBe(true);
    await waitFor("held one delivered", () => delivery.sent.length === 3);
    const [dead] = await only.deadLetters.list();
    expect(await only.deadLetters.retry(dead!.id)).toBe(true);
    await waitFor("dead letter delivered", () => delivery.sent.length === 4);
    expect((await only.keyHealth()).ok).toBe(true);
  });
});
