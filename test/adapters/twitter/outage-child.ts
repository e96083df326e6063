/**
 * The Twitter adapter as its own process, for the outage test: real Redis intake and cursor store,
 * pointed at the parent's fake X API. The parent SIGKILLs it at random moments.
 */
import { Redis } from "ioredis";
import { pino } from "pino";
import { createTwitterAdapter } from "../../../adapters/twitter/index.js";
import type { Intake } from "../../../src/queue/intake.js";
import { createRedisIntake } from "../../../src/queue/redis-intake.js";
import { RedisCursorStore } from "../../../src/state/cursor-store.js";

const { REDIS_URL, PREFIX, KEY_HEX, FAKE_URL } = process.env;
if (!REDIS_URL || !PREFIX || !KEY_HEX || !FAKE_URL) throw new Error("outage-child: env missing");

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const inner = createRedisIntake({
  connection: redis,
  prefix: PREFIX,
  key: Buffer.from(KEY_HEX, "hex"),
});
// Counts raw submit calls, so replays the intake's dedupe absorbs are visible in the report.
const intake: Intake = {
  async submit(message) {
    await redis.incr(`${PREFIX}:test:raw-submits`);
    return inner.submit(message);
  },
  quarantine: (ref, reason, raw) => inner.quarantine(ref, reason, raw),
};
const adapter = createTwitterAdapter({
  TWITTER_USER_TOKEN: "outage-test-token",
  TWITTER_API_BASE: FAKE_URL,
  TWITTER_POLL_INTERVAL_MS: "50",
  TWITTER_PAGE_SIZE: "5",
});
if (!adapter) throw new Error("outage-child: adapter not configured");
await adapter.start({
  intake,
  cursors: new RedisCursorStore(redis, PREFIX),
  logger: pino({ level: "warn" }),
});
console.log("started");
process.on("SIGTERM", () => {
  void adapter
    .stop()
    .then(() => inner.close())
    .then(() => redis.quit())
    .then(() => process.exit(0));
});
