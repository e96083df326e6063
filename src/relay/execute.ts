import { markUnreachable } from "../conversation/history.js";
import type { ConversationStore } from "../conversation/store.js";
import type { Delivery } from "../delivery/types.js";
import { RateLimitError, RouterError } from "../errors.js";
import { CHANNEL_LABEL, type Channel } from "../message/channel.js";
import { safeReason } from "../queue/jobs.js";
import type { Sender } from "../queue/types.js";
import { nt } from "../i18n/notices.js";
import { noticeMail, type MailSettings } from "./notices.js";
import type { RelayAction, RelayPlan, StoredMail } from "./plan.js";
import type { RelayTokens } from "./token.js";

/**
 * Runs a reply's planned sends, each exactly once: the conversation's send ledger records a send
 * before it happens and marks it done after, so a job retried after a crash or an ambiguous
 * network error skips what was sent. A send left half-done is repeated only where the platform
 * dedupes it (Discord nonces, the same email Message-ID, the same outbox file); on Telegram and
 * X it is not repeated, and the affiliate is told that delivery could not be confirmed.
 */

export interface ExecuteDeps {
  store: ConversationStore;
  tokens: RelayTokens;
  sender: Sender;
  delivery: Delivery;
  mail: MailSettings;
  /** Counts each send to the reader by channel and outcome. */
  onReaderSend?: (channel: Channel, outcome: "sent" | "unreachable" | "uncertain") => void;
  now?: () => Date;
}

/** What a run did. */
export interface RunResult {
  sent: number;
  skipped: number;
  unreachable: boolean;
  uncertain: number;
}

/** Channels whose sends can be repeated without a second copy reaching the reader. */
const DEDUPING: ReadonlySet<Channel> = new Set<Channel>(["discord", "email", "web"]);

function mailOf(m: StoredMail) {
  return { ...m, date: new Date(m.date) };
}

/** The platform refused this reader for good: blocked bot, closed DMs, unknown chat or address. */
export function isPermanentRefusal(err: unknown): err is RouterError {
  return (
    err instanceof RouterError &&
    !err.retryable &&
    (err.code === "DELIVERY_PERMANENT" ||
      err.code === "INVALID_PAYLOAD" ||
      err.code === "MESSAGE_TOO_LARGE")
  );
}

/**
 * The send certainly did not happen, so a retry may make it: the platform answered with an
 * error status (429, 4xx, 5xx), or nothing was attempted (no adapter in this process). A network
 * failure without an answer is ambiguous.
 */
export function certainlyNotSent(err: unknown): boolean {
  if (err instanceof RateLimitError) return true;
  if (!(err instanceof RouterError)) return false;
  return (
    /\b(?:HTTP |error |\()?[45]\d\d\b/.test(err.message) ||
    /adapters? runs? in this process/.test(err.message)
  );
}

async function perform(deps: ExecuteDeps, action: RelayAction): Promise<void> {
  switch (action.kind) {
    case "reader":
      await deps.sender.send(action.channel, {
        to: action.to,
        text: action.text,
        idempotencyKey: `relay-${action.key}`,
        ...(action.inReplyTo ? { inReplyTo: action.inReplyTo } : {}),
      });
      return;
    case "reader-mail":
      await deps.delivery.sendMail(mailOf(action.mail), `relay:${action.key}`, "readers");
      return;
    case "affiliate-mail":
      await deps.delivery.sendMail(mailOf(action.mail), `relay:${action.key}`, "relay-notices");
      return;
    case "forward":
      await deps.delivery.send(action.contact);
      return;
  }
}

function readerChannel(action: RelayAction): Channel | null {
  if (action.kind === "reader") return action.channel;
  if (action.kind === "reader-mail") return "web";
  return null;
}

/** Runs the plan's sends in order; throws (for a retry) on a transient failure. */
export async function runPlan(deps: ExecuteDeps, plan: RelayPlan): Promise<RunResult> {
  const result: RunResult = { sent: 0, skipped: 0, unreachable: false, uncertain: 0 };
  const ledger = (key: string) => `${plan.replyId}|${key}`;
  const lang = plan.lang ?? "en";
  const notify = async (key: string, headline: string, paragraphs: string[]) => {
    const conversation = await deps.store.get(plan.conversationId);
    const lk = ledger(key);
    if ((await deps.store.sends.begin(plan.conversationId, lk)) === "done") return;
    const mail = noticeMail(deps.mail, {
      to: plan.notify,
      conversation,
      lang,
      headline,
      paragraphs,
      key: `notice:${plan.replyId}:${key}`,
      inReplyTo: plan.inReplyTo,
      ...(conversation && conversation.status !== "closed"
        ? { replyToken: deps.tokens.mint(conversation.id, conversation.generation) }
        : {}),
      date: (deps.now ?? (() => new Date()))(),
    });
    await deps.delivery.sendMail(mail, `relay:${plan.replyId}:${key}`, "relay-notices");
    await deps.store.sends.done(plan.conversationId, lk);
  };

  for (const [index, action] of plan.actions.entries()) {
    const channel = readerChannel(action);
    if (channel && result.unreachable) {
      result.skipped++;
      continue;
    }
    const key = ledger(action.key);
    const before = await deps.store.sends.begin(plan.conversationId, key);
    if (before === "done") {
      result.skipped++;
      continue;
    }
    if (before === "pending" && channel && !DEDUPING.has(channel)) {
      // An earlier attempt may have sent it: never twice. Say so to the affiliate instead.
      result.uncertain++;
      deps.onReaderSend?.(channel, "uncertain");
      await notify(`uncertain-${index}`, nt(lang, "uncertain.headline"), [
        nt(lang, "uncertain.what", {
          part: String(index + 1),
          channel: CHANNEL_LABEL[channel],
        }),
        nt(lang, "uncertain.again"),
      ]);
      await deps.store.sends.done(plan.conversationId, key);
      continue;
    }
    try {
      await perform(deps, action);
    } catch (err) {
      if (channel && isPermanentRefusal(err)) {
        const at = (deps.now ?? (() => new Date()))().toISOString();
        await deps.store.update(plan.conversationId, (c) =>
          markUnreachable(c, { id: `${plan.replyId}:unreachable`, at, code: safeReason(err) }),
        );
        result.unreachable = true;
        deps.onReaderSend?.(channel, "unreachable");
        await notify("unreachable", nt(lang, "unreachable.headline"), [
          nt(lang, "unreachable.why", { channel: CHANNEL_LABEL[channel], code: safeReason(err) }),
          nt(lang, "unreachable.marked"),
        ]);
        await deps.store.sends.done(plan.conversationId, key);
        continue;
      }
      if (certainlyNotSent(err)) await deps.store.sends.clear(plan.conversationId, key);
      throw err;
    }
    await deps.store.sends.done(plan.conversationId, key);
    result.sent++;
    if (channel) deps.onReaderSend?.(channel, "sent");
  }
  return result;
}
