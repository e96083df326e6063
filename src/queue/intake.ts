import type { InboundMessage } from "../message/inbound.js";

/** Result of handing a message to the pipeline. */
export interface IntakeResult {
  /** The queue job id (derived from the message id). */
  jobId: string;
  /** True when this message id was already taken in earlier: nothing new was enqueued. */
  duplicate: boolean;
  /**
   * True when the sender's flood limit held the message back: it is stored (sealed) for an admin
   * to release (`contact-router held`), not queued. Still taken in: the sender may be told so.
   */
  held?: boolean;
}

/**
 * The pipeline's front door. `submit` resolves only once the message is durably stored
 * (encrypted, in Redis), so an adapter may advance its platform cursor after it resolves.
 * It is idempotent per message id.
 */
export interface Intake {
  submit(message: InboundMessage): Promise<IntakeResult>;
  /**
   * Records a payload that could not be normalised, with its reason, so nothing is lost silently.
   * `ref` is a platform reference (e.g. `telegram:update:123`) with no personal data.
   */
  quarantine(ref: string, reason: string, raw: unknown): Promise<void>;
}
