import type { Command } from "commander";
import type { Redis } from "ioredis";
import { RouterError } from "../errors.js";
import type { AppConfig } from "../config.js";
import type { Pipeline } from "../queue/pipeline.js";

/** What admin commands get besides the queues. */
export interface AdminContext {
  redis: Redis;
  prefix: string;
  /** Where the current data key came from: env (DATA_KEY), file or generated. */
  keySource: string;
  /** The service's whole configuration, as the running service reads it. */
  config: AppConfig;
}

/**
 * Opens the running service's Redis for a one-shot command (never starts one), with the
 * service's bounded waits: an unreachable Redis fails once with REDIS_UNAVAILABLE, and a command
 * with Redis gone mid-way fails once instead of waiting. Runs `fn` on the bounded client, closes.
 */
export async function withServiceRedis<T>(
  fn: (redis: Redis, config: AppConfig) => Promise<T>,
): Promise<T> {
  // Loaded here so other commands (route, rules) do not pay for Redis at start-up.
  const { loadConfig } = await import("../config.js");
  const { connectRedis } = await import("../redis/connect.js");
  const config = loadConfig(process.env);
  const redis = await connectRedis({
    ...(config.redisUrl ? { url: config.redisUrl } : {}),
    dataDir: `${config.varDir}/redis`,
    existingOnly: true,
    connectTimeoutMs: config.redisConnectTimeoutMs,
    commandTimeoutMs: config.redisCommandTimeoutMs,
  });
  try {
    return await fn(redis.bounded, config);
  } finally {
    await redis.close();
  }
}

/** Opens the running service's queues (no workers) with its keyring, runs `fn`, closes. */
export async function withQueues<T>(
  fn: (p: Pipeline, ctx: AdminContext) => Promise<T>,
): Promise<T> {
  return withServiceRedis(async (redis, config) => {
    // Loaded here so other commands (route, rules) do not pay for BullMQ at start-up.
    const { createPipeline } = await import("../queue/pipeline.js");
    const pipeline = createPipeline({
      connection: redis,
      prefix: config.prefix,
      key: config.dataKey.key,
      oldKeys: config.oldDataKeys,
      roles: [],
    });
    try {
      return await fn(pipeline, {
        redis,
        prefix: config.prefix,
        keySource: config.dataKey.source,
        config,
      });
    } finally {
      await pipeline.close();
    }
  });
}

export function print(rows: object[], json: boolean, empty: string): void {
  if (json) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log(empty);
  else console.table(rows);
}

function notFound(what: string, id: string): never {
  throw new RouterError("INVALID_PAYLOAD", `no ${what} with id ${id}`);
}

/**
 * `contact-router dlq list|retry <id>|discard <id>`, `contact-router quarantine
 * list|show <ref>|requeue <ref>|--all|discard <ref>` and `contact-router held list|release|discard`.
 * Lists show ids, reasons and times only; `quarantine show` decrypts one raw payload for an admin.
 */
export function registerQueueCommands(program: Command): void {
  const dlq = program.command("dlq").description("dead letters: jobs that exhausted their retries");
  dlq
    .command("list")
    .option("--json", "print JSON")
    .option("--limit <n>", "per queue", "100")
    .action(async (o: { json?: boolean; limit: string }) => {
      const rows = await withQueues((p) => p.deadLetters.list(Number(o.limit) || 100));
      print(rows, o.json ?? false, "no dead letters");
    });
  dlq
    .command("retry <id>")
    .description("put a dead letter back on its queue (id as listed: <queue>/<jobId>)")
    .action(async (id: string) => {
      if (!(await withQueues((p) => p.deadLetters.retry(id)))) notFound("dead letter", id);
      console.log(`retrying ${id}`);
    });
  dlq
    .command("discard <id>")
    .description("delete a dead letter for good")
    .action(async (id: string) => {
      if (!(await withQueues((p) => p.deadLetters.discard(id)))) notFound("dead letter", id);
      console.log(`discarded ${id}`);
    });

  const q = program
    .command("quarantine")
    .description("payloads that can never be processed, with reasons");
  q.command("list")
    .option("--json", "print JSON")
    .option("--limit <n>", "how many, newest first", "100")
    .action(async (o: { json?: boolean; limit: string }) => {
      const rows = await withQueues((p) => p.quarantine.list(Number(o.limit) || 100));
      print(rows, o.json ?? false, "quarantine is empty");
    });
  q.command("show <ref>")
    .description("print one quarantined payload, decrypted (it may contain personal data)")
    .action(async (ref: string) => {
      const raw = await withQueues((p) => p.quarantine.raw(ref));
      if (raw === null) notFound("quarantine entry", ref);
      console.log(raw);
    });
  q.command("requeue [ref]")
    .description(
      "put a quarantined message back on the queue of the stage that stopped it (a canonical message on inbound)",
    )
    .option("--all", "every entry that can be requeued; the others are listed with the reason")
    .action(async (ref: string | undefined, o: { all?: boolean }) => {
      if (o.all) {
        const failed = await withQueues(async (p) => {
          const out: { ref: string; reason: string }[] = [];
          for (const entry of await p.quarantine.list(100_000)) {
            try {
              const done = await p.requeueQuarantined(entry.ref);
              if (done) console.log(`requeued ${done.ref} on ${done.queue} as ${done.jobId}`);
            } catch (err) {
              out.push({ ref: entry.ref, reason: reasonOf(err) });
            }
          }
          return out;
        });
        if (failed.length > 0) {
          console.log(`${failed.length} entr${failed.length === 1 ? "y" : "ies"} not requeued:`);
          console.table(failed);
        }
        return;
      }
      if (!ref) throw new RouterError("INVALID_PAYLOAD", "give a quarantine ref, or --all");
      const done = await withQueues((p) => p.requeueQuarantined(ref));
      if (!done) notFound("quarantine entry", ref);
      console.log(`requeued ${done.ref} on ${done.queue} as ${done.jobId}`);
    });
  q.command("discard <ref>")
    .description("delete one quarantined payload")
    .action(async (ref: string) => {
      if (!(await withQueues((p) => p.quarantine.discard(ref)))) notFound("quarantine entry", ref);
      console.log(`discarded ${ref}`);
    });

  const held = program
    .command("held")
    .description("messages held back by the per-sender flood limit (FLOOD_MAX_MESSAGES)");
  held
    .command("list")
    .option("--json", "print JSON")
    .option("--sender <hash>", "only this sender's messages (the sender column)")
    .option("--limit <n>", "how many, oldest first", "100")
    .action(async (o: { json?: boolean; sender?: string; limit: string }) => {
      const rows = await withQueues((p) => p.held.list(Number(o.limit) || 100, o.sender));
      print(rows, o.json ?? false, "no held messages");
    });
  held
    .command("release [ref]")
    .description("put held messages on the inbound queue: one by ref, a sender's, or all")
    .option("--sender <hash>", "every held message of this sender")
    .option("--all", "every held message")
    .action(async (ref: string | undefined, o: { sender?: string; all?: boolean }) => {
      if (!ref && !o.sender && !o.all) {
        throw new RouterError("INVALID_PAYLOAD", "give a held ref, --sender <hash> or --all");
      }
      const n = await withQueues(async (p) => {
        const refs = ref
          ? [ref]
          : (await p.held.list(Number.MAX_SAFE_INTEGER, o.sender)).map((e) => e.ref);
        let released = 0;
        for (const r of refs) {
          if (await p.held.release(r)) released++;
          else if (ref) notFound("held message", r);
        }
        return released;
      });
      console.log(`released ${n} held message${n === 1 ? "" : "s"}`);
    });
  held
    .command("discard <ref>")
    .description("delete one held message for good")
    .action(async (ref: string) => {
      if (!(await withQueues((p) => p.held.discard(ref)))) notFound("held message", ref);
      console.log(`discarded ${ref}`);
    });
}

function reasonOf(err: unknown): string {
  return err instanceof RouterError ? `${err.code}: ${err.message}` : String(err);
}
