/**
 * The intake alone (`createRedisIntake().submit`, no workers), on a private redis-server: node
 * CPU per submit, redis-server CPU, Redis commands and read events per submit, with `inFlight`
 * submits at a time (web-form messages, each from a new reader; the service's flood limit on).
 * Used to weigh intake designs by CPU rather than by round trips (docs/pipeline.md).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/intake.js [submits=3000] [inFlight=64]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { normalizeWebForm } from "../adapters/web/normalize.js";
import { logger } from "../src/logger.js";
import { createRedisIntake } from "../src/queue/redis-intake.js";
import { startPrivateRedis } from "../src/redis/server.js";

logger.level = process.env.LOG_LEVEL ?? "warn";

const N = Number(process.argv[2] ?? 3000);
const IN_FLIGHT = Number(process.argv[3] ?? 64);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cr-bench-intake-"));
  const server = await startPrivateRedis({ dir });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const intake = createRedisIntake({
    connection: redis,
    prefix: "{bench}",
    key: randomBytes(32),
    flood: { maxMessages: 20, windowSeconds: 3600 },
  });
  const message = (i: number) =>
    normalizeWebForm(
      { message: "Hi, I live in Melbourne and would like to help.", email: `r${i}@example.org` },
      { id: `bench-${i}`, acceptLanguage: "en" },
    );
  const run = async (offset: number, n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < n) await intake.submit(message(offset + next++));
      }),
    );
  };
  const counters = async () => {
    const text = await redis.info();
    const num = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(text)?.[1] ?? NaN);
    return {
      cpu: (num("used_cpu_sys") + num("used_cpu_user")) * 1e6,
      commands: num("total_commands_processed"),
      reads: num("total_reads_processed"),
    };
  };
  try {
    await run(1_000_000, 500); // warm-up
    const s0 = await counters();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(0, N);
    const c = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    const s1 = await counters();
    const per = (x: number) => (x / N).toFixed(0);
    console.log(
      `intake, ${N} submits, ${IN_FLIGHT} in flight: node ${per(c.user + c.system)} µs/submit ` +
        `(user ${per(c.user)}, sys ${per(c.system)}), redis ${per(s1.cpu - s0.cpu)} µs, ` +
        `${((s1.commands - s0.commands - 1) / N).toFixed(1)} commands, ` +
        `${((s1.reads - s0.reads - 1) / N).toFixed(2)} read events, ${((N / ms) * 1000).toFixed(0)} submits/s`,
    );
  } finally {
    await intake.close();
    redis.disconnect();
    await server.stop();
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
