import { createHash } from "node:crypto";
import type { AddressObject, ParsedMail } from "mailparser";
import { machineMailOf, parseEmail } from "../../adapters/email/normalize.js";
import type { ConversationStore } from "../conversation/store.js";
import type { Conversation } from "../conversation/types.js";
import { FORWARD_MARKERS } from "../delivery/receipt.js";
import { readEmailBody } from "../evidence/email-body.js";
import { parseReply, type ParsedReply } from "./commands.js";
import {
  AutoReplyError,
  ConversationClosedError,
  DuplicateReplyError,
  EmptyReplyError,
  ReaderUnreachableError,
  SenderNotAllowedError,
  TokenExpiredError,
  TokenForgedError,
  TokenMalformedError,
  TokenRevokedError,
  UnreadableReplyError,
} from "./errors.js";
import type { SenderAuthCheck, SmtpOrigin } from "./sender-auth.js";
import type { RelayTokens } from "./token.js";

/**
 * The relay's receiver: one entry point that takes an affiliate's reply as it arrived and either
 * accepts it (what it says, for which conversation) or throws the RelayRefusal that says why not.
 * Checks, in order: the token, robots (auto-replies, bounces, lists: never answered, so they
 * come first), the sender, sender authentication, duplicates, then the text itself.
 */

/** An affiliate as the relay needs it. */
export interface RelayAffiliate {
  id: string;
  name: string;
  inbox: string;
  /** Other addresses its volunteers answer from. */
  reply_from?: readonly string[];
  /** Its languages and time zone: forwards to it are written in them. */
  languages?: readonly string[];
  timezone?: string | undefined;
}

/** The current affiliates (from the live routing rules). */
export interface AffiliateDirectory {
  get(id: string): RelayAffiliate | undefined;
  ids(): string[];
}

/** A reply as the SMTP listener stored it. */
export interface IncomingReply {
  raw: Buffer;
  /** The token of the relay address it was sent to. */
  token: string;
  origin: SmtpOrigin;
}

/** A reply that passed every check. */
export interface AcceptedReply {
  conversation: Conversation;
  affiliate: RelayAffiliate;
  /** The sender's address (From), lower case. */
  from: string;
  /** A hash of the reply's Message-ID: its id in the history and the send ledger. */
  replyId: string;
  /** The reply's Message-ID with brackets, for threading confirmations; null when it has none. */
  messageId: string | null;
  /** The reply's own words and the commands at their top. */
  reply: ParsedReply;
  /** Names of the reply's attachments (never relayed). */
  attachments: string[];
}

export interface ReceiverDeps {
  store: ConversationStore;
  tokens: RelayTokens;
  affiliates: AffiliateDirectory;
  /** Sender authentication; null when the relay domain is not public (authentication off). */
  senderAuth: SenderAuthCheck | null;
}

/**
 * Checks a token as far as the SMTP dialogue can: genuine, and its conversation exists. Throws
 * TokenMalformedError, TokenForgedError or TokenExpiredError; returns the conversation.
 */
export async function conversationOfToken(
  deps: Pick<ReceiverDeps, "store" | "tokens">,
  token: string,
): Promise<{ conversation: Conversation; generation: number }> {
  const opened = deps.tokens.open(token);
  if (!opened.ok) {
    if (opened.why === "forged") throw new TokenForgedError();
    throw new TokenMalformedError(
      opened.why === "unknown_key" ? "made with an unknown key" : "not a relay token",
    );
  }
  const conversation = await deps.store.get(opened.claims.conversationId);
  if (!conversation) throw new TokenExpiredError();
  if (!conversation.tokens.some((t) => t.generation === opened.claims.generation))
    throw new TokenForgedError();
  return { conversation, generation: opened.claims.generation };
}

/** The token is current: its generation not revoked, the conversation not closed. */
export function assertCurrent(
  conversation: Conversation,
  generation: number,
  affiliates: AffiliateDirectory,
): void {
  const gen = conversation.tokens.find((t) => t.generation === generation);
  if (!gen || gen.revokedAt !== undefined || generation !== conversation.generation) {
    const now = affiliates.get(conversation.affiliate);
    throw new TokenRevokedError(
      conversation.ref,
      now ? `${now.name} (${now.id})` : conversation.affiliate,
    );
  }
  if (conversation.status === "closed") throw new ConversationClosedError(conversation.ref);
}

function firstAddress(obj: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(obj) ? obj : obj ? [obj] : [];
  for (const group of list)
    for (const v of group.value) if (v.address) return v.address.trim().toLowerCase();
  return null;
}

/** A reply's id: a hash of its Message-ID, or of its bytes when it has none. */
export function replyIdOf(messageId: string | null, raw: Buffer): string {
  const h = createHash("sha256");
  h.update(messageId ? `mid:${messageId.toLowerCase()}` : raw);
  return h.digest("hex").slice(0, 32);
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  try {
    // The email channel's reader: repairs what mail clients get wrong, then mailparser.
    return await parseEmail(raw);
  } catch (err) {
    throw new UnreadableReplyError((err instanceof Error ? err.name : "error").slice(0, 40));
  }
}

/** Runs every check on a reply; `jobId` claims its Message-ID for this job. */
export async function receiveReply(
  deps: ReceiverDeps,
  incoming: IncomingReply,
  jobId: string,
): Promise<AcceptedReply> {
  const { conversation, generation } = await conversationOfToken(deps, incoming.token);
  const mail = await parse(incoming.raw);
  const rawId = mail.messageId?.replace(/^<|>$/g, "").trim();
  const messageId = rawId && /^[^\s<>"]+@[^\s<>"]+$/.test(rawId) ? `<${rawId}>` : null;
  const replyId = replyIdOf(messageId, incoming.raw);
  // A retry of a job that already applied this reply (say, its own #reroute) goes on from there.
  const applied = conversation.history.some(
    (e) => e.id === replyId || e.id.startsWith(`${replyId}:`),
  );
  if (!applied) assertCurrent(conversation, generation, deps.affiliates);

  // Robots first: an auto-reply or a bounce must never get an explanatory bounce back. The
  // listener stamped the envelope sender as Return-Path, so a null sender reads as a bounce.
  const from = firstAddress(mail.from);
  const robot = machineMailOf(mail);
  if (robot !== null) throw new AutoReplyError(`${robot.kind}: ${robot.reason}`);

  // The affiliate the token was issued to: only its addresses may answer with it.
  const issuedTo = conversation.tokens.find((g) => g.generation === generation)!.affiliate;
  const affiliate = deps.affiliates.get(issuedTo);
  const allowed = new Set(
    [affiliate?.inbox, ...(affiliate?.reply_from ?? [])]
      .filter(Boolean)
      .map((x) => x!.toLowerCase()),
  );
  if (!affiliate || !from || !allowed.has(from)) {
    throw new SenderNotAllowedError(conversation.ref, affiliate?.id ?? issuedTo);
  }

  if (deps.senderAuth) await deps.senderAuth(incoming.raw, incoming.origin, from);

  if (!(await deps.store.claimReply(conversation.id, replyId, jobId)))
    throw new DuplicateReplyError();

  const text = (mail.text ?? "").replace(/\r\n?/g, "\n");
  const body = readEmailBody(text, { cutMarkers: [...FORWARD_MARKERS] });
  const reply = parseReply(body.own);
  if (reply.commands.length === 0 && reply.invalid.length === 0) {
    if (reply.text.trim() === "") throw new EmptyReplyError(conversation.ref);
    if (conversation.reader.replyTo === null) throw new ReaderUnreachableError(conversation.ref);
  }
  const attachments = mail.attachments
    .filter((a) => !(a.related && a.contentDisposition !== "attachment"))
    .map((a) => (a.filename ?? "(unnamed)").slice(0, 200));
  return { conversation, affiliate, from, replyId, messageId, reply, attachments };
}
