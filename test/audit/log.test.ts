import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditKey, createAuditLog, type AuditEvent, type AuditLog } from "../../src/audit/log.js";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";

describe("audit log", () => {
  let redis: Redis;
  let prefix: string;
  let log: AuditLog;
  const key = randomBytes(32);

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    log = createAuditLog({ redis, prefix, envelope: createEnvelope(key) });
  });
  afterEach(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it("records who did what to which object, newest first, and pages with `before`", async () => {
    await log.record({ actor: "alice", action: "rules.save", object: "routing-rules.yaml" });
    await log.record({
      actor: "alice",
      action: "conversation.view",
      object: "C-7KQ2M",
      detail: { affiliate: "gik", decrypted: true },
    });
    await log.record({ actor: "bob", action: "dlq.retry", object: "deliver/deliver-ab12cd34.ff" });
    const all = await log.list({ limit: 10 });
    expect(all.map((e) => e.action)).toEqual(["dlq.retry", "conversation.view", "rules.save"]);
    expect(all[1]).toMatchObject({
      actor: "alice",
      object: "C-7KQ2M",
      detail: { affiliate: "gik", decrypted: true },
    });
    expect(Date.parse(all[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
    const older = await log.list({ limit: 1, before: all[0]!.id });
    expect(older.map((e) => e.action)).toEqual(["conversation.view"]);
    expect((await log.list({ limit: 10, before: all[2]!.id })).length).toBe(0);
    expect(await log.count()).toBe(3);
    const exported: string[] = [];
    for await (const e of log.entries()) exported.push(e.action);
    expect(exported).toEqual(["rules.save", "conversation.view", "dlq.retry"]);
  });

  it("refuses personal data in any field", async () => {
    const bad: AuditEvent[] = [
      { actor: "alice", action: "forget", object: "reader@example.org" },
      { actor: "alice", action: "forget", object: "telegram:12345" },
      { actor: "alice", action: "view", detail: { to: "+49 170 1234567" } },
      { actor: "alice", action: "view", detail: { who: "Email:x" } },
      { actor: "", action: "view" },
      { actor: "alice", action: "view\nforged line" },
    ];
    for (const e of bad) await expect(log.record(e), JSON.stringify(e)).rejects.toThrow(/audit/);
    expect(await log.count()).toBe(0);
    // Keyed hashes and references are what objects are named by; long digit runs in hashes pass.
    await log.record({
      actor: "alice",
      action: "forget",
      object: "identity:1a2b3c4d.12345678901234567890123456789012",
    });
    expect(await log.count()).toBe(1);
  });

  it("offers no way to change an entry, and `verify` shows raw edits, removals and forgeries", async () => {
    // The interface is append, read and trim by age: nothing edits or removes one entry.
    expect(Object.keys(log).sort()).toEqual(
      ["count", "entries", "list", "record", "trimBefore", "verify"].sort(),
    );
    for (let i = 0; i < 5; i++) await log.record({ actor: "alice", action: `step.${i}` });
    expect(await log.verify()).toEqual({ checked: 5, altered: [], broken: [], unverifiable: 0 });

    const entries = await log.list({ limit: 10 });
    // Someone with raw Redis access deletes an entry in the middle…
    await redis.xdel(auditKey(prefix), entries[2]!.id);
    // …and appends a forged one without the data key.
    await redis.xadd(
      auditKey(prefix),
      "*",
      "a",
      "mallory",
      "x",
      "rules.save",
      "o",
      "",
      "d",
      "",
      "p",
      "",
      "c",
      `v2.${createEnvelope(key).currentKid}.${"A".repeat(60)}`,
    );
    const v = await log.verify();
    expect(v.checked).toBe(5);
    expect(v.broken).toEqual([entries[1]!.id, (await log.list({ limit: 1 }))[0]!.id]);
    expect(v.altered).toEqual([(await log.list({ limit: 1 }))[0]!.id]);
  });

  it("trims only entries older than the retention cutoff", async () => {
    await log.record({ actor: "alice", action: "old" });
    const oldAt = Date.parse((await log.list({ limit: 1 }))[0]!.at);
    // The next entry must fall in a later millisecond than the cutoff.
    await waitFor("the clock to pass the cutoff", () => Date.now() > oldAt + 1);
    const cutoff = new Date(oldAt + 1);
    await log.record({ actor: "alice", action: "new" });
    expect(await log.trimBefore(cutoff)).toBe(1);
    expect((await log.list({ limit: 10 })).map((e) => e.action)).toEqual(["new"]);
    expect((await log.verify()).broken).toEqual([]);
  });
});
