import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { pipelineKeys } from "./keys.js";

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
 * Metadata is in clear (refs and reasons carry no personal data); the raw payload is encrypted.
 */
export class QuarantineStore {
  private readonly keys;
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly envelope: Envelope,
  ) {
    this.keys = pipelineKeys(prefix);
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

  /** The decrypted raw payload (as stored JSON text), for an admin inspecting one entry. */
  async raw(ref: string): Promise<string | null> {
    const sealed = await this.redis.hget(this.keys.quarantineRaw, ref);
    return sealed === null ? null : this.envelope.openText(sealed, `quarantine:${ref}`);
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
