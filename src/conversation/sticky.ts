import { CHOICE_SUPPORT } from "../../adapters/choices.js";
import { firstWords } from "../delivery/compose.js";
import type { ForwardContext } from "../delivery/types.js";
import type { RelayTokens } from "../relay/token.js";
import { t } from "../i18n/texts.js";
import { CHANNEL_LABEL } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";
import type { HeldRelease, QuestionClose, StepInput, StepOutcome } from "../queue/types.js";
import {
  askQuestion,
  askTimeoutMs,
  canAsk,
  CHOICE_DECLINE,
  describeWait,
  outboundChoices,
  readAnswer,
  type AskConfig,
} from "./ask.js";
import {
  appendReaderMessage,
  close,
  newConversation,
  push,
  readerIdentity,
  recentHistory,
  settleAsk,
  turnStart,
  waitingSince,
} from "./history.js";
import type { ConversationStore } from "./store.js";
import { CONTINUING, type AskChoice, type AskOutcome, type Conversation } from "./types.js";

/** How many earlier entries a follow-up's email shows. */
export const FORWARD_HISTORY_ENTRIES = 6;
/** Follow-ups get no new acknowledgement, except at most one a day. */
export const ACK_INTERVAL_MS = 24 * 3600_000;

export interface StickyDeps {
  store: ConversationStore;
  tokens: RelayTokens;
  /** Whether an affiliate id is in the current rules. */
  affiliateExists(id: string): boolean;
  /** The clarifying question's settings; absent: never ask. */
  ask?: AskConfig;
  /** Called when a conversation starts waiting for its affiliate (escalation's clock starts). */
  opened?: (c: Conversation) => Promise<void>;
  now?: () => Date;
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
 * new conversation starts with the affiliate the decision chose, or, when nothing places the
 * reader and the channel can ask, the message is held and the reader asked where they are
 * (`./ask.ts`). Idempotent: a retried job finds its message already recorded and gets the same
 * outcome (and the same acknowledgement choice).
 */
export async function stickyRoute(deps: StickyDeps, input: StepInput): Promise<StepOutcome> {
  const { store } = deps;
  const m = input.message;
  const identity = readerIdentity(m);
  const now = Date.parse(input.at);
  let release: HeldRelease | undefined;
  /** The new conversation this message opens; `ask`: it is held and the reader asked first. */
  const build =
    (ask: AskPlan | null) =>
    (id: string, ref: string): Conversation => {
      const c = newConversation(id, ref, input, {
        channel: m.channel,
        country: input.decision.country,
        language: input.decision.language,
        words: firstWords(m.text || m.subject || ""),
      });
      if (ask) {
        c.status = "asking";
        c.ask = {
          contactId: input.contactId,
          h: input.h,
          t: input.t,
          message: m,
          language: ask.language,
          askedAt: input.at,
          deadline: new Date(now + ask.timeoutMs).toISOString(),
          choices: ask.choices,
        };
        push(c, {
          kind: "event",
          id: "ask:asked",
          at: input.at,
          event: "ask",
          detail: `asked the reader where they are (${CHANNEL_LABEL[m.channel]}); routed by default after ${describeWait(ask.timeoutMs)} without an answer`,
        });
      } else if (m.channel !== "web") {
        c.lastAckAt = input.at;
        c.lastAckFor = input.contactId;
      }
      return c;
    };
  // Unless the reader might be asked first (which reads their earlier conversations before the
  // new one is built), the lookup and the create go in one round trip.
  const oneTrip = identity !== null && !m.choice && !askWanted(deps.ask, input);
  for (let attempt = 0; attempt < 10; attempt++) {
    let current: Conversation | null;
    let made: { conversation: Conversation; created: boolean } | null = null;
    if (oneTrip) {
      const found = await store.currentOrCreate(input.contactId, identity, build(null));
      if ("current" in found) current = found.current;
      else {
        current = null;
        made = found;
      }
    } else current = identity ? await store.current(identity) : null;
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
      // The record as just read, unless the question's handling below changed it.
      let from: Conversation | undefined = current;
      if (current.ask && (!current.ask.outcome || current.ask.outcome.by === input.contactId)) {
        from = undefined;
        const asked = await onAsking(deps, current, input);
        if (asked.kind !== "continue") return asked;
        release = asked.release;
      } else if (m.choice) {
        // A press of an old question's button (answered, or timed out): not a message to forward;
        // its buttons are closed (again), so the adapter answers further presses politely.
        const close = questionClose(current);
        return { kind: "answer", ...(close ? { close } : {}) };
      }
      let continued = true;
      let changed = false;
      const updated = await store.update(
        current.id,
        (c) => {
          continued = CONTINUING.has(c.status) && c.status !== "asking";
          if (!continued) return false;
          changed = appendReaderMessage(c, input);
          if (changed && m.channel !== "web" && ackDue(c, now)) {
            c.lastAckAt = input.at;
            c.lastAckFor = input.contactId;
          }
          return changed;
        },
        from,
      );
      if (!updated || !continued) continue; // closed or erased meanwhile: start afresh
      if (!changed && !updated.decisions.some((d) => d.contactId === input.contactId)) continue;
      // A follow-up after the affiliate's answer: the reader waits again, and the clock starts
      // again (also on a retry of this job: the timer's job id makes it once).
      if (waitingSince(updated) === input.at && input.at !== turnStart(updated))
        await deps.opened?.(updated);
      return {
        kind: "forward",
        ...forwardOf(deps, updated, input.contactId),
        ...(release ? { release } : {}),
      };
    }
    if (m.choice) return { kind: "answer" }; // a press with no question waiting: nothing to forward
    if (!made) {
      const ask = deps.ask && identity ? await shouldAsk(deps, deps.ask, input, identity) : null;
      made = await store.create(input.contactId, identity, build(ask));
    }
    const { conversation, created } = made;
    // Created now, or by an earlier attempt of this job: either way this message opened it.
    if (created || conversation.openedBy === input.contactId) {
      const held = conversation.ask;
      if (held && held.contactId === input.contactId) {
        // Settled already (only a retry can see this): whoever settled it handed it on.
        if (held.outcome) return { kind: "answer" };
        return {
          kind: "ask",
          conversationId: conversation.id,
          text: askQuestion(held.language, m.channel).text,
          choices: outboundChoices(held.choices),
          timeoutAt: Date.parse(held.deadline),
        };
      }
      if (created) await deps.opened?.(conversation);
      return { kind: "forward", ...forwardOf(deps, conversation, input.contactId) };
    }
    // Another message of the reader opened one meanwhile: continue that one.
  }
  throw new Error("conversation step did not settle");
}

/** The question a held first message gets. */
interface AskPlan {
  language: string;
  choices: AskChoice[];
  timeoutMs: number;
}

/** Whether this message could be held and its reader asked (before looking at their history). */
function askWanted(config: AskConfig | undefined, input: StepInput): boolean {
  return (
    config !== undefined &&
    config.enabled &&
    input.decision.ask_location === true &&
    canAsk(input.message.channel)
  );
}

/** Whether to hold this first message and ask; with what. Null: route it now. */
async function shouldAsk(
  deps: StickyDeps,
  config: AskConfig,
  input: StepInput,
  identity: string,
): Promise<AskPlan | null> {
  const m = input.message;
  if (!askWanted(config, input)) return null;
  // A reader who declined once is not asked again.
  const earlier = await deps.store.findByIdentity(identity);
  if (earlier.some((c) => c.ask?.outcome?.how === "decline")) return null;
  const q = askQuestion(input.decision.language, m.channel);
  return { language: q.language, choices: q.choices, timeoutMs: askTimeoutMs(config, m.channel) };
}

type Asked = StepOutcome | { kind: "continue"; release?: HeldRelease };

/**
 * A reader's message while their first one is held: the answer (a press, a pick of a listed
 * choice, a place's name), "another country" (they are asked to write it), or a message of its
 * own, which lets the held one go (routed on its place, if it names one) and is then forwarded as
 * a follow-up.
 */
async function onAsking(deps: StickyDeps, current: Conversation, input: StepInput): Promise<Asked> {
  const ask = current.ask!;
  const m = input.message;
  if (ask.outcome) {
    // A retry of the message that settled it: hand the held message on again (same job ids).
    const release = releaseOf(deps, current);
    return ask.outcome.how === "next-message"
      ? { kind: "continue", ...(release ? { release } : {}) }
      : { kind: "answer", ...(release ? { release } : {}) };
  }
  const at = input.at;
  const reading = readAnswer(ask, m, input.evidence.text);
  if (m.choice && !reading) return { kind: "answer" }; // not one of this question's buttons
  if (reading?.kind === "other") {
    const updated = await deps.store.update(current.id, (c) => {
      if (!c.ask || c.ask.outcome || c.ask.other) return false;
      c.ask.other = true;
      return true;
    });
    if (updated?.ask?.outcome) return { kind: "answer" };
    return { kind: "answer", prompt: t(ask.language, "ask.other.prompt") };
  }
  const held = current.decisions.find((d) => d.contactId === ask.contactId);
  let routed: { evidence: Evidence; decision: Decision } | undefined;
  let outcome: AskOutcome;
  let reason: string;
  const by = input.contactId;
  if (reading?.kind === "place") {
    routed = input.route(statedIn(ask.message, reading.stated));
    const country = routed.decision.country;
    outcome = { how: "answer", at, by, ...(country ? { country } : {}) };
    reason = `Asked where the reader is; they answered ${JSON.stringify(reading.said)}${country ? ` (${country})` : ""}.`;
  } else if (reading?.kind === "decline") {
    outcome = { how: "decline", at, by };
    reason = `Asked where the reader is; they would rather not say, so the default step decided.`;
  } else {
    const place = input.evidence.location;
    if (place) {
      routed = input.route(
        statedIn(ask.message, place.city ? `${place.city}, ${place.country}` : place.country),
      );
    }
    const country = routed?.decision.country;
    outcome = { how: "next-message", at, by, ...(country ? { country } : {}) };
    reason = place
      ? `Asked where the reader is; instead of answering they wrote again, and that message places them (${place.detail}).`
      : `Asked where the reader is; instead of answering they wrote again without saying, so the default step decided.`;
  }
  if (routed && held && !deps.affiliateExists(routed.decision.affiliate)) routed = undefined;
  let settled = false;
  const updated = await deps.store.update(current.id, (c) => {
    settled = settleAsk(c, outcome, reason, routed);
    if (!settled) return false;
    if (c.reader.channel !== "web") {
      c.lastAckAt = at;
      c.lastAckFor = c.ask!.contactId;
    }
    return true;
  });
  if (!updated) return { kind: "answer" };
  if (!settled) {
    // The time ran out meanwhile: the held message went by default. An answer is now late.
    return reading ? { kind: "answer" } : { kind: "continue" };
  }
  await deps.opened?.(updated);
  const release = releaseOf(deps, updated);
  if (reading) return { kind: "answer", ...(release ? { release } : {}) };
  return { kind: "continue", ...(release ? { release } : {}) };
}

/** The held message with the reader's answer as its stated place (location source `answer`). */
function statedIn(m: InboundMessage, stated: string): InboundMessage {
  return { ...m, evidence: { ...m.evidence, statedCountry: stated.slice(0, 100) } };
}

/** The held message of a settled question, as the route stage hands it on. */
function releaseOf(deps: StickyDeps, c: Conversation): HeldRelease | undefined {
  const ask = c.ask;
  const held = ask && c.decisions.find((d) => d.contactId === ask.contactId);
  if (!ask || !held) return undefined;
  const out = forwardOf(deps, c, ask.contactId);
  const close = questionClose(c);
  return {
    h: ask.h,
    t: ask.t,
    contactId: ask.contactId,
    message: ask.message,
    evidence: held.evidence,
    decision: held.decision,
    affiliate: c.affiliate,
    forward: out.forward,
    language: c.reader.language,
    ...(close ? { close } : {}),
  };
}

/** The settled question's buttons to close, once its message is known. */
export function questionClose(c: Conversation): QuestionClose | undefined {
  const ask = c.ask;
  if (!ask?.question || !ask.outcome) return undefined;
  // A question asked in text (X, email) has no buttons to close.
  if (CHOICE_SUPPORT[ask.message.channel] !== "buttons") return undefined;
  const o = ask.outcome;
  const chosen =
    o.how === "decline"
      ? CHOICE_DECLINE
      : o.how === "answer" && o.country
        ? ask.choices.find((x) => x.data === `loc:${o.country}`)?.data
        : undefined;
  return {
    conversationId: c.id,
    channel: ask.message.channel,
    close: {
      question: ask.question,
      choices: outboundChoices(ask.choices),
      ...(chosen ? { chosen } : {}),
      lateText: t(ask.language, "ask.late"),
    },
  };
}

/**
 * The question was sent as `platformMessageId`: kept in the conversation, so settling the
 * question closes its buttons. Returns what to close when it was settled meanwhile.
 */
export async function questionSent(
  deps: Pick<StickyDeps, "store">,
  conversationId: string,
  platformMessageId: string,
): Promise<QuestionClose | null> {
  const c = await deps.store.update(conversationId, (conv) => {
    if (!conv.ask || conv.ask.question === platformMessageId) return false;
    conv.ask.question = platformMessageId;
    return true;
  });
  return (c && questionClose(c)) ?? null;
}

/**
 * The time to answer is up: the held message goes by its first decision (the default step).
 * Returns what to hand on; null when the question was settled otherwise (the answer handed it
 * on) or the conversation is gone. A retry after a crash returns the same release.
 */
export async function askTimedOut(
  deps: StickyDeps,
  conversationId: string,
): Promise<HeldRelease | null> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  let settled = false;
  const c = await deps.store.update(conversationId, (conv) => {
    const ask = conv.ask;
    if (!ask || ask.outcome) return false;
    const waited = Date.parse(ask.deadline) - Date.parse(ask.askedAt);
    settled = settleAsk(
      conv,
      { how: "timeout", at, by: "timeout" },
      `Asked where the reader is; no answer within ${describeWait(waited)}, so the default step decided.`,
    );
    if (settled && conv.reader.channel !== "web") {
      conv.lastAckAt = at;
      conv.lastAckFor = ask.contactId;
    }
    return settled;
  });
  if (!c || c.ask?.outcome?.by !== "timeout") return null;
  if (settled) await deps.opened?.(c);
  return releaseOf(deps, c) ?? null;
}

function ackDue(c: Conversation, now: number): boolean {
  return c.lastAckAt === undefined || now - Date.parse(c.lastAckAt) >= ACK_INTERVAL_MS;
}

function forwardOf(deps: StickyDeps, c: Conversation, contactId: string): StickyOutcome {
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
