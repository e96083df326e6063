import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { checkEvictionPolicy, connectRedis, redactUrl } from "../../src/redis/connect.js";
import { answers, freePort, startPrivateRedis } from "../../src/redis/server.js";
import { REDIS_URL } from "../queue/helpers.js";

describe("redis connect", () => {
  it("uses REDIS_URL when given", async () => {
    const h = await connectRedis({ url: REDIS_URL });
    expect(h.private).toBeNull();
    expect(await h.client.ping()).toBe("PONG");
    await h.close();
  });

  it("uses the local server when it answers", async () => {
    const h = await connectRedis({ localUrl: REDIS_URL });
    expect(h.url).toBe(REDIS_URL);
    expect(h.private).toBeNull();
    await h.close();
  });

  it("starts a private redis-server with AOF when nothing answers, and stops it on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cr-redis-"));
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const h = await connectRedis({ localUrl: closed, dataDir: dir });
    expect(h.private).not.toBeNull();
    expect(await h.client.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    expect(await checkEvictionPolicy(h.client)).toBe("noeviction");
    await h.client.set("k", "v");
    const url = h.url;
    await h.close();
    expect(h.private!.process.exitCode ?? h.private!.process.signalCode).not.toBeNull();
    expect(await answers(url)).toBe(false);
    expect(existsSync(join(dir, "appendonlydir"))).toBe(true);
  });

  it("keeps data across a SIGKILL of the private server (appendfsync always)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cr-redis-"));
    const a = await startPrivateRedis({ dir, appendfsync: "always" });
    const c = new Redis(a.url);
    await c.set("durable", "yes");
    c.disconnect();
    a.process.kill("SIGKILL");
    await new Promise((r) => a.process.once("exit", r));
    const b = await startPrivateRedis({ dir, port: a.port, appendfsync: "always" });
    const c2 = new Redis(b.url);
    expect(await c2.get("durable")).toBe("yes");
    c2.disconnect();
    await b.stop();
  });

  it("names both ways to get Redis when neither works", async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const err = await connectRedis({
      localUrl: closed,
      dataDir: mkdtempSync(join(tmpdir(), "cr-redis-")),
      binary: "/nonexistent/redis-server",
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/REDIS_URL=/);
    expect((err as Error).message).toMatch(/install redis-server/);
  });

  it("warns (returns the policy) when eviction is on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cr-redis-"));
    const s = await startPrivateRedis({ dir });
    const c = new Redis(s.url);
    await c.config("SET", "maxmemory-policy", "allkeys-lru");
    expect(await checkEvictionPolicy(c)).toBe("allkeys-lru");
    c.disconnect();
    await s.stop();
  });

  it("hides the password in URLs", () => {
    expect(redactUrl("redis://user:secret@host:6379/0")).toBe("redis://user:***@host:6379/0");
  });
});
