import { decodeId } from "../message/ids.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";
import type { AskOutcome, Conversation, HistoryEntry, ReaderRef } from "./types.js";

/**
 * The pure operations on a conversation record. The store applies them under an optimistic lock;
 * each is idempotent on the id of what it records, so a retried job changes nothing twice.
 */

/** History bounds: the oldest entries go first, and `dropped` counts them. */
export const MAX_HISTORY_ENTRIES = 100;
export const MAX_HISTORY_CHARS = 200_000;
export const MAX_DECISIONS = 100;
/** The decisions' evidence holds each message's cleaned text: bounded like the history. */
export const MAX_DECISION_CHARS = 200_000;
/** Forwards kept for `References` (the first and the newest ones). */
export const MAX_FORWARDS = 20;

/**
 * The identity a reader's conversation is found by: the Telegram chat, the Discord user, the X
 * user, the email sender address, the web form's email address. Null for a web-form reader who
 * left no address: there is no conversation to continue. Addresses compare case-insensitively.
 */
export function readerIdentity(m: InboundMessage): string | null {
  switch (m.channel) {
    case "telegram":
      return m.replyTo;
    case "discord":
    case "twitter":
      return m.sender.id;
    case "email":
      return m.sender.id.toLowerCase();
    case "web":
      return m.replyTo.startsWith("email:") ? m.replyTo.toLowerCase() : null;
  }
}

/**
 * Where an answer to this reader goes: their chat, DM channel or contact channel, a DM to the X
 * user (never a public reply tweet), their email address. Null when they cannot be answered.
 */
export function answerTarget(m: InboundMessage): string | null {
  switch (m.channel) {
    case "twitter":
      if (m.replyTo.startsWith("twitter:dm:")) return m.replyTo;
      return `twitter:user:${decodeId(m.sender.id).rest.replace(/^user:/, "")}`;
    case "web":
      return m.replyTo.startsWith("email:") ? m.replyTo : null;
    default:
      return m.replyTo;
  }
}

function readerRef(m: InboundMessage, language: string | null): ReaderRef {
  return {
    channel: m.channel,
    identity: readerIdentity(m),
    replyTo: answerTarget(m),
    lastMessageId: m.id,
    language,
  };
}

/** A reader's routed message, as the route stage records it. */
export interface ReaderMessageInput {
  contactId: string;
  message: InboundMessage;
  evidence: Evidence;
  decision: Decision;
  at: string;
}

/** A new conversation for a reader's first message, with the affiliate the decision chose. */
export function newConversation(
  id: string,
  ref: string,
  input: ReaderMessageInput,
  opening: Conversation["opening"],
): Conversation {
  const affiliate = input.decision.affiliate;
  const conv: Conversation = {
    schema: 1,
    id,
    ref,
    openedBy: input.contactId,
    status: "open",
    affiliate,
    generation: 0,
    tokens: [{ generation: 0, affiliate, issuedAt: input.at }],
    reader: readerRef(input.message, input.decision.language),
    opening,
    forwards: [],
    history: [],
    dropped: 0,
    decisions: [],
    lastReaderMessage: input.message,
    createdAt: input.at,
    lastMessageAt: input.at,
  };
  appendReaderMessage(conv, input);
  return conv;
}

/**
 * Adds a reader's message: history, decision, forward, the reader's newest message and reply
 * path. False (and nothing changed) when this message is already recorded.
 */
export function appendReaderMessage(conv: Conversation, input: ReaderMessageInput): boolean {
  if (conv.decisions.some((d) => d.contactId === input.contactId)) return false;
  const m = input.message;
  push(conv, {
    kind: "reader",
    id: input.contactId,
    at: input.at,
    channel: m.channel,
    text: m.text,
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.attachments.length > 0 ? { attachments: m.attachments.map((a) => a.name) } : {}),
  });
  conv.decisions.push({
    contactId: input.contactId,
    at: input.at,
    evidence: input.evidence,
    decision: input.decision,
    deliveredTo: conv.affiliate,
  });
  let evidenceChars = conv.decisions.reduce((n, d) => n + d.evidence.text.length, 0);
  while (
    conv.decisions.length > 1 &&
    (conv.decisions.length > MAX_DECISIONS || evidenceChars > MAX_DECISION_CHARS)
  ) {
    evidenceChars -= conv.decisions.shift()!.evidence.text.length;
  }
  conv.forwards.push(input.contactId);
  if (conv.forwards.length > MAX_FORWARDS) conv.forwards.splice(1, 1);
  const language = input.decision.language ?? conv.reader.language;
  const unreachable = conv.reader.unreachable;
  conv.reader = readerRef(m, language);
  // A message on the same channel does not prove the platform would deliver now (a blocked bot
  // still receives nothing from the reader); one on another channel is a new path.
  if (unreachable && unreachable.channel === m.channel) conv.reader.unreachable = unreachable;
  conv.lastReaderMessage = m;
  conv.lastMessageAt = input.at;
  if (conv.status === "answered") conv.status = "open";
  return true;
}

/** True when the history already holds an entry with this id. */
export function hasEntry(conv: Conversation, id: string): boolean {
  return conv.history.some((e) => e.id === id);
}

/** Appends an entry and keeps the history within its bounds. */
export function push(conv: Conversation, entry: HistoryEntry): void {
  conv.history.push(entry);
  let chars = conv.history.reduce((n, e) => n + entryChars(e), 0);
  while (
    conv.history.length > 1 &&
    (conv.history.length > MAX_HISTORY_ENTRIES || chars > MAX_HISTORY_CHARS)
  ) {
    const gone = conv.history.shift()!;
    chars -= entryChars(gone);
    conv.dropped += 1;
  }
}

function entryChars(e: HistoryEntry): number {
  return "text" in e ? e.text.length : (e.detail?.length ?? 0);
}

/** Records an answer relayed to the reader. */
export function recordAnswer(
  conv: Conversation,
  a: { id: string; at: string; affiliate: string; text: string },
): void {
  if (hasEntry(conv, a.id)) return;
  push(conv, { kind: "answer", ...a });
  conv.firstAnswerAt ??= a.at;
  conv.lastAnswerAt = a.at;
  conv.lastMessageAt = a.at;
  if (conv.status === "open" || conv.status === "escalated") conv.status = "answered";
}

/** Records an internal note. */
export function recordNote(
  conv: Conversation,
  n: { id: string; at: string; affiliate: string; by: string; text: string },
): void {
  if (hasEntry(conv, n.id)) return;
  push(conv, { kind: "note", ...n });
  conv.lastMessageAt = n.at;
}

/**
 * Hands the conversation to another affiliate: a new token generation for it, the previous one
 * revoked, and an event naming who did it and why.
 */
export function reroute(
  conv: Conversation,
  r: { id: string; at: string; to: string; by: string; reason: string },
): void {
  if (hasEntry(conv, r.id)) return;
  const from = conv.affiliate;
  for (const t of conv.tokens) t.revokedAt ??= r.at;
  conv.generation += 1;
  conv.tokens.push({ generation: conv.generation, affiliate: r.to, issuedAt: r.at });
  conv.affiliate = r.to;
  // The new affiliate's thread starts with the handover forward.
  conv.forwards = [handoverSeed(conv.id, conv.generation)];
  if (conv.status !== "closed") conv.status = "open";
  push(conv, {
    kind: "event",
    id: r.id,
    at: r.at,
    event: "reroute",
    affiliate: r.to,
    from,
    by: r.by,
    ...(r.reason ? { detail: r.reason } : {}),
  });
  conv.lastMessageAt = r.at;
}

/** The Message-ID seed of the forward that hands a conversation to its new affiliate. */
export function handoverSeed(conversationId: string, generation: number): string {
  return `handover:${conversationId}:${generation}`;
}

/** Ends the conversation: the reader's next message starts a new one. */
export function close(
  conv: Conversation,
  c: { id: string; at: string; by: string; detail?: string },
): void {
  if (hasEntry(conv, c.id)) return;
  conv.status = "closed";
  conv.closedAt = c.at;
  push(conv, {
    kind: "event",
    id: c.id,
    at: c.at,
    event: "close",
    affiliate: conv.affiliate,
    by: c.by,
    ...(c.detail ? { detail: c.detail } : {}),
  });
  conv.lastMessageAt = c.at;
}

/** Marks the reader unreachable on a channel after a permanent refusal by the platform. */
export function markUnreachable(
  conv: Conversation,
  u: { id: string; at: string; code: string },
): void {
  if (hasEntry(conv, u.id)) return;
  conv.reader.unreachable = { at: u.at, channel: conv.reader.channel, code: u.code };
  push(conv, { kind: "event", id: u.id, at: u.at, event: "unreachable", detail: u.code });
}

/** The newest `n` entries of the history that a volunteer reads (messages, answers, notes, events). */
export function recentHistory(conv: Conversation, n: number, before?: string): HistoryEntry[] {
  const end =
    before === undefined ? conv.history.length : conv.history.findIndex((e) => e.id === before);
  const upto = end < 0 ? conv.history.length : end;
  return conv.history.slice(Math.max(0, upto - n), upto);
}

/** The id of the history event that records how the clarifying question ended. */
export const ASK_SETTLED_ID = "ask:settled";

/**
 * Settles the clarifying question: the held message is routed (`routed`: re-decided on the
 * reader's answer; absent: its first decision stands, with `reason` added) and the conversation
 * opens with that affiliate. The escalation clock starts now. False when it was settled already.
 */
export function settleAsk(
  conv: Conversation,
  outcome: AskOutcome,
  reason: string,
  routed?: { evidence: Evidence; decision: Decision },
): boolean {
  const ask = conv.ask;
  if (!ask || ask.outcome) return false;
  ask.outcome = outcome;
  const held = conv.decisions.find((d) => d.contactId === ask.contactId);
  if (held) {
    if (routed) {
      held.evidence = routed.evidence;
      held.decision = routed.decision;
    }
    held.decision = { ...held.decision, reasons: [...held.decision.reasons, reason] };
    held.deliveredTo = held.decision.affiliate;
    if (conv.generation === 0) {
      conv.affiliate = held.decision.affiliate;
      conv.tokens[0] = { generation: 0, affiliate: conv.affiliate, issuedAt: outcome.at };
    }
    conv.opening.country = held.decision.country;
    conv.reader.language = held.decision.language ?? conv.reader.language;
  }
  if (conv.status === "asking") conv.status = "open";
  push(conv, {
    kind: "event",
    id: ASK_SETTLED_ID,
    at: outcome.at,
    event: "ask",
    affiliate: conv.affiliate,
    detail: reason,
  });
  conv.lastMessageAt = outcome.at;
  return true;
}

/**
 * Escalation's hand-over: like a reroute (new token generation, the previous one revoked), by
 * contact-router, with status `escalated`.
 */
export function escalate(
  conv: Conversation,
  e: { id: string; at: string; to: string; reason: string },
): void {
  if (hasEntry(conv, e.id)) return;
  const from = conv.affiliate;
  for (const t of conv.tokens) t.revokedAt ??= e.at;
  conv.generation += 1;
  conv.tokens.push({ generation: conv.generation, affiliate: e.to, issuedAt: e.at });
  conv.affiliate = e.to;
  conv.forwards = [handoverSeed(conv.id, conv.generation)];
  conv.status = "escalated";
  push(conv, {
    kind: "event",
    id: e.id,
    at: e.at,
    event: "escalate",
    affiliate: e.to,
    from,
    by: "contact-router",
    detail: e.reason,
  });
  conv.lastMessageAt = e.at;
}

/** When the current affiliate got the conversation (its token generation was issued). */
export function turnStart(conv: Conversation): string {
  return conv.tokens.find((t) => t.generation === conv.generation)?.issuedAt ?? conv.createdAt;
}

/**
 * Since when the reader has been waiting for the current affiliate's answer: from when it got the
 * conversation, or, once it answered, from the reader's first message after its last answer (a
 * follow-up left unanswered is escalated too). Null: nothing waits (answered, nothing new since).
 * Notes and auto-replies are not answers: only an answer relayed to the reader stops the wait.
 */
export function waitingSince(conv: Conversation): string | null {
  const turn = turnStart(conv);
  const answered = conv.lastAnswerAt;
  if (answered === undefined || answered < turn) return turn;
  const next = conv.history.find((e) => e.kind === "reader" && e.at > answered);
  return next ? next.at : null;
}

/**
 * The key of one waiting period in timer ids and history entries: the token generation, and for a
 * wait after an answer also its start (ms). The first period of a turn keeps the plain generation,
 * as timers set before follow-ups were escalated have it.
 */
export function waitKey(conv: Conversation, generation: number, since: string): string {
  const turn = conv.tokens.find((t) => t.generation === generation)?.issuedAt ?? conv.createdAt;
  return since === turn ? String(generation) : `${generation}.${Date.parse(since)}`;
}
