import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { InvalidPayloadError } from "../errors.js";
import { createEnvelope, type Envelope } from "../crypto/envelope.js";
import { createIdentityHasher, type IdentityHasher } from "../crypto/identity-hash.js";
import { asKeyring, type Keyring } from "../crypto/keyring.js";
import { InboundMessageSchema, type InboundMessage } from "../message/inbound.js";
import { moduleLogger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Intake, IntakeResult } from "./intake.js";
import {
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_PREFIX,
  HASH_PURPOSE,
  QUEUE,
  assertPrefix,
  contactIdFor,
  jobIdFor,
  legacyIdHash,
  pipelineKeys,
} from "./keys.js";
import { HeldStore } from "./held.js";
import { DEFAULT_RETRY, jobOptions, sealJob, type RetryPolicy } from "./jobs.js";
import { QuarantineStore } from "./quarantine.js";
import { PipelineScripts, limitOf } from "./scripts.js";

const log = moduleLogger("intake");

/** The per-sender flood limit: `maxMessages` per sender in `windowSeconds`, the excess held. */
export interface FloodLimit {
  maxMessages: number;
  windowSeconds: number;
}

export interface RedisIntakeOptions {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it). */
  connection: Redis;
  /** Key prefix with a hash tag; default `{contact-router}`. */
  prefix?: string;
  /** The data keyring, or the one 32-byte data key: seals payloads and keys identity hashes. */
  key: Buffer | Keyring;
  /** How long a message id is remembered; must outlive the platform's re-delivery window. */
  dedupeTtlSeconds?: number;
  retry?: RetryPolicy;
  /**
   * Per-sender flood limit across channels (shared through Redis). Unset: no limit (the service
   * sets one from FLOOD_MAX_MESSAGES / FLOOD_WINDOW_SECONDS).
   */
  flood?: FloodLimit | null;
  metrics?: Metrics;
}

/** The ids a message gets in the pipeline (for tests, benches and tools that know the message id). */
export interface MessageIds {
  /** Keyed id hash, `<kid>.<32 hex>`. */
  hash: string;
  /** Its inbound job id. */
  jobId: string;
  /** Its contact id (the email's Message-ID is built from it). */
  contactId: string;
}

/** The Redis-backed intake; `close` releases its queue (not the shared connection). */
export interface RedisIntake extends Intake {
  readonly queue: Queue;
  readonly quarantineStore: QuarantineStore;
  readonly heldStore: HeldStore;
  /** The ids a message with this id gets when taken in now (current key). */
  idsFor(messageId: string): MessageIds;
  close(): Promise<void>;
}

/**
 * The pipeline's front door on Redis: validates the message, seals it (AES-256-GCM) and adds it to
 * the `inbound` queue under a job id derived from the message id by a keyed hash. A processed-id
 * record (`SET NX EX`) outlives the job's removal, so a platform re-delivery days later is still
 * a duplicate. A sender over the flood limit has the message held instead of queued.
 *
 * Round trips: one script (seen under any key of the keyring or a legacy name, and the flood
 * limit), the add, and the seen record.
 */
export function createRedisIntake(opts: RedisIntakeOptions): RedisIntake {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  assertPrefix(prefix);
  const keyring = asKeyring(opts.key);
  const envelope: Envelope = createEnvelope(keyring);
  const hasher: IdentityHasher = createIdentityHasher(keyring.entries);
  const keys = pipelineKeys(prefix);
  const ttl = opts.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const flood = opts.flood
    ? limitOf(opts.flood.maxMessages, opts.flood.windowSeconds * 1000, opts.flood.maxMessages)
    : null;
  const redis = opts.connection;
  const scripts = new PipelineScripts(redis);
  const queue = new Queue(QUEUE.inbound, { connection: redis, prefix });
  const quarantineStore = new QuarantineStore(redis, prefix, envelope, scripts);
  const heldStore = new HeldStore(redis, prefix, scripts, queue, retry);
  let closed = false;

  async function submit(input: InboundMessage): Promise<IntakeResult> {
    if (closed) throw new Error("intake is closed");
    const started = Date.now();
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
    const candidates = hasher.candidates(HASH_PURPOSE.message, message.id);
    const h = candidates[0]!;
    const jobId = jobIdFor(QUEUE.inbound, h);
    const sender = flood ? hasher.hash(HASH_PURPOSE.flood, message.sender.id) : "";
    const check = await scripts.intakeCheck(
      [...candidates.map(keys.seen), keys.seen(legacyIdHash(message.id))],
      keys.flood(sender),
      flood,
    );
    if (check.earlierJobId !== null) {
      opts.metrics?.duplicates.inc({ channel: message.channel });
      log.debug({ jobId: check.earlierJobId }, "duplicate message id");
      return { jobId: check.earlierJobId, duplicate: true };
    }
    const data = sealJob(envelope, QUEUE.inbound, h, Date.now(), message);
    if (check.floodWaitMs > 0) {
      const at = new Date().toISOString();
      const first = await heldStore.put(
        { ref: jobId, channel: message.channel, sender, at },
        data,
        {
          key: keys.seen(h),
          ttlSeconds: ttl,
        },
      );
      opts.metrics?.held.inc({ channel: message.channel });
      log.warn(
        { jobId, channel: message.channel, sender, retryInMs: check.floodWaitMs },
        "sender over the flood limit: message held for an admin (contact-router held list)",
      );
      return { jobId, duplicate: !first, held: true };
    }
    // Enqueue before marking seen: a crash in between re-enqueues on re-delivery (the job id and
    // the deliver stage's record dedupe it) instead of marking a message seen that was never stored.
    await queue.add("route", data, jobOptions(jobId, retry));
    const first = await redis.set(keys.seen(h), jobId, "EX", ttl, "NX");
    const duplicate = first === null;
    if (duplicate) opts.metrics?.duplicates.inc({ channel: message.channel });
    else {
      opts.metrics?.inbound.inc({ channel: message.channel });
      opts.metrics?.contacts.inc({ channel: message.channel, step: "intake", affiliate: "" });
      opts.metrics?.stageSeconds.observe({ step: "intake" }, (Date.now() - started) / 1000);
    }
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
    heldStore,
    submit,
    quarantine,
    idsFor(messageId) {
      const hash = hasher.hash(HASH_PURPOSE.message, messageId);
      return { hash, jobId: jobIdFor(QUEUE.inbound, hash), contactId: contactIdFor(hash) };
    },
    async close() {
      closed = true;
      await queue.close();
    },
  };
}
