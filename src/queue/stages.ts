import { DelayedError, type Job, type Queue } from "bullmq";
import type { Choice } from "../../adapters/types.js";
import type { Redis } from "ioredis";
import { KeyUnavailableError, RateLimitError, RouterError } from "../errors.js";
import type { Envelope } from "../crypto/envelope.js";
import type { IdentityHasher } from "../crypto/identity-hash.js";
import { forwardAddressing } from "../delivery/addressing.js";
import type { ContactToDeliver, Delivery } from "../delivery/types.js";
import { InboundMessageSchema } from "../message/inbound.js";
import { moduleLogger } from "../logger.js";
import type { Metrics, Step } from "../metrics.js";
import { QUEUE, contactIdFor, pipelineKeys, type QueueName } from "./keys.js";
import {
  jobOptions,
  keyWaitDelayMs,
  openJob,
  safeReason,
  sealJob,
  toBullError,
  type RetryPolicy,
  type SealedJob,
} from "./jobs.js";
import type { KeyWaits } from "./key-waits.js";
import type { QuarantineStore } from "./quarantine.js";
import type { Limit, PipelineScripts } from "./scripts.js";
import type {
  AckJob,
  AckTextFn,
  AffiliateRef,
  AskTimeoutFn,
  CloseJob,
  ConversationStep,
  HeldRelease,
  QuestionClose,
  QuestionSentFn,
  RouteFn,
  Sender,
} from "./types.js";

const log = moduleLogger("pipeline");

/** What every stage processor shares. */
export interface StageContext {
  redis: Redis;
  prefix: string;
  envelope: Envelope;
  hasher: IdentityHasher;
  scripts: PipelineScripts;
  quarantine: QuarantineStore;
  /** Jobs this process could not open for lack of their key (for /readyz). */
  keyWaits: KeyWaits;
  dedupeTtlSeconds: number;
  /** Per-affiliate send limit, shared through Redis; null: none. */
  deliverLimit: Limit | null;
  metrics?: Metrics;
}

/** Return value of a job: ids and codes only (it is stored in Redis and sent on the events stream). */
export type StageResult = Record<string, string | number | boolean>;

/** A stage's BullMQ processor. */
export type Processor = (job: Job<SealedJob>, token?: string) => Promise<StageResult>;

/**
 * Wraps a stage: opens the sealed payload, runs the step, and maps errors. A job sealed with a
 * key this process lacks, or held up by a rate limit, is put back (delayed) untouched, without
 * using up an attempt. Bad input is quarantined with its reason and failed as unrecoverable;
 * other non-retryable errors fail at once and stay as dead letters; the rest are retried.
 * Reasons are scrubbed.
 */
function stage(
  ctx: StageContext,
  queue: QueueName,
  step: (payload: unknown, job: SealedJob, jobId: string) => Promise<StageResult>,
): Processor {
  const stepLabel = STEP_OF[queue];
  return async (job, token) => {
    const ref = `${queue}/${job.id}`;
    let payload: unknown = job.data;
    const started = Date.now();
    ctx.metrics?.stageWaitSeconds.observe(
      { step: stepLabel },
      Math.max(0, (job.processedOn ?? started) - job.timestamp) / 1000,
    );
    try {
      const opened = openJob(ctx.envelope, queue, job.data);
      ctx.keyWaits.opened(ref);
      payload = opened.payload;
      return await step(payload, opened.job, job.id ?? "");
    } catch (err) {
      if (err instanceof KeyUnavailableError) {
        const delay = keyWaitDelayMs(Date.now() - job.timestamp);
        ctx.keyWaits.note(ref, err.kid);
        ctx.metrics?.keyUnavailable.inc({ queue, kid: err.kid ?? "v1" });
        log.error(
          { queue, jobId: job.id, kid: err.kid ?? "v1", retryInMs: delay },
          "job sealed with a data key this process lacks: kept untouched and tried again later; add the key to DATA_KEYS",
        );
        return postpone(job, token, delay, err);
      }
      if (err instanceof RateLimitError) {
        ctx.metrics?.rateLimited.inc({ queue });
        log.debug({ queue, jobId: job.id, retryInMs: err.retryAfterMs }, "rate limited: delayed");
        return postpone(job, token, err.retryAfterMs, err);
      }
      if (isBadInput(err)) {
        await ctx.quarantine.put(ref, safeReason(err), payload, queue);
        ctx.metrics?.quarantined.inc({ stage: queue });
        log.warn({ queue, jobId: job.id, code: err.code }, "job quarantined");
      }
      throw toBullError(err, isBadInput(err));
    } finally {
      ctx.metrics?.stageSeconds.observe({ step: stepLabel }, (Date.now() - started) / 1000);
    }
  };
}

/** The `step` label of each queue's stage. */
const STEP_OF: Record<QueueName, Step> = {
  inbound: "route",
  deliver: "deliver",
  outbound: "ack",
  relay: "relay",
};

/**
 * Puts the active job back as delayed for `ms`, keeping its data and attempt count (BullMQ's
 * `moveToDelayed` + `DelayedError`). Without a lock token (not run by a worker) it fails the
 * attempt instead, with the wait as its backoff.
 */
async function postpone(
  job: Job<SealedJob>,
  token: string | undefined,
  ms: number,
  err: RouterError,
): Promise<never> {
  if (token === undefined) throw toBullError(err, false);
  await job.moveToDelayed(Date.now() + Math.max(0, ms), token);
  throw new DelayedError();
}

/** Input that can never be processed goes to quarantine; other permanent failures are dead letters. */
function isBadInput(err: unknown): err is RouterError {
  return err instanceof RouterError && !err.retryable && BAD_INPUT.has(err.code);
}
const BAD_INPUT = new Set(["INVALID_PAYLOAD", "MESSAGE_TOO_LARGE", "AUTO_REPLY", "DECRYPT_FAILED"]);

export interface RouteStageDeps {
  route: RouteFn;
  affiliate: (id: string) => AffiliateRef | undefined;
  /** Every current affiliate: who can translate, which ids a reroute may name. */
  affiliates?: () => readonly AffiliateRef[];
  /** The route worker's own queue: a held message's timeout is a delayed job on it. */
  inboundQueue: Queue;
  deliverQueue: Queue;
  outboundQueue: Queue;
  ackText?: AckTextFn;
  /** The conversation step (sticky routing, src/conversation); without it each message stands alone. */
  conversation?: ConversationStep;
  /** A held message's time to wait for an answer is up (src/conversation). */
  askTimeout?: AskTimeoutFn;
  retry: { inbound: RetryPolicy; deliver: RetryPolicy; outbound: RetryPolicy };
}

/** Payload of the delayed `inbound` job that routes a held message once its time to answer is up. */
interface AskTimeoutJob {
  askTimeout: string;
}

function isAskTimeout(payload: unknown): payload is AskTimeoutJob {
  return (
    typeof payload === "object" &&
    payload !== null &&
    typeof (payload as Partial<AskTimeoutJob>).askTimeout === "string"
  );
}

/** The job id of a held message's timeout (`ask-<id hash>`). */
export function askTimeoutJobId(h: string): string {
  return `ask-${h}`;
}

/** inbound → deliver (+ outbound ack): decides the affiliate and hands the contact on. */
export function routeProcessor(ctx: StageContext, deps: RouteStageDeps): Processor {
  /** Queues a contact's email and, when wanted, its acknowledgement, under its own job ids. */
  async function handOn(
    h: string,
    t: number,
    contact: ContactToDeliver,
    ack: { language: string } | null,
  ): Promise<boolean> {
    // Same job ids on a retry: BullMQ ignores an add whose id still exists.
    await deps.deliverQueue.add(
      "deliver",
      sealJob(ctx.envelope, QUEUE.deliver, h, t, contact),
      jobOptions(`${QUEUE.deliver}-${h}`, deps.retry.deliver),
    );
    const message = contact.message;
    if (!ack || message.channel === "web" || !deps.ackText) return false;
    await sendToReader(h, t, "ack", {
      channel: message.channel,
      message: {
        to: message.replyTo,
        text: deps.ackText(ack.language, contact.affiliate.name),
        idempotencyKey: `ack-${contact.contactId}`,
        inReplyTo: message.id,
      },
    });
    return true;
  }

  /** A text to the reader: `ack` (job `outbound-<h>`), or the question (`outbound-<h>-ask`). */
  async function sendToReader(
    h: string,
    t: number,
    name: "ack" | "ask",
    job: AckJob,
  ): Promise<void> {
    await deps.outboundQueue.add(
      name,
      sealJob(ctx.envelope, QUEUE.outbound, h, t, job),
      jobOptions(`${QUEUE.outbound}-${h}${name === "ack" ? "" : `-${name}`}`, deps.retry.outbound),
    );
  }

  /** Closes a settled question's buttons (one job per conversation: `outbound-close-<id>`). */
  async function closeQuestion(h: string, t: number, q: QuestionClose): Promise<void> {
    await deps.outboundQueue.add(
      "close",
      sealJob(ctx.envelope, QUEUE.outbound, h, t, {
        channel: q.channel,
        close: q.close,
      } satisfies CloseJob),
      jobOptions(`${QUEUE.outbound}-close-${q.conversationId}`, deps.retry.outbound),
    );
  }

  /** A held message let go: its forward and acknowledgement, as its own route job would have. */
  async function release(r: HeldRelease): Promise<void> {
    const target = deps.affiliate(r.affiliate);
    if (!target) {
      throw new RouterError("RULES_INVALID", `affiliate ${r.affiliate} is not in the rules`, {
        retryable: true,
      });
    }
    await handOn(
      r.h,
      r.t,
      {
        contactId: r.contactId,
        message: r.message,
        evidence: r.evidence,
        decision: r.decision,
        affiliate: { id: target.id, name: target.name, inbox: target.inbox },
        conversation: r.forward,
      },
      { language: r.language ?? "en" },
    );
    ctx.metrics?.routed.inc({ affiliate: target.id });
    if (r.close) await closeQuestion(r.h, r.t, r.close);
    // Its timeout has nothing left to do (it would find the question settled).
    await deps.inboundQueue.remove(askTimeoutJobId(r.h)).catch(() => undefined);
  }

  return stage(ctx, QUEUE.inbound, async (payload, job): Promise<StageResult> => {
    if (isAskTimeout(payload)) {
      const held = deps.askTimeout ? await deps.askTimeout(payload.askTimeout) : null;
      if (held) await release(held);
      return { step: "ask-timeout", released: held !== null };
    }
    const parsed = InboundMessageSchema.safeParse(payload);
    if (!parsed.success)
      throw new RouterError("INVALID_PAYLOAD", "stored message no longer matches the schema");
    const message = parsed.data;
    const { evidence, decision } = deps.route(message);
    const affiliate = deps.affiliate(decision.affiliate);
    if (!affiliate) {
      // The rules changed under us; retrying after a rules fix delivers it.
      throw new RouterError(
        "RULES_INVALID",
        `affiliate ${decision.affiliate} is not in the rules`,
        { retryable: true },
      );
    }
    const contactId = contactIdFor(job.h);
    // The conversation step: a follow-up stays with its conversation's affiliate; a reader
    // nothing places may be asked first.
    const step = deps.conversation
      ? await deps.conversation({
          contactId,
          message,
          evidence,
          decision,
          at: new Date(job.t).toISOString(),
          h: job.h,
          t: job.t,
          route: deps.route,
        })
      : null;
    if (step?.release) await release(step.release);
    // The question, or the prompt after "another country": one send per contact (same key).
    const askReader = (text: string, choices?: Choice[], question?: string) =>
      sendToReader(job.h, job.t, "ask", {
        channel: message.channel,
        message: {
          to: message.replyTo,
          text,
          idempotencyKey: `ask-${contactId}`,
          inReplyTo: message.id,
          ...(choices ? { choices } : {}),
        },
        ...(question ? { question } : {}),
      });
    if (step?.kind === "ask") {
      await askReader(step.text, step.choices, step.conversationId);
      await deps.inboundQueue.add(
        "ask-timeout",
        sealJob(ctx.envelope, QUEUE.inbound, job.h, job.t, {
          askTimeout: step.conversationId,
        } satisfies AskTimeoutJob),
        {
          ...jobOptions(askTimeoutJobId(job.h), deps.retry.inbound),
          delay: Math.max(0, step.timeoutAt - Date.now()),
        },
      );
      return { step: "ask", ack: false };
    }
    if (step?.kind === "answer") {
      if (step.prompt && message.channel !== "web") await askReader(step.prompt);
      if (step.close) await closeQuestion(job.h, job.t, step.close);
      return { step: "answer", released: step.release !== undefined };
    }
    const target = step ? deps.affiliate(step.affiliate) : affiliate;
    if (!target) {
      throw new RouterError(
        "RULES_INVALID",
        `affiliate ${String(step?.affiliate)} is not in the rules`,
        {
          retryable: true,
        },
      );
    }
    const contact: ContactToDeliver = {
      contactId,
      message,
      evidence,
      decision,
      ...forwardAddressing(target, decision, deps.affiliates?.() ?? null),
      ...(step ? { conversation: step.forward } : {}),
    };
    const ack = await handOn(
      job.h,
      job.t,
      contact,
      (step?.ack ?? true) ? { language: decision.language ?? "en" } : null,
    );
    ctx.metrics?.routed.inc({ affiliate: target.id });
    ctx.metrics?.contacts.inc({ channel: message.channel, step: "route", affiliate: target.id });
    return {
      affiliate: target.id,
      step: step?.forward.followUp ? "follow-up" : decision.step,
      ack,
    };
  });
}

/** deliver: one email per contact; a delivered record makes a retried or re-added job a no-op. */
export function deliverProcessor(ctx: StageContext, delivery: Delivery): Processor {
  const keys = pipelineKeys(ctx.prefix);
  return stage(ctx, QUEUE.deliver, async (payload, job, jobId): Promise<StageResult> => {
    const contact = payload as ContactToDeliver;
    if (
      !contact ||
      typeof contact.contactId !== "string" ||
      !contact.affiliate ||
      !contact.message
    ) {
      throw new RouterError("INVALID_PAYLOAD", "deliver job payload is not a contact");
    }
    const doneKey = keys.delivered(job.h);
    const affiliate = contact.affiliate.id;
    // One round trip: the delivered record, and a send slot under the affiliate's limit.
    const check = await ctx.scripts.deliverCheck(
      {
        delivered: doneKey,
        limit: keys.affiliateLimit(affiliate),
        slots: keys.affiliateSlots(affiliate),
      },
      jobId,
      ctx.deliverLimit,
    );
    if (check.deliveredAs !== null) return { duplicate: true, messageId: check.deliveredAs };
    if (check.waitMs > 0) {
      // The job waits for its reserved slot; other affiliates' jobs are not held up.
      throw new RateLimitError(`send rate limit for affiliate ${affiliate}`, check.waitMs);
    }
    const result = await delivery.send(contact);
    // A crash between the send and this line is the one window that can send twice; the resend
    // carries the same Message-ID, so the affiliate's mail client shows it as one email.
    await ctx.redis.set(doneKey, result.messageId, "EX", ctx.dedupeTtlSeconds);
    ctx.metrics?.delivered.inc({ affiliate: contact.affiliate.id, transport: result.transport });
    ctx.metrics?.contacts.inc({ channel: contact.message.channel, step: "deliver", affiliate });
    ctx.metrics?.deliveryLatency.observe(
      { transport: result.transport },
      (Date.now() - job.t) / 1000,
    );
    return {
      affiliate: contact.affiliate.id,
      transport: result.transport,
      messageId: result.messageId,
    };
  });
}

/**
 * outbound: reader acknowledgements through the adapters. Failures here never touch delivery. A
 * platform's 429 holds back every ack on that channel (shared through Redis) until it has passed.
 */
export function ackProcessor(
  ctx: StageContext,
  sender: Sender,
  questionSent?: QuestionSentFn,
): Processor {
  const keys = pipelineKeys(ctx.prefix);
  return stage(ctx, QUEUE.outbound, async (payload): Promise<StageResult> => {
    const close = payload as Partial<CloseJob> | null;
    if (close && typeof close.close === "object" && typeof close.channel === "string") {
      // A settled question's buttons: removed (Telegram) or disabled (Discord).
      await sender.closeChoices?.(close.channel, close.close);
      return { channel: close.channel, closed: true };
    }
    const ack = payload as AckJob;
    if (
      !ack ||
      typeof ack.channel !== "string" ||
      !ack.message ||
      typeof ack.message.to !== "string"
    ) {
      throw new RouterError("INVALID_PAYLOAD", "outbound job payload is not an acknowledgement");
    }
    const blockKey = keys.channelBlock(ack.channel);
    const blocked = await ctx.redis.pttl(blockKey);
    if (blocked > 0) {
      throw new RateLimitError(`${ack.channel} asked us to wait`, spread(blocked));
    }
    try {
      const sent = await sender.send(ack.channel, ack.message);
      if (ack.question && questionSent) {
        // The question's message is kept, so settling it closes its buttons; settled already
        // (the time ran out while this send waited): close them now. A failure here must not
        // fail the job: a retry would send the question again (Telegram and X do not dedupe).
        try {
          const settled = await questionSent(ack.question, sent.platformMessageId);
          if (settled) await sender.closeChoices?.(settled.channel, settled.close);
        } catch (err) {
          log.warn(
            { channel: ack.channel, code: err instanceof RouterError ? err.code : "UNKNOWN" },
            "question sent, but its message id was not kept: its buttons stay after it is settled",
          );
        }
      }
      ctx.metrics?.acks.inc({ channel: ack.channel, outcome: "sent" });
      ctx.metrics?.contacts.inc({ channel: ack.channel, step: "ack", affiliate: "" });
      return { channel: ack.channel, platformMessageId: sent.platformMessageId };
    } catch (err) {
      if (err instanceof RateLimitError) {
        ctx.metrics?.acks.inc({ channel: ack.channel, outcome: "rate_limited" });
        const wait = Math.max(1, Math.ceil(err.retryAfterMs));
        if ((await ctx.redis.pttl(blockKey)) < wait) {
          await ctx.redis.set(blockKey, "1", "PX", wait);
        }
        throw new RateLimitError(err.message, spread(wait));
      }
      ctx.metrics?.acks.inc({ channel: ack.channel, outcome: "failed" });
      throw err;
    }
  });
}

/** A platform's wait plus up to a fifth more (at most 2 s), so held-back acks do not all return at once. */
function spread(ms: number): number {
  return Math.ceil(ms + Math.random() * Math.min(2000, ms / 5));
}
