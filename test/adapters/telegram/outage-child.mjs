// The Telegram adapter as its own process, on a real Redis intake and cursor store, so the outage
// test can SIGKILL it. Runs the compiled adapter from dist/ (the test suite's global setup builds it).
import { Buffer } from "node:buffer";
import process from "node:process";
import { Redis } from "ioredis";
import { pino } from "pino";
import { TelegramAdapter } from "../../../dist/adapters/telegram/adapter.js";
import { createRedisIntake } from "../../../dist/src/queue/redis-intake.js";
import { RedisCursorStore } from "../../../dist/src/state/cursor-store.js";

const { API_ROOT, BOT_TOKEN, REDIS_URL, PREFIX, KEY_HEX } = process.env;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const intake = createRedisIntake({
  connection: redis,
  prefix: PREFIX,
  key: Buffer.from(KEY_HEX, "hex"),
});
const adapter = new TelegramAdapter(
  { token: BOT_TOKEN, apiRoot: API_ROOT, webhook: null },
  { pollTimeoutSeconds: 1, backoff: { initialMs: 50, maxMs: 500 } },
);
await adapter.start({
  intake,
  cursors: new RedisCursorStore(redis, PREFIX),
  logger: pino({ level: "warn" }),
});
process.send?.("ready");

// A graceful stop must leave nothing open: the process then exits by itself.
process.once("SIGTERM", () => {
  void (async () => {
    await adapter.stop();
    await intake.close();
    await redis.quit();
    process.disconnect?.();
  })();
});
