/**
 * The one error family. Every error that crosses a module boundary is a RouterError with a code,
 * and `retryable` is the single fact the queue uses to choose between retry and quarantine.
 */
export type ErrorCode =
  | "INVALID_PAYLOAD" // input that can never be processed: quarantine with the reason
  | "MESSAGE_TOO_LARGE"
  | "AUTO_REPLY" // auto-replies, bounces, list mail: never routed, kept with the reason
  | "RULES_INVALID"
  | "CONFIG_INVALID"
  | "REDIS_UNAVAILABLE" // Redis did not answer in time (start-up, admin commands, request paths)
  | "DECRYPT_FAILED" // sealed under a key we have, but altered: quarantine
  | "KEY_UNAVAILABLE" // sealed under a key not in the keyring: keep it, wait for the key
  | "DELIVERY_TRANSIENT" // e.g. SMTP 4xx, connection refused: retry with backoff
  | "DELIVERY_PERMANENT" // e.g. SMTP 5xx: dead-letter with the reason
  | "OUTBOX_WRITE" // the outbox folder cannot be written (the errno leads the message): retry
  | "RATE_LIMITED" // wait retryAfterMs, then retry
  | "ADAPTER_AUTH" // bad credentials: stop the adapter, do not hammer the platform
  | "ADAPTER_NETWORK"
  | "RELAY_REFUSED" // an affiliate's reply the relay will not pass on (src/relay/errors.ts says why)
  | "STATE_CONFLICT"; // shared state kept changing under a writer: retry

export class RouterError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  constructor(
    code: ErrorCode,
    message: string,
    options?: { retryable?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

/** Input that will never become valid by retrying. The message must not contain personal data. */
export class InvalidPayloadError extends RouterError {
  constructor(
    message: string,
    code: "INVALID_PAYLOAD" | "MESSAGE_TOO_LARGE" | "AUTO_REPLY" = "INVALID_PAYLOAD",
  ) {
    super(code, message, { retryable: false });
  }
}

/** The remote side asked us to slow down; retry after the given delay. */
export class RateLimitError extends RouterError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super("RATE_LIMITED", message, { retryable: true, ...options });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A sealed value names a data key this process does not have (not DATA_KEY, not in DATA_KEYS).
 * Retryable: the data is intact and opens once the key is added; it is never bad input.
 */
export class KeyUnavailableError extends RouterError {
  /** The missing key's id; undefined for a value sealed before envelopes named their key. */
  readonly kid: string | undefined;
  constructor(kid: string | undefined, message: string) {
    super("KEY_UNAVAILABLE", message, { retryable: true });
    this.kid = kid;
  }
}

/** An error raised by a channel adapter, naming the adapter. */
export class AdapterError extends RouterError {
  readonly adapter: string;
  constructor(
    adapter: string,
    code: ErrorCode,
    message: string,
    options?: { retryable?: boolean; cause?: unknown },
  ) {
    super(code, `${adapter}: ${message}`, options);
    this.adapter = adapter;
  }
}

/** True when the error (of any kind) should be retried; unknown errors are retried. */
export function isRetryable(err: unknown): boolean {
  return err instanceof RouterError ? err.retryable : true;
}
