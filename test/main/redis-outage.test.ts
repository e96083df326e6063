import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { connectRedis } from "../../src/redis/connect.js";
import { freePort, startPrivateRedis, type PrivateRedis } from "../../src/redis/server.js";
import { RouterError } from "../../src/errors.js";
import { waitFor } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

/** Runs the built CLI to its end; no time limit of its own (the vitest timeout bounds it). */
function run(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["bin/contact-router.js", ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

/**
 * Issue 10, finding 3: with Redis unreachable the form hung (48 s, the contact only in memory),
 * start-up hung forever, and `dlq list` printed errors forever. Now each answers once, clearly.
 */
describe("Redis unreachable", () => {
  let redis: PrivateRedis | null = null;

  afterEach(async () => {
    await redis?.stop();
    redis = null;
  });

  it("the web form answers 503 and keeps the typed text; accepted again once Redis is back", async () => {
    // The service runs as its own process: after a Redis restart BullMQ's Worker.close can
    // outlast a test hook (SHUTDOWN_TIMEOUT_SECONDS bounds it in service), so it is killed by pid.
    const dir = testDir("cr-outage-redis-");
    redis = await startPrivateRedis({ dir });
    const port = redis.port;
    const child = spawn(process.execPath, ["bin/contact-router.js", "start", "--role", "ingest"], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: redis.url,
        VAR_DIR: testDir("cr-outage-"),
        DATA_KEY: randomBytes(32).toString("base64"),
        PORT: "0",
        INTERNAL_PORT: "0",
        RELAY_SMTP_PORT: "off",
        FORM_RATE_LIMIT_MAX: "1000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const listening = (what: string) =>
        waitFor(
          `${what} address`,
          () => {
            if (child.exitCode !== null) throw new Error(`exited early: ${out.slice(-800)}`);
            return new RegExp(`"url":"(http://127\\.0\\.0\\.1:\\d+)","msg":"${what}`).exec(
              out,
            )?.[1];
          },
          30_000,
        );
      const address = await listening("web form listening");
      const internalAddress = await listening("internal listener");
      const post = (message: string) =>
        fetch(`${address}/contact`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
          body: new URLSearchParams({ country: "DE", name: "Rosa", message }).toString(),
        });
      expect((await post("Hallo, die erste Nachricht aus Berlin.")).status).toBe(200);

      await redis.stop();
      const typed = "Hallo, ich schreibe aus Leipzig und Redis ist gerade weg.";
      const res = await post(typed);
      expect(res.status).toBe(503);
      const page = await res.text();
      expect(page).toContain(`${typed}</textarea>`);
      expect(page).toContain('value="Rosa"');
      const json = await fetch(`${address}/contact`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: typed }),
      });
      expect(json.status).toBe(503);
      expect(((await json.json()) as { error: string }).error).toBe("UNAVAILABLE");
      const ready = await fetch(`${internalAddress}/readyz`);
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { checks: { redis: { ok: boolean } } };
      expect(report.checks.redis.ok).toBe(false);

      redis = await startPrivateRedis({ dir, port });
      await waitFor("the form accepted again", async () => (await post(typed)).status === 200);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
    }
  });

  it("start-up gives up with REDIS_UNAVAILABLE after REDIS_CONNECT_TIMEOUT_MS, exit code 3", async () => {
    const port = await freePort();
    const { code, stderr, stdout } = await run(["start", "--role", "route"], {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_CONNECT_TIMEOUT_MS: "500",
      VAR_DIR: testDir("cr-outage-start-"),
      INTERNAL_PORT: "0",
    });
    expect(code).toBe(3);
    expect(stderr.trim()).toBe(
      `contact-router: REDIS_UNAVAILABLE: cannot reach Redis at redis://127.0.0.1:${port} within 0.5 s (ECONNREFUSED); ` +
        "check REDIS_URL and that Redis is running (REDIS_CONNECT_TIMEOUT_MS sets the wait)",
    );
    expect(stdout).not.toContain("redis error");
  });

  it("admin commands fail once with a clear message instead of printing errors forever", async () => {
    const port = await freePort();
    const env = {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_CONNECT_TIMEOUT_MS: "300",
      VAR_DIR: testDir("cr-outage-cli-"),
      DATA_KEY: randomBytes(32).toString("base64"),
    };
    const commands = [
      ["dlq", "list"],
      ["quarantine", "list"],
      ["held", "list"],
      ["keys", "status"],
      ["admin", "list"],
      ["audit", "list"],
    ];
    // All at once: each is its own process, and waits out the connect deadline by itself.
    const results = await Promise.all(commands.map((args) => run(args, env)));
    for (const [i, args] of commands.entries()) {
      const { code, stdout, stderr } = results[i]!;
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n"), args.join(" ")).toEqual([
        `REDIS_UNAVAILABLE: cannot reach Redis at redis://127.0.0.1:${port} within 0.3 s (ECONNREFUSED); ` +
          "check REDIS_URL and that Redis is running (REDIS_CONNECT_TIMEOUT_MS sets the wait)",
      ]);
      expect(stdout, args.join(" ")).toBe("");
    }
  });

  it("connectRedis waits for a Redis that is still starting, within the connect timeout", async () => {
    const port = await freePort();
    const dir = testDir("cr-outage-late-");
    const connecting = connectRedis({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 20_000 });
    redis = await startPrivateRedis({ dir, port });
    const h = await connecting;
    try {
      expect(await h.client.ping()).toBe("PONG");
      expect(await h.bounded.ping()).toBe("PONG");
    } finally {
      await h.close();
    }
    const gone = await connectRedis({
      url: `redis://127.0.0.1:${await freePort()}`,
      connectTimeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(RouterError);
    expect((gone as RouterError).code).toBe("REDIS_UNAVAILABLE");
  });
});
