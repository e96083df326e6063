import {
  close,
  handoverSeed,
  hasEntry,
  recordAnswer,
  recordNote,
  reroute,
} from "../conversation/history.js";
import type { ConversationStore } from "../conversation/store.js";
import type { Conversation } from "../conversation/types.js";
import { escapeHtml, messageIdFor, senderMailbox } from "../delivery/compose.js";
import type { MimeMail } from "../delivery/mime.js";
import { forwardAddressing, type AffiliateForForward } from "../delivery/addressing.js";
import type { ContactToDeliver } from "../delivery/types.js";
import { noticeLanguage, nt } from "../i18n/notices.js";
import { t } from "../i18n/texts.js";
import { CHANNEL_LABEL, type Channel } from "../message/channel.js";
import { PLATFORM_LIMIT, frameAnswer, type WriteBack } from "./answer.js";
import { ConversationClosedError, TokenExpiredError, TokenRevokedError } from "./errors.js";
import { noticeMail, type MailSettings } from "./notices.js";
import type { AcceptedReply, AffiliateDirectory } from "./receiver.js";
import type { RelayTokens } from "./token.js";

/**
 * What an accepted reply does: its effect on the conversation (applied here, once) and the
 * sends that follow (run by the relay worker, each once). The plan is stored with the relay job,
 * so a job retried after a crash sends what is left instead of deciding again.
 */

/** A JSON-safe email (its date as ISO text). */
export type StoredMail = Omit<MimeMail, "date"> & { date: string };

/** One send. `key` is unique within the reply and names it in the conversation's send ledger. */
export type RelayAction =
  /** Part of an answer (or a notice) to the reader on their platform, through its adapter. */
  | { kind: "reader"; key: string; channel: Channel; to: string; text: string; inReplyTo?: string }
  /** An answer by email to a web-form reader, through the delivery (SMTP or the outbox). */
  | { kind: "reader-mail"; key: string; mail: StoredMail }
  /** An email to an affiliate: a confirmation or a notice. */
  | { kind: "affiliate-mail"; key: string; mail: StoredMail }
  /** A conversation handed over by #reroute, as a forward to the new affiliate. */
  | { kind: "forward"; key: string; contact: ContactToDeliver };

/** The stored outcome of a reply: what it was and what to send. */
export interface RelayPlan {
  conversationId: string;
  replyId: string;
  /** `answer`, `note`, `reroute`, `close`, `commands` (several), `invalid-command`. */
  outcome: string;
  /** The affiliate who answered, for notices after a failed send. */
  affiliate: string;
  /** Where notices about this reply go (the reply's sender). */
  notify: string;
  /** The language of those notices (the affiliate's); English when absent (older plans). */
  lang?: string;
  inReplyTo: string | null;
  actions: RelayAction[];
}

export interface PlanDeps {
  store: ConversationStore;
  tokens: RelayTokens;
  affiliates: AffiliateDirectory;
  mail: MailSettings;
  /** Where web-form readers can write back by email (the email channel's address), if anywhere. */
  readerReplyAddress: string | null;
  /** Told when a conversation gets its first answer: who answered, seconds since it started. */
  onFirstAnswer?: (affiliate: string, seconds: number) => void;
  now?: () => Date;
}

/** Stores a MimeMail in a job. */
export function storeMail(m: MimeMail): StoredMail {
  return { ...m, date: m.date.toISOString() };
}

/** The reader's way of writing back, per channel. */
function writeBack(channel: Channel, readerReplyAddress: string | null): WriteBack {
  if (channel === "email") return "email";
  if (channel === "web") return readerReplyAddress ? "email" : "form";
  return "chat";
}

/** Text to the reader, framed or plain, as actions on their channel. */
function toReader(
  deps: PlanDeps,
  c: Conversation,
  keyBase: string,
  text: string,
  affiliateName: string,
  framed: boolean,
): RelayAction[] {
  const target = c.reader.replyTo;
  if (!target) return [];
  const language = c.reader.language ?? "en";
  const channel = c.reader.channel;
  const parts = framed
    ? frameAnswer({
        text,
        language,
        affiliateName,
        writeBack: writeBack(channel, deps.readerReplyAddress),
        limit: PLATFORM_LIMIT[channel],
      })
    : [text];
  if (channel === "web") {
    const address = target.replace(/^email:/, "");
    const root = messageIdFor(`conversation:${c.id}`, deps.mail.messageIdDomain);
    const subject = t(language, "answer.subject", { affiliate: affiliateName });
    const mail: MimeMail = {
      from: senderMailbox(deps.mail.from),
      to: { address },
      ...(deps.readerReplyAddress ? { replyTo: { address: deps.readerReplyAddress } } : {}),
      subject,
      messageId: messageIdFor(`${keyBase}:0`, deps.mail.messageIdDomain),
      inReplyTo: root,
      references: [root],
      date: (deps.now ?? (() => new Date()))(),
      headers: {},
      text: parts.join("\n\n"),
      html: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.4">\n<div dir="auto" style="white-space:pre-wrap">${escapeHtml(parts.join("\n\n"))}</div>\n</body></html>\n`,
    };
    return [{ kind: "reader-mail", key: `${keyBase}:0`, mail: storeMail(mail) }];
  }
  return parts.map((part, i) => ({
    kind: "reader" as const,
    key: `${keyBase}:${i}`,
    channel,
    to: target,
    text: part,
    ...(i === 0 ? { inReplyTo: c.reader.lastMessageId } : {}),
  }));
}

/** Every current affiliate of a directory (who can translate, which ids a reroute may name). */
export function allAffiliates(directory: {
  ids(): readonly string[];
  get(id: string): AffiliateForForward | undefined;
}): AffiliateForForward[] {
  return directory.ids().flatMap((id) => directory.get(id) ?? []);
}

/**
 * The forward that hands a conversation to its new affiliate (after `#reroute` or escalation):
 * the reader's newest message with the whole stored history, and who handed it over and why.
 * Null when the conversation has no routed message.
 */
export function handoverContact(
  tokens: RelayTokens,
  c: Conversation,
  target: AffiliateForForward,
  all: readonly AffiliateForForward[],
  handover: NonNullable<ContactToDeliver["conversation"]>["handover"] & object,
): ContactToDeliver | null {
  const decision = c.decisions.at(-1);
  if (!decision) return null;
  return {
    contactId: handoverSeed(c.id, c.generation),
    message: c.lastReaderMessage,
    evidence: decision.evidence,
    decision: decision.decision,
    ...forwardAddressing(target, decision.decision, all),
    conversation: {
      id: c.id,
      ref: c.ref,
      token: tokens.mint(c.id, c.generation),
      followUp: true,
      earlier: [],
      // The whole stored history: the new affiliate starts from everything said so far.
      history: c.history.filter((e) => e.id !== decision.contactId),
      earlierCount: c.dropped,
      opening: c.opening,
      canAnswer: c.reader.replyTo !== null,
      ...(c.reader.unreachable
        ? {
            unreachable: {
              channel: c.reader.unreachable.channel,
              code: c.reader.unreachable.code,
            },
          }
        : {}),
      handover,
    },
  };
}

/** Applies an accepted reply to its conversation and plans the sends that follow. */
export async function planReply(deps: PlanDeps, a: AcceptedReply): Promise<RelayPlan> {
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const { reply } = a;
  const lang = noticeLanguage(a.affiliate.languages);
  const base = {
    conversationId: a.conversation.id,
    replyId: a.replyId,
    affiliate: a.affiliate.id,
    notify: a.from,
    lang,
    inReplyTo: a.messageId,
  };
  const notice = (
    c: Conversation,
    key: string,
    headline: string,
    paragraphs: string[],
    goOn: boolean,
  ): RelayAction => ({
    kind: "affiliate-mail",
    key: `${a.replyId}:${key}`,
    mail: storeMail(
      noticeMail(deps.mail, {
        to: a.from,
        conversation: c,
        lang,
        headline,
        paragraphs,
        key: `notice:${a.replyId}:${key}`,
        inReplyTo: a.messageId,
        ...(goOn && c.status !== "closed"
          ? { replyToken: deps.tokens.mint(c.id, c.generation) }
          : {}),
        date: now,
      }),
    ),
  });

  // A retried job whose reply is already applied (say, its own #reroute) plans its sends again.
  const applied0 = a.conversation.history.some(
    (e) => e.id === a.replyId || e.id.startsWith(`${a.replyId}:`),
  );

  // Unknown commands: nothing happens, the affiliate is told.
  const both =
    reply.commands.some((x) => x.kind === "reroute") &&
    reply.commands.some((x) => x.kind === "close");
  if (!applied0 && (reply.invalid.length > 0 || both)) {
    const why =
      reply.invalid.length > 0
        ? nt(lang, "invalid.lines", { lines: reply.invalid.join("; ") })
        : nt(lang, "invalid.both");
    return {
      ...base,
      outcome: "invalid-command",
      actions: [
        notice(
          a.conversation,
          "invalid",
          nt(lang, "invalid.headline", { ref: a.conversation.ref }),
          [why, nt(lang, "invalid.help")],
          true,
        ),
      ],
    };
  }

  const rerouteCmd = reply.commands.find((x) => x.kind === "reroute");
  if (!applied0 && rerouteCmd && rerouteCmd.kind === "reroute") {
    const target = deps.affiliates.get(rerouteCmd.to);
    const problem = !target
      ? nt(lang, "reroute.unknown", { id: rerouteCmd.to, ids: deps.affiliates.ids().join(", ") })
      : target.id === a.conversation.affiliate
        ? nt(lang, "reroute.same", { id: target.id })
        : null;
    if (problem) {
      return {
        ...base,
        outcome: "invalid-command",
        actions: [
          notice(
            a.conversation,
            "invalid",
            nt(lang, "reroute.failed", { ref: a.conversation.ref }),
            [problem, nt(lang, "reroute.nothing")],
            true,
          ),
        ],
      };
    }
  }

  const generation = a.conversation.generation;
  let stale: "revoked" | "closed" | null = null;
  const applied = await deps.store.update(a.conversation.id, (c) => {
    if (hasEntry(c, a.replyId) || c.history.some((e) => e.id.startsWith(`${a.replyId}:`)))
      return false;
    if (c.generation !== generation) {
      stale = "revoked";
      return false;
    }
    if (c.status === "closed") {
      stale = "closed";
      return false;
    }
    if (reply.commands.length === 0) {
      recordAnswer(c, { id: a.replyId, at, affiliate: a.affiliate.id, text: reply.text });
      return true;
    }
    reply.commands.forEach((cmd, i) => {
      if (cmd.kind === "note")
        recordNote(c, {
          id: `${a.replyId}:note:${i}`,
          at,
          affiliate: a.affiliate.id,
          by: a.from,
          text: cmd.text,
        });
      else if (cmd.kind === "reroute")
        reroute(c, { id: `${a.replyId}:reroute`, at, to: cmd.to, by: a.from, reason: cmd.reason });
      else
        close(c, {
          id: `${a.replyId}:close`,
          at,
          by: a.from,
          ...(cmd.remark ? { detail: cmd.remark } : {}),
        });
    });
    return true;
  });
  if (!applied) throw new TokenExpiredError();
  if (stale === "revoked") {
    const now2 = deps.affiliates.get(applied.affiliate);
    throw new TokenRevokedError(
      applied.ref,
      now2 ? `${now2.name} (${now2.id})` : applied.affiliate,
    );
  }
  if (stale === "closed") throw new ConversationClosedError(applied.ref);
  const c = applied;

  if (reply.commands.length === 0) {
    if (c.firstAnswerAt === at) {
      deps.onFirstAnswer?.(a.affiliate.id, (now.getTime() - Date.parse(c.createdAt)) / 1000);
    }
    const actions = toReader(deps, c, a.replyId, reply.text, a.affiliate.name, true);
    if (a.attachments.length > 0) {
      actions.push(
        notice(
          c,
          "attachments",
          nt(lang, "attachments.headline", { ref: c.ref }),
          [
            nt(lang, "attachments.list", { files: a.attachments.join(", ") }),
            nt(lang, "attachments.link"),
          ],
          true,
        ),
      );
    }
    return { ...base, outcome: "answer", actions };
  }

  const actions: RelayAction[] = [];
  const done: string[] = [];
  const notes = reply.commands.filter((x) => x.kind === "note");
  if (notes.length > 0)
    done.push(
      notes.length === 1
        ? nt(lang, "confirm.note")
        : nt(lang, "confirm.notes", { n: String(notes.length) }),
    );
  const rr = reply.commands.find((x) => x.kind === "reroute");
  if (rr && rr.kind === "reroute") {
    const target = deps.affiliates.get(rr.to)!;
    const contact = handoverContact(deps.tokens, c, target, allAffiliates(deps.affiliates), {
      from: { id: a.affiliate.id, name: a.affiliate.name },
      by: a.from,
      reason: rr.reason,
    });
    if (contact) actions.push({ kind: "forward", key: `${a.replyId}:forward`, contact });
    actions.push(
      ...toReader(
        deps,
        c,
        `${a.replyId}:reroute-notice`,
        t(c.reader.language ?? "en", "reroute.notice", { affiliate: target.name }),
        target.name,
        false,
      ),
    );
    done.push(
      nt(lang, rr.reason ? "confirm.rerouteReason" : "confirm.reroute", {
        affiliate: `${target.name} (${target.id})`,
      }),
      c.reader.replyTo
        ? nt(lang, "confirm.readerTold", { channel: CHANNEL_LABEL[c.reader.channel] })
        : nt(lang, "confirm.readerNotTold"),
    );
  }
  if (reply.commands.some((x) => x.kind === "close")) {
    done.push(nt(lang, "confirm.close"));
  }
  done.push(nt(lang, "confirm.nothingElse"));
  actions.push(
    notice(
      rr ? a.conversation : c,
      "confirm",
      nt(lang, "confirm.headline", {
        commands: reply.commands.map((x) => `#${x.kind}`).join(", "),
        ref: c.ref,
      }),
      done,
      !rr,
    ),
  );
  const kinds = new Set(reply.commands.map((x) => x.kind));
  return { ...base, outcome: kinds.size === 1 ? [...kinds][0]! : "commands", actions };
}
