import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { Counter, type Registry } from "prom-client";
import type { AuditLog } from "../audit/log.js";
import type { ConversationStore } from "../conversation/store.js";
import { listOutboxFiles } from "../delivery/outbox.js";
import { moduleLogger } from "../logger.js";
import type { HeldStore } from "../queue/held.js";
import { QUARANTINED } from "../queue/jobs.js";
import { QUEUE, STAGE_QUEUES, pipelineKeys, type QueueName } from "../queue/keys.js";
import type { QuarantineEntry, QuarantineStore } from "../queue/quarantine.js";
import type { DataType, RetentionConfig } from "./policies.js";

const log = moduleLogger("retention");
const DAY_MS = 86_400_000;
const PAGE = 500;

/** What the purge reads and deletes. */
export interface RetentionDeps {
  redis: Redis;
  prefix: string;
  store: ConversationStore;
  queues: Record<QueueName, Queue>;
  quarantine: QuarantineStore;
  held: HeldStore;
  audit: AuditLog;
  /** The outbox folder of this process (its delivery writes there); null: none. */
  outboxDir: string | null;
}

/** How many of each data type one purge deleted. */
export type PurgeCounts = Record<DataType, number>;

/**
 * Deletes everything past its retention period as of `now`. Every part is bounded by the data's
 * own time (last message, failure, quarantine, hold, entry, file time), never by when the purge
 * happens to run, so running it late or twice deletes the same things.
 */
export async function purgeExpired(
  deps: RetentionDeps,
  config: RetentionConfig,
  now: Date = new Date(),
): Promise<PurgeCounts> {
  const t = now.getTime();
  const counts = emptyCounts();
  // Conversations: the store's index is ordered by when each expires (last message + period).
  for (;;) {
    const n = await deps.store.purgeExpired(now, PAGE);
    counts.conversations += n;
    if (n < PAGE) break;
  }
  for (const name of STAGE_QUEUES) {
    const relay = name === QUEUE.relay;
    const cutoff = t - (relay ? config.rawMailDays : config.deadLetterDays) * DAY_MS;
    counts[relay ? "raw mail" : "dead letters"] += await purgeFailed(deps.queues[name], cutoff);
  }
  const q = await purgeQuarantine(deps, {
    rawMail: t - config.rawMailDays * DAY_MS,
    other: t - config.quarantineDays * DAY_MS,
  });
  counts["raw mail"] += q.rawMail;
  counts.quarantine += q.other;
  counts.held += await purgeHeld(deps, t - config.heldDays * DAY_MS);
  counts["audit log"] += await deps.audit.trimBefore(new Date(t - config.auditDays * DAY_MS));
  if (deps.outboxDir) {
    counts["outbox files"] += await purgeOutbox(deps.outboxDir, t - config.outboxDays * DAY_MS);
  }
  return counts;
}

function emptyCounts(): PurgeCounts {
  return {
    conversations: 0,
    "raw mail": 0,
    "dead letters": 0,
    quarantine: 0,
    held: 0,
    "audit log": 0,
    "outbox files": 0,
    "dedupe records": 0,
  };
}

/** Raw email an admin may look at: quarantined incoming mail and refused relay replies. */
export function isRawMail(e: Pick<QuarantineEntry, "ref" | "stage">): boolean {
  return e.stage === "relay" || e.ref.startsWith("email:") || e.ref.startsWith("relay");
}

/** Removes dead letters (failed jobs) that failed before `cutoff`. */
async function purgeFailed(queue: Queue, cutoff: number): Promise<number> {
  let removed = 0;
  // Oldest failures are at the end of the failed set: walk it whole, a page at a time.
  const doomed: Job[] = [];
  for (let start = 0; ; start += PAGE) {
    const jobs = (await queue.getFailed(start, start + PAGE - 1)) as (Job | undefined)[];
    for (const job of jobs) {
      if (!job?.id || job.failedReason?.startsWith(QUARANTINED)) continue;
      if ((job.finishedOn ?? job.timestamp) < cutoff) doomed.push(job);
    }
    if (jobs.length < PAGE) break;
  }
  for (const job of doomed) {
    try {
      await job.remove();
      removed++;
    } catch {
      // Retried by an admin meanwhile (now active): no longer a dead letter.
    }
  }
  return removed;
}

async function purgeQuarantine(
  deps: RetentionDeps,
  cutoff: { rawMail: number; other: number },
): Promise<{ rawMail: number; other: number }> {
  const keys = pipelineKeys(deps.prefix);
  const out = { rawMail: 0, other: 0 };
  const oldest = Math.max(cutoff.rawMail, cutoff.other);
  const refs = await deps.redis.zrangebyscore(
    keys.quarantineIndex,
    "-inf",
    `(${oldest}`,
    "WITHSCORES",
  );
  for (let i = 0; i + 1 < refs.length; i += 2) {
    const ref = refs[i]!;
    const at = Number(refs[i + 1]);
    const meta = await deps.quarantine.get(ref);
    const raw = isRawMail(meta ?? { ref, stage: "" });
    if (at >= (raw ? cutoff.rawMail : cutoff.other)) continue;
    if (await deps.quarantine.discard(ref)) out[raw ? "rawMail" : "other"]++;
    else await deps.redis.zrem(keys.quarantineIndex, ref); // an index entry without its entry
  }
  return out;
}

async function purgeHeld(deps: RetentionDeps, cutoff: number): Promise<number> {
  const keys = pipelineKeys(deps.prefix);
  const refs = await deps.redis.zrangebyscore(keys.heldIndex, "-inf", `(${cutoff}`);
  let n = 0;
  for (const ref of refs) {
    if (await deps.held.discard(ref)) n++;
    else await deps.redis.zrem(keys.heldIndex, ref);
  }
  return n;
}

/** Deletes outbox emails written before `cutoff` (and temporary files a crash left). */
async function purgeOutbox(dir: string, cutoff: number): Promise<number> {
  let n = 0;
  for (const name of await listOutboxFiles(dir)) {
    const path = join(dir, name);
    try {
      const s = await stat(path);
      if (!s.isFile() || s.mtimeMs >= cutoff) continue;
      await unlink(path);
      n++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err; // collected meanwhile
    }
  }
  return n;
}

/** A running purge schedule. */
export interface RetentionSchedule {
  /** Runs one purge now (also what the timer runs); resolves to its counts, null when skipped. */
  runOnce(): Promise<PurgeCounts | null>;
  stop(): Promise<void>;
}

export interface RetentionScheduleOptions {
  deps: RetentionDeps;
  config: RetentionConfig;
  /** The clock (tests); default the system clock. */
  now?: () => Date;
  /** prom-client registry for `contact_router_retention_purged_total`. */
  metrics?: Registry;
}

/**
 * Runs the purge once at start and then every `config.intervalMs`. A Redis lock keeps two
 * processes from purging Redis at the same moment (each still purges its own outbox folder).
 * Logs and metrics carry counts by data type only.
 */
export function startRetention(opts: RetentionScheduleOptions): RetentionSchedule {
  const { deps, config } = opts;
  const now = opts.now ?? (() => new Date());
  const lockKey = `${deps.prefix}:retention:lock`;
  const purged = opts.metrics
    ? ((opts.metrics.getSingleMetric("contact_router_retention_purged_total") as
        Counter<"data_type"> | undefined) ??
      new Counter({
        name: "contact_router_retention_purged_total",
        help: "Items deleted by the retention purge, by data type",
        labelNames: ["data_type"],
        registers: [opts.metrics],
      }))
    : null;
  let running: Promise<PurgeCounts | null> | null = null;
  let stopped = false;

  async function once(): Promise<PurgeCounts | null> {
    const token = `${process.pid}-${Date.now()}`;
    const locked = await deps.redis.set(
      lockKey,
      token,
      "PX",
      Math.max(60_000, config.intervalMs / 2),
      "NX",
    );
    let counts: PurgeCounts;
    if (locked === "OK") {
      try {
        counts = await purgeExpired(deps, config, now());
      } finally {
        if ((await deps.redis.get(lockKey)) === token) await deps.redis.del(lockKey);
      }
    } else {
      // Another process purges Redis now; this one only its own outbox folder.
      if (!deps.outboxDir) return null;
      counts = emptyCounts();
      counts["outbox files"] = await purgeOutbox(
        deps.outboxDir,
        now().getTime() - config.outboxDays * DAY_MS,
      );
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    for (const [type, n] of Object.entries(counts)) if (n > 0) purged?.inc({ data_type: type }, n);
    if (total > 0) log.info({ purged: counts }, "retention purge deleted expired data");
    else log.debug("retention purge: nothing expired");
    return counts;
  }

  function run(): Promise<PurgeCounts | null> {
    running ??= once()
      .catch((err: unknown) => {
        log.warn(
          { err: { name: (err as Error).name, code: (err as { code?: unknown }).code } },
          "retention purge failed; next run retries",
        );
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  void run();
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, config.intervalMs);
  timer.unref();
  return {
    runOnce: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
