/**
 * End-to-end pipeline benchmark: normalize → intake → route → deliver (outbox, then a local SMTP
 * sink), against a bare BullMQ pipeline with the same hops and no-op workers, in the same run,
 * on a private redis-server. Prints throughput, p50/p99 latency at a fixed offered load, peak RSS.
 * The SMTP sink runs in a child process, like a real mail server.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/pipeline.js [messages] [rate] [route,deliver] [only]
 *
 * `route,deliver`: worker concurrency of the two stages (bare uses the same for its two hops);
 * default: the service's defaults.
 *
 * `only`: a comma list of variant numbers to run after the bare baseline (1 no-op delivery,
 * 2 outbox, 3 SMTP sink), e.g. `2` to profile the outbox path alone; default all.
 *
 * `BENCH_CPU_PROFILE=<dir>`: a V8 CPU profile of this process during each variant's throughput
 * phase only (not the warm-up, the latency phase or the step costs), one `.cpuprofile` per variant;
 * `node scripts/cpuprofile-top.mjs <file>` summarises one.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { normalizeWebForm } from "../adapters/web/normalize.js";
import { buildOutboxMessage, composeMail } from "../src/delivery/compose.js";
import { createDelivery } from "../src/delivery/index.js";
import { writeOutboxFile } from "../src/delivery/outbox.js";
import { logger } from "../src/logger.js";
import type { DeliveryConfig } from "../src/delivery/config.js";
import type { ContactToDeliver, Delivery, DeliveryResult } from "../src/delivery/types.js";
import { createKeyring } from "../src/crypto/keyring.js";
import { createEnvelope } from "../src/crypto/envelope.js";
import { stickyRoute } from "../src/conversation/sticky.js";
import { createConversationStore } from "../src/conversation/store.js";
import { createRelayTokens } from "../src/relay/token.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { DEFAULT_CONCURRENCY } from "../src/queue/keys.js";
import { startPrivateRedis } from "../src/redis/server.js";
import { loadRulesFile } from "../src/routing/load.js";
import type { RoutingRules } from "../src/routing/rules.js";
import { routeMessage } from "../src/routing/route.js";
import { startSmtpSinkProcess } from "./smtp-sink.js";

// Per-message info lines would measure the terminal, not the pipeline.
logger.level = process.env.LOG_LEVEL ?? "warn";

const N = Number(process.argv[2] ?? 3000);
const RATE = Number(process.argv[3] ?? 200);
// "route,deliver" worker concurrency (one number: both); default: the service's defaults.
const [ROUTE_C, DELIVER_C] = ((spec) => {
  const [r, d = r] = spec.split(",").map(Number);
  return [r!, d!];
})(process.argv[4] ?? `${DEFAULT_CONCURRENCY.inbound},${DEFAULT_CONCURRENCY.deliver}`);
const ONLY = process.argv[5]?.split(",").map(Number);
const IN_FLIGHT = 64;
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE;

/** Runs `f` under the V8 profiler when BENCH_CPU_PROFILE is set, writing `<dir>/<name>.cpuprofile`. */
async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return f();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  try {
    return await f();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Temporary folders (Redis data, outboxes), removed at the end: dirty pages left behind slow later flushes. */
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

const FORMS = [
  { country: "IT", message: "Ciao, vorrei partecipare alle vostre riunioni a Milano." },
  { country: "DE", message: "Hallo, ich wohne in Leipzig und möchte mitmachen." },
  { message: "Bonjour, je suis à Lyon et je voudrais vous rejoindre." },
  { message: "Hi, I live in Melbourne and would like to help with the next action." },
  { country: "CA", message: "Hello from Toronto, how can I join?" },
  { message: "Hola, vivo en Madrid y quiero participar." },
];

interface Stage {
  /** Submits message i; resolves when it is durably queued. */
  submit(i: number): Promise<void>;
  /** Per message index, when it finished. */
  done: Map<number, number>;
  close(): Promise<void>;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function bare(url: string, prefix: string): Stage {
  const conn = new Redis(url, { maxRetriesPerRequest: null });
  const opts = { removeOnComplete: { age: 3600, count: 10_000 }, attempts: 10 };
  const q1 = new Queue("hop1", { connection: conn, prefix });
  const q2 = new Queue("hop2", { connection: conn, prefix });
  const done = new Map<number, number>();
  const w1 = new Worker<{ i: number }>(
    "hop1",
    async (job) => void (await q2.add("x", job.data, { ...opts, jobId: `b2-${job.data.i}` })),
    {
      connection: conn,
      prefix,
      concurrency: ROUTE_C,
    },
  );
  const w2 = new Worker<{ i: number }>(
    "hop2",
    (job) => Promise.resolve(void done.set(job.data.i, performance.now())),
    {
      connection: conn,
      prefix,
      concurrency: DELIVER_C,
    },
  );
  return {
    done,
    submit: async (i) => void (await q1.add("x", { i }, { ...opts, jobId: `b1-${i}` })),
    async close() {
      await Promise.all([w1.close(), w2.close()]);
      await Promise.all([q1.close(), q2.close()]);
      conn.disconnect();
    },
  };
}

function real(url: string, prefix: string, smtpPort: number | null | "noop"): Stage {
  const conn = new Redis(url, { maxRetriesPerRequest: null });
  const rules = loadRulesFile();
  const config: DeliveryConfig = {
    smtp:
      typeof smtpPort === "number"
        ? {
            host: "127.0.0.1",
            port: smtpPort,
            secure: false,
            requireTls: false,
            rejectUnauthorized: false,
            poolSize: 16,
          }
        : null,
    outboxDir: tempDir("cr-bench-outbox-"),
    from: "contact-router <bench@example.net>",
    messageIdDomain: "example.net",
    rate: { perMinute: 1e9, burst: 1e9 },
  };
  // "noop": the pipeline's own cost, without composing or writing any email.
  const inner: Delivery =
    smtpPort === "noop"
      ? {
          send: (c) =>
            Promise.resolve({ messageId: `<${c.contactId}@bench>`, transport: "outbox" }),
          sendMail: (m) => Promise.resolve({ messageId: m.messageId, transport: "outbox" }),
          close: () => Promise.resolve(),
        }
      : createDelivery(config);
  const byContact = new Map<string, number>();
  const done = new Map<number, number>();
  const delivery: Delivery = {
    async send(c: ContactToDeliver): Promise<DeliveryResult> {
      const r = await inner.send(c);
      const i = byContact.get(c.contactId);
      if (i !== undefined) done.set(i, performance.now());
      return r;
    },
    sendMail: (m, key, rateKey) => inner.sendMail(m, key, rateKey),
    close: () => inner.close(),
  };
  // As the service runs (src/relay/start.ts): the conversation step on the same keyring. Each
  // bench message comes from a new reader with an email address, so each opens a conversation.
  const key = randomBytes(32);
  const keyring = createKeyring(key);
  const store = createConversationStore({
    redis: conn,
    prefix,
    envelope: createEnvelope(keyring),
    keyring: keyring.entries,
  });
  const tokens = createRelayTokens(keyring.entries);
  const pipeline = createPipeline({
    connection: conn,
    prefix,
    key,
    roles: ["ingest", "route", "deliver"],
    route: (m) => routeMessage(m, rules),
    affiliate: (id) => rules.affiliateById.get(id),
    conversation: (input) =>
      stickyRoute({ store, tokens, affiliateExists: (id) => rules.affiliateById.has(id) }, input),
    delivery,
    concurrency: { inbound: ROUTE_C, deliver: DELIVER_C },
    // As the service runs: the per-affiliate limit checked in Redis (never reached here), and
    // the per-sender flood limit (each bench form has its own sender).
    deliverRate: config.rate,
    flood: { maxMessages: 20, windowSeconds: 3600 },
  });
  return {
    done,
    async submit(i) {
      const id = `bench-${prefix.slice(1, -1)}-${i}`;
      const form = {
        ...FORMS[i % FORMS.length],
        email: `reader-${i}@${prefix.slice(1, -1)}.example.org`,
      };
      const msg = normalizeWebForm(form, { id, acceptLanguage: "en" });
      byContact.set(pipeline.intake.idsFor(msg.id).contactId, i);
      await pipeline.intake.submit(msg);
    },
    async close() {
      await pipeline.close();
      await delivery.close();
      conn.disconnect();
    },
  };
}

/** As fast as possible, IN_FLIGHT submissions at a time: messages per second end to end. */
async function throughput(stage: Stage, n: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) await stage.submit(next++);
    }),
  );
  while (stage.done.size < n) await new Promise((r) => setTimeout(r, 5));
  return n / ((performance.now() - t0) / 1000);
}

/** Fixed offered load: one message every 1000/rate ms; latency from submit to completion. */
async function latency(
  stage: Stage,
  n: number,
  rate: number,
  offset: number,
): Promise<{ p50: number; p99: number; max: number }> {
  const start = new Map<number, number>();
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let k = 0; k < n; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = offset + k;
    start.set(i, performance.now());
    pending.push(stage.submit(i));
  }
  await Promise.all(pending);
  while ([...start.keys()].some((i) => !stage.done.has(i)))
    await new Promise((r) => setTimeout(r, 5));
  const lat = [...start].map(([i, s]) => stage.done.get(i)! - s).sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: lat[lat.length - 1] ?? NaN };
}

/**
 * Where the time goes: the per-message cost of each step alone, in this process and run. CPU µs for
 * the in-process steps; wall µs per email for the outbox write with DELIVER_C writes in flight.
 */
async function costs(rules: RoutingRules, n: number): Promise<string[]> {
  const msgs = Array.from({ length: n }, (_, i) =>
    normalizeWebForm(FORMS[i % FORMS.length], { id: `cost-${i}`, acceptLanguage: "en" }),
  );
  const cpu = (f: (i: number) => unknown): number => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f(i);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  const norm = cpu((i) =>
    normalizeWebForm(FORMS[i % FORMS.length], { id: `cost-${i}`, acceptLanguage: "en" }),
  );
  const routed = msgs.map((m) => routeMessage(m, rules));
  const route = cpu((i) => routeMessage(msgs[i]!, rules));
  const dir = tempDir("cr-bench-cost-");
  const config: DeliveryConfig = {
    smtp: null,
    outboxDir: dir,
    from: "contact-router <bench@example.net>",
    messageIdDomain: "example.net",
    rate: { perMinute: 1e9, burst: 1e9 },
  };
  const contacts: ContactToDeliver[] = msgs.map((m, i) => {
    const a = rules.affiliateById.get(routed[i]!.decision.affiliate)!;
    return {
      contactId: `c${i.toString(16).padStart(32, "0")}`,
      message: m,
      ...routed[i]!,
      affiliate: { id: a.id, name: a.name, inbox: a.inbox },
    };
  });
  // The same build the outbox delivery does (src/delivery/index.ts).
  const emls: Buffer[] = [];
  const c0 = process.cpuUsage();
  for (const c of contacts) emls.push(await buildOutboxMessage(composeMail(c, config)));
  const cu = process.cpuUsage(c0);
  const compose = (cu.user + cu.system) / n;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: DELIVER_C }, async () => {
      for (let i = next++; i < n; i = next++)
        await writeOutboxFile(dir, contacts[i]!.contactId, emls[i]!);
    }),
  );
  const write = ((performance.now() - t0) * 1000) / n;
  const f = (x: number) => `${x.toFixed(0)} µs`;
  return [
    `normalizeWebForm ${f(norm)} CPU, routeMessage ${f(route)} CPU, compose + MIME build ${f(compose)} CPU`,
    `outbox write (writer thread: temp file, fdatasync, rename, one folder fsync per batch), ${DELIVER_C} in flight: ${f(write)} wall per email`,
  ];
}

/**
 * Counters so far: CPU µs of this process and of redis-server (from INFO, a separate process), and
 * redis-server's commands (those that scripts call included) and read events (one read event is
 * one batch of commands received from a client). The counts do not move with load as times do.
 */
async function countersNow(
  info: Redis,
): Promise<{ node: number; redis: number; commands: number; reads: number }> {
  const u = process.cpuUsage();
  const text = await info.info();
  const num = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return {
    node: u.user + u.system,
    redis: (num("used_cpu_sys") + num("used_cpu_user")) * 1e6,
    commands: num("total_commands_processed"),
    reads: num("total_reads_processed"),
  };
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis({ dir: tempDir("cr-bench-redis-") });
  const info = new Redis(redis.url);
  const sink = await startSmtpSinkProcess();
  const results: Record<string, string> = {};
  const fmt = (x: number) => x.toFixed(1);
  try {
    const variants: [string, (p: string) => Stage][] = [
      ["bare BullMQ (2 hops, no-op)", (p) => bare(redis.url, p)],
      ["contact-router → no-op delivery", (p) => real(redis.url, p, "noop")],
      ["contact-router → outbox", (p) => real(redis.url, p, null)],
      ["contact-router → SMTP sink", (p) => real(redis.url, p, sink.port)],
    ];
    const tp: number[] = [];
    const cpuPerMsg: number[] = [];
    for (const [name, make] of variants.filter((_, i) => i === 0 || !ONLY || ONLY.includes(i))) {
      const stage = make(`{bench-${tp.length}}`);
      for (let i = 0; i < 100; i++) await stage.submit(1_000_000 + i); // warm-up
      while (stage.done.size < 100) await new Promise((r) => setTimeout(r, 5));
      stage.done.clear();
      const c0 = await countersNow(info);
      const e0 = performance.eventLoopUtilization();
      const t = await profiled(`variant-${tp.length}`, () => throughput(stage, N));
      const elu = performance.eventLoopUtilization(e0).utilization;
      const c1 = await countersNow(info);
      const l = await latency(stage, Math.round(RATE * 10), RATE, 2_000_000);
      await stage.close();
      tp.push(t);
      const node = (c1.node - c0.node) / N;
      const red = (c1.redis - c0.redis) / N;
      // Less the first INFO call.
      const commands = (c1.commands - c0.commands - 1) / N;
      const reads = (c1.reads - c0.reads - 1) / N;
      cpuPerMsg.push(node + red);
      // The CPU ratio does not move with other jobs on the machine the way wall-clock rates do.
      results[name] =
        `${fmt(t)} msg/s (${(t / tp[0]!).toFixed(2)}× bare)  |  at ${RATE} msg/s: p50 ${fmt(l.p50)} ms, p99 ${fmt(l.p99)} ms, max ${fmt(l.max)} ms` +
        `  |  CPU/msg: node ${node.toFixed(0)} µs, redis ${red.toFixed(0)} µs (${(cpuPerMsg[0]! / (node + red)).toFixed(2)}× bare), event loop busy ${(elu * 100).toFixed(0)}%` +
        `  |  per msg: ${commands.toFixed(1)} Redis commands (scripts' calls included), ${reads.toFixed(1)} read events`;
      console.log(`${name.padEnd(30)} ${results[name]}`);
    }
    for (const line of await costs(loadRulesFile(), 1000)) console.log(`per message: ${line}`);
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    console.log(
      `messages: ${N} for throughput, ${Math.round(RATE * 10)} at ${RATE} msg/s for latency; concurrency route ${ROUTE_C}, deliver ${DELIVER_C}; node ${process.version}`,
    );
  } finally {
    info.disconnect();
    await sink.close();
    await redis.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
