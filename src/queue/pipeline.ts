import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { ConversationSealedStore } from "../conversation/sealed.js";
import { createEnvelope, type Envelope } from "../crypto/envelope.js";
import { createIdentityHasher, type IdentityHasher } from "../crypto/identity-hash.js";
import { createKeyring, type Keyring } from "../crypto/keyring.js";
import type { SealedStore } from "../crypto/sealed-store.js";
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
import type { HeldStore } from "./held.js";
import { QueueJobStore } from "./job-store.js";
import { KeyWaits, type KeyHealth } from "./key-waits.js";
import { createRedisIntake, type FloodLimit, type RedisIntake } from "./redis-intake.js";
import type { QuarantineStore } from "./quarantine.js";
import { requeueQuarantined, type Requeued } from "./requeue.js";
import { PipelineScripts, limitOf } from "./scripts.js";
import {
  ackProcessor,
  deliverProcessor,
  routeProcessor,
  type Processor,
  type StageContext,
} from "./stages.js";
import type {
  AckTextFn,
  AffiliateRef,
  AskTimeoutFn,
  QuestionSentFn,
  ConversationStep,
  Role,
  RouteFn,
  Sender,
} from "./types.js";

const log = moduleLogger("pipeline");

export interface PipelineOptions {
  /** ioredis client with `maxRetriesPerRequest: null`; workers duplicate it for blocking reads. */
  connection: Redis;
  /**
   * A client that fails fast while Redis is away (`RedisHandle.bounded`), for the intake: the web
   * form and the adapters then get an error to act on (503, retry later) instead of waiting with
   * the contact in memory. Default: `connection`.
   */
  intakeConnection?: Redis;
  prefix?: string;
  /** The current 32-byte data key: seals everything written, keys the identity hashes. */
  key: Buffer;
  /** Older data keys (DATA_KEYS), only to open what was sealed before a rotation. */
  oldKeys?: readonly Buffer[];
  /** Which workers this process runs. `ingest` runs the ack sender when a `sender` is given. */
  roles: readonly Role[];
  /** Required for the `route` role. */
  route?: RouteFn;
  /** Required for the `route` role: looks an affiliate up in the current rules. */
  affiliate?: (id: string) => AffiliateRef | undefined;
  /** Every current affiliate (who can translate, reroute ids in the forward). */
  affiliates?: () => readonly AffiliateRef[];
  /** Acknowledgement text; without it no acks are queued. */
  ackText?: AckTextFn;
  /** The route role's conversation step (sticky routing); without it each message stands alone. */
  conversation?: ConversationStep;
  /** Routes a held message whose time to answer the clarifying question is up. */
  askTimeout?: AskTimeoutFn;
  /** The clarifying question was sent: its message id is kept (src/conversation). */
  questionSent?: QuestionSentFn;
  /** Required for the `deliver` role. */
  delivery?: Delivery;
  /** Sends acknowledgements (ingest role). */
  sender?: Sender;
  retry?: Partial<Record<QueueName, RetryPolicy>>;
  concurrency?: Partial<Record<QueueName, number>>;
  dedupeTtlSeconds?: number;
  /** Per-sender flood limit at intake (excess held for an admin); unset: none. */
  flood?: FloodLimit | null;
  /**
   * Per-affiliate send limit, shared by every deliver process through Redis: `burst` at once,
   * then `perMinute`. A job over it waits for its slot without using an attempt. Unset: none.
   */
  deliverRate?: { perMinute: number; burst: number } | null;
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
  /** Messages held back by the flood limit. */
  held: HeldStore;
  workers: Worker[];
  keyring: Keyring;
  envelope: Envelope;
  /** Keyed identity hashes for Redis key names (e.g. the web form's per-IP limiter keys). */
  hasher: IdentityHasher;
  /**
   * Every store that keeps sealed values, for `keys status` and `keys rotate`. A new store that
   * seals personal data must be added here (see `SealedStore`).
   */
  sealedStores: SealedStore[];
  /** Readiness of the data keys: red while jobs wait for a key this process lacks. */
  keyHealth(): Promise<KeyHealth>;
  /** Puts a quarantined entry back on its queue (see `requeueQuarantined`); null: no such entry. */
  requeueQuarantined(ref: string): Promise<Requeued | null>;
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
  const keyring = createKeyring(opts.key, opts.oldKeys ?? []);
  const envelope = createEnvelope(keyring);
  const hasher = createIdentityHasher(keyring.entries);
  const intake = createRedisIntake({
    connection: opts.intakeConnection ?? connection,
    prefix,
    key: keyring,
    dedupeTtlSeconds,
    retry: retry(QUEUE.inbound),
    flood: opts.flood ?? null,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  const queues: Record<QueueName, Queue> = {
    inbound: intake.queue,
    deliver: new Queue(QUEUE.deliver, { connection, prefix }),
    outbound: new Queue(QUEUE.outbound, { connection, prefix }),
    // The relay's worker runs in src/relay; the queue is here for dead letters and depths.
    relay: new Queue(QUEUE.relay, { connection, prefix }),
  };
  const keyWaits = new KeyWaits(async (ref) => {
    const [name, jobId] = [ref.slice(0, ref.indexOf("/")), ref.slice(ref.indexOf("/") + 1)];
    const queue = queues[name as QueueName] as Queue | undefined;
    if (!queue) return false;
    const state = await queue.getJobState(jobId);
    return state !== "unknown" && state !== "completed";
  });
  const rate = opts.deliverRate;
  const ctx: StageContext = {
    redis: connection,
    prefix,
    envelope,
    hasher,
    scripts: new PipelineScripts(connection),
    quarantine: intake.quarantineStore,
    keyWaits,
    dedupeTtlSeconds,
    deliverLimit: rate ? limitOf(rate.perMinute, 60_000, rate.burst) : null,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const sealedStores: SealedStore[] = [
    ...STAGE_QUEUES.map((name) => new QueueJobStore(queues[name], name, connection)),
    intake.quarantineStore,
    intake.heldStore,
    new ConversationSealedStore(connection, prefix),
  ];
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
        ...(opts.affiliates ? { affiliates: opts.affiliates } : {}),
        deliverQueue: queues.deliver,
        outboundQueue: queues.outbound,
        ...(opts.ackText ? { ackText: opts.ackText } : {}),
        inboundQueue: queues.inbound,
        ...(opts.conversation ? { conversation: opts.conversation } : {}),
        ...(opts.askTimeout ? { askTimeout: opts.askTimeout } : {}),
        retry: {
          inbound: retry(QUEUE.inbound),
          deliver: retry(QUEUE.deliver),
          outbound: retry(QUEUE.outbound),
        },
      }),
    );
  }
  if (opts.roles.includes("deliver")) {
    if (!opts.delivery) throw new Error("the deliver role needs `delivery`");
    startWorker(QUEUE.deliver, deliverProcessor(ctx, opts.delivery));
  }
  if (opts.roles.includes("ingest") && opts.sender) {
    startWorker(QUEUE.outbound, ackProcessor(ctx, opts.sender, opts.questionSent));
  }

  return {
    intake,
    queues,
    deadLetters: new DeadLetterStore(queues),
    quarantine: intake.quarantineStore,
    held: intake.heldStore,
    workers,
    keyring,
    envelope,
    hasher,
    sealedStores,
    keyHealth: () => keyWaits.health(),
    requeueQuarantined: (ref) =>
      requeueQuarantined(
        { quarantine: intake.quarantineStore, queues, envelope, hasher, retry },
        ref,
      ),
    async refreshDepths() {
      const out = {} as Record<QueueName, Record<string, number>>;
      for (const name of STAGE_QUEUES) {
        const counts = await queues[name].getJobCounts(...DEPTH_STATES);
        out[name] = counts;
        for (const state of DEPTH_STATES)
          opts.metrics?.queueDepth.set({ queue: name, state }, counts[state] ?? 0);
      }
      opts.metrics?.heldWaiting.set(await intake.heldStore.count());
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
