import { UnrecoverableError } from "bullmq";
import type { JobsOptions } from "bullmq";
import { RateLimitError, RouterError } from "../errors.js";
import type { Envelope } from "../crypto/envelope.js";

/**
 * What a stage job stores in Redis: the id hash, the intake time and the sealed payload.
 * Nothing here is personal data; the payload only opens with the data key and this job's queue and hash.
 */
export interface SealedJob {
  v: 1;
  /**
   * The message's id hash, fixed at intake: `<kid>.<32 hex>` (keyed, `HASH_PURPOSE.message`), or
   * 32 hex for jobs taken in before keyed hashes. Names the job ids and records of every stage.
   */
  h: string;
  /** Intake time, ms since epoch, for end-to-end latency. */
  t: number;
  /** Sealed JSON payload. */
  s: string;
}

/** Backoff type name handled by `backoffDelay`. */
export const BACKOFF_TYPE = "router";

/** Retry settings per stage. */
export interface RetryPolicy {
  attempts: number;
  /** First retry delay; doubles each attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 10,
  baseDelayMs: 1000,
  maxDelayMs: 10 * 60_000,
};

/** BullMQ job options for a stage job with the given policy. */
export function jobOptions(jobId: string, retry: RetryPolicy): JobsOptions {
  return {
    jobId,
    attempts: retry.attempts,
    backoff: { type: BACKOFF_TYPE },
    // Completed jobs go soon (the seen/delivered records carry dedupe); failed jobs stay: they are the dead letters.
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: false,
  };
}

/**
 * The custom backoff: a rate limit waits what the remote side asked; everything else backs off
 * exponentially with jitter, capped.
 */
export function backoffDelay(retry: RetryPolicy) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    const wait = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    if (typeof wait === "number" && wait >= 0) return Math.min(wait, retry.maxDelayMs);
    const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  };
}

/**
 * The authenticated context of one sealed part of a relay job (`m` meta, `r` raw, `p` plan): the
 * relay seals a reply in parts (src/relay/worker.ts), the key rotation re-seals them here.
 */
export function relayPartContext(h: string, part: "meta" | "raw" | "plan"): string {
  return `relay:${h}:${part}`;
}

export function sealJob(
  envelope: Envelope,
  queue: string,
  h: string,
  t: number,
  payload: unknown,
): SealedJob {
  return { v: 1, h, t, s: envelope.seal(JSON.stringify(payload), `${queue}:${h}`) };
}

/**
 * Opens a stage job's payload. Throws KeyUnavailableError (KEY_UNAVAILABLE) when the job was
 * sealed with a key the keyring lacks (the job waits), RouterError DECRYPT_FAILED when it was
 * altered (unprocessable).
 */
export function openJob(
  envelope: Envelope,
  queue: string,
  data: unknown,
): { job: SealedJob; payload: unknown } {
  const d = data as Partial<SealedJob> | null;
  if (
    !d ||
    d.v !== 1 ||
    typeof d.h !== "string" ||
    typeof d.s !== "string" ||
    typeof d.t !== "number"
  ) {
    throw new RouterError("INVALID_PAYLOAD", `job data on ${queue} is not a sealed job`);
  }
  const text = envelope.openText(d.s, `${queue}:${d.h}`);
  return { job: d as SealedJob, payload: JSON.parse(text) as unknown };
}

/** Longest wait between two tries of a job whose data key is missing. */
export const KEY_WAIT_MAX_MS = 3_600_000;
const KEY_WAIT_MIN_MS = 10_000;

/**
 * How long a job whose data key is missing waits before it is tried again: half its age, from
 * 10 s up to an hour. Age-based, so it needs no counter in the job (whose data stays untouched).
 */
export function keyWaitDelayMs(ageMs: number): number {
  return Math.round(Math.min(KEY_WAIT_MAX_MS, Math.max(KEY_WAIT_MIN_MS, ageMs / 2)));
}

/** Prefix of the failure reason of jobs that went to quarantine instead of the dead-letter set. */
export const QUARANTINED = "QUARANTINED";

const EMAIL = /[^\s<>"'@]+@[^\s<>"'@]+/g;
const DIGITS = /\+?\d[\d\s().-]{6,}\d/g;

/**
 * A failure reason that is safe to keep in Redis and logs: the error code and a scrubbed, short
 * message. Unknown errors keep only their class name: their messages may quote input.
 */
export function safeReason(err: unknown): string {
  if (err instanceof RouterError) {
    const msg = err.message.replace(EMAIL, "<address>").replace(DIGITS, "<number>").slice(0, 300);
    return `${err.code}: ${msg}`;
  }
  if (err instanceof Error) return `UNKNOWN: ${err.name}`;
  return "UNKNOWN: non-error thrown";
}

/** The error code for metrics. */
export function errorCode(err: unknown): string {
  return err instanceof RouterError ? err.code : "UNKNOWN";
}

/** An error for BullMQ to store: scrubbed reason, and `retryAfterMs` for the backoff. */
export class StageError extends Error {
  constructor(
    reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
    this.name = "StageError";
  }
}

/**
 * Maps any thrown error onto what BullMQ should do with it: `quarantined` bad input and other
 * non-retryable errors fail at once (UnrecoverableError), the rest retry with backoff.
 */
export function toBullError(err: unknown, quarantined: boolean): Error {
  if (quarantined) return new UnrecoverableError(`${QUARANTINED} ${safeReason(err)}`);
  if (err instanceof RouterError && !err.retryable) return new UnrecoverableError(safeReason(err));
  if (err instanceof RateLimitError) return new StageError(safeReason(err), err.retryAfterMs);
  return new StageError(safeReason(err));
}
