import { randomBytes } from "node:crypto";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Redis } from "ioredis";
import { registerKeysCommands } from "../../src/cli/keys-admin.js";
import { registerQueueCommands } from "../../src/cli/queue-admin.js";
import { keyId } from "../../src/crypto/identity-hash.js";
import { KeyUnavailableError, RouterError } from "../../src/errors.js";
import { legacyIdHash } from "../../src/queue/keys.js";
import { createPipeline, type Pipeline, type PipelineOptions } from "../../src/queue/pipeline.js";
import {
  REDIS_URL,
  cleanup,
  keysUnder,
  sampleMessage,
  testPrefix,
  testRedis,
  waitFor,
} from "../queue/helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "../queue/fixtures.js";
import { testDir } from "../support/temp-dir.js";
import { newConversation } from "../../src/conversation/history.js";
import { ConversationSealedStore } from "../../src/conversation/sealed.js";
import { RESEAL } from "../../src/conversation/scripts.js";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { createKeyring } from "../../src/crypto/keyring.js";
import { relayPartContext } from "../../src/queue/jobs.js";
import { sealRelayJob, type RelayJob } from "../../src/relay/worker.js";
import { readerInput, testKeyring, testStore } from "../conversation/fixtures.js";

/**
 * The admin side of issue 10's finding 1: `keys status|rotate|migrate`, `quarantine requeue`,
 * `held list|release|discard`, run as the CLI runs them (config from the environment).
 */
describe("contact-router keys / quarantine requeue / held", () => {
  let redis: Redis;
  let prefix: string;
  let open: Pipeline[];
  let delivery: RecordingDelivery;
  const saved = { ...process.env };
  const a = randomBytes(32);
  const b = randomBytes(32);

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    open = [];
    delivery = new RecordingDelivery();
    Object.assign(process.env, {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      VAR_DIR: testDir("cr-cli-"),
    });
  });
  afterEach(async () => {
    await Promise.all(open.map((p) => p.close()));
    await cleanup(redis, prefix);
    redis.disconnect();
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  /** The keys the CLI runs with: DATA_KEY and DATA_KEYS. */
  function useKeys(current: Buffer, old: Buffer[] = []): void {
    process.env.DATA_KEY = current.toString("base64");
    if (old.length > 0) process.env.DATA_KEYS = old.map((k) => k.toString("base64")).join(",");
    else delete process.env.DATA_KEYS;
  }

  function start(over: Partial<PipelineOptions> & Pick<PipelineOptions, "key">): Pipeline {
    const p = createPipeline({
      connection: redis,
      prefix,
      roles: [],
      route: fakeRoute,
      affiliate,
      delivery,
      retry: { deliver: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 } },
      ...over,
    });
    open.push(p);
    return p;
  }

  async function run(...args: string[]): Promise<string> {
    const out: string[] = [];
    const capture = (...x: unknown[]) =>
      void out.push(x.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" "));
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "table").mockImplementation(capture);
    const program = new Command().exitOverride();
    registerQueueCommands(program);
    registerKeysCommands(program);
    try {
      await program.parseAsync(["node", "contact-router", ...args]);
    } finally {
      vi.restoreAllMocks();
    }
    return out.join("\n");
  }

  it("quarantined under key A: readable and requeueable with A in DATA_KEYS; without A a clear KEY_UNAVAILABLE", async () => {
    const p = start({ key: a, roles: ["route"] });
    await p.intake.submit(sampleMessage(1, { text: "POISON, but a reader's real message" }));
    const [entry] = await waitFor("quarantined", async () => {
      const l = await p.quarantine.list();
      return l.length === 1 ? l : null;
    });
    expect(entry!.stage).toBe("inbound");
    await waitFor(
      "the quarantined job left the failed set",
      async () => (await p.queues.inbound.getFailedCount()) === 0,
    );
    await p.close();
    open.length = 0;

    useKeys(b);
    const err = await run("quarantine", "show", entry!.ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyUnavailableError);
    expect((err as Error).message).toBe(
      `quarantine entry ${entry!.ref} was sealed with data key ${keyId(a)}, which is neither DATA_KEY nor in DATA_KEYS; add that key to DATA_KEYS`,
    );

    useKeys(b, [a]);
    expect(JSON.parse(await run("quarantine", "show", entry!.ref))).toMatchObject({
      text: "POISON, but a reader's real message",
    });
    expect(await run("quarantine", "requeue", entry!.ref)).toBe(
      `requeued ${entry!.ref} on inbound as ${entry!.ref.slice("inbound/".length)}`,
    );
    expect(await run("quarantine", "list")).toBe("quarantine is empty");
    // Back on the queue, sealed under the current key: a process with B alone delivers it.
    start({
      key: b,
      roles: ["route", "deliver"],
      route: (m) => fakeRoute({ ...m, text: m.text.replace("POISON", "") }),
    });
    await waitFor("delivered", () => delivery.sent.length === 1);
    expect(delivery.sent[0]!.message.text).toContain("a reader's real message");
  });

  it("requeue refuses what cannot be processed, with the reason; --all requeues the rest", async () => {
    const p = start({ key: a });
    await p.intake.quarantine("telegram:update:7", "no message in update", { update_id: 7 });
    const canonical = sampleMessage("from-adapter");
    await p.intake.quarantine("telegram:update:8", "adapter bug", canonical);
    useKeys(a);
    await expect(run("quarantine", "requeue", "telegram:update:7")).rejects.toThrow(
      /quarantine entry telegram:update:7 cannot be requeued: its payload is not a canonical message/,
    );
    await expect(run("quarantine", "requeue", "nope")).rejects.toThrow(
      /no quarantine entry with id nope/,
    );
    const out = await run("quarantine", "requeue", "--all");
    expect(out).toContain(
      `requeued telegram:update:8 on inbound as ${p.intake.idsFor(canonical.id).jobId}`,
    );
    expect(out).toContain("1 entry not requeued");
    expect(out).toContain("telegram:update:7");
    expect((await p.quarantine.list()).map((e) => e.ref)).toEqual(["telegram:update:7"]);
    expect(await p.queues.inbound.getJob(p.intake.idsFor(canonical.id).jobId)).toBeTruthy();
  });

  it("keys rotate re-seals everything stored; status lists key ids with counts", async () => {
    const p = start({ key: a, flood: { maxMessages: 1, windowSeconds: 3600 } });
    await p.intake.submit(sampleMessage(1));
    await p.intake.submit(sampleMessage(2)); // held
    await p.intake.quarantine("discord:msg:1", "no text", { id: 1 });

    useKeys(b, [a]);
    const before = JSON.parse(await run("keys", "status", "--json")) as {
      keyring: { current: string; readOnly: string[] };
      sealed: { store: string; byKid: Record<string, number>; missing: string[] }[];
    };
    expect(before.keyring).toMatchObject({ current: keyId(b), readOnly: [keyId(a)] });
    const count = (s: typeof before, kid: string) =>
      s.sealed.reduce((n, x) => n + (x.byKid[kid] ?? 0), 0);
    expect(count(before, keyId(a))).toBe(3);

    const rotated = JSON.parse(await run("keys", "rotate", "--json")) as {
      summary: { store: string; resealed: number }[];
      unreadable: unknown[];
      leftOld: unknown[];
    };
    expect(rotated.summary.reduce((n, s) => n + s.resealed, 0)).toBe(3);
    expect(rotated.unreadable).toEqual([]);
    expect(rotated.leftOld).toEqual([]);
    const after = JSON.parse(await run("keys", "status", "--json")) as typeof before;
    expect(count(after, keyId(a))).toBe(0);
    expect(count(after, keyId(b))).toBe(3);

    // A is no longer needed to read anything.
    useKeys(b);
    expect(await run("quarantine", "show", "discord:msg:1")).toBe('{"id":1}');
    const [held] = JSON.parse(await run("held", "list", "--json")) as { ref: string }[];
    expect(await run("held", "release", held!.ref)).toBe("released 1 held message");
    start({ key: b, roles: ["route", "deliver"] });
    await waitFor("both delivered", () => delivery.sent.length === 2);
  });

  it("keys rotate re-seals conversations and relay jobs (with their plan); they open with the new key alone", async () => {
    const p = start({ key: a });
    const storeA = testStore(redis, prefix, testKeyring(a));
    const input = readerInput(1);
    const { conversation } = await storeA.create(input.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, input, {
        channel: "telegram",
        country: "AT",
        language: "de",
        words: "Hallo",
      }),
    );
    const envA = createEnvelope(a);
    const origin = { ip: "127.0.0.1", helo: "mx.example.org", mailFrom: "de@leftcom.org" };
    const reply = Buffer.from("From: de@leftcom.org\r\n\r\nHallo!\r\n");
    const waiting = sealRelayJob(envA, reply, "token-one", origin);
    const planned = sealRelayJob(envA, reply, "token-two", origin);
    const plan = { outcome: "answer", actions: [] };
    await p.queues.relay.add("reply", waiting.data, { jobId: waiting.id });
    await p.queues.relay.add(
      "reply",
      {
        ...planned.data,
        p: envA.seal(JSON.stringify(plan), relayPartContext(planned.data.h, "plan")),
      },
      { jobId: planned.id },
    );

    useKeys(b, [a]);
    const before = JSON.parse(await run("keys", "status", "--json")) as {
      sealed: { store: string; total: number; byKid: Record<string, number> }[];
    };
    const of = (x: typeof before, store: string) => x.sealed.find((s) => s.store === store);
    expect(of(before, "conversations")).toMatchObject({ total: 1, byKid: { [keyId(a)]: 1 } });
    expect(of(before, "queue relay")).toMatchObject({ total: 2, byKid: { [keyId(a)]: 2 } });

    const rotated = JSON.parse(await run("keys", "rotate", "--json")) as {
      summary: { store: string; resealed: number }[];
      unreadable: unknown[];
      leftOld: unknown[];
    };
    expect(rotated.summary.find((s) => s.store === "conversations")?.resealed).toBe(1);
    expect(rotated.summary.find((s) => s.store === "queue relay")?.resealed).toBe(2);
    expect(rotated.unreadable).toEqual([]);
    expect(rotated.leftOld).toEqual([]);

    // Key A is gone: the conversation and every part of both relay jobs open with B alone.
    const storeB = testStore(redis, prefix, testKeyring(b));
    expect((await storeB.get(conversation.id))?.ref).toBe(conversation.ref);
    const envB = createEnvelope(b);
    const job = await p.queues.relay.getJob(planned.id);
    const data = job!.data as RelayJob;
    expect(envB.open(data.r, relayPartContext(data.h, "raw")).equals(reply)).toBe(true);
    expect(JSON.parse(envB.openText(data.m, relayPartContext(data.h, "meta")))).toMatchObject({
      token: "token-two",
    });
    expect(JSON.parse(envB.openText(data.p!, relayPartContext(data.h, "plan")))).toEqual(plan);
    const other = (await p.queues.relay.getJob(waiting.id))!.data as RelayJob;
    expect(other.p).toBeUndefined();
    expect(envB.keyIdOf(other.r)).toBe(keyId(b));
    // A second rotation has nothing left to do.
    const again = JSON.parse(await run("keys", "rotate", "--json")) as typeof rotated;
    expect(again.summary.reduce((n, s) => n + s.resealed, 0)).toBe(0);
  });

  it("re-sealing a conversation never overwrites a record the service changed after it was read", async () => {
    const storeA = testStore(redis, prefix, testKeyring(a));
    const input = readerInput(2);
    const { conversation } = await storeA.create(input.contactId, "telegram:2000", (id, ref) =>
      newConversation(id, ref, input, {
        channel: "telegram",
        country: "AT",
        language: "de",
        words: "Hallo",
      }),
    );
    const store = new ConversationSealedStore(redis, prefix);
    const envB = createEnvelope(createKeyring(b, [a]));
    // The service writes between the walk's read and its swap: simulated by changing `s` first.
    const key = `${prefix}:conv:${conversation.id}`;
    const sealed = (await redis.hget(key, "s"))!;
    await storeA.update(conversation.id, (c) => {
      c.lastMessageAt = new Date().toISOString();
    });
    expect(await redis.hget(key, "s")).not.toBe(sealed);
    const report = await store.reseal(envB);
    // It read the newest value (still under A) and re-sealed it; nothing was lost.
    expect(report).toMatchObject({ total: 1, resealed: 1, unreadable: [] });
    expect(envB.keyIdOf((await redis.hget(key, "s"))!)).toBe(keyId(b));
    expect((await testStore(redis, prefix, testKeyring(b)).get(conversation.id))?.id).toBe(
      conversation.id,
    );
    // The swap itself is a compare-and-set: a value read before a change is not written.
    const now = (await redis.hget(key, "s"))!;
    expect(await redis.eval(RESEAL, 1, key, sealed, "stale")).toBe(0);
    expect(await redis.hget(key, "s")).toBe(now);
  });

  it("keys rotate reports what it could not open and leaves it as it was", async () => {
    const lost = randomBytes(32);
    const p = start({ key: lost });
    await p.intake.submit(sampleMessage(1));
    const job = await p.queues.inbound.getJob(p.intake.idsFor(sampleMessage(1).id).jobId);
    useKeys(b);
    const err = await run("keys", "rotate").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("KEY_UNAVAILABLE");
    expect((err as Error).message).toMatch(/1 stored value\(s\) could not be opened/);
    const still = await p.queues.inbound.getJob(job!.id!);
    expect(still!.data).toEqual(job!.data);
    const status = JSON.parse(await run("keys", "status", "--json")) as {
      sealed: { store: string; missing: string[] }[];
    };
    expect(status.sealed.find((s) => s.store === "queue inbound")!.missing).toEqual([keyId(lost)]);
  });

  it("keys migrate reports legacy unkeyed records and purges what nothing can find", async () => {
    const p = start({ key: a });
    await p.intake.submit(sampleMessage(1));
    await redis.set(`${prefix}:seen:${legacyIdHash("telegram:1:1")}`, "x", "EX", 600);
    await redis.set(`${prefix}:thread:${legacyIdHash("telegram:user:1")}`, "c1", "EX", 600);
    await p.queues.deliver.add(
      "deliver",
      { v: 1, h: legacyIdHash("m"), t: 0, s: "x" },
      {
        jobId: `deliver-${legacyIdHash("m")}`,
        delay: 60_000,
      },
    );
    useKeys(a);
    const report = JSON.parse(await run("keys", "migrate", "--json")) as {
      records: { kind: string; byKid: Record<string, number>; unfindable: number }[];
      legacyJobs: { queue: string; state: string; count: number }[];
    };
    const seen = report.records.find((r) => r.kind === "seen")!;
    expect(seen.byKid).toEqual({ legacy: 1, [keyId(a)]: 1 });
    expect(seen.unfindable).toBe(1);
    expect(report.legacyJobs).toEqual([{ queue: "deliver", state: "delayed", count: 1 }]);
    const purged = JSON.parse(await run("keys", "migrate", "--purge", "--json")) as {
      purged: number;
    };
    expect(purged.purged).toBe(2);
    const names = await keysUnder(redis, prefix);
    expect(names.filter((n) => /:(seen|thread):[0-9a-f]{32}$/.test(n))).toEqual([]);
    expect(names.some((n) => n.includes(`:seen:${keyId(a)}.`))).toBe(true);
  });
});
