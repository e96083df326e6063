import { firstWords } from "../delivery/compose.js";
import type { ForwardContext } from "../delivery/types.js";
import type { RelayTokens } from "../relay/token.js";
import {
  appendReaderMessage,
  close,
  newConversation,
  readerIdentity,
  recentHistory,
  type ReaderMessageInput,
} from "./history.js";
import type { ConversationStore } from "./store.js";
import { CONTINUING, type Conversation } from "./types.js";

/** How many earlier entries a follow-up's email shows. */
export const FORWARD_HISTORY_ENTRIES = 6;
/** Follow-ups get no new acknowledgement, except at most one a day. */
export const ACK_INTERVAL_MS = 24 * 3600_000;

export interface StickyDeps {
  store: ConversationStore;
  tokens: RelayTokens;
  /** Whether an affiliate id is in the current rules. */
  affiliateExists(id: string): boolean;
}

/** Where a reader's message goes and what its forward says. */
export interface StickyOutcome {
  /** The affiliate the message goes to: the conversation's, not necessarily the decision's. */
  affiliate: string;
  conversation: Conversation;
  forward: ForwardContext;
  /** Whether to acknowledge this message to the reader. */
  ack: boolean;
}

/**
 * The route stage's conversation step. A reader's message in a conversation that is not closed
 * goes to that conversation's affiliate (its decision is still recorded, not used); otherwise a
 * new conversation starts with the affiliate the decision chose. Idempotent: a retried job finds
 * its message already recorded and gets the same outcome (and the same acknowledgement choice).
 */
export async function stickyRoute(
  deps: StickyDeps,
  input: ReaderMessageInput,
): Promise<StickyOutcome> {
  const { store } = deps;
  const m = input.message;
  const identity = readerIdentity(m);
  const now = Date.parse(input.at);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = identity ? await store.current(identity) : null;
    if (current && CONTINUING.has(current.status)) {
      if (!deps.affiliateExists(current.affiliate)) {
        // Its affiliate left the rules: end it so this message is routed afresh.
        await store.update(current.id, (c) => {
          if (c.status === "closed") return false;
          close(c, {
            id: `close-${input.contactId}`,
            at: input.at,
            by: "contact-router",
            detail: `affiliate ${c.affiliate} is no longer in the routing rules`,
          });
          return true;
        });
        continue;
      }
      let continued = true;
      let changed = false;
      const updated = await store.update(current.id, (c) => {
        continued = CONTINUING.has(c.status);
        if (!continued) return false;
        changed = appendReaderMessage(c, input);
        if (changed && m.channel !== "web" && ackDue(c, now)) {
          c.lastAckAt = input.at;
          c.lastAckFor = input.contactId;
        }
        return changed;
      });
      if (!updated || !continued) continue; // closed or erased meanwhile: start afresh
      if (!changed && !updated.decisions.some((d) => d.contactId === input.contactId)) continue;
      return outcome(deps, updated, input.contactId);
    }
    const { conversation, created } = await store.create(input.contactId, identity, (id, ref) => {
      const c = newConversation(id, ref, input, {
        channel: m.channel,
        country: input.decision.country,
        language: input.decision.language,
        words: firstWords(m.text || m.subject || ""),
      });
      if (m.channel !== "web") {
        c.lastAckAt = input.at;
        c.lastAckFor = input.contactId;
      }
      return c;
    });
    // Created now, or by an earlier attempt of this job: either way this message opened it.
    if (created || conversation.openedBy === input.contactId) {
      return outcome(deps, conversation, input.contactId);
    }
    // Another message of the reader opened one meanwhile: continue that one.
  }
  throw new Error("conversation step did not settle");
}

function ackDue(c: Conversation, now: number): boolean {
  return c.lastAckAt === undefined || now - Date.parse(c.lastAckAt) >= ACK_INTERVAL_MS;
}

function outcome(deps: StickyDeps, c: Conversation, contactId: string): StickyOutcome {
  const opened = c.openedBy === contactId;
  const position = c.forwards.indexOf(contactId);
  const history = recentHistory(c, FORWARD_HISTORY_ENTRIES, contactId);
  const before = c.history.findIndex((e) => e.id === contactId);
  const shownFrom = (before < 0 ? c.history.length : before) - history.length;
  return {
    affiliate: c.affiliate,
    conversation: c,
    ack: c.lastAckFor === contactId,
    forward: {
      id: c.id,
      ref: c.ref,
      token: deps.tokens.mint(c.id, c.generation),
      followUp: !opened,
      earlier: position < 0 ? c.forwards.slice(0, -1) : c.forwards.slice(0, position),
      history,
      earlierCount: c.dropped + Math.max(0, shownFrom),
      opening: c.opening,
      canAnswer: c.reader.replyTo !== null,
      ...(c.reader.unreachable
        ? {
            unreachable: { channel: c.reader.unreachable.channel, code: c.reader.unreachable.code },
          }
        : {}),
    },
  };
}
