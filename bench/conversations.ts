/**
 * Conversation costs, on a private redis-server:
 *
 * 1. The route stage's conversation step (`stickyRoute`) per message: first messages (a new
 *    conversation each) and follow-ups (one conversation growing to 50 messages), µs per call,
 *    and the Redis commands it costs.
 * 2. The relay: `replies` affiliate answers sent by SMTP (nodemailer, 8 connections) to the relay
 *    listener, each relayed to a no-op platform sender: throughput and latency from the SMTP
 *    client's send to the platform send.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/conversations.js [messages] [replies]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import nodemailer from "nodemailer";
import { Registry } from "prom-client";
import { stickyRoute } from "../src/conversation/sticky.js";
import { createConversationStore } from "../src/conversation/store.js";
import { createEnvelope } from "../src/crypto/envelope.js";
import { keyId } from "../src/crypto/identity-hash.js";
import type { DeliveryConfig } from "../src/delivery/config.js";
import type { Delivery } from "../src/delivery/types.js";
import { logger } from "../src/logger.js";
import type { InboundMessage } from "../src/message/inbound.js";
import { contactIdFor } from "../src/queue/keys.js";
import { startPrivateRedis } from "../src/redis/server.js";
import { startConversations } from "../src/relay/start.js";
import { createRelayTokens, relayAddress } from "../src/relay/token.js";
import { loadRulesFile } from "../src/routing/load.js";
import { LiveRules } from "../src/routing/live.js";
import { routeMessage } from "../src/routing/route.js";

logger.level = process.env.LOG_LEVEL ?? "warn";

const N = Number(process.argv[2] ?? 2000);
const REPLIES = Number(process.argv[3] ?? 300);

function message(reader: number, n: number): InboundMessage {
  return {
    id: `telegram:${reader}:${n}`,
    channel: "telegram",
    replyTo: `telegram:${reader}`,
    sender: { id: `telegram:${reader}`, displayName: "Reader" },
    text: `Hallo, ich wohne in Wien, Nachricht ${n}: wann trefft ihr euch?`,
    sentAt: new Date().toISOString(),
    evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
    attachments: [],
  };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cr-bench-conv-"));
  const redisServer = await startPrivateRedis({ dir: join(dir, "redis") });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  try {
    const key = randomBytes(32);
    const keyring = [{ kid: keyId(key), key }];
    const prefix = "{bench}";
    const store = createConversationStore({
      redis,
      prefix,
      envelope: createEnvelope(key),
      keyring,
    });
    const tokens = createRelayTokens(keyring);
    const rules = loadRulesFile();
    const deps = { store, tokens, affiliateExists: (id: string) => rules.affiliateById.has(id) };
    const input = (m: InboundMessage) => {
      const { evidence, decision } = routeMessage(m, rules);
      return {
        contactId: contactIdFor(m.id),
        message: m,
        evidence,
        decision,
        at: new Date().toISOString(),
        h: contactIdFor(m.id).slice(1),
        t: Date.now(),
        route: (x: InboundMessage) => routeMessage(x, rules),
      };
    };
    const commands = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await redis.info("stats"))?.[1] ?? 0);

    // 1. The conversation step.
    const firstInputs = Array.from({ length: N }, (_, i) => input(message(1_000_000 + i, 1)));
    // Node CPU per call too: the wall time is mostly round trips, and moves with the machine's load.
    const cpuUs = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / N;
    };
    let c0 = await commands();
    let t0 = process.hrtime.bigint();
    let u0 = process.cpuUsage();
    for (const x of firstInputs) await stickyRoute(deps, x);
    const firstUs = Number(process.hrtime.bigint() - t0) / 1000 / N;
    const firstCpu = cpuUs(u0);
    const firstCmds = ((await commands()) - c0 - 1) / N;
    const followInputs = Array.from({ length: N }, (_, i) =>
      input(message(2_000_000 + Math.floor(i / 50), i)),
    );
    c0 = await commands();
    t0 = process.hrtime.bigint();
    u0 = process.cpuUsage();
    for (const x of followInputs) await stickyRoute(deps, x);
    const followUs = Number(process.hrtime.bigint() - t0) / 1000 / N;
    const followCpu = cpuUs(u0);
    const followCmds = ((await commands()) - c0 - 1) / N;
    console.log(`conversation step, ${N} messages each, sequential:`);
    console.log(
      `  first message (new conversation): ${firstUs.toFixed(0)} µs (node CPU ${firstCpu.toFixed(0)} µs), ${firstCmds.toFixed(1)} Redis commands`,
    );
    console.log(
      `  follow-up (conversations of up to 50 messages): ${followUs.toFixed(0)} µs (node CPU ${followCpu.toFixed(0)} µs), ${followCmds.toFixed(1)} Redis commands`,
    );
    const rec = await redis.hget(
      `${prefix}:conv:${(await store.current("telegram:2000000"))!.id}`,
      "s",
    );
    console.log(
      `  sealed record of a 50-message conversation: ${((rec?.length ?? 0) / 1024).toFixed(1)} KB`,
    );

    // 2. The relay, end to end from the SMTP client to the platform send.
    const sent = new Map<string, number>();
    const noDelivery: Delivery = {
      send: (c) => Promise.resolve({ messageId: `<${c.contactId}@bench>`, transport: "outbox" }),
      sendMail: (m) => Promise.resolve({ messageId: m.messageId, transport: "outbox" }),
      close: () => Promise.resolve(),
    };
    const deliveryConfig: DeliveryConfig = {
      smtp: null,
      outboxDir: join(dir, "outbox"),
      from: "contact-router <bench@example.net>",
      messageIdDomain: "example.net",
      relay: { domain: "localhost" },
      rate: { perMinute: 1e9, burst: 1e9 },
    };
    const live = new LiveRules(rules.source);
    const conv = await startConversations({
      env: { RELAY_SMTP_PORT: "0", RELAY_CONCURRENCY: "16" },
      roles: ["ingest"],
      redis,
      prefix,
      keyring,
      delivery: deliveryConfig,
      rulesFile: rules.source,
      rules: live,
      sender: {
        send(_channel, m) {
          const id = /^Antwort[^\n]*\n\n(\S+)/.exec(m.text)?.[1] ?? "";
          sent.set(id, performance.now());
          return Promise.resolve({ platformMessageId: "telegram:1:1" });
        },
      },
      deliveryInstance: noDelivery,
      metrics: new Registry(),
    });
    try {
      const port = conv.relay!.port;
      const targets = firstInputs.slice(0, REPLIES).map(async (x) => {
        const c = await store.current(x.message.replyTo);
        return relayAddress(tokens.mint(c!.id, c!.generation), "localhost");
      });
      const addresses = await Promise.all(targets);
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port,
        pool: true,
        maxConnections: 8,
        maxMessages: Infinity,
        ignoreTLS: true,
      });
      const started = new Map<string, number>();
      const t1 = performance.now();
      await Promise.all(
        addresses.map((to, i) => {
          const id = `answer-${i}`;
          started.set(id, performance.now());
          return transport.sendMail({
            from: "de@leftcom.org",
            to,
            subject: "Re: [C-XXXXX]",
            text: `${id} Danke für deine Nachricht, wir treffen uns am Donnerstag.\n\n-- \nGIK`,
          });
        }),
      );
      transport.close();
      const accepted = performance.now() - t1;
      while (sent.size < REPLIES) await new Promise((r) => setTimeout(r, 20));
      const total = performance.now() - t1;
      const lat = [...started].map(([id, t]) => (sent.get(id) ?? t) - t);
      console.log(`relay, ${REPLIES} replies over 8 SMTP connections, relay concurrency 16:`);
      console.log(
        `  all accepted (250) after ${accepted.toFixed(0)} ms; all sent to the platform after ${total.toFixed(0)} ms (${((REPLIES / total) * 1000).toFixed(0)} replies/s)`,
      );
      console.log(
        `  SMTP send → platform send: p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms`,
      );
    } finally {
      await conv.stop();
      live.close();
    }
  } finally {
    redis.disconnect();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
