import { randomBytes } from "node:crypto";
import type { FastifyInstance, RouteOptions } from "fastify";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminAccounts } from "../../src/admin/accounts.js";
import type { ConsoleDeps } from "../../src/admin/console.js";
import { consoleServices } from "../../src/admin/services.js";
import { createAuditLog } from "../../src/audit/log.js";
import { retentionConfigFromEnv } from "../../src/retention/policies.js";
import { buildHttpServer } from "../../src/http/server.js";
import { createPipeline, type Pipeline } from "../../src/queue/pipeline.js";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";
import { testStore, testKeyring } from "../conversation/fixtures.js";
import { testHttpConfig } from "../http/support.js";
import { RecordingIntake } from "../support/recording-intake.js";
import { cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";

/*
 * Every /admin route, read from fastify's route table, refuses a visitor without a session:
 * a redirect to the login page or 401, and nothing of the page's data. Also: the setup notice
 * without accounts, the login limit, CSRF and idle expiry, over real Redis.
 */

/** Routes a visitor may open: the setup notice (or a redirect) and the login form. */
const PUBLIC = new Set([
  "GET /admin",
  "HEAD /admin",
  "GET /admin/login",
  "HEAD /admin/login",
  "POST /admin/login",
]);

describe("admin console access", () => {
  let redis: Redis;
  let prefix: string;
  let pipeline: Pipeline;
  let app: FastifyInstance;
  const routes: RouteOptions[] = [];
  let deps: ConsoleDeps;

  beforeAll(async () => {
    redis = testRedis();
    prefix = testPrefix();
    const keyring = testKeyring();
    pipeline = createPipeline({ connection: redis, prefix, key: keyring[0]!.key, roles: [] });
    const store = testStore(redis, prefix, keyring);
    deps = {
      redis,
      prefix,
      config: {
        session: { idleMs: 60_000, maxAgeMs: 3600_000 },
        login: { perName: 3, perIp: 5, windowMs: 60_000 },
      },
      hash: (purpose, value) => pipeline.hasher.hash(purpose, value),
      rulesFile: DEFAULT_RULES_PATH,
      liveRules: null,
      store,
      reroute: null,
      queues: pipeline,
      services: consoleServices({
        redis,
        prefix,
        pipeline,
        store,
        audit: createAuditLog({ redis, prefix, envelope: pipeline.envelope }),
        retention: retentionConfigFromEnv({}),
        outboxDir: null,
        smtp: false,
      }),
    };
    app = buildHttpServer({
      intake: new RecordingIntake(),
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig(),
      console: deps,
    });
    app.addHook("onRoute", (r) => void routes.push(r));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await pipeline.close();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  async function login(name: string, password: string, ip = "10.0.0.1") {
    return app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress: ip,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost:80",
      },
      payload: new URLSearchParams({ name, password }).toString(),
    });
  }

  it("without accounts, /admin says how to create one and nothing else", async () => {
    const res = await app.inject("/admin");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("npx contact-router admin add");
    expect(res.body).not.toContain("/admin/rules");
    const login = await app.inject("/admin/login");
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe("/admin");
  });

  it("every /admin route refuses a visitor: a redirect to login or 401, and no data", async () => {
    await new AdminAccounts(redis, prefix).add("alice", "secret-pass");
    const admin = routes.filter((r) => r.url.startsWith("/admin"));
    const pairs = admin.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((m) => ({ method: m, url: r.url })),
    );
    expect(pairs.length).toBeGreaterThanOrEqual(15);
    for (const { method, url } of pairs) {
      if (PUBLIC.has(`${method} ${url}`)) continue;
      const res = await app.inject({
        method: method as "GET",
        url: url.replace(/:(\w+)/g, "C-22222"),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: method === "GET" || method === "HEAD" ? undefined : "action=save&text=x",
      });
      const what = `${method} ${url} → ${res.statusCode}`;
      if (res.statusCode === 303) expect(res.headers.location, what).toBe("/admin/login");
      else expect(res.statusCode, what).toBe(401);
      expect(res.body.length, what).toBeLessThan(40);
      expect(res.body, what).not.toMatch(/cwo|leftcom|conversation|audit/i);
    }
  });

  it("limits failed logins per name, and logs in with the right password", async () => {
    for (let i = 0; i < 3; i++)
      expect((await login("alice", "wrong-password")).statusCode).toBe(401);
    const blocked = await login("alice", "secret-pass");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain("Too many failed logins");
    await redis.del(`${prefix}:admin:login:name:alice`);
    const ok = await login("alice", "secret-pass", "10.0.0.2");
    expect(ok.statusCode).toBe(303);
    const cookie = ok.cookies.find((c) => c.name === "cr_admin")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
    expect(cookie.secure).toBeFalsy();
    // No session id in Redis in clear.
    const keys = await redis.keys(`${prefix}:admin:session:*`);
    expect(keys.some((k) => k.includes(cookie.value))).toBe(false);
  });

  it("marks the cookie Secure behind a TLS proxy that says so (TRUST_PROXY)", async () => {
    const proxied = buildHttpServer({
      intake: new RecordingIntake(),
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig({ trustProxy: true }),
      console: deps,
    });
    try {
      const res = await proxied.inject({
        method: "POST",
        url: "/admin/login",
        remoteAddress: "10.0.0.9",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-proto": "https",
          "x-forwarded-host": "admin.example.org",
          origin: "https://admin.example.org",
        },
        payload: "name=alice&password=secret-pass",
      });
      expect(res.statusCode).toBe(303);
      expect(res.cookies.find((c) => c.name === "cr_admin")!.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it("refuses a state change without the session's CSRF token or from another origin", async () => {
    const ok = await login("alice", "secret-pass", "10.0.0.3");
    const cookie = `cr_admin=${ok.cookies.find((c) => c.name === "cr_admin")!.value}`;
    const page = await app.inject({ url: "/admin/queues", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = (headers: Record<string, string>, body: string) =>
      app.inject({
        method: "POST",
        url: "/admin/queues",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        payload: body,
      });
    expect((await post({}, "action=dlq.retry&id=inbound/x")).statusCode).toBe(403);
    expect(
      (
        await post(
          {},
          `action=dlq.retry&id=inbound/x&_csrf=${randomBytes(24).toString("base64url")}`,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (await post({ origin: "http://evil.example" }, `action=dlq.retry&id=inbound/x&_csrf=${csrf}`))
        .statusCode,
    ).toBe(403);
    // With the token and from this origin it runs (and says there is no such dead letter).
    const good = await post(
      { origin: "http://localhost:80" },
      `action=dlq.retry&id=inbound/x&_csrf=${csrf}`,
    );
    expect(good.statusCode).toBe(422);
    expect(good.body).toContain("no dead letter with id inbound/x");
  });

  it("requeues and discards quarantine entries; a ref naming a platform id is audited by keyed hash", async () => {
    const ok = await login("alice", "secret-pass", "10.0.0.5");
    const cookie = `cr_admin=${ok.cookies.find((c) => c.name === "cr_admin")!.value}`;
    await pipeline.quarantine.put("twitter:dm:123", "INVALID_PAYLOAD: no text", { x: 1 }, "intake");
    const page = await app.inject({ url: "/admin/queues", headers: { cookie } });
    expect(page.body).toContain("twitter:dm:123");
    expect(page.body).toContain("INVALID_PAYLOAD: no text");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const act = (action: string) =>
      app.inject({
        method: "POST",
        url: "/admin/queues",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, action, id: "twitter:dm:123" }).toString(),
      });
    const requeue = await act("quarantine.requeue");
    expect(requeue.statusCode).toBe(422);
    expect(requeue.body).toContain("cannot be requeued");
    const discard = await act("quarantine.discard");
    expect(discard.statusCode).toBe(303);
    expect(await pipeline.quarantine.list(10)).toEqual([]);
    const [last] = await deps.services.audit.list({ limit: 1 });
    expect(last).toMatchObject({ actor: "alice", action: "quarantine.discard" });
    expect(last!.object).toMatch(/^ref:[0-9a-f]{8}\.[0-9a-f]{32}$/);

    // The page after the redirect says what was done in its own words, never in the link's.
    const after = await app.inject({ url: discard.headers.location!, headers: { cookie } });
    expect(after.body).toContain("Discarded quarantine entry twitter:dm:123.");
    const crafted = await app.inject({
      url: "/admin/queues?done=Your%20session%20expired%2C%20call%20555-0100",
      headers: { cookie },
    });
    expect(crafted.statusCode).toBe(200);
    expect(crafted.body).not.toContain("call 555-0100");
  });

  it("ends a session after the idle time", async () => {
    const ok = await login("alice", "secret-pass", "10.0.0.4");
    const value = ok.cookies.find((c) => c.name === "cr_admin")!.value;
    const keys = await redis.keys(`${prefix}:admin:session:*`);
    expect(keys.length).toBeGreaterThan(0);
    // Idle expiry is a Redis TTL renewed on each request.
    for (const k of keys) {
      const ttl = await redis.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await redis.pexpire(k, 1);
    }
    await waitFor("the sessions to expire", async () => (await redis.exists(...keys)) === 0);
    const res = await app.inject({ url: "/admin/rules", headers: { cookie: `cr_admin=${value}` } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/admin/login");
  });
});
