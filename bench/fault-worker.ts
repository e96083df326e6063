/**
 * Child process of bench/fault-kill.ts: the route and deliver workers, delivering over SMTP to the
 * parent's sink. The parent SIGKILLs and restarts it. Not meant to be run by hand.
 */
import { Redis } from "ioredis";
import { createDelivery } from "../src/delivery/index.js";
import { logger } from "../src/logger.js";
import { stickyRoute } from "../src/conversation/sticky.js";
import { createConversationStore } from "../src/conversation/store.js";
import { createEnvelope } from "../src/crypto/envelope.js";
import { createKeyring } from "../src/crypto/keyring.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { createRelayTokens } from "../src/relay/token.js";
import { loadRulesFile } from "../src/routing/load.js";
import { routeMessage } from "../src/routing/route.js";

// Per-message info lines would measure the terminal, not the pipeline.
logger.level = process.env.LOG_LEVEL ?? "warn";

const env = process.env;
const need = (name: string): string => {
  const v = env[name];
  if (!v) throw new Error(`fault-worker: ${name} is required`);
  return v;
};

const connection = new Redis(need("FAULT_REDIS_URL"), { maxRetriesPerRequest: null });
connection.on("error", () => undefined);
const key = Buffer.from(need("DATA_KEY"), "base64");
const keyring = createKeyring(key);
// As the service runs: the route stage's conversation step (src/relay/start.ts).
const store = createConversationStore({
  redis: connection,
  prefix: need("FAULT_PREFIX"),
  envelope: createEnvelope(keyring),
  keyring: keyring.entries,
});
const tokens = createRelayTokens(keyring.entries);
const rules = loadRulesFile();
const delivery = createDelivery({
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
  rate: { perMinute: 1e9, burst: 1e9 },
});
const fast = { attempts: 100, baseDelayMs: 100, maxDelayMs: 2000 };
const pipeline = createPipeline({
  connection,
  prefix: need("FAULT_PREFIX"),
  key,
  roles: ["route", "deliver"],
  route: (m) => routeMessage(m, rules),
  affiliate: (id) => rules.affiliateById.get(id),
  conversation: (input) =>
    stickyRoute({ store, tokens, affiliateExists: (id) => rules.affiliateById.has(id) }, input),
  delivery,
  retry: { inbound: fast, deliver: fast },
  deliverRate: { perMinute: 1e9, burst: 1e9 },
  concurrency: { inbound: 8, deliver: 8 },
  // Short locks so jobs of a killed worker are recovered within seconds, and no cap on recoveries:
  // this process is killed hundreds of times on purpose.
  lockDurationMs: 3000,
  stalledIntervalMs: 1000,
  maxStalledCount: 100_000,
});
void pipeline;
process.stdout.write("READY\n");
