import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { InvalidPayloadError } from "../errors.js";
import { createEnvelope, type Envelope } from "../crypto/envelope.js";
import { InboundMessageSchema, type InboundMessage } from "../message/inbound.js";
import { moduleLogger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Intake, IntakeResult } from "./intake.js";
import {
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_PREFIX,
  QUEUE,
  assertPrefix,
  idHash,
  jobIdFor,
  pipelineKeys,
} from "./keys.js";
import { DEFAULT_RETRY, jobOptions, sealJob, type RetryPolicy } from "./jobs.js";
import { QuarantineStore } from "./quarantine.js";

const log = moduleLogger("intake");

export interface RedisIntakeOptions {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it). */
  connection: Redis;
  /** Key prefix with a hash tag; default `{contact-router}`. */
  prefix?: string;
  /** The 32-byte data key (AES-256-GCM). */
  key: Buffer;
  /** How long a message id is remembered; must outlive the platform's re-delivery window. */
  dedupeTtlSeconds?: number;
  retry?: RetryPolicy;
  metrics?: Metrics;
}

/** The Redis-backed intake; `close` releases its queue (not the shared connection). */
export interface RedisIntake extends Intake {
  readonly queue: Queue;
  readonly quarantineStore: QuarantineStore;
  close(): Promise<void>;
}

/**
 * The pipeline's front door on Redis: validates the message, seals it (AES-256-GCM) and adds it to
 * the `inbound` queue with a job id derived from the message id. A processed-id record
 * (`SET NX EX`) outlives the job's removal, so a platform re-delivery days later is still a duplicate.
 */
export function createRedisIntake(opts: RedisIntakeOptions): RedisIntake {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  assertPrefix(prefix);
  const envelope: Envelope = createEnvelope(opts.key);
  const keys = pipelineKeys(prefix);
  const ttl = opts.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const redis = opts.connection;
  const queue = new Queue(QUEUE.inbound, { connection: redis, prefix });
  const quarantineStore = new QuarantineStore(redis, prefix, envelope);
  let closed = false;

  async function submit(input: InboundMessage): Promise<IntakeResult> {
    if (closed) throw new Error("intake is closed");
    const parsed = InboundMessageSchema.safeParse(input);
    if (!parsed.success) {
      // Paths and codes only: zod messages can quote the offending value.
      const where = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.code}`)
        .join("; ");
      throw new InvalidPayloadError(`message does not match the canonical schema (${where})`);
    }
    const message = parsed.data;
    const h = idHash(message.id);
    const jobId = jobIdFor(QUEUE.inbound, message.id);
    if ((await redis.exists(keys.seen(h))) === 1) {
      opts.metrics?.duplicates.inc({ channel: message.channel });
      log.debug({ jobId }, "duplicate message id");
      return { jobId, duplicate: true };
    }
    // Enqueue before marking seen: a crash in between re-enqueues on re-delivery (the job id and
    // the deliver stage's record dedupe it) instead of marking a message seen that was never stored.
    const data = sealJob(envelope, QUEUE.inbound, h, Date.now(), message);
    await queue.add("route", data, jobOptions(jobId, retry));
    const first = await redis.set(keys.seen(h), jobId, "EX", ttl, "NX");
    const duplicate = first === null;
    if (duplicate) opts.metrics?.duplicates.inc({ channel: message.channel });
    else opts.metrics?.inbound.inc({ channel: message.channel });
    log.debug({ jobId, channel: message.channel, duplicate }, "message taken in");
    return { jobId, duplicate };
  }

  async function quarantine(ref: string, reason: string, raw: unknown): Promise<void> {
    const entry = await quarantineStore.put(ref, reason, raw, "intake");
    opts.metrics?.quarantined.inc({ stage: "intake" });
    log.warn({ ref: entry.ref, reason: entry.reason }, "payload quarantined");
  }

  return {
    queue,
    quarantineStore,
    submit,
    quarantine,
    async close() {
      closed = true;
      await queue.close();
    },
  };
}
