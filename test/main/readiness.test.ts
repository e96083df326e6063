import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthReport } from "../../src/http/internal.js";
import { startApp, type RunningApp } from "../../src/main.js";
import { freePort, startPrivateRedis, type PrivateRedis } from "../../src/redis/server.js";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";
import { SmtpSink } from "./smtp-sink.js";

/**
 * Issue 10, finding 4: `/readyz` did not notice Redis at `maxmemory` under noeviction, a rules
 * file that fails to reload, or an unwritable outbox. Each is now a named red check, and green
 * again once fixed. Redis here is a redis-server of the test's own (CONFIG SET would hurt others).
 */
describe("/readyz checks", () => {
  let app: RunningApp | null = null;
  let redis: PrivateRedis | null = null;
  let sink: SmtpSink | null = null;

  afterEach(async () => {
    await app?.stop();
    app = null;
    await sink?.close();
    sink = null;
    await redis?.stop();
    redis = null;
  });

  async function start(
    roles: ("ingest" | "route" | "deliver")[],
    over: NodeJS.ProcessEnv = {},
  ): Promise<RunningApp> {
    redis ??= await startPrivateRedis({ dir: testDir("cr-ready-redis-") });
    const varDir = testDir("cr-ready-");
    app = await startApp({
      roles,
      adapters: false,
      env: {
        REDIS_URL: redis.url,
        VAR_DIR: varDir,
        DATA_KEY: randomBytes(32).toString("base64"),
        PORT: "0",
        INTERNAL_PORT: "0",
        RELAY_SMTP_PORT: "off",
        ...over,
      },
    });
    return app;
  }

  async function ready(a: RunningApp) {
    const res = await fetch(`${a.internalAddress}/readyz`);
    return { status: res.status, body: (await res.json()) as HealthReport };
  }

  async function metric(a: RunningApp, line: RegExp): Promise<RegExpExecArray | null> {
    return line.exec(await (await fetch(`${a.internalAddress}/metrics`)).text());
  }

  it("is red while Redis refuses writes (maxmemory reached, noeviction), green again after", async () => {
    const a = await start(["ingest", "route", "deliver"]);
    const green = await ready(a);
    expect(green.status, JSON.stringify(green.body)).toBe(200);
    expect(Object.keys(green.body.checks).sort()).toEqual([
      "delivery",
      "keys",
      "redis",
      "rules",
      "workers",
    ]);

    const admin = new Redis(redis!.url);
    try {
      expect(await admin.config("GET", "maxmemory-policy")).toEqual([
        "maxmemory-policy",
        "noeviction",
      ]);
      await admin.config("SET", "maxmemory", "1");
      const red = await waitFor("503 naming redis", async () => {
        const r = await ready(a);
        return r.status === 503 && !r.body.checks.redis?.ok ? r : null;
      });
      expect(red.body.ready).toBe(false);
      expect(red.body.checks.redis!.detail).toMatch(/^OOM command not allowed/);
      expect(red.body.checks.rules?.ok).toBe(true);

      await admin.config("SET", "maxmemory", "0");
      await waitFor("200 again", async () => (await ready(a)).status === 200);
    } finally {
      await admin.config("SET", "maxmemory", "0").catch(() => undefined);
      admin.disconnect();
    }
  });

  it("is red with the file:line reason while the rules file does not reload, green once fixed", async () => {
    const rulesFile = join(testDir("cr-ready-rules-"), "routing-rules.yaml");
    const original = await readFile(DEFAULT_RULES_PATH, "utf8");
    await writeFile(rulesFile, original);
    const a = await start(["route"], { RULES_FILE: rulesFile });
    expect((await ready(a)).status).toBe(200);
    expect(await metric(a, /^contact_router_rules_loaded 1$/m)).not.toBeNull();

    await writeFile(rulesFile, "affiliates: [\n");
    const red = await waitFor("503 naming the rules", async () => {
      const r = await ready(a);
      return r.status === 503 && r.body.checks.rules?.ok === false ? r : null;
    });
    expect(red.body.checks.rules!.detail).toContain(`${rulesFile}:2:1: `);
    expect(red.body.checks.redis?.ok).toBe(true);
    expect(await metric(a, /^contact_router_rules_loaded 0$/m)).not.toBeNull();
    expect(
      await metric(a, /^contact_router_rules_reloads_total\{outcome="failure"\} [1-9]\d*$/m),
    ).not.toBeNull();

    await writeFile(rulesFile, original);
    const fixed = await waitFor("200 again", async () => {
      const r = await ready(a);
      return r.status === 200 ? r : null;
    });
    expect(fixed.body.checks.rules).toEqual({ ok: true, detail: "7 affiliates, 7 rules" });
    expect(await metric(a, /^contact_router_rules_loaded 1$/m)).not.toBeNull();
    expect(
      await metric(a, /^contact_router_rules_reloads_total\{outcome="success"\} [1-9]\d*$/m),
    ).not.toBeNull();
  });

  it("is red while the outbox cannot be written, green once it can", async () => {
    const outbox = join(testDir("cr-ready-outbox-"), "outbox");
    const a = await start(["deliver"], { OUTBOX_DIR: outbox });
    const green = await ready(a);
    expect(green.status).toBe(200);
    expect(green.body.checks.delivery).toEqual({ ok: true, detail: `outbox ${outbox} writable` });

    // A file where the folder should be (runs as root too, where permissions would not stop it).
    await rm(outbox, { recursive: true, force: true });
    await writeFile(outbox, "not a folder");
    const red = await ready(a);
    expect(red.status).toBe(503);
    expect(red.body.checks.delivery).toEqual({
      ok: false,
      detail: `outbox ${outbox} not writable (EEXIST)`,
    });

    await rm(outbox);
    expect((await ready(a)).status).toBe(200);
  });

  it("with SMTP: green when the server answers, red naming the error when it does not", async () => {
    sink = new SmtpSink();
    const port = await sink.listen();
    const smtp = (p: number) => ({ SMTP_URL: `smtp://127.0.0.1:${p}`, SMTP_REQUIRE_TLS: "false" });
    let a = await start(["deliver"], smtp(port));
    const green = await ready(a);
    expect(green.status).toBe(200);
    expect(green.body.checks.delivery).toEqual({ ok: true, detail: "SMTP server answers" });
    await a.stop();

    a = await start(["deliver"], smtp(await freePort()));
    const red = await ready(a);
    expect(red.status).toBe(503);
    expect(red.body.checks.delivery).toMatchObject({ ok: false });
    expect(red.body.checks.delivery!.detail).toMatch(
      /^SMTP server not reachable \(ESOCKET: connect ECONNREFUSED /,
    );
  });
});

/** Issue 10, metrics: contacts by channel, step and affiliate, and per-step latency. */
describe("/metrics after a contact goes through", () => {
  let app: RunningApp | null = null;
  const prefix = testPrefix();

  afterEach(async () => {
    await app?.stop();
    app = null;
    const r = testRedis();
    await cleanup(r, prefix);
    r.disconnect();
  });

  it("counts the web contact at intake, route and deliver, with stage histograms", async () => {
    const outbox = join(testDir("cr-metrics-"), "outbox");
    app = await startApp({
      adapters: false,
      env: {
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        VAR_DIR: testDir("cr-metrics-var-"),
        DATA_KEY: randomBytes(32).toString("base64"),
        OUTBOX_DIR: outbox,
        PORT: "0",
        INTERNAL_PORT: "0",
        RELAY_SMTP_PORT: "off",
      },
    });
    const res = await fetch(`${app.address}/contact`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        country: "IT",
        message: "Ciao, vorrei partecipare alle vostre attività a Milano.",
      }).toString(),
    });
    expect(res.status).toBe(200);
    await waitFor("the email in the outbox", async () =>
      (await readdir(outbox).catch(() => [])).some((f) => f.endsWith(".eml")),
    );
    const a = app;
    const text = await waitFor("the deliver step counted", async () => {
      const t = await (await fetch(`${a.internalAddress}/metrics`)).text();
      return t.includes('contact_router_contacts_total{channel="web",step="deliver"') ? t : null;
    });
    const lines = text.split("\n");
    for (const want of [
      'contact_router_contacts_total{channel="web",step="intake",affiliate=""} 1',
      'contact_router_contacts_total{channel="web",step="route",affiliate="pcint"} 1',
      'contact_router_contacts_total{channel="web",step="deliver",affiliate="pcint"} 1',
      'contact_router_stage_duration_seconds_count{step="intake"} 1',
      'contact_router_stage_duration_seconds_count{step="route"} 1',
      'contact_router_stage_wait_seconds_count{step="route"} 1',
    ]) {
      expect(lines).toContain(want);
    }
    expect(text).toMatch(/^contact_router_stage_duration_seconds_count\{step="deliver"\} [1-9]/m);
    // Not on the public port.
    expect((await fetch(`${app.address}/metrics`)).status).toBe(404);
  });
});
