import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthReport } from "../../src/http/internal.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

/**
 * Issue 10, finding 4: with `--role route` or `--role deliver` (the split docker-compose.yml
 * runs) the process served no HTTP at all, so no health check or metrics. Now every role serves
 * the internal listener. Run as the Dockerfile runs it: `node bin/contact-router.js start --role …`.
 */
describe("contact-router start --role … serves the internal listener", () => {
  const children: ChildProcess[] = [];
  const prefixes: string[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    }
    const r = testRedis();
    for (const p of prefixes.splice(0)) await cleanup(r, p);
    r.disconnect();
  });

  for (const role of ["route", "deliver"] as const) {
    it(`--role ${role}: /healthz, /readyz and /metrics, then SIGTERM exits 0`, async () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      const child = spawn(process.execPath, ["bin/contact-router.js", "start", "--role", role], {
        env: {
          PATH: process.env.PATH,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          VAR_DIR: testDir("cr-role-"),
          DATA_KEY: randomBytes(32).toString("base64"),
          INTERNAL_PORT: "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

      const [, base] = await waitFor(
        "the internal listener's address in the log",
        () => {
          if (child.exitCode !== null) throw new Error(`exited early: ${out.slice(-800)}`);
          return /"url":"(http:\/\/127\.0\.0\.1:\d+)","msg":"internal listener/.exec(out);
        },
        30_000,
      );

      const healthz = await fetch(`${base}/healthz`);
      expect(healthz.status).toBe(200);
      expect(await healthz.json()).toEqual({ status: "ok" });

      const readyz = await fetch(`${base}/readyz`);
      const report = (await readyz.json()) as HealthReport;
      expect(readyz.status, JSON.stringify(report)).toBe(200);
      expect(report.ready).toBe(true);
      expect(report.checks.redis).toEqual({ ok: true, detail: "write accepted" });
      expect(report.checks.workers?.ok).toBe(true);
      expect(report.checks.keys?.ok).toBe(true);
      if (role === "route") {
        expect(report.checks.rules).toEqual({ ok: true, detail: "7 affiliates, 7 rules" });
        expect(report.checks.delivery).toBeUndefined();
      } else {
        expect(report.checks.delivery).toMatchObject({ ok: true });
        expect(report.checks.delivery!.detail).toMatch(/^outbox .* writable$/);
        expect(report.checks.rules).toBeUndefined();
      }

      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain("# TYPE contact_router_contacts_total counter");
      expect(text).toContain("# TYPE contact_router_stage_duration_seconds histogram");
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      expect(text).toMatch(/^contact_router_queue_depth\{queue="inbound",state="wait"\} 0$/m);
      if (role === "route") expect(text).toMatch(/^contact_router_rules_loaded 1$/m);

      // No public web server in these roles.
      expect(out).not.toContain("web form listening");

      expect(child.kill("SIGTERM")).toBe(true);
      expect(await exited).toBe(0);
    });
  }
});
