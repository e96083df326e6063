import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { resealValue, type SealedStore } from "../crypto/sealed-store.js";
import { KeyUnavailableError } from "../errors.js";
import { STAGE_QUEUES, pipelineKeys, type QueueName } from "./keys.js";
import { censusHash, resealHash, type SealedHash } from "./sealed-hash.js";
import type { PipelineScripts } from "./scripts.js";

/** What the admin sees about a quarantined payload: no personal data, the raw payload stays sealed. */
export interface QuarantineEntry {
  ref: string;
  reason: string;
  /** Where it was stopped: intake (adapter could not normalise), route, deliver or outbound. */
  stage: string;
  at: string;
}

const MAX_REF = 300;
const MAX_REASON = 1000;

/**
 * Payloads that can never be processed, kept with their reason so nothing is dropped silently.
 * Metadata is in clear (refs and reasons carry no personal data); the raw payload is encrypted
 * and opens with any key of the keyring, so an entry outlives a key rotation.
 */
export class QuarantineStore implements SealedStore {
  readonly name = "quarantine";
  private readonly keys;
  private readonly hash: SealedHash;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly envelope: Envelope,
    scripts: PipelineScripts,
  ) {
    this.keys = pipelineKeys(prefix);
    this.hash = {
      redis,
      scripts,
      key: this.keys.quarantineRaw,
      name: this.name,
      sealedOf: (value) => value,
      reseal: (ref, value, env) => {
        const context = `quarantine:${ref}`;
        if (env.keyIdOf(value) === env.currentKid) return null;
        const plain = resealNestedJob(env, ref, env.openText(value, context));
        return env.seal(plain, context);
      },
    };
  }

  /** Stores (or replaces) the entry for `ref`. */
  async put(ref: string, reason: string, raw: unknown, stage: string): Promise<QuarantineEntry> {
    const entry: QuarantineEntry = {
      ref: String(ref).slice(0, MAX_REF),
      reason: String(reason).slice(0, MAX_REASON),
      stage,
      at: new Date().toISOString(),
    };
    const sealed = this.envelope.seal(serialise(raw), `quarantine:${entry.ref}`);
    await this.redis
      .multi()
      .hset(this.keys.quarantineMeta, entry.ref, JSON.stringify(entry))
      .hset(this.keys.quarantineRaw, entry.ref, sealed)
      .zadd(this.keys.quarantineIndex, Date.now(), entry.ref)
      .exec();
    return entry;
  }

  /** Newest first. */
  async list(limit = 100): Promise<QuarantineEntry[]> {
    const refs = await this.redis.zrevrange(this.keys.quarantineIndex, 0, Math.max(0, limit - 1));
    if (refs.length === 0) return [];
    const metas = await this.redis.hmget(this.keys.quarantineMeta, ...refs);
    return metas.flatMap((m) => (m ? [JSON.parse(m) as QuarantineEntry] : []));
  }

  /** One entry's metadata, or null. */
  async get(ref: string): Promise<QuarantineEntry | null> {
    const meta = await this.redis.hget(this.keys.quarantineMeta, ref);
    return meta === null ? null : (JSON.parse(meta) as QuarantineEntry);
  }

  /**
   * The decrypted raw payload (as stored JSON text), for an admin inspecting one entry. Throws
   * KeyUnavailableError naming the key when it was sealed with a key the keyring lacks.
   */
  async raw(ref: string): Promise<string | null> {
    const sealed = await this.redis.hget(this.keys.quarantineRaw, ref);
    if (sealed === null) return null;
    try {
      return this.envelope.openText(sealed, `quarantine:${ref}`);
    } catch (err) {
      if (err instanceof KeyUnavailableError) {
        throw new KeyUnavailableError(err.kid, `quarantine entry ${ref} was ${err.message}`);
      }
      throw err;
    }
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.keys.quarantineIndex);
  }

  /** Removes one entry; false when there was none. */
  async discard(ref: string): Promise<boolean> {
    const res = await this.redis
      .multi()
      .hdel(this.keys.quarantineMeta, ref)
      .hdel(this.keys.quarantineRaw, ref)
      .zrem(this.keys.quarantineIndex, ref)
      .exec();
    return (res?.[0]?.[1] as number | undefined) === 1;
  }

  census(envelope: Envelope) {
    return censusHash(this.hash, envelope);
  }

  reseal(envelope: Envelope) {
    return resealHash(this.hash, envelope);
  }
}

/**
 * A job quarantined because it did not open is kept as its sealed job data; re-seal that too, so
 * it can still be requeued once the old key is gone. Left as it is when it does not open.
 */
function resealNestedJob(envelope: Envelope, ref: string, plain: string): string {
  const queue = ref.slice(0, ref.indexOf("/")) as QueueName;
  if (!STAGE_QUEUES.includes(queue)) return plain;
  let job: { v?: unknown; h?: unknown; s?: unknown } | null;
  try {
    job = JSON.parse(plain) as typeof job;
  } catch {
    return plain;
  }
  if (!job || job.v !== 1 || typeof job.h !== "string" || typeof job.s !== "string") return plain;
  try {
    const s = resealValue(envelope, job.s, `${queue}:${job.h}`);
    return s === null ? plain : JSON.stringify({ ...job, s });
  } catch {
    return plain;
  }
}

function serialise(raw: unknown): string {
  if (typeof raw === "string") return raw;
  if (Buffer.isBuffer(raw)) return raw.toString("base64");
  try {
    return (
      JSON.stringify(raw, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null"
    );
  } catch {
    // Circular or otherwise unserialisable: keep what can be kept rather than losing the entry.
    return String(raw);
  }
}
