import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/log.js";
import { stickyRoute } from "../../src/conversation/sticky.js";
import { createConversationStore, type ConversationStore } from "../../src/conversation/store.js";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { createKeyring } from "../../src/crypto/keyring.js";
import { deliveryConfigFromEnv } from "../../src/delivery/config.js";
import { createDelivery } from "../../src/delivery/index.js";
import type { Delivery } from "../../src/delivery/types.js";
import {
  forget,
  forgetDepsFrom,
  formatReceipt,
  parseIdentity,
  type ErasureReceipt,
} from "../../src/erasure/forget.js";
import { RouterError } from "../../src/errors.js";
import { buildHttpServer } from "../../src/http/server.js";
import { ackText } from "../../src/i18n/texts.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import { HASH_PURPOSE } from "../../src/queue/keys.js";
import { createPipeline, type Pipeline } from "../../src/queue/pipeline.js";
import { RELAY_RETRY } from "../../src/relay/start.js";
import { createRelayTokens } from "../../src/relay/token.js";
import { enqueueReply } from "../../src/relay/worker.js";
import { loadRulesFile } from "../../src/routing/load.js";
import { routeMessage } from "../../src/routing/route.js";
import { scanOutbox, scanRedis } from "../support/canary-scan.js";
import { testHttpConfig } from "../http/support.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = promisify(execFile);
const tag = () => randomBytes(5).toString("hex");

/** A reader with canary strings in every field the router stores. */
function reader(letter: string) {
  const t = tag();
  return {
    address: `${letter.toLowerCase()}reader-${t}@example.org`,
    name: `Canaryname${letter}${t}`,
    body: `canarybody${letter}${t}`,
    street: `Canarystreet${letter}${t}`,
    telegram: String(700_000_000 + Math.floor(Math.random() * 99_000_000)),
    discord: `9${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(0, 18),
    get canaries(): string[] {
      return [this.address, this.name, this.body, this.street];
    },
  };
}
type Reader = ReturnType<typeof reader>;

function telegramMessage(r: Reader, n: number, text: string): InboundMessage {
  return {
    id: `telegram:${r.telegram}:${n}`,
    channel: "telegram",
    replyTo: `telegram:${r.telegram}`,
    sender: { id: `telegram:${r.telegram}`, displayName: r.name, handle: `@${r.name}` },
    text,
    sentAt: new Date().toISOString(),
    evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
    attachments: [],
  };
}

function emailMessage(r: Reader, n: number, text: string): InboundMessage {
  return {
    id: `email:<${n}.${r.body}@mail.example.org>`,
    channel: "email",
    replyTo: `email:${r.address}`,
    sender: { id: `email:${r.address}`, displayName: r.name, handle: r.address },
    subject: `Hello from ${r.street}`,
    text,
    sentAt: new Date().toISOString(),
    evidence: { emailAddress: r.address },
    attachments: [],
  };
}

function discordMessage(r: Reader, n: number, text: string): InboundMessage {
  return {
    id: `discord:5550${r.discord.slice(4)}:${n}`,
    channel: "discord",
    replyTo: `discord:5550${r.discord.slice(4)}`,
    sender: { id: `discord:${r.discord}`, displayName: r.name },
    text,
    sentAt: new Date().toISOString(),
    evidence: { languageTag: "en-GB", languageTagSource: "discord.locale" },
    attachments: [],
  };
}

describe("forget: erasing a reader leaves nothing of theirs", () => {
  let redis: Redis;
  let prefix: string;
  let varDir: string;
  let outboxDir: string;
  let key: Buffer;
  let pipeline: Pipeline;
  let store: ConversationStore;
  let http: FastifyInstance;
  let delivery: Delivery;
  const A = reader("A");
  const B = reader("B");
  /** Reader C leaves no address: only the conversation reference names them. */
  const C = reader("C");
  const receipts: ErasureReceipt[] = [];

  beforeAll(async () => {
    redis = testRedis();
    prefix = testPrefix();
    key = randomBytes(32);
    varDir = mkdtempSync(join(tmpdir(), "cr-forget-"));
    outboxDir = join(varDir, "outbox");
    const keyring = createKeyring(key);
    const envelope = createEnvelope(keyring);
    store = createConversationStore({ redis, prefix, envelope, keyring: keyring.entries });
    const tokens = createRelayTokens(keyring.entries);
    const rules = loadRulesFile();
    const real = createDelivery(
      deliveryConfigFromEnv({ OUTBOX_DIR: outboxDir, MAIL_FROM: "router <router@example.net>" }),
    );
    // The real outbox; a marker in the text makes a send fail, for a dead letter and a retry.
    delivery = {
      send(c) {
        if (c.message.text.includes("DEADLETTER"))
          return Promise.reject(new RouterError("DELIVERY_PERMANENT", "550 no such user"));
        if (c.message.text.includes("DELAYME"))
          return Promise.reject(
            new RouterError("DELIVERY_TRANSIENT", "421 try later", { retryable: true }),
          );
        return real.send(c);
      },
      sendMail: (m, k, l) => real.sendMail(m, k, l),
      close: () => real.close(),
    };
    pipeline = createPipeline({
      connection: redis,
      prefix,
      key,
      roles: ["ingest", "route", "deliver"],
      route: (m) => routeMessage(m, rules),
      affiliate: (id) => rules.affiliateById.get(id),
      ackText,
      conversation: (input) => stickyRoute({ store, tokens, affiliateExists: () => true }, input),
      delivery,
      sender: { send: () => Promise.resolve({ platformMessageId: "telegram:1:1" }) },
      // A transient failure waits ten minutes: the job sits in the delayed set meanwhile.
      retry: { deliver: { attempts: 5, baseDelayMs: 600_000, maxDelayMs: 600_000 } },
      flood: { maxMessages: 2, windowSeconds: 3600 },
    });
    http = buildHttpServer({
      intake: pipeline.intake,
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig(),
    });

    const post = (r: Reader, message: string, withAddress = true) =>
      http.inject({
        method: "POST",
        url: "/contact",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        payload: new URLSearchParams({
          name: r.name,
          ...(withAddress ? { email: r.address } : {}),
          country: "DE",
          message,
        }).toString(),
      });

    // Reader A: web form, email, Telegram (three: the third is held by the flood limit, the
    // second fails for now and waits delayed), Discord (fails for good: a dead letter), an
    // unreadable Telegram update (quarantine) and an affiliate's answer waiting in the relay.
    expect(
      (await post(A, `I live at ${A.street} in Berlin. ${A.body} web`)).statusCode,
    ).toBeLessThan(400);
    await pipeline.intake.submit(emailMessage(A, 1, `Hello, I am ${A.name}. ${A.body} email`));
    await pipeline.intake.submit(telegramMessage(A, 1, `Ich wohne in Wien. ${A.body} tg1`));
    await pipeline.intake.submit(telegramMessage(A, 2, `DELAYME ${A.body} tg2`));
    await pipeline.intake.submit(telegramMessage(A, 3, `${A.body} tg3 held`));
    await pipeline.intake.submit(discordMessage(A, 1, `DEADLETTER ${A.street} ${A.body} dc`));
    await pipeline.intake.quarantine(`telegram:update:${A.telegram}9`, "no message in update", {
      update_id: 99,
      message: { from: { id: Number(A.telegram), first_name: A.name }, text: A.body },
    });
    // Reader B: the same kinds of contact.
    expect((await post(B, `I live at ${B.street}, Paris. ${B.body} web`)).statusCode).toBeLessThan(
      400,
    );
    await pipeline.intake.submit(telegramMessage(B, 1, `Hola desde Madrid ${B.body} tg1`));
    await pipeline.intake.quarantine(`telegram:update:${B.telegram}9`, "no message in update", {
      update_id: 98,
      message: { from: { id: Number(B.telegram), first_name: B.name }, text: B.body },
    });

    expect((await post(C, `Greetings from ${C.street}. ${C.body}`, false)).statusCode).toBeLessThan(
      400,
    );

    // Everything settled: forwards in the outbox, the retry delayed, the dead letter, the hold.
    await waitFor("the conversations", async () => (await store.count()) >= 6, 30_000);
    await waitFor(
      "the delayed retry",
      async () => (await pipeline.queues.deliver.getDelayedCount()) === 1,
    );
    await waitFor("the dead letter", async () => (await pipeline.deadLetters.count()) === 1);
    await waitFor("the held message", async () => (await pipeline.held.count()) === 1);
    await waitFor("forwards in the outbox", () => {
      try {
        return readdirSync(outboxDir).filter((n) => n.endsWith(".eml")).length >= 6;
      } catch {
        return false;
      }
    });
    const convA = (await store.findByIdentity(`email:${A.address}`))[0]!;
    expect(convA).toBeDefined();
    const raw = Buffer.from(
      `From: volunteer@example.org\r\nTo: x\r\nSubject: Re: your message\r\n\r\nThanks!\r\n\r\n> ${A.body} quoted\r\n`,
    );
    await enqueueReply(
      pipeline.queues.relay,
      pipeline.envelope,
      RELAY_RETRY,
      raw,
      tokens.mint(convA.id, convA.generation),
      { ip: "127.0.0.1", mailFrom: "volunteer@example.org", helo: "mx.example.org" },
    );
  }, 120_000);

  afterAll(async () => {
    await http?.close();
    await pipeline?.close();
    await delivery?.close();
    await cleanup(redis, prefix);
    redis.disconnect();
    rmSync(varDir, { recursive: true, force: true });
  });

  const deps = () =>
    forgetDepsFrom({
      pipeline,
      store,
      redis,
      prefix,
      outboxDir,
      smtp: false,
      actor: "alice",
    });

  it("finds the canaries before the erasure (the scan can fail)", async () => {
    const scan = await scanRedis(redis, prefix, pipeline.envelope, [
      ...A.canaries,
      ...B.canaries,
      C.body,
    ]);
    expect(scan.unopened).toEqual([]);
    const found = scan.hits.map((h) => h.canary);
    for (const c of [...A.canaries, ...B.canaries, C.body]) expect(found, c).toContain(c);
    const files = (await scanOutbox(outboxDir, A.canaries)).map((h) => h.canary);
    expect(files).toContain(A.body);
  });

  it("removes every trace of reader A and leaves reader B", async () => {
    for (const identity of [
      A.address.toUpperCase(),
      `telegram:${A.telegram}`,
      `discord:${A.discord}`,
    ]) {
      receipts.push(await forget(deps(), identity));
    }
    const [byEmail, byTelegram, byDiscord] = receipts as [
      ErasureReceipt,
      ErasureReceipt,
      ErasureReceipt,
    ];
    expect(byEmail.kind).toBe("email");
    expect(byEmail.removed.conversations).toBe(1);
    expect(byEmail.removed["outbox files"]).toBeGreaterThanOrEqual(2);
    expect(byEmail.removed["relay jobs"]).toBe(1);
    expect(byTelegram.removed.conversations).toBe(1);
    expect(byTelegram.removed["held messages"]).toBe(1);
    expect(byTelegram.removed["delayed jobs"]).toBe(1);
    expect(byTelegram.removed["quarantine entries"]).toBe(1);
    expect(byTelegram.removed["flood records"]).toBe(1);
    expect(byDiscord.removed["dead letters"]).toBe(1);
    expect(byDiscord.removed.conversations).toBe(1);
    for (const r of receipts) {
      expect(r.outOfReach.join("\n")).toMatch(/affiliate mailboxes/);
      expect(JSON.stringify(r)).not.toContain(A.address);
    }
    expect(formatReceipt(byEmail)).toMatch(/conversations\s+1/);

    // Reader C, by the reference of their conversation (the only name they have here).
    const refs = await Promise.all(
      (await store.list({ limit: 100 })).map(async (s) => ({ s, c: await store.get(s.id) })),
    );
    const cConv = refs.find((r) => r.c?.lastReaderMessage.text.includes(C.body))!;
    expect(cConv).toBeDefined();
    const byRef = await forget(deps(), cConv.s.ref.toLowerCase());
    expect(byRef.kind).toBe("reference");
    expect(byRef.removed.conversations).toBe(1);
    expect(byRef.removed["outbox files"]).toBe(1);
    expect(byRef.removed["seen records"]).toBeGreaterThanOrEqual(1);
    expect(await store.getByRef(cConv.s.ref)).toBeNull();

    const scan = await scanRedis(redis, prefix, pipeline.envelope, [
      ...A.canaries,
      ...B.canaries,
      C.body,
    ]);
    expect(scan.unopened).toEqual([]);
    expect(scan.sealed).toBeGreaterThan(0);
    expect(scan.hits.filter((h) => A.canaries.includes(h.canary) || h.canary === C.body)).toEqual(
      [],
    );
    expect(scan.hits.filter((h) => A.telegram && h.where.includes(A.telegram))).toEqual([]);
    const bFound = scan.hits.map((h) => h.canary);
    for (const c of B.canaries) expect(bFound, c).toContain(c);

    // Nor any key name or value made of A's keyed hashes (message ids, sender, conversation index).
    const hashes = [
      ...[1, 2, 3].map((n) => telegramMessage(A, n, "").id),
      emailMessage(A, 1, "").id,
      discordMessage(A, 1, "").id,
    ].map((id) => pipeline.hasher.hash(HASH_PURPOSE.message, id).split(".")[1]!);
    for (const id of [`telegram:${A.telegram}`, `discord:${A.discord}`, `email:${A.address}`]) {
      hashes.push(pipeline.hasher.hash(HASH_PURPOSE.flood, id).split(".")[1]!);
      hashes.push(pipeline.hasher.hash("conversation", id).split(".")[1]!);
    }
    const keyed = await scanRedis(redis, prefix, pipeline.envelope, hashes);
    expect(keyed.hits.map((h) => `${h.canary} in ${h.where}`).slice(0, 12)).toEqual([]);

    expect(await scanOutbox(outboxDir, [...A.canaries, C.body])).toEqual([]);
    expect((await scanOutbox(outboxDir, B.canaries)).length).toBeGreaterThan(0);
    expect((await store.findByIdentity(`email:${B.address}`)).length).toBe(1);
    expect(await pipeline.quarantine.get(`telegram:update:${B.telegram}9`)).not.toBeNull();
  });

  it("a second run finds nothing", async () => {
    for (const identity of [A.address, `tg:${A.telegram}`, `discord:${A.discord}`]) {
      const again = await forget(deps(), identity);
      expect(Object.values(again.removed).every((n) => n === 0)).toBe(true);
      expect(formatReceipt(again)).toMatch(/Removed: nothing/);
    }
  });

  it("the CLI prints a receipt, and the audit log names erasures by keyed hash only", async () => {
    const env = {
      ...process.env,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATA_KEY: key.toString("base64"),
      VAR_DIR: varDir,
      OUTBOX_DIR: outboxDir,
      LOG_LEVEL: "silent",
    };
    const text = await run(process.execPath, ["bin/contact-router.js", "forget", A.address], {
      env,
    });
    expect(text.stdout).toMatch(/Removed: nothing/);
    expect(text.stdout).toMatch(/Out of reach/);
    const json = await run(
      process.execPath,
      ["bin/contact-router.js", "forget", `x:${A.discord}`, "--json"],
      { env },
    );
    expect((JSON.parse(json.stdout) as ErasureReceipt).kind).toBe("twitter");
    const exported = await run(process.execPath, ["bin/contact-router.js", "audit", "export"], {
      env,
    });
    const lines = exported.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; actor: string; object: string });
    const forgets = lines.filter((l) => l.action === "forget");
    expect(forgets.length).toBe(receipts.length + 1 + 3 + 2);
    expect(forgets[0]!.actor).toBe("alice");
    expect(forgets.at(-1)!.actor).toBe("cli");
    for (const l of forgets) expect(l.object).toMatch(/^identity:[0-9a-f]{8}\.[0-9a-f]{32}$/);
    for (const c of [...A.canaries, A.telegram, A.discord])
      expect(exported.stdout).not.toContain(c);
    const audit = createAuditLog({ redis, prefix, envelope: pipeline.envelope });
    expect((await audit.verify()).altered).toEqual([]);
  });

  it("reads identities in every documented form and refuses anything else", () => {
    expect(parseIdentity("Reader@Example.org")).toMatchObject({
      kind: "email",
      address: "reader@example.org",
    });
    expect(parseIdentity("email:reader@example.org").kind).toBe("email");
    expect(parseIdentity("telegram:12345")).toMatchObject({ kind: "telegram", userId: "12345" });
    expect(parseIdentity("discord:81234567890123456").kind).toBe("discord");
    expect(parseIdentity("x:42")).toMatchObject({ kind: "twitter", canonical: "twitter:42" });
    expect(parseIdentity("twitter:user:42").canonical).toBe("twitter:42");
    expect(parseIdentity("c-7kq2m")).toMatchObject({ kind: "reference", ref: "C-7KQ2M" });
    for (const bad of ["", "12345", "telegram:abc", "reader@", "C-0000O", "facebook:1"]) {
      expect(() => parseIdentity(bad), bad).toThrow(/telegram:<user id>/);
    }
  });
});
