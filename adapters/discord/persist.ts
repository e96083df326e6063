import { DiscordAPIError } from "discord.js";
import pRetry from "p-retry";
import type { Logger } from "pino";
import { errorCode } from "./outbound.js";

/** What a retry loop of the Discord adapter needs from its owner. */
export interface PersistOptions {
  log: Logger;
  /** Aborts the retries when the adapter stops. */
  signal: AbortSignal;
  retryMinMs: number;
  retryMaxMs: number;
}

/**
 * Retries an intake, store or REST call with exponential backoff until it works or the adapter
 * stops. A Discord 4xx is final (retrying cannot change it); `retryable` can refuse more.
 * `message` is the log line of each failed attempt, which names the adapter part retrying.
 */
export function persist<T>(
  o: PersistOptions,
  message: string,
  what: string,
  fn: () => Promise<T>,
  retryable: (e: unknown) => boolean = () => true,
): Promise<T> {
  return pRetry(fn, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: o.retryMinMs,
    maxTimeout: o.retryMaxMs,
    randomize: true,
    signal: o.signal,
    unref: true,
    shouldRetry: ({ error }) =>
      retryable(error) &&
      !(error instanceof DiscordAPIError && error.status >= 400 && error.status < 500),
    onFailedAttempt: ({ error, attemptNumber }) => {
      if (o.signal.aborted) return;
      o.log.warn({ what, attempt: attemptNumber, code: errorCode(error) }, message);
    },
  });
}
