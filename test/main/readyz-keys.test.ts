import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { keyId } from "../../src/crypto/identity-hash.js";
import { startApp, type RunningApp } from "../../src/main.js";
import { createPipeline } from "../../src/queue/pipeline.js";
import type { HealthReport } from "../../src/http/server.js";
import {
  REDIS_URL,
  cleanup,
  sampleMessage,
  testPrefix,
  testRedis,
  waitFor,
} from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

/**
 * Issue 10, finding 1, as the finding was seen: contacts queued under one DATA_KEY, the service
 * restarted with another. `/readyz` used to stay 200 while every contact went to quarantine; now
 * it answers 503 naming the missing key id, and nothing is quarantined.
 */
describe("/readyz and a missing data key", () => {
  let app: RunningApp | null = null;
  const prefix = testPrefix();

  afterEach(async () => {
    await app?.stop();
    const r = testRedis();
    await cleanup(r, prefix);
    r.disconnect();
  });

  it("is red while queued contacts wait for a key the process lacks, then green with it in DATA_KEYS", async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const redis = testRedis();
    const before = createPipeline({ connection: redis, prefix, key: a, roles: [] });
    for (let i = 0; i < 3; i++) await before.intake.submit(sampleMessage(i));
    await before.close();
    redis.disconnect();

    const env = {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      VAR_DIR: testDir("cr-readyz-"),
      PORT: "0",
      INTERNAL_PORT: "0",
      HOST: "127.0.0.1",
      DATA_KEY: b.toString("base64"),
    };
    app = await startApp({ env, adapters: false });
    const ready = async () => {
      const res = await fetch(`${app!.internalAddress}/readyz`);
      return { status: res.status, body: (await res.json()) as HealthReport };
    };
    const red = await waitFor("503 for all three", async () => {
      const r = await ready();
      return r.status === 503 && r.body.checks.keys?.detail?.includes("3 sealed") ? r : null;
    });
    expect(red.body.checks.keys).toMatchObject({ ok: false });
    expect(red.body.checks.keys!.detail).toContain(`3 sealed with ${keyId(a)}`);
    expect(await app.pipeline.quarantine.count()).toBe(0);
    await app.stop();

    app = await startApp({ env: { ...env, DATA_KEYS: a.toString("base64") }, adapters: false });
    expect((await ready()).status).toBe(200);
    await app.pipeline.queues.inbound.promoteJobs();
    await waitFor(
      "three delivered",
      async () => (await app!.pipeline.queues.deliver.getCompletedCount()) === 3,
    );
    expect((await ready()).status).toBe(200);
  });
});
