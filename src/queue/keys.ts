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
 * A stable hash of a platform message id. BullMQ custom ids may not contain `:` or be integers,
 * and platform ids contain both, so jobs are keyed by this hash (hex, 32 chars) instead.
 */
export function idHash(messageId: string): string {
  return createHash("sha256").update(messageId, "utf8").digest("hex").slice(0, 32);
}

/** The job id for one message on one stage queue: `<stage>-<hash>`. */
export function jobIdFor(queue: QueueName, messageId: string): string {
  return `${queue}-${idHash(messageId)}`;
}

/** The contact id of a message: stable across retries and re-deliveries; D builds the Message-ID from it. */
export function contactIdFor(messageId: string): string {
  return `c${idHash(messageId)}`;
}

/** Builds the non-BullMQ keys of the pipeline under the same hash-tagged prefix. */
export function pipelineKeys(prefix: string) {
  return {
    seen: (hash: string) => `${prefix}:seen:${hash}`,
    delivered: (hash: string) => `${prefix}:delivered:${hash}`,
    quarantineMeta: `${prefix}:quarantine:meta`,
    quarantineRaw: `${prefix}:quarantine:raw`,
    quarantineIndex: `${prefix}:quarantine:index`,
  };
}

/** Checks a prefix is usable: it must contain a `{hash tag}` so the pipeline works on Redis Cluster. */
export function assertPrefix(prefix: string): void {
  if (!/^[^:\s]*\{[^{}\s:]+\}[^:\s]*$/.test(prefix)) {
    throw new Error(`queue prefix must contain a {hash tag} and no ':' or spaces, got ${prefix}`);
  }
}
