import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createIdentityHasher, keyId } from "../../src/crypto/identity-hash.js";
import { buildHttpServer } from "../../src/http/server.js";
import { t } from "../../src/i18n/texts.js";
import { startApp, type RunningApp } from "../../src/main.js";
import { HASH_PURPOSE } from "../../src/queue/keys.js";
import { REDIS_URL, cleanup, keysUnder, testPrefix, testRedis } from "../queue/helpers.js";
import { RecordingIntake } from "../support/recording-intake.js";
import { testDir } from "../support/temp-dir.js";
import { testHttpConfig } from "./support.js";

// Issue 10, finding 5: the web form on a rate limit, with bots, and with several processes.
// Real Redis holds the shared count; requests go through fastify inject or real HTTP.

const form = (fields: Record<string, string>, remoteAddress = "127.0.0.1") => ({
  method: "POST" as const,
  url: "/contact",
  remoteAddress,
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: new URLSearchParams(fields).toString(),
});

const json = (body: Record<string, unknown>, remoteAddress = "127.0.0.1") => ({
  method: "POST" as const,
  url: "/contact",
  remoteAddress,
  payload: body,
});

describe("web form limits and honeypot (Redis-backed limit, fastify inject)", () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const key = randomBytes(32);
  const hasher = createIdentityHasher([{ kid: keyId(key), key }]);

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(redis, p);
    redis.disconnect();
  });

  function server(max: number) {
    const prefix = `${testPrefix()}:`;
    prefixes.push(prefix);
    const intake = new RecordingIntake();
    const app = buildHttpServer({
      intake,
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig({ formRateLimit: { max, windowMs: 60_000 } }),
      rateLimitStore: { redis, prefix, hashKey: (ip) => hasher.hash(HASH_PURPOSE.formIp, ip) },
    });
    return { app, intake, prefix };
  }

  it("a limited post keeps the typed input under its own heading, in the form's language", async () => {
    const { app } = server(1);
    try {
      expect((await app.inject(form({ message: "first" }))).statusCode).toBe(200);
      const typed = {
        name: "Ana",
        email: "ana@example.org",
        country: "PT",
        message: "Olá outra vez",
      };
      const res = await app.inject(form({ ...typed, lang: "pt" }));
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      expect(res.body).toContain(`<h2>${t("pt", "err.notSent")}</h2>`);
      expect(res.body).toContain(t("pt", "err.rateLimited"));
      expect(res.body).not.toContain(t("pt", "err.summary"));
      expect(res.body).toContain('value="Ana"');
      expect(res.body).toContain('value="ana@example.org"');
      expect(res.body).toContain('<option value="PT" selected>');
      expect(res.body).toContain("Olá outra vez</textarea>");
      const j = await app.inject(json({ message: "json too" }));
      expect(j.statusCode).toBe(429);
      expect(j.json()).toMatchObject({ error: "RATE_LIMITED" });
    } finally {
      await app.close();
    }
  });

  it("invalid posts do not count towards the limit; accepted ones do", async () => {
    const { app, intake } = server(2);
    try {
      for (let i = 0; i < 6; i++) {
        const bad = await app.inject(form({ message: "", email: `not-an-address-${i}` }));
        expect(bad.statusCode).toBe(400);
      }
      expect((await app.inject(form({ message: "one" }))).statusCode).toBe(200);
      expect((await app.inject(form({ message: "two" }))).statusCode).toBe(200);
      expect((await app.inject(form({ message: "three" }))).statusCode).toBe(429);
      // An invalid post over the limit still gets its field problems, not the limit.
      expect((await app.inject(form({ message: "" }))).statusCode).toBe(400);
      expect(intake.accepted.map((m) => m.text)).toEqual(["one", "two"]);
    } finally {
      await app.close();
    }
  });

  it("the honeypot's answer is the real answer: same page, same id shape, same limit", async () => {
    const { app, intake } = server(2);
    try {
      const fields = { message: "Hello there", email: "reader@example.org", lang: "de" };
      const real = await app.inject(form(fields, "10.0.0.1"));
      const bot = await app.inject(form({ ...fields, website: "http://spam.example" }, "10.0.0.2"));
      expect(bot.statusCode).toBe(real.statusCode);
      expect(bot.body).toBe(real.body);
      expect(bot.headers["cache-control"]).toBe(real.headers["cache-control"]);
      expect(bot.headers["content-type"]).toBe(real.headers["content-type"]);

      const realJ = await app.inject(json({ message: "JSON hello" }, "10.0.0.3"));
      const botJ = await app.inject(json({ message: "JSON hello", website: "x" }, "10.0.0.4"));
      expect(botJ.statusCode).toBe(realJ.statusCode);
      const realId = realJ.json<{ id: string }>().id;
      const botId = botJ.json<{ id: string }>().id;
      expect(botId).toMatch(/^web:[0-9a-f]+$/);
      expect(botId).toHaveLength(realId.length);
      expect(botId).not.toBe(realId);
      // Only the real ones were taken in.
      expect(intake.accepted.map((m) => m.text)).toEqual(["Hello there", "JSON hello"]);

      // A bot from one address is limited exactly as a reader would be.
      expect((await app.inject(json({ message: "b2", website: "x" }, "10.0.0.4"))).statusCode).toBe(
        202,
      );
      expect((await app.inject(json({ message: "b3", website: "x" }, "10.0.0.4"))).statusCode).toBe(
        429,
      );
      // And an invalid post with the honeypot filled gets the same 400 a reader would.
      const botBad = await app.inject(json({ message: "", website: "x" }, "10.0.0.5"));
      const realBad = await app.inject(json({ message: "" }, "10.0.0.6"));
      expect(botBad.statusCode).toBe(400);
      expect(botBad.body).toBe(realBad.body);
    } finally {
      await app.close();
    }
  });

  it('JSON "website": null (or empty) is a reader, not a bot: the message is taken in', async () => {
    const { app, intake } = server(10);
    try {
      const res = await app.inject(json({ message: "Real message, null website", website: null }));
      expect(res.statusCode).toBe(202);
      const empty = await app.inject(json({ message: "Empty website", website: "" }));
      expect(empty.statusCode).toBe(202);
      expect(intake.accepted.map((m) => m.text)).toEqual([
        "Real message, null website",
        "Empty website",
      ]);
      expect(res.json<{ id: string }>().id).toBe(intake.accepted[0]?.id);
    } finally {
      await app.close();
    }
  });
});

describe("main wires the Redis-backed form limit: every process shares one count per IP", () => {
  const apps: RunningApp[] = [];
  let prefix = "";
  const dataKey = randomBytes(32);

  afterEach(async () => {
    for (const a of apps.splice(0)) await a.stop();
    const r = testRedis();
    try {
      await cleanup(r, prefix);
    } finally {
      r.disconnect();
    }
  });

  it("two ingest processes, one limit; the key names a keyed hash of the IP, never the IP", async () => {
    prefix = testPrefix();
    const env: NodeJS.ProcessEnv = {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATA_KEY: dataKey.toString("base64"),
      VAR_DIR: testDir("cr-form-limit-"),
      ROLE: "ingest",
      PORT: "0",
      INTERNAL_PORT: "0",
      HOST: "127.0.0.1",
      RELAY_SMTP_PORT: "off",
      FORM_RATE_LIMIT_MAX: "2",
      FORM_RATE_LIMIT_WINDOW_SECONDS: "600",
    };
    apps.push(await startApp({ env, adapters: false }));
    apps.push(
      await startApp({ env: { ...env, VAR_DIR: testDir("cr-form-limit-") }, adapters: false }),
    );
    const [a, b] = apps as [RunningApp, RunningApp];
    const post = (app: RunningApp, message: string) =>
      fetch(`${app.address}/contact`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message }),
      });
    expect((await post(a, "one")).status).toBe(202);
    expect((await post(b, "two")).status).toBe(202);
    expect((await post(a, "three")).status).toBe(429);
    expect((await post(b, "four")).status).toBe(429);

    const r = testRedis();
    try {
      const keys = await keysUnder(r, prefix);
      const limitKeys = keys.filter((k) => k.includes("form-rate"));
      const hasher = createIdentityHasher([{ kid: keyId(dataKey), key: dataKey }]);
      const hashed = hasher.hash(HASH_PURPOSE.formIp, "127.0.0.1");
      expect(limitKeys).toHaveLength(1);
      expect(limitKeys[0]?.endsWith(hashed)).toBe(true);
      for (const k of keys) {
        expect(k).not.toContain("127.0.0.1");
        expect(k).not.toContain("::1");
      }
      expect(Number(await r.get(limitKeys[0]!))).toBe(2);
    } finally {
      r.disconnect();
    }
  });
});
