/**
 * Child process of bench/fault-relay.ts: the relay (SMTP listener and relay worker) answering
 * web-form readers by email through the parent's SMTP sink. The parent SIGKILLs and restarts it.
 * Not meant to be run by hand.
 */
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { keyId } from "../src/crypto/identity-hash.js";
import { logger } from "../src/logger.js";
import { startConversations } from "../src/relay/start.js";
import { DEFAULT_RULES_PATH } from "../src/routing/load.js";

logger.level = process.env.LOG_LEVEL ?? "warn";

const env = process.env;
const need = (name: string): string => {
  const v = env[name];
  if (!v) throw new Error(`fault-relay-worker: ${name} is required`);
  return v;
};

const redis = new Redis(need("FAULT_REDIS_URL"), { maxRetriesPerRequest: null });
redis.on("error", () => undefined);
const key = Buffer.from(need("DATA_KEY"), "base64");
const conversations = await startConversations({
  env: { RELAY_SMTP_HOST: "127.0.0.1", RELAY_SMTP_PORT: need("FAULT_RELAY_PORT") },
  roles: ["ingest"],
  redis,
  prefix: need("FAULT_PREFIX"),
  keyring: [{ kid: keyId(key), key }],
  delivery: {
    smtp: {
      host: "127.0.0.1",
      port: Number(need("FAULT_SMTP_PORT")),
      secure: false,
      requireTls: false,
      rejectUnauthorized: false,
      poolSize: 4,
    },
    outboxDir: need("FAULT_OUTBOX"),
    from: "contact-router <fault@example.net>",
    messageIdDomain: "example.net",
    relay: { domain: "localhost" },
    rate: { perMinute: 1e9, burst: 1e9 },
  },
  rulesFile: DEFAULT_RULES_PATH,
  rules: null,
  sender: { send: () => Promise.reject(new Error("web-form readers only")) },
  deliveryInstance: null,
  metrics: new Registry(),
  retry: { attempts: 100, baseDelayMs: 100, maxDelayMs: 2000 },
  // Short locks so a killed worker's jobs are recovered within seconds, and no cap on recoveries:
  // this process is killed many times on purpose.
  workerTiming: { lockDurationMs: 3000, stalledIntervalMs: 1000, maxStalledCount: 100_000 },
});
await new Promise<void>((resolve) => {
  const check = () => (conversations.relay ? resolve() : setTimeout(check, 20));
  check();
});
process.stdout.write("READY\n");
