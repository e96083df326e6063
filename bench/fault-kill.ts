/**
 * Fault script: 10,000 messages through intake → route → deliver (SMTP to a local sink) while the
 * worker process is SIGKILLed at random moments and restarted (≥ 200 times), and the private
 * redis-server (AOF, appendfsync always) is SIGKILLed and restarted mid-stream. Prints the counts.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/fault-kill.js [messages] [kills] [pace-ms]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { normalizeWebForm } from "../adapters/web/normalize.js";
import { messageIdFor } from "../src/delivery/compose.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { startPrivateRedis, type PrivateRedis } from "../src/redis/server.js";
import { startSmtpSink, type Accepted } from "./smtp-sink.js";
import { faultChild } from "./support/fault.js";

const N = Number(process.argv[2] ?? 10_000);
const KILLS = Number(process.argv[3] ?? 200);
const REDIS_KILL_AT = Math.floor(KILLS / 2);
/** Gap between submissions: 10,000 messages take about as long as 200 kill cycles. */
const PACE_MS = Number(process.argv[4] ?? 20);
const WORKER = join(dirname(fileURLToPath(import.meta.url)), "fault-worker.js");
const FORMS = [
  { country: "IT", message: "Ciao, vorrei partecipare." },
  { country: "DE", message: "Hallo, ich möchte mitmachen." },
  { message: "Bonjour, je suis à Lyon." },
  { message: "Hi, I live in Melbourne." },
  { country: "US", message: "Hello from Chicago." },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cr-fault-"));
  let redis: PrivateRedis = await startPrivateRedis({
    dir: join(dir, "redis"),
    appendfsync: "always",
  });
  const port = redis.port;
  const sink = await startSmtpSink();
  const key = randomBytes(32);
  const prefix = "{fault}";
  const kills: number[] = [];
  let redisKills = 0;

  // The producer: this process is the ingest role.
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  conn.on("error", () => undefined);
  const producer = createPipeline({ connection: conn, prefix, key, roles: [] });
  // While Redis is down the queues report connection errors; submits wait and resume.
  for (const q of Object.values(producer.queues)) q.on("error", () => undefined);
  const expected = new Map<string, number>();
  const run = randomBytes(3).toString("hex");
  let submitted = 0;
  // Paced so the stream spans the kill phase, the Redis kill included; a submit waits out an outage.
  const produce = (async () => {
    for (let i = 0; i < N; i++) {
      const msg = normalizeWebForm(FORMS[i % FORMS.length], { id: `fault-${run}-${i}` });
      expected.set(messageIdFor(producer.intake.idsFor(msg.id).contactId, "example.net"), i);
      await producer.intake.submit(msg);
      submitted++;
      await sleep(PACE_MS);
    }
  })();

  const worker = faultChild(WORKER, () => ({
    redisUrl: redis.url,
    smtpPort: sink.port,
    prefix,
    outbox: join(dir, "outbox"),
    key,
  }));
  const startWorker = () => worker.start();
  const killWorker = async (): Promise<void> => {
    if (await worker.kill()) kills.push(Date.now());
  };

  const t0 = Date.now();
  await startWorker();
  for (let k = 0; k < KILLS; k++) {
    await sleep(50 + Math.random() * 700);
    await killWorker();
    if (k === REDIS_KILL_AT) {
      redis.process.kill("SIGKILL");
      kills.push(Date.now());
      redisKills++;
      await new Promise((r) => redis.process.once("exit", r));
      await sleep(500);
      redis = await startPrivateRedis({ dir: join(dir, "redis"), port, appendfsync: "always" });
    }
    await startWorker();
    if (k % 20 === 0) {
      const unique = new Set(sink.accepted.map((a) => a.messageId)).size;
      console.log(`kill ${k + 1}/${KILLS}: submitted ${submitted}, delivered ${unique}`);
    }
  }
  await produce;
  console.log(`kills done; waiting for the queue to drain (submitted ${submitted})`);
  let last = -1;
  let stillSince = Date.now();
  for (;;) {
    const unique = new Set(sink.accepted.map((a) => a.messageId)).size;
    if (unique >= N) break;
    if (unique !== last) {
      last = unique;
      stillSince = Date.now();
    } else if (Date.now() - stillSince > 120_000) break;
    await sleep(500);
  }
  await sleep(3000); // late duplicates, if any, arrive now

  const byId = new Map<string, Accepted[]>();
  for (const a of sink.accepted) byId.set(a.messageId, [...(byId.get(a.messageId) ?? []), a]);
  const foreign = [...byId.keys()].filter((id) => !expected.has(id)).length;
  const delivered = [...expected.keys()].filter((id) => byId.has(id)).length;
  let dupes = 0;
  let explained = 0;
  for (const list of byId.values()) {
    for (let j = 1; j < list.length; j++) {
      dupes++;
      const first = list[0]!.at;
      if (kills.some((k) => k >= first && k <= list[j]!.at)) explained++;
    }
  }
  const dlq = await producer.deadLetters.list(10_000);
  const quarantined = await producer.quarantine.count();
  console.log("--- fault-kill results ---");
  console.log(`messages submitted:        ${submitted} / ${N}`);
  console.log(`worker SIGKILLs:           ${worker.kills}`);
  console.log(`redis SIGKILL + restarts:  ${redisKills} (AOF, appendfsync always)`);
  console.log(`delivered (unique):        ${delivered}`);
  console.log(`lost:                      ${N - delivered}`);
  console.log(
    `duplicates (same Message-ID): ${dupes}, of which after a kill between acceptance and completion: ${explained}`,
  );
  console.log(`emails with an unexpected Message-ID: ${foreign}`);
  console.log(`dead letters: ${dlq.length}, quarantined: ${quarantined}`);
  console.log(`elapsed: ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await killWorker();
  await producer.close();
  conn.disconnect();
  await sink.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(N - delivered === 0 && dupes === explained && foreign === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
