import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdentityHasher, keyId } from "../../src/crypto/identity-hash.js";
import { buildHttpServer } from "../../src/http/server.js";
import { HASH_PURPOSE } from "../../src/queue/keys.js";
import { RecordingIntake } from "../support/recording-intake.js";
import { testHttpConfig } from "./support.js";

/** Two web servers (as two ingest processes would run) share one per-IP limit through Redis. */
describe("form rate limit shared through Redis", () => {
  const prefix = `test:${randomBytes(6).toString("hex")}:`;
  const key = randomBytes(32);
  const hasher = createIdentityHasher([{ kid: keyId(key), key }]);
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: false });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const server = () => {
    const intake = new RecordingIntake();
    const app = buildHttpServer({
      intake,
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig({ formRateLimit: { max: 3, windowMs: 60_000 } }),
      rateLimitStore: { redis, prefix, hashKey: (ip) => hasher.hash(HASH_PURPOSE.formIp, ip) },
    });
    return { app, intake };
  };

  it("counts posts from one IP across servers", async () => {
    const a = server();
    const b = server();
    const post = (app: typeof a.app, i: number) =>
      app.inject({ method: "POST", url: "/contact", payload: { message: `hello ${i}` } });
    expect((await post(a.app, 1)).statusCode).toBe(202);
    expect((await post(b.app, 2)).statusCode).toBe(202);
    expect((await post(a.app, 3)).statusCode).toBe(202);
    const limited = await post(b.app, 4);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe("RATE_LIMITED");
    expect(a.intake.accepted.length + b.intake.accepted.length).toBe(3);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    // The client IP is stored only as a keyed hash (issue 10, finding 6).
    for (const k of keys) expect(k).not.toContain("127.0.0.1");
    const hashed = hasher.hash(HASH_PURPOSE.formIp, "127.0.0.1");
    expect(keys.some((k) => k.endsWith(hashed))).toBe(true);
    await a.app.close();
    await b.app.close();
  });
});
