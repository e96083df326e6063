/**
 * What an erasure costs as the store grows, on a private redis-server and a real outbox folder:
 * `readers` readers write one Telegram message each through the real pipeline (route with the
 * conversation step, delivery to the outbox), then one reader is erased (`forget`), then again
 * (nothing left). Baseline in the same run: `keys status`'s census of every sealed store, the
 * other command that walks everything.
 *
 *   npm run build && node dist/bench/forget.js [readers]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { stickyRoute } from "../src/conversation/sticky.js";
import { createConversationStore } from "../src/conversation/store.js";
import { censusAll } from "../src/crypto/sealed-store.js";
import { deliveryConfigFromEnv } from "../src/delivery/config.js";
import { createDelivery } from "../src/delivery/index.js";
import { forget, forgetDepsFrom } from "../src/erasure/forget.js";
import { logger } from "../src/logger.js";
import type { InboundMessage } from "../src/message/inbound.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { startPrivateRedis } from "../src/redis/server.js";
import { createRelayTokens } from "../src/relay/token.js";
import { loadRulesFile } from "../src/routing/load.js";
import { routeMessage } from "../src/routing/route.js";

logger.level = process.env.LOG_LEVEL ?? "warn";

const READERS = Number(process.argv[2] ?? 2000);

function message(reader: number): InboundMessage {
  return {
    id: `telegram:${100_000 + reader}:1`,
    channel: "telegram",
    replyTo: `telegram:${100_000 + reader}`,
    sender: { id: `telegram:${100_000 + reader}`, displayName: `Reader ${reader}` },
    text: `Hallo, ich wohne in Wien, Leser ${reader}: wann trefft ihr euch?`,
    sentAt: new Date().toISOString(),
    evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
    attachments: [],
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cr-bench-forget-"));
  const server = await startPrivateRedis({ dir: join(dir, "redis") });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const outboxDir = join(dir, "outbox");
  const prefix = "{bench}";
  const key = randomBytes(32);
  const rules = loadRulesFile();
  const delivery = createDelivery(
    deliveryConfigFromEnv({ OUTBOX_DIR: outboxDir, MAIL_FROM: "router <r@example.net>" }),
  );
  let store: ReturnType<typeof createConversationStore> | null = null;
  const pipeline = createPipeline({
    connection: redis,
    prefix,
    key,
    roles: ["route", "deliver"],
    route: (m) => routeMessage(m, rules),
    affiliate: (id) => rules.affiliateById.get(id),
    conversation: (input) =>
      stickyRoute(
        {
          store: store!,
          tokens: createRelayTokens(pipeline.keyring.entries),
          affiliateExists: () => true,
        },
        input,
      ),
    delivery,
    flood: null,
  });
  store = createConversationStore({
    redis,
    prefix,
    envelope: pipeline.envelope,
    keyring: pipeline.keyring.entries,
  });
  try {
    for (let r = 0; r < READERS; r++) await pipeline.intake.submit(message(r));
    for (;;) {
      const files = readdirSync(outboxDir).filter((n) => n.endsWith(".eml")).length;
      if (files >= READERS) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const deps = forgetDepsFrom({
      pipeline,
      store,
      redis,
      prefix,
      outboxDir,
      smtp: false,
      actor: "bench",
    });
    const [, census] = await timed(() => censusAll(pipeline.sealedStores, pipeline.envelope));
    const [first, erase] = await timed(() => forget(deps, `telegram:${100_000 + 7}`));
    const [second, again] = await timed(() => forget(deps, `telegram:${100_000 + 7}`));
    const removed = Object.entries(first.removed)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ");
    console.log(
      `${READERS} readers (${READERS} conversations, ${READERS * 2} completed jobs, ${READERS} outbox files)`,
    );
    console.log(`  census of every sealed store (baseline): ${census.toFixed(0)} ms`);
    console.log(`  forget one reader:                        ${erase.toFixed(0)} ms  (${removed})`);
    console.log(
      `  forget again (nothing left):              ${again.toFixed(0)} ms  (removed ${Object.values(second.removed).reduce((a, b) => a + b, 0)})`,
    );
  } finally {
    await pipeline.close();
    await delivery.close();
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
