import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";

/** One routed contact, ready to be emailed to its affiliate. */
export interface ContactToDeliver {
  /** Stable, derived from the message id; the email Message-ID is built from it. */
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  affiliate: { id: string; name: string; inbox: string };
  /** contactId of the first contact from the same reader (sender.id), for In-Reply-To/References. */
  threadRootId?: string;
}

/** What a successful send produced. */
export interface DeliveryResult {
  /** The email's Message-ID header, angle brackets included. */
  messageId: string;
  transport: "smtp" | "outbox";
}

/**
 * Sends contacts to affiliate inboxes. `send` throws RouterError `DELIVERY_TRANSIENT` (retry),
 * `DELIVERY_PERMANENT` (dead-letter with the reason) or RateLimitError (wait `retryAfterMs`).
 */
export interface Delivery {
  send(c: ContactToDeliver): Promise<DeliveryResult>;
  /** Closes pooled connections; pending sends finish first. */
  close(): Promise<void>;
}
