import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../src/audit/log.js";
import { newConversation } from "../../src/conversation/history.js";
import type { ConversationStore } from "../../src/conversation/store.js";
import type { RouterError } from "../../src/errors.js";
import { jobOptions, sealJob } from "../../src/queue/jobs.js";
import { QUEUE } from "../../src/queue/keys.js";
import { createPipeline, type Pipeline } from "../../src/queue/pipeline.js";
import {
  retentionConfigFromEnv,
  retentionPolicies,
  type RetentionConfig,
} from "../../src/retention/policies.js";
import { purgeExpired, startRetention, type RetentionDeps } from "../../src/retention/purge.js";
import { readerInput, testKeyring, testStore } from "../conversation/fixtures.js";
import { cleanup, sampleMessage, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

const DAY = 86_400_000;

describe("retention", () => {
  let redis: Redis;
  let prefix: string;
  let pipeline: Pipeline;
  let store: ConversationStore;
  let audit: AuditLog;
  let deps: RetentionDeps;
  let outboxDir: string;
  const config: RetentionConfig = retentionConfigFromEnv({});
  const key = randomBytes(32);

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    pipeline = createPipeline({ connection: redis, prefix, key, roles: [] });
    store = testStore(redis, prefix, testKeyring(key));
    audit = createAuditLog({ redis, prefix, envelope: pipeline.envelope });
    outboxDir = testDir("cr-retention-");
    deps = {
      redis,
      prefix,
      store,
      queues: pipeline.queues,
      quarantine: pipeline.quarantine,
      held: pipeline.held,
      audit,
      outboxDir,
    };
  });
  afterEach(async () => {
    await pipeline.close();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  /** One item of every data type, all stored now. */
  async function seed(): Promise<{ outboxFile: string }> {
    const input = readerInput(1);
    await store.create(input.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, input, {
        channel: "telegram",
        country: null,
        language: null,
        words: "hi",
      }),
    );
    // A dead letter on the deliver queue and one on the relay queue (raw mail), failed for real.
    for (const queue of [QUEUE.deliver, QUEUE.relay]) {
      const h = `${queue}hash`;
      await pipeline.queues[queue].add(
        "x",
        sealJob(pipeline.envelope, queue, h, Date.now(), { any: 1 }),
        jobOptions(`${queue}-${h}`, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }),
      );
      const worker = new Worker(
        queue,
        () => Promise.reject(new UnrecoverableError("DELIVERY_PERMANENT: test")),
        { connection: redis, prefix },
      );
      await waitFor(
        `dead letter on ${queue}`,
        async () => (await pipeline.queues[queue].getFailedCount()) === 1,
      );
      await worker.close();
    }
    await pipeline.intake.quarantine("telegram:update:1", "no message in update", { update_id: 1 });
    await pipeline.intake.quarantine("email:uid:7:42", "MESSAGE_TOO_LARGE: 9 bytes", "raw mail");
    await pipeline.held.put(
      {
        ref: "inbound-held1",
        channel: "telegram",
        sender: "kid.sender",
        at: new Date().toISOString(),
      },
      sealJob(pipeline.envelope, QUEUE.inbound, "held1", Date.now(), sampleMessage(1)),
      { key: `${prefix}:seen:held1`, ttlSeconds: 60 },
    );
    await audit.record({ actor: "alice", action: "rules.save" });
    mkdirSync(outboxDir, { recursive: true });
    const outboxFile = join(outboxDir, "0123456789abcdef0123456789abcdef.eml");
    writeFileSync(outboxFile, "Subject: x\r\n\r\nbody\r\n");
    return { outboxFile };
  }

  const at = (days: number) => new Date(Date.now() + days * DAY);

  it("deletes each data type only once its own period has passed", async () => {
    const { outboxFile } = await seed();

    // Nothing is due yet.
    expect(Object.values(await purgeExpired(deps, config, at(1))).every((n) => n === 0)).toBe(true);

    // 15 days: raw mail (14) only: the quarantined email and the relay dead letter.
    expect(await purgeExpired(deps, config, at(15))).toMatchObject({
      "raw mail": 2,
      "dead letters": 0,
      quarantine: 0,
      held: 0,
      "outbox files": 0,
    });
    expect(await pipeline.quarantine.get("email:uid:7:42")).toBeNull();
    expect(await pipeline.quarantine.get("telegram:update:1")).not.toBeNull();

    // 31 days: dead letters, quarantine, held messages (30 each); the outbox file by its time.
    utimesSync(outboxFile, at(-31), at(-31));
    expect(await purgeExpired(deps, config, at(31))).toMatchObject({
      "dead letters": 1,
      quarantine: 1,
      held: 1,
      "outbox files": 1,
      conversations: 0,
      "audit log": 0,
    });
    expect(existsSync(outboxFile)).toBe(false);
    expect(await pipeline.held.count()).toBe(0);
    expect(await pipeline.deadLetters.count()).toBe(0);
    expect(await store.count()).toBe(1);

    // 181 days after the last message: the conversation; 366: the audit entry.
    expect((await purgeExpired(deps, config, at(181))).conversations).toBe(1);
    expect(await store.count()).toBe(0);
    expect(await audit.count()).toBe(1);
    expect((await purgeExpired(deps, config, at(366)))["audit log"]).toBe(1);
    expect(await audit.count()).toBe(0);
  });

  it("runs once at start on the schedule, counts in metrics, and honours configured periods", async () => {
    await seed();
    const registry = new Registry();
    const schedule = startRetention({
      deps,
      config: { ...config, heldDays: 2, intervalMs: 3_600_000 },
      now: () => at(3),
      metrics: registry,
    });
    try {
      await waitFor("the first purge", async () => (await pipeline.held.count()) === 0);
      await waitFor("the metric", async () =>
        (await registry.getSingleMetricAsString("contact_router_retention_purged_total")).includes(
          'data_type="held"} 1',
        ),
      );
      // The quarantine (30 days) is not due at day 3.
      expect(await pipeline.quarantine.count()).toBe(2);
      const again = await schedule.runOnce();
      expect(again && Object.values(again).every((n) => n === 0)).toBe(true);
    } finally {
      await schedule.stop();
    }
  });

  it("lists every policy with its default, variable and description; bad values are named", () => {
    const policies = retentionPolicies(config);
    expect(policies.map((p) => [p.dataType, p.days, p.envVar])).toEqual([
      ["conversations", 180, "CONVERSATION_RETENTION_DAYS"],
      ["raw mail", 14, "RAW_MAIL_RETENTION_DAYS"],
      ["dead letters", 30, "DEAD_LETTER_RETENTION_DAYS"],
      ["quarantine", 30, "QUARANTINE_RETENTION_DAYS"],
      ["held", 30, "HELD_RETENTION_DAYS"],
      ["audit log", 365, "AUDIT_RETENTION_DAYS"],
      ["outbox files", 30, "OUTBOX_RETENTION_DAYS"],
      ["dedupe records", 30, "DEDUPE_TTL_DAYS"],
    ]);
    for (const p of policies) expect(p.description.length).toBeGreaterThan(20);
    expect(retentionConfigFromEnv({ QUARANTINE_RETENTION_DAYS: "7" }).quarantineDays).toBe(7);
    for (const [name, value] of [
      ["AUDIT_RETENTION_DAYS", "0"],
      ["CONVERSATION_RETENTION_DAYS", "0"],
      ["RAW_MAIL_RETENTION_DAYS", "two weeks"],
      ["RETENTION_PURGE_INTERVAL_MINUTES", "-5"],
    ] as const) {
      expect(() => retentionConfigFromEnv({ [name]: value }), name).toThrow(
        new RegExp(`^${name}:`),
      );
      try {
        retentionConfigFromEnv({ [name]: value });
      } catch (err) {
        expect((err as RouterError).code).toBe("CONFIG_INVALID");
      }
    }
  });
});
