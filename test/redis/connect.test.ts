import { existsSync } from "node:fs";
import { join } from "node:path";
import { onTestFinished, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { RouterError } from "../../src/errors.js";
import { checkEvictionPolicy, connectRedis, redactUrl } from "../../src/redis/connect.js";
import { answers, freePort, startPrivateRedis, type PrivateRedis } from "../../src/redis/server.js";
import { REDIS_URL } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

/**
 * Stops a redis-server this test started, by its pid, when the test finishes (pass or fail), so
 * a failed assertion never leaves one running. Registered before testDir's own cleanup runs.
 */
function stopWhenDone(server: PrivateRedis): void {
  onTestFinished(async () => {
    const child = server.process;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(child.pid, "SIGKILL");
    await exited;
  });
}

describe("redis connect", () => {
  it("uses REDIS_URL when given", async () => {
    const h = await connectRedis({ url: REDIS_URL });
    try {
      expect(h.private).toBeNull();
      expect(await h.client.ping()).toBe("PONG");
    } finally {
      await h.close();
    }
  });

  it("uses the local server when it answers", async () => {
    const h = await connectRedis({ localUrl: REDIS_URL });
    try {
      expect(h.url).toBe(REDIS_URL);
      expect(h.private).toBeNull();
    } finally {
      await h.close();
    }
  });

  it("starts a private redis-server with AOF when nothing answers, and stops it on close", async () => {
    const dir = testDir("cr-redis-");
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const h = await connectRedis({ localUrl: closed, dataDir: dir });
    if (h.private) stopWhenDone(h.private);
    let closedOk = false;
    try {
      expect(h.private).not.toBeNull();
      expect(await h.client.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
      expect(await checkEvictionPolicy(h.client)).toBe("noeviction");
      await h.client.set("k", "v");
      const url = h.url;
      await h.close();
      closedOk = true;
      expect(h.private!.process.exitCode ?? h.private!.process.signalCode).not.toBeNull();
      expect(await answers(url)).toBe(false);
      expect(existsSync(join(dir, "appendonlydir"))).toBe(true);
    } finally {
      if (!closedOk) await h.close().catch(() => undefined);
    }
  });

  it("keeps data across a SIGKILL of the private server (appendfsync always)", async () => {
    const dir = testDir("cr-redis-");
    const a = await startPrivateRedis({ dir, appendfsync: "always" });
    stopWhenDone(a);
    const c = new Redis(a.url);
    try {
      await c.set("durable", "yes");
    } finally {
      c.disconnect();
    }
    const exited = new Promise((r) => a.process.once("exit", r));
    process.kill(a.process.pid!, "SIGKILL");
    await exited;
    const b = await startPrivateRedis({ dir, port: a.port, appendfsync: "always" });
    stopWhenDone(b);
    const c2 = new Redis(b.url);
    try {
      expect(await c2.get("durable")).toBe("yes");
    } finally {
      c2.disconnect();
      await b.stop();
    }
  });

  it("names both ways to get Redis when neither works", async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const err = await connectRedis({
      localUrl: closed,
      dataDir: testDir("cr-redis-"),
      binary: "/nonexistent/redis-server",
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/REDIS_URL=/);
    expect((err as Error).message).toMatch(/install redis-server/);
  });

  it("names the refusal, not 'no answer', when start-up kept the event loop busy past the deadline", async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const connecting = connectRedis({ url: closed, connectTimeoutMs: 50 }).catch(
      (e: unknown) => e as Error,
    );
    // A loaded machine or a long synchronous start-up: the loop is busy until the deadline has
    // passed, so the deadline's timer and the refusal are due in the same turn.
    const until = Date.now() + 300;
    while (Date.now() < until) {
      /* busy on purpose */
    }
    const err = await connecting;
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("REDIS_UNAVAILABLE");
    expect((err as Error).message).toContain("(ECONNREFUSED)");
  });

  it("warns (returns the policy) when eviction is on", async () => {
    const s = await startPrivateRedis({ dir: testDir("cr-redis-") });
    stopWhenDone(s);
    const c = new Redis(s.url);
    try {
      await c.config("SET", "maxmemory-policy", "allkeys-lru");
      expect(await checkEvictionPolicy(c)).toBe("allkeys-lru");
    } finally {
      c.disconnect();
      await s.stop();
    }
  });

  it("hides the password in URLs", () => {
    expect(redactUrl("redis://user:secret@host:6379/0")).toBe("redis://user:***@host:6379/0");
  });
});
