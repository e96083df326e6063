import type { Command } from "commander";
import { RouterError } from "../errors.js";
import type { Pipeline } from "../queue/pipeline.js";

/** Opens the running service's queues (no workers), runs `fn`, closes. */
async function withQueues<T>(fn: (p: Pipeline) => Promise<T>): Promise<T> {
  // Loaded here so other commands (route, rules) do not pay for BullMQ and Redis at start-up.
  const { loadConfig } = await import("../config.js");
  const { createPipeline } = await import("../queue/pipeline.js");
  const { connectRedis } = await import("../redis/connect.js");
  const config = loadConfig(process.env);
  const redis = await connectRedis({
    ...(config.redisUrl ? { url: config.redisUrl } : {}),
    dataDir: `${config.varDir}/redis`,
    existingOnly: true,
  });
  const pipeline = createPipeline({
    connection: redis.client,
    prefix: config.prefix,
    key: config.dataKey.key,
    roles: [],
  });
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
    await redis.close();
  }
}

function print(rows: object[], json: boolean, empty: string): void {
  if (json) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log(empty);
  else console.table(rows);
}

function notFound(what: string, id: string): never {
  throw new RouterError("INVALID_PAYLOAD", `no ${what} with id ${id}`);
}

/**
 * `contact-router dlq list|retry <id>|discard <id>` and `contact-router quarantine list|show <ref>|discard <ref>`.
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
  q.command("discard <ref>")
    .description("delete one quarantined payload")
    .action(async (ref: string) => {
      if (!(await withQueues((p) => p.quarantine.discard(ref)))) notFound("quarantine entry", ref);
      console.log(`discarded ${ref}`);
    });
}
