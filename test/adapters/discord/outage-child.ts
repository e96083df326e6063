/**
 * The Discord adapter as its own process for the outage test: real Redis intake (BullMQ queue,
 * sealed jobs) and Redis cursor store. The parent SIGKILLs it mid-stream and starts another.
 * Prints READY once the gateway session is up; on SIGTERM stops and lets the process exit by
 * itself, which proves stop() leaves no timer or socket behind.
 */
import { Redis } from "ioredis";
import { pino } from "pino";
import { DiscordAdapter } from "../../../adapters/discord/adapter.js";
import { createRedisIntake } from "../../../src/queue/redis-intake.js";
import { RedisCursorStore } from "../../../src/state/cursor-store.js";

const env = process.env;
const prefix = env.OUTAGE_PREFIX ?? "";
const redis = new Redis({ host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null });
const intake = createRedisIntake({
  connection: redis,
  prefix,
  key: Buffer.from(env.OUTAGE_KEY ?? "", "hex"),
});
const adapter = new DiscordAdapter({
  token: env.OUTAGE_TOKEN ?? "",
  apiUrl: env.OUTAGE_API ?? "",
  reconnectMinMs: 100,
  retryMinMs: 50,
  retryMaxMs: 400,
});
const logger = pino({ level: "warn" }, pino.destination(2));

// Counts raw submit calls and replays the intake absorbed, for the parent's report.
const counting = {
  async submit(message: Parameters<typeof intake.submit>[0]) {
    await redis.incr(`${prefix}:test:submit-calls`);
    const result = await intake.submit(message);
    if (result.duplicate) await redis.incr(`${prefix}:test:duplicates`);
    return result;
  },
  quarantine: intake.quarantine.bind(intake),
};

await adapter.start({ intake: counting, cursors: new RedisCursorStore(redis, prefix), logger });
console.log(`READY ${adapter.health().state}`);

process.once("SIGTERM", () => {
  void (async () => {
    await adapter.stop();
    await intake.close();
    await redis.quit();
    console.log("STOPPED");
  })();
});
