import { createHash } from "node:crypto";

/**
 * Default key prefix. The braces are a Redis Cluster hash tag: every key of the pipeline hashes
 * to one slot, which BullMQ's multi-key scripts require.
 */
export const DEFAULT_PREFIX = "{contact-router}";

/**
 * Queue names. `inbound` feeds the route worker, `deliver` the deliver worker, `outbound` reader
 * acks, `relay` affiliates' replies (the relay worker, src/relay).
 */
export const QUEUE = {
  inbound: "inbound",
  deliver: "deliver",
  outbound: "outbound",
  relay: "relay",
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
export const STAGE_QUEUES: readonly QueueName[] = [
  QUEUE.inbound,
  QUEUE.deliver,
  QUEUE.outbound,
  QUEUE.relay,
];

/**
 * Jobs in flight per worker. Delivery waits on a disk flush or an SMTP server, not the CPU, and
 * the outbox writer flushes the emails in flight together, so it runs wider than routing.
 */
export const DEFAULT_CONCURRENCY: Record<QueueName, number> = {
  inbound: 16,
  deliver: 64,
  outbound: 4,
  relay: 4,
};

/** How long a message id is remembered after intake, so a re-delivered message is forwarded once. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * What each keyed identity hash is for (`IdentityHasher.hash(purpose, value)`): one identifier
 * hashes differently in each use, so one record cannot be linked to another by its name.
 */
export const HASH_PURPOSE = {
  /** Platform message id → the id hash of its jobs, seen and delivered records. */
  message: "message",
  /** Sender id → the per-sender flood limit. */
  flood: "flood",
  /** Client IP → the web form's shared per-IP limit. */
  formIp: "form-ip",
} as const;

/**
 * The unsalted hash that names records written before keyed hashes (`<32 hex>`). Only computed to
 * find such a record and rename it to its keyed name; nothing new is written under it.
 */
export function legacyIdHash(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex").slice(0, 32);
}

/** True for an id hash from before keyed hashes (no key id). */
export function isLegacyHash(hash: string): boolean {
  return /^[0-9a-f]{32}$/.test(hash);
}

/**
 * The job id for a message's id hash on one stage queue: `<stage>-<hash>`. BullMQ custom ids may
 * not contain `:` or be integers, and platform ids contain both; a hash has neither.
 */
export function jobIdFor(queue: QueueName, hash: string): string {
  return `${queue}-${hash}`;
}

/**
 * The contact id of a message from its id hash: `c<32 hex>`, stable across retries and
 * re-deliveries (the hash is fixed at intake); delivery builds the email's Message-ID from it.
 */
export function contactIdFor(hash: string): string {
  return `c${hash.slice(hash.lastIndexOf(".") + 1)}`;
}

/** Builds the non-BullMQ keys of the pipeline under the same hash-tagged prefix. */
export function pipelineKeys(prefix: string) {
  return {
    seen: (hash: string) => `${prefix}:seen:${hash}`,
    delivered: (hash: string) => `${prefix}:delivered:${hash}`,
    flood: (hash: string) => `${prefix}:flood:${hash}`,
    quarantineMeta: `${prefix}:quarantine:meta`,
    quarantineRaw: `${prefix}:quarantine:raw`,
    quarantineIndex: `${prefix}:quarantine:index`,
    heldJobs: `${prefix}:held:jobs`,
    heldMeta: `${prefix}:held:meta`,
    heldIndex: `${prefix}:held:index`,
    /** Per-affiliate send limit: theoretical arrival time, and the jobs' reserved send slots. */
    affiliateLimit: (id: string) => `${prefix}:limit:affiliate:${id}`,
    affiliateSlots: (id: string) => `${prefix}:limit:affiliate:${id}:slots`,
    /** Until when a platform asked us to stop sending (its 429), ms since epoch. */
    channelBlock: (channel: string) => `${prefix}:limit:channel:${channel}`,
  };
}

/**
 * Record kinds whose key names end in an identity hash (`<kind>:<kid>.<hex>`), for `keys status`.
 * `thread` records are no longer written (conversations replaced them); old ones expire.
 */
export const IDENTITY_RECORDS = ["seen", "thread", "delivered", "flood"] as const;

/** Checks a prefix is usable: it must contain a `{hash tag}` so the pipeline works on Redis Cluster. */
export function assertPrefix(prefix: string): void {
  if (!/^[^:\s]*\{[^{}\s:]+\}[^:\s]*$/.test(prefix)) {
    throw new Error(`queue prefix must contain a {hash tag} and no ':' or spaces, got ${prefix}`);
  }
}
