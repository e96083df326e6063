import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { resealValue, type SealedStore } from "../crypto/sealed-store.js";
import { RouterError } from "../errors.js";
import { jobOptions, type RetryPolicy, type SealedJob } from "./jobs.js";
import { QUEUE, pipelineKeys } from "./keys.js";
import { censusHash, resealHash, type SealedHash } from "./sealed-hash.js";
import type { PipelineScripts } from "./scripts.js";

/** What the admin sees about a held message: no personal data, the message stays sealed. */
export interface HeldEntry {
  /** The inbound job id the message gets when released. */
  ref: string;
  channel: string;
  /** Keyed hash of the sender (flood purpose): groups one sender's messages, names nobody. */
  sender: string;
  /** When it was held. */
  at: string;
}

/**
 * Messages held back by the per-sender flood limit: sealed exactly as they would be queued, kept
 * until an admin releases them onto the inbound queue or discards them. Never dropped.
 */
export class HeldStore implements SealedStore {
  readonly name = "held";
  private readonly keys;
  private readonly hash: SealedHash;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    scripts: PipelineScripts,
    private readonly inbound: Queue,
    private readonly retry: RetryPolicy,
  ) {
    this.keys = pipelineKeys(prefix);
    this.hash = {
      redis,
      scripts,
      key: this.keys.heldJobs,
      name: this.name,
      sealedOf: (value) => parseJob(value).s,
      reseal: (_ref, value, envelope) => {
        const job = parseJob(value);
        const s = resealValue(envelope, job.s, `${QUEUE.inbound}:${job.h}`);
        return s === null ? null : JSON.stringify({ ...job, s });
      },
    };
  }

  /**
   * Holds `job` (sealed for the inbound queue) and marks the message seen, in one round trip.
   * Returns false when the message was marked seen meanwhile (a concurrent duplicate).
   */
  async put(
    entry: HeldEntry,
    job: SealedJob,
    seen: { key: string; ttlSeconds: number },
  ): Promise<boolean> {
    const res = await this.redis
      .multi()
      .hset(this.keys.heldJobs, entry.ref, JSON.stringify(job))
      .hset(this.keys.heldMeta, entry.ref, JSON.stringify(entry))
      .zadd(this.keys.heldIndex, Date.now(), entry.ref)
      .set(seen.key, entry.ref, "EX", seen.ttlSeconds, "NX")
      .exec();
    return res?.[3]?.[1] !== null;
  }

  /** Oldest first (the order they came in); `sender` narrows to one sender's messages. */
  async list(limit = 100, sender?: string): Promise<HeldEntry[]> {
    // Filtering by sender reads every entry's metadata; without a filter only the first `limit`.
    const stop = sender === undefined ? String(Math.max(0, limit - 1)) : "-1";
    const refs = await this.redis.zrange(this.keys.heldIndex, 0, stop);
    if (refs.length === 0) return [];
    const metas = await this.redis.hmget(this.keys.heldMeta, ...refs);
    const all = metas.flatMap((m) => (m ? [JSON.parse(m) as HeldEntry] : []));
    return all.filter((e) => sender === undefined || e.sender === sender).slice(0, limit);
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.keys.heldIndex);
  }

  /** Puts one held message on the inbound queue. False when there is no such entry. */
  async release(ref: string): Promise<boolean> {
    const value = await this.redis.hget(this.keys.heldJobs, ref);
    if (value === null) return false;
    // Added before it is removed here: a crash in between leaves the entry, and releasing it
    // again adds a job id BullMQ already has (ignored) or the deliver record dedupes.
    await this.inbound.add("route", parseJob(value), jobOptions(ref, this.retry));
    await this.remove(ref);
    return true;
  }

  /** Deletes one held message for good. False when there was none. */
  async discard(ref: string): Promise<boolean> {
    return this.remove(ref);
  }

  census(envelope: Envelope) {
    return censusHash(this.hash, envelope);
  }

  reseal(envelope: Envelope) {
    return resealHash(this.hash, envelope);
  }

  private async remove(ref: string): Promise<boolean> {
    const res = await this.redis
      .multi()
      .hdel(this.keys.heldJobs, ref)
      .hdel(this.keys.heldMeta, ref)
      .zrem(this.keys.heldIndex, ref)
      .exec();
    return (res?.[0]?.[1] as number | undefined) === 1;
  }
}

function parseJob(value: string): SealedJob {
  const job = JSON.parse(value) as Partial<SealedJob> | null;
  if (!job || typeof job.s !== "string" || typeof job.h !== "string") {
    throw new RouterError("INVALID_PAYLOAD", "held entry is not a sealed job");
  }
  return job as SealedJob;
}
