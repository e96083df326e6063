import type { OutboundText } from "../../adapters/types.js";
import type { ForwardContext } from "../delivery/types.js";
import type { Channel } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";

/** The roles a process can take: `ingest` (web, adapters, acks), `route`, `deliver`. */
export type Role = "ingest" | "route" | "deliver";
export const ROLES: readonly Role[] = ["ingest", "route", "deliver"];

/** What the route worker needs about an affiliate. */
export interface AffiliateRef {
  id: string;
  name: string;
  inbox: string;
  /** Languages and time zone from the rules: the forward is written in them. */
  languages?: readonly string[];
  timezone?: string | undefined;
}

/** The routing engine as the route worker calls it (the lead's `routeMessage` with the current rules). */
export type RouteFn = (message: InboundMessage) => { evidence: Evidence; decision: Decision };

/**
 * Sends a reader acknowledgement on its channel. The lead maps it onto the configured adapters'
 * `send()`. Throw a non-retryable RouterError when the channel cannot answer at all.
 */
export interface Sender {
  send(channel: Channel, message: OutboundText): Promise<{ platformMessageId: string }>;
}

/** The acknowledgement text in the reader's language, naming the affiliate (D's i18n). */
export type AckTextFn = (language: string, affiliateName: string) => string;

/** Payload of an `outbound` job. */
export interface AckJob {
  channel: Channel;
  message: OutboundText;
}

/**
 * The route stage's conversation step (`stickyRoute` of src/conversation): records the routed
 * message in its conversation and says where it goes (a follow-up: the conversation's affiliate),
 * what its forward carries, and whether the reader gets an acknowledgement.
 */
export type ConversationStep = (input: {
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  /** When the message was taken in (ISO); stable across retries of the job. */
  at: string;
}) => Promise<{ affiliate: string; forward: ForwardContext; ack: boolean }>;
