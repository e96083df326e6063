import { DelayedError, type Job, type Queue } from "bullmq";
import { describeWait } from "../conversation/ask.js";
import {
  escalate,
  hasEntry,
  push,
  turnStart,
  waitingSince,
  waitKey,
} from "../conversation/history.js";
import { forwardLocale } from "../delivery/receipt.js";
import { noticeLanguage, nt, waitIn } from "../i18n/notices.js";
import type { Conversation } from "../conversation/types.js";
import { moduleLogger } from "../logger.js";
import { CHANNEL_LABEL } from "../message/channel.js";
import { jobOptions, type RetryPolicy } from "../queue/jobs.js";
import { escalationOf, type RoutingRules } from "../routing/rules.js";
import { runPlan, type ExecuteDeps } from "./execute.js";
import { noticeMail } from "./notices.js";
import {
  handoverContact,
  allAffiliates,
  storeMail,
  type RelayAction,
  type RelayPlan,
} from "./plan.js";
import type { AffiliateDirectory } from "./receiver.js";

/**
 * Escalation (CONVERSATIONS.md): a conversation its affiliate has not answered within
 * `escalate_after` gets one reminder to the affiliate; still unanswered after as long again, it
 * is handed, with its history, to the escalation affiliate. The timers are delayed jobs on the
 * `escalation` queue (durable in Redis; a test promotes them), run by the ingest role next to the
 * relay; each checks the conversation when it runs, against the rules of that moment and the
 * injected clock, and sends through the relay's exactly-once send ledger.
 */

const log = moduleLogger("escalation");

/** The timers' queue, and its jobs' name. */
export const ESCALATION_QUEUE = "escalation";
export const ESCALATION_JOB = "escalate";

/** An escalation timer: no personal data, only the conversation's id and the step. */
export interface EscalationJob {
  v: 1;
  conversationId: string;
  /** The token generation (the affiliate's turn) the timer belongs to. */
  generation: number;
  /**
   * When the wait it measures began (ms): a follow-up after an answer starts a new one. Absent
   * (timers set before follow-ups were escalated): when the turn began.
   */
  since?: number;
  step: "remind" | "handover";
}

/** The timer's job id: one per conversation, waiting period (`waitKey`) and step. */
export function escalationJobId(
  conversationId: string,
  wait: number | string,
  step: string,
): string {
  return `escalate-${conversationId}-${wait}-${step}`;
}

const RETRY: RetryPolicy = { attempts: 25, baseDelayMs: 5_000, maxDelayMs: 3600_000 };

export interface EscalationDeps extends ExecuteDeps {
  rules: () => RoutingRules;
  affiliates: AffiliateDirectory;
  queue: Queue;
  now: () => Date;
}

/** When the step is due: the wait's start plus one period (reminder) or two (hand-over). */
function dueAt(since: string, afterMs: number, step: EscalationJob["step"]): number {
  return Date.parse(since) + afterMs * (step === "remind" ? 1 : 2);
}

/**
 * Starts the clock for the conversation's current affiliate: its reminder timer, for the wait
 * the conversation is in (from the turn's start, or from a follow-up after an answer). The
 * escalation affiliate gets the reminder only (there is no one further). Nothing when nothing
 * waits, while the reader is being asked, for a reader who cannot be answered (web form without
 * an address), nor when `escalate_after` is off. Idempotent: one job id per wait and step.
 */
export async function scheduleEscalation(
  deps: Pick<EscalationDeps, "rules" | "queue" | "now">,
  c: Conversation,
  step: EscalationJob["step"] = "remind",
): Promise<void> {
  // An escalated conversation is timed too: its escalation affiliate gets the reminder (there
  // is no one further to hand it to: `to` is itself).
  if (c.status === "closed" || c.status === "asking") return;
  if (c.reader.replyTo === null) return;
  const { afterMs } = escalationOf(deps.rules(), c.affiliate);
  if (afterMs === null) return;
  const since = waitingSince(c);
  if (since === null) return;
  const delay = Math.max(0, dueAt(since, afterMs, step) - deps.now().getTime());
  const data: EscalationJob = {
    v: 1,
    conversationId: c.id,
    generation: c.generation,
    since: Date.parse(since),
    step,
  };
  await deps.queue.add(ESCALATION_JOB, data, {
    ...jobOptions(escalationJobId(c.id, waitKey(c, c.generation, since), step), RETRY),
    delay,
  });
}

function isEscalationJob(d: unknown): d is EscalationJob {
  const j = d as Partial<EscalationJob> | null;
  return (
    !!j &&
    j.v === 1 &&
    typeof j.conversationId === "string" &&
    typeof j.generation === "number" &&
    (j.since === undefined || typeof j.since === "number") &&
    (j.step === "remind" || j.step === "handover")
  );
}

/** Runs one escalation timer; returns what it did (codes only). */
export async function runEscalation(
  deps: EscalationDeps,
  job: Job,
  token: string | undefined,
): Promise<Record<string, string | number | boolean>> {
  if (!isEscalationJob(job.data)) return { escalation: "invalid" };
  const { conversationId: id, generation, step } = job.data;
  const c = await deps.store.get(id);
  if (!c) return { escalation: "gone" };
  const since =
    job.data.since !== undefined
      ? new Date(job.data.since).toISOString()
      : (c.tokens.find((t) => t.generation === generation)?.issuedAt ?? c.createdAt);
  const key = waitKey(c, generation, since);
  const mine = hasEntry(c, `escalate:${key}`);
  if (!mine) {
    if (c.generation !== generation || c.status === "closed") return { escalation: "stale" };
    // Answered since (a later follow-up has a timer of its own).
    if (waitingSince(c) !== since) return { escalation: "answered" };
  }
  const { afterMs, to } = escalationOf(
    deps.rules(),
    mine ? (c.tokens[generation]?.affiliate ?? c.affiliate) : c.affiliate,
  );
  if (afterMs === null) return { escalation: "off" };
  const now = deps.now();
  const due = dueAt(since, afterMs, step);
  if (!mine && now.getTime() < due) {
    // Not yet (the rules lengthened the wait since the timer was set): wait until it is due.
    if (token === undefined) return { escalation: "early" };
    await job.moveToDelayed(Date.now() + (due - now.getTime()), token);
    throw new DelayedError();
  }
  const at = now.toISOString();
  const affiliate = deps.affiliates.get(c.affiliate);
  if (step === "remind") {
    if (!affiliate) return { escalation: "no-affiliate" };
    const updated = await deps.store.update(id, (conv) => {
      if (hasEntry(conv, `remind:${key}`)) return false;
      push(conv, {
        kind: "event",
        id: `remind:${key}`,
        at,
        event: "remind",
        affiliate: conv.affiliate,
        detail: `no answer within ${describeWait(afterMs)}: reminded ${conv.affiliate}`,
      });
      return true;
    });
    if (!updated) return { escalation: "gone" };
    const target = deps.affiliates.get(to);
    const l = forwardLocale(affiliate.languages, affiliate.timezone);
    const lang = l.lang;
    const last = updated.history.findLast((e) => e.kind === "reader");
    const followUp = since !== turnStart(updated);
    const channel = CHANNEL_LABEL[updated.reader.channel];
    const noted = updated.history.some((e) => e.kind === "note" && e.at >= since);
    const paragraphs = [
      nt(lang, followUp ? "remind.followUp" : "remind.waited", {
        channel,
        date: l.date(followUp ? since : (last?.at ?? since)),
        wait: waitIn(lang, afterMs),
      }),
      ...(last && "text" in last ? [nt(lang, "remind.newest"), quote(last.text)] : []),
      ...(noted ? [nt(lang, "remind.notes")] : []),
      nt(lang, "remind.howTo"),
      to === updated.affiliate || !target
        ? nt(lang, "remind.only")
        : nt(lang, "remind.next", {
            wait: waitIn(lang, afterMs),
            affiliate: `${target.name} (${target.id})`,
          }),
    ];
    const plan = escalationPlan(
      updated,
      "remind",
      affiliate.inbox,
      [
        {
          kind: "affiliate-mail",
          key: "remind",
          mail: storeMail(
            noticeMail(deps.mail, {
              to: affiliate.inbox,
              conversation: updated,
              lang,
              headline: nt(lang, "remind.headline", { ref: updated.ref }),
              paragraphs,
              key: `notice:escalation:${id}:${key}:remind`,
              replyToken: deps.tokens.mint(updated.id, updated.generation),
              date: now,
            }),
          ),
        },
      ],
      key,
      lang,
    );
    await runPlan(deps, plan);
    if (to !== updated.affiliate && target) await scheduleEscalation(deps, updated, "handover");
    log.info({ conversation: id, affiliate: updated.affiliate }, "escalation: reminder sent");
    return { escalation: "reminded" };
  }

  // Hand-over.
  const from = mine ? deps.affiliates.get(c.tokens[generation]?.affiliate ?? "") : affiliate;
  const target = deps.affiliates.get(to);
  if (!from || !target || to === from.id) return { escalation: "no-one-else" };
  const reason = `no answer from ${from.name} (${from.id}) within ${describeWait(2 * afterMs)}, nor after a reminder`;
  const updated = await deps.store.update(id, (conv) => {
    if (hasEntry(conv, `escalate:${key}`)) return false;
    if (conv.generation !== generation || conv.status === "closed" || waitingSince(conv) !== since)
      return false;
    escalate(conv, { id: `escalate:${key}`, at, to, reason });
    return true;
  });
  if (!updated || !hasEntry(updated, `escalate:${key}`)) return { escalation: "stale" };
  const fromLang = noticeLanguage(from.languages);
  // The forward's reason is in the escalation affiliate's language.
  const targetLang = noticeLanguage(target.languages);
  const actions: RelayAction[] = [];
  const contact = handoverContact(deps.tokens, updated, target, allAffiliates(deps.affiliates), {
    from: { id: from.id, name: from.name },
    by: "contact-router (escalation)",
    reason: nt(targetLang, "handedOver.reason", {
      affiliate: `${from.name} (${from.id})`,
      wait: waitIn(targetLang, 2 * afterMs),
    }),
  });
  if (contact) actions.push({ kind: "forward", key: "handover", contact });
  actions.push({
    kind: "affiliate-mail",
    key: "handed-over",
    mail: storeMail(
      noticeMail(deps.mail, {
        to: from.inbox,
        conversation: updated,
        lang: fromLang,
        headline: nt(fromLang, "handedOver.headline", {
          ref: updated.ref,
          affiliate: `${target.name} (${target.id})`,
        }),
        paragraphs: [
          nt(fromLang, "handedOver.why", {
            wait: waitIn(fromLang, 2 * afterMs),
            affiliate: target.name,
          }),
        ],
        key: `notice:escalation:${id}:${key}:handover`,
        date: now,
      }),
    ),
  });
  await runPlan(deps, escalationPlan(updated, "handover", from.inbox, actions, key, fromLang));
  // The escalation affiliate's own clock: a reminder if it does not answer either.
  await scheduleEscalation(deps, updated);
  log.info({ conversation: id, from: from.id, to: target.id }, "escalation: handed over");
  return { escalation: "handed-over", to: target.id };
}

function escalationPlan(
  c: Conversation,
  step: string,
  notify: string,
  actions: RelayAction[],
  wait: number | string,
  lang: string,
): RelayPlan {
  return {
    conversationId: c.id,
    replyId: `escalation:${wait}:${step}`,
    outcome: step,
    affiliate: c.affiliate,
    notify,
    lang,
    inReplyTo: null,
    actions,
  };
}

/** The reader's words, quoted, at most 1,000 characters. */
function quote(text: string): string {
  const cut = text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
  return cut
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n");
}
