// The email adapter as its own process, for the SIGKILL outage test (outage.test.ts).
// Runs the compiled adapter (dist/, built by the test global setup) with the real Redis intake
// and the Redis cursor store, exactly as the service wires them.
import { Buffer } from "node:buffer";
import process from "node:process";
import { setTimeout } from "node:timers";
import { pino } from "pino";
import { Redis } from "ioredis";

const cfg = JSON.parse(process.env.EMAIL_OUTAGE_CHILD ?? "{}");
const { EmailAdapter } = await import(`${cfg.dist}/adapters/email/adapter.js`);
const { createRedisIntake } = await import(`${cfg.dist}/src/queue/redis-intake.js`);
const { RedisCursorStore } = await import(`${cfg.dist}/src/state/cursor-store.js`);

const redis = new Redis(cfg.redisUrl, { maxRetriesPerRequest: null });
const intake = createRedisIntake({
  connection: redis,
  prefix: cfg.prefix,
  key: Buffer.from(cfg.key, "hex"),
});
const adapter = new EmailAdapter(cfg.config, {
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  pollIntervalMs: 3_000,
});
await adapter.start({
  intake,
  cursors: new RedisCursorStore(redis, cfg.prefix),
  logger: pino({ level: "silent" }),
});
// A graceful stop must leave nothing open: the process then ends by itself. If something still
// holds it after 3 s, exit with 3 so the test sees the leak.
process.on("SIGTERM", () => {
  void (async () => {
    await adapter.stop();
    await intake.close();
    redis.disconnect();
    setTimeout(() => {
      process.stderr.write(
        `outage-child: still alive after stop: ${process.getActiveResourcesInfo().join(",")}\n`,
      );
      process.exit(3);
    }, 3_000).unref();
  })();
});
process.stdout.write("ready\n");
