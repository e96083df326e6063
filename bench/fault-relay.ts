/**
 * Relay fault script: N affiliate replies sent by SMTP to the relay while the relay process
 * (listener + worker) is SIGKILLed again and again, many times right after it accepted a reply
 * (250 to DATA) and before the answer went out. Each reply answers a web-form reader, whose
 * answer arrives by email at a local SMTP sink. After the kills, every answer must be there once.
 * Prints the counts.
 *
 *   npm run build && node dist/bench/fault-relay.js [replies] [kills]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import nodemailer from "nodemailer";
import { normalizeWebForm } from "../adapters/web/normalize.js";
import { newConversation } from "../src/conversation/history.js";
import { createConversationStore } from "../src/conversation/store.js";
import { createEnvelope } from "../src/crypto/envelope.js";
import { keyId } from "../src/crypto/identity-hash.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { contactIdFor } from "../src/queue/keys.js";
import { freePort, startPrivateRedis } from "../src/redis/server.js";
import { loadRulesFile } from "../src/routing/load.js";
import { routeMessage } from "../src/routing/route.js";
import { createRelayTokens, relayAddress } from "../src/relay/token.js";
import { startSmtpSink } from "./smtp-sink.js";
import { faultChild } from "./support/fault.js";

const N = Number(process.argv[2] ?? 300);
const KILLS = Number(process.argv[3] ?? 100);
const WORKER = join(dirname(fileURLToPath(import.meta.url)), "fault-relay-worker.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cr-fault-relay-"));
  const redis = await startPrivateRedis({ dir: join(dir, "redis"), appendfsync: "always" });
  const sink = await startSmtpSink();
  const key = randomBytes(32);
  const keyring = [{ kid: keyId(key), key }];
  const prefix = "{fault-relay}";
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const rules = loadRulesFile();

  // N conversations of web-form readers, as the route stage would have opened them.
  const store = createConversationStore({
    redis: conn,
    prefix,
    envelope: createEnvelope(key),
    keyring,
  });
  const tokens = createRelayTokens(keyring);
  const run = randomBytes(3).toString("hex");
  const replies: { reader: string; from: string; relay: string; n: number }[] = [];
  for (let i = 0; i < N; i++) {
    const reader = `reader-${run}-${i}@example.org`;
    const message = normalizeWebForm(
      { country: "IT", email: reader, message: `Ciao, sono il lettore ${i}.` },
      { id: `fault-relay-${run}-${i}` },
    );
    const { evidence, decision } = routeMessage(message, rules);
    const input = {
      contactId: contactIdFor(message.id),
      message,
      evidence,
      decision,
      at: new Date().toISOString(),
    };
    const { conversation: c } = await store.create(input.contactId, `email:${reader}`, (id, ref) =>
      newConversation(id, ref, input, {
        channel: "web",
        country: "IT",
        language: "it",
        words: "Ciao",
      }),
    );
    const affiliate = rules.affiliateById.get(c.affiliate)!;
    replies.push({
      reader,
      from: affiliate.inbox,
      relay: relayAddress(tokens.mint(c.id, c.generation), "localhost"),
      n: i,
    });
  }

  const relayPort = await freePort();
  const relay = faultChild(WORKER, () => ({
    redisUrl: redis.url,
    smtpPort: sink.port,
    prefix,
    outbox: join(dir, "outbox"),
    key,
    relayPort,
  }));
  let acceptedSinceStart = 0;
  const startRelay = (): Promise<void> => {
    acceptedSinceStart = 0;
    return relay.start();
  };
  let killedAfterAccept = 0;
  const killRelay = async (): Promise<void> => {
    const afterAccept = acceptedSinceStart > 0;
    if ((await relay.kill()) && afterAccept) killedAfterAccept++;
  };

  // The affiliates' mail servers: each reply is retried until the relay answers 250, as an MTA
  // would after a dropped connection or a 4xx.
  let accepted = 0;
  let smtpRetries = 0;
  const send = async (r: (typeof replies)[number]): Promise<void> => {
    for (;;) {
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port: relayPort,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 2000,
        greetingTimeout: 2000,
        socketTimeout: 5000,
      });
      try {
        await transport.sendMail({
          from: r.from,
          to: r.relay,
          subject: "Re: la tua domanda",
          messageId: `<fault-relay-${run}-${r.n}@leftcom.org>`,
          text: `Risposta numero ${r.n}: ci vediamo giovedì.`,
        });
        accepted++;
        acceptedSinceStart++;
        return;
      } catch {
        smtpRetries++;
        await sleep(200);
      } finally {
        transport.close();
      }
    }
  };

  const t0 = Date.now();
  await startRelay();
  let next = 0;
  const senders = Array.from({ length: 4 }, async () => {
    while (next < replies.length) {
      const r = replies[next++]!;
      await send(r);
      await sleep(20);
    }
  });
  const killer = (async () => {
    for (let k = 0; k < KILLS; k++) {
      // Half the kills land right after a reply was accepted, before its answer could go out.
      if (k % 2 === 0 && accepted < N) {
        const before = accepted;
        while (accepted === before && accepted < N) await sleep(2);
      } else {
        await sleep(50 + Math.random() * 400);
      }
      await killRelay();
      await startRelay();
      if (k % 20 === 0) console.log(`kill ${k + 1}/${KILLS}: replies accepted ${accepted}/${N}`);
    }
  })();
  await Promise.all([...senders, killer]);
  console.log(`kills done; waiting for the answers (accepted ${accepted}/${N})`);

  const readers = new Set(replies.map((r) => r.reader));
  const answered = () => new Set(sink.accepted.map((a) => a.to).filter((to) => readers.has(to)));
  let last = -1;
  let stillSince = Date.now();
  for (;;) {
    const got = answered().size;
    if (got >= N) break;
    if (got !== last) {
      last = got;
      stillSince = Date.now();
    } else if (Date.now() - stillSince > 60_000) break;
    await sleep(500);
  }
  await sleep(3000); // late repeats, if any, arrive now

  const byReader = new Map<string, Set<string>>();
  let mails = 0;
  for (const a of sink.accepted) {
    if (!readers.has(a.to)) continue;
    mails++;
    byReader.set(a.to, (byReader.get(a.to) ?? new Set()).add(a.messageId));
  }
  const sent = byReader.size;
  const distinctAnswers = [...byReader.values()].reduce((n, s) => n + s.size, 0);
  const secondAnswers = distinctAnswers - sent; // another answer (another Message-ID) to one reader
  const resent = mails - distinctAnswers; // the same answer again, same Message-ID
  const others = sink.accepted.length - mails; // notices to affiliates (e.g. "may not have arrived")
  const pipeline = createPipeline({ connection: conn, prefix, key, roles: [] });
  const dlq = (await pipeline.queues.relay.getFailed()).length;
  const quarantined = await pipeline.quarantine.count();
  const reasons = new Map<string, number>();
  for (const e of await pipeline.quarantine.list(10_000)) {
    const name = e.reason.split(":")[0] ?? "?";
    reasons.set(name, (reasons.get(name) ?? 0) + 1);
  }
  console.log("--- fault-relay results ---");
  console.log(`replies accepted by the relay (250): ${accepted} / ${N}`);
  console.log(`relay SIGKILLs: ${relay.kills}, of which right after a 250: ${killedAfterAccept}`);
  console.log(`SMTP attempts cut or refused while the relay was down (retried): ${smtpRetries}`);
  console.log(`answers sent (readers answered): ${sent}`);
  console.log(`lost (reader never answered): ${N - sent}`);
  console.log(
    `duplicates: ${secondAnswers} second answers, ${resent} resends of the same Message-ID`,
  );
  console.log(`other emails (notices to affiliates): ${others}`);
  console.log(
    `relay dead letters: ${dlq}, quarantined: ${quarantined} (${[...reasons].map(([r, n]) => `${r} ${n}`).join(", ") || "none"})`,
  );
  console.log(`elapsed: ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await killRelay();
  await pipeline.close();
  conn.disconnect();
  await sink.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(N - sent === 0 && secondAnswers === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
