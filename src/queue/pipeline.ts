import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createEnvelope } from "../crypto/envelope.js";
import type { Delivery } from "../delivery/types.js";
import { moduleLogger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { DeadLetterStore } from "./dead-letter.js";
import {
  DEFAULT_RETRY,
  QUARANTINED,
  backoffDelay,
  errorCode,
  type RetryPolicy,
  type SealedJob,
} from "./jobs.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_PREFIX,
  QUEUE,
  STAGE_QUEUES,
  assertPrefix,
  type QueueName,
} from "./keys.js";
import { createRedisIntake, type RedisIntake } from "./redis-intake.js";
import type { QuarantineStore } from "./quarantine.js";
import {
  ackProcessor,
  deliverProcessor,
  routeProcessor,
  type Processor,
  type StageContext,
} from "./stages.js";
import type { AckTextFn, AffiliateRef, ConversationStep, Role, RouteFn, Sender } from "./types.js";

const log = moduleLogger("pipeline");

export interface PipelineOptions {
  /** ioredis client with `maxRetriesPerRequest: null`; workers duplicate it for blocking reads. */
  connection: Redis;
  prefix?: string;
  /** 32-byte data key. */
  key: Buffer;
  /** Which workers this process runs. `ingest` runs the ack sender when a `sender` is given. */
  roles: readonly Role[];
  /** Required for the `route` role. */
  route?: RouteFn;
  /** Required for the `route` role: looks an affiliate up in the current rules. */
  affiliate?: (id: string) => AffiliateRef | undefined;
  /** Acknowledgement text; without it no acks are queued. */
  ackText?: AckTextFn;
  /** The route role's conversation step (sticky routing); without it each message stands alone. */
  conversation?: ConversationStep;
  /** Required for the `deliver` role. */
  delivery?: Delivery;
  /** Sends acknowledgements (ingest role). */
  sender?: Sender;
  retry?: Partial<Record<QueueName, RetryPolicy>>;
  concurrency?: Partial<Record<QueueName, number>>;
  dedupeTtlSeconds?: number;
  /** Stalled-job check interval and lock duration (BullMQ defaults 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often a job may be recovered from a crashed worker before it is failed (default 5). */
  maxStalledCount?: number;
  metrics?: Metrics;
}

/** A running pipeline: the intake, the stores the CLI and admin read, and the workers of this process's roles. */
export interface Pipeline {
  intake: RedisIntake;
  queues: Record<QueueName, Queue>;
  deadLetters: DeadLetterStore;
  quarantine: QuarantineStore;
  workers: Worker[];
  /** Refreshes the queue-depth gauge (call before serving /metrics). */
  refreshDepths(): Promise<Record<QueueName, Record<string, number>>>;
  /** Stops taking work: closes the intake, lets active jobs finish, closes the queues. */
  close(): Promise<void>;
}

const DEPTH_STATES = ["wait", "active", "delayed", "failed", "completed"] as const;

/** Builds the pipeline for the given roles and starts their workers. */
export function createPipeline(opts: PipelineOptions): Pipeline {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  assertPrefix(prefix);
  const retry = (q: QueueName): RetryPolicy => opts.retry?.[q] ?? DEFAULT_RETRY;
  const dedupeTtlSeconds = opts.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
  const connection = opts.connection;
  const intake = createRedisIntake({
    connection,
    prefix,
    key: opts.key,
    dedupeTtlSeconds,
    retry: retry(QUEUE.inbound),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  const queues: Record<QueueName, Queue> = {
    inbound: intake.queue,
    deliver: new Queue(QUEUE.deliver, { connection, prefix }),
    outbound: new Queue(QUEUE.outbound, { connection, prefix }),
    // The relay's worker runs in src/relay; the queue is here for dead letters and depths.
    relay: new Queue(QUEUE.relay, { connection, prefix }),
  };
  const ctx: StageContext = {
    redis: connection,
    prefix,
    envelope: createEnvelope(opts.key),
    quarantine: intake.quarantineStore,
    dedupeTtlSeconds,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const workers: Worker[] = [];

  function startWorker(name: QueueName, processor: Processor): void {
    const policy = retry(name);
    const worker = new Worker<SealedJob>(name, processor, {
      connection,
      prefix,
      concurrency: opts.concurrency?.[name] ?? DEFAULT_CONCURRENCY[name],
      settings: { backoffStrategy: backoffDelay(policy) },
      maxStalledCount: opts.maxStalledCount ?? 5,
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    });
    worker.on("failed", (job, err) => {
      opts.metrics?.failures.inc({
        queue: name,
        code: errorCode(err) === "UNKNOWN" ? codeOf(err.message) : errorCode(err),
      });
      if (!job) return;
      if (err.message.startsWith(QUARANTINED)) {
        // Quarantined payloads live in the quarantine store; the failed set holds only dead letters.
        job
          .remove()
          .catch((e: unknown) =>
            log.debug({ jobId: job.id, err: e }, "could not drop quarantined job"),
          );
        return;
      }
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        opts.metrics?.deadLettered.inc({ queue: name });
        log.error({ queue: name, jobId: job.id, reason: err.message }, "job dead-lettered");
      } else {
        log.warn(
          { queue: name, jobId: job.id, attempt: job.attemptsMade, reason: err.message },
          "job will retry",
        );
      }
    });
    worker.on("stalled", (jobId) => {
      opts.metrics?.stalls.inc({ queue: name });
      log.warn({ queue: name, jobId }, "job stalled (worker lost its lock); it will be retried");
    });
    worker.on("error", (err) =>
      log.error(
        { queue: name, err: { name: err.name, code: (err as { code?: unknown }).code } },
        "worker error",
      ),
    );
    workers.push(worker);
  }

  if (opts.roles.includes("route")) {
    if (!opts.route || !opts.affiliate)
      throw new Error("the route role needs `route` and `affiliate`");
    startWorker(
      QUEUE.inbound,
      routeProcessor(ctx, {
        route: opts.route,
        affiliate: opts.affiliate,
        deliverQueue: queues.deliver,
        outboundQueue: queues.outbound,
        ...(opts.ackText ? { ackText: opts.ackText } : {}),
        ...(opts.conversation ? { conversation: opts.conversation } : {}),
        retry: { deliver: retry(QUEUE.deliver), outbound: retry(QUEUE.outbound) },
      }),
    );
  }
  if (opts.roles.includes("deliver")) {
    if (!opts.delivery) throw new Error("the deliver role needs `delivery`");
    startWorker(QUEUE.deliver, deliverProcessor(ctx, opts.delivery));
  }
  if (opts.roles.includes("ingest") && opts.sender) {
    startWorker(QUEUE.outbound, ackProcessor(ctx, opts.sender));
  }

  return {
    intake,
    queues,
    deadLetters: new DeadLetterStore(queues),
    quarantine: intake.quarantineStore,
    workers,
    async refreshDepths() {
      const out = {} as Record<QueueName, Record<string, number>>;
      for (const name of STAGE_QUEUES) {
        const counts = await queues[name].getJobCounts(...DEPTH_STATES);
        out[name] = counts;
        for (const state of DEPTH_STATES)
          opts.metrics?.queueDepth.set({ queue: name, state }, counts[state] ?? 0);
      }
      return out;
    },
    async close() {
      await intake.close();
      // Worker.close waits for active jobs; a job cut off by a hard kill is recovered as stalled.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([queues.deliver.close(), queues.outbound.close(), queues.relay.close()]);
    },
  };
}

/** The code at the start of a scrubbed reason (`DELIVERY_TRANSIENT: …`). */
function codeOf(reason: string): string {
  const m = /^(?:QUARANTINED )?([A-Z_]+):/.exec(reason);
  return m?.[1] ?? "UNKNOWN";
}
