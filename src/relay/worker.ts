import { createHash } from "node:crypto";
import type { Job, Queue } from "bullmq";
import type { Envelope } from "../crypto/envelope.js";
import type { Delivery } from "../delivery/types.js";
import { RouterError } from "../errors.js";
import { moduleLogger } from "../logger.js";
import {
  jobOptions,
  relayPartContext,
  safeReason,
  toBullError,
  type RetryPolicy,
} from "../queue/jobs.js";
import { QUEUE } from "../queue/keys.js";
import type { QuarantineStore } from "../queue/quarantine.js";
import { noticeLanguage, nt } from "../i18n/notices.js";
import {
  RelayRefusal,
  SenderNotAllowedError,
  TokenMalformedError,
  UnknownRecipientError,
} from "./errors.js";
import { runPlan, type ExecuteDeps } from "./execute.js";
import { noticeMail, type MailSettings } from "./notices.js";
import { planReply, type PlanDeps, type RelayPlan } from "./plan.js";
import { receiveReply, type AffiliateDirectory, type ReceiverDeps } from "./receiver.js";
import type { SmtpOrigin } from "./sender-auth.js";
import type { RelayMetrics } from "./metrics.js";

const log = moduleLogger("relay");

/** The relay queue's name. */
export const RELAY_QUEUE = QUEUE.relay;

/**
 * A relay job in Redis: the id hash, the time the reply was accepted, and sealed parts: `m` the
 * envelope (token, client), `r` the raw message, `p` the plan once the reply is accepted (so a
 * retry sends what is left instead of deciding again). Nothing in clear is personal data.
 */
export interface RelayJob {
  v: 1;
  h: string;
  t: number;
  m: string;
  r: string;
  p?: string;
}

interface RelayMeta {
  token: string;
  origin: SmtpOrigin;
}

const ctx = relayPartContext;

/** Seals a reply as the SMTP listener hands it over; the job id dedupes a resend of the same bytes. */
export function sealRelayJob(
  envelope: Envelope,
  raw: Buffer,
  token: string,
  origin: SmtpOrigin,
): { id: string; data: RelayJob } {
  const h = createHash("sha256")
    .update(token.toLowerCase())
    .update("\0")
    .update(raw)
    .digest("hex")
    .slice(0, 32);
  const meta: RelayMeta = { token: token.toLowerCase(), origin };
  return {
    id: `${RELAY_QUEUE}-${h}`,
    data: {
      v: 1,
      h,
      t: Date.now(),
      m: envelope.seal(JSON.stringify(meta), ctx(h, "meta")),
      r: envelope.seal(raw, ctx(h, "raw")),
    },
  };
}

/** Adds a reply to the relay queue; resolves once Redis holds it. */
export async function enqueueReply(
  queue: Queue,
  envelope: Envelope,
  retry: RetryPolicy,
  raw: Buffer,
  token: string,
  origin: SmtpOrigin,
): Promise<void> {
  const { id, data } = sealRelayJob(envelope, raw, token, origin);
  await queue.add("reply", data, jobOptions(id, retry));
}

/**
 * Adds an already planned change (the console's reroute) to the relay queue: the worker runs its
 * sends as it does a reply's, each once. `m` and `r` are sealed placeholders; `p` is the plan.
 */
export async function enqueuePlan(
  queue: Queue,
  envelope: Envelope,
  retry: RetryPolicy,
  plan: RelayPlan,
): Promise<string> {
  const h = createHash("sha256").update(plan.replyId).digest("hex").slice(0, 32);
  const id = `${RELAY_QUEUE}-${h}`;
  const data: RelayJob = {
    v: 1,
    h,
    t: Date.now(),
    m: envelope.seal("{}", ctx(h, "meta")),
    r: envelope.seal("", ctx(h, "raw")),
    p: envelope.seal(JSON.stringify(plan), ctx(h, "plan")),
  };
  await queue.add("reply", data, jobOptions(id, retry));
  return id;
}

export interface RelayWorkerDeps extends ReceiverDeps, PlanDeps, ExecuteDeps {
  envelope: Envelope;
  quarantine: QuarantineStore;
  delivery: Delivery;
  mail: MailSettings;
  metrics: RelayMetrics;
  /** Told after a reply handed its conversation to another affiliate (its clock starts). */
  onHandedOver?: (conversationId: string) => Promise<void>;
}

type StageResultLike = Record<string, string | number | boolean>;

/**
 * The language of a bounce to `address`: that of the affiliate the address belongs to (inbox or
 * reply_from), else, for a sender the affiliate did not list, the affiliate's; else English.
 */
export function bounceLanguage(
  affiliates: AffiliateDirectory | undefined,
  address: string,
  err: RelayRefusal,
): string {
  if (!affiliates) return "en";
  const a = address.toLowerCase();
  for (const id of affiliates.ids()) {
    const aff = affiliates.get(id);
    if (aff && [aff.inbox, ...(aff.reply_from ?? [])].some((x) => x.toLowerCase() === a))
      return noticeLanguage(aff.languages);
  }
  if (err instanceof SenderNotAllowedError)
    return noticeLanguage(affiliates.get(err.affiliate)?.languages);
  return "en";
}

/** Keeps a refused reply with its reason, counts it, and explains it to the sender when useful. */
export async function refuse(
  deps: Pick<RelayWorkerDeps, "quarantine" | "metrics" | "store" | "delivery" | "mail"> &
    Partial<Pick<RelayWorkerDeps, "affiliates">>,
  err: RelayRefusal,
  stage: "smtp" | "imap" | "worker",
  ref: string,
  raw: unknown,
  origin: SmtpOrigin,
): Promise<void> {
  deps.metrics.refused.inc({ reason: err.name, stage });
  // Mail sent by SMTP to addresses that were never ours is counted, not kept: an MX on the internet gets
  // dictionary attacks, and the quarantine is for what an admin may need to look at.
  // From a mailbox there was no SMTP dialogue to refuse it in: everything is kept.
  const probe =
    stage === "smtp" &&
    (err instanceof UnknownRecipientError || err instanceof TokenMalformedError);
  log[probe ? "info" : "warn"]({ ref, reason: err.name, stage }, "relay refused a reply");
  if (!probe) {
    const reason = `${err.name}: ${safeReason(err).replace(/^RELAY_REFUSED: /, "")}`;
    await deps.quarantine.put(ref, reason, raw, "relay");
  }
  const to = origin.mailFrom;
  if (stage === "worker" && err.bounce && to && (await deps.store.allowBounce(to))) {
    const lang = bounceLanguage(deps.affiliates, to, err);
    const mail = noticeMail(deps.mail, {
      to,
      conversation: null,
      lang,
      headline: nt(lang, "bounce.headline"),
      paragraphs: [err.explain(lang)],
      key: `bounce:${ref}`,
    });
    await deps.delivery
      .sendMail(mail, `relay:bounce:${ref}`, "relay-notices")
      .catch((e: unknown) => {
        log.warn(
          { ref, code: e instanceof RouterError ? e.code : "UNKNOWN" },
          "relay: bounce not sent",
        );
      });
  }
}

/** The relay worker's processor: check and apply a reply once, then run its sends. */
export function relayProcessor(deps: RelayWorkerDeps) {
  return async (job: Job<RelayJob>): Promise<StageResultLike> => {
    const data = job.data;
    if (
      !data ||
      data.v !== 1 ||
      typeof data.h !== "string" ||
      typeof data.m !== "string" ||
      typeof data.r !== "string"
    ) {
      throw toBullError(
        new RouterError("INVALID_PAYLOAD", "relay job is not a sealed reply"),
        false,
      );
    }
    let plan: RelayPlan;
    try {
      if (data.p) {
        plan = JSON.parse(deps.envelope.openText(data.p, ctx(data.h, "plan"))) as RelayPlan;
      } else {
        const meta = JSON.parse(deps.envelope.openText(data.m, ctx(data.h, "meta"))) as RelayMeta;
        const raw = deps.envelope.open(data.r, ctx(data.h, "raw"));
        try {
          const accepted = await receiveReply(
            deps,
            { raw, token: meta.token, origin: meta.origin },
            job.id ?? data.h,
          );
          plan = await planReply(deps, accepted);
        } catch (err) {
          if (!(err instanceof RelayRefusal)) throw err;
          await refuse(
            deps,
            err,
            "worker",
            `relay/${job.id ?? data.h}`,
            raw.toString("utf8"),
            meta.origin,
          );
          return { refused: err.name };
        }
        await job.updateData({
          ...data,
          p: deps.envelope.seal(JSON.stringify(plan), ctx(data.h, "plan")),
        });
        deps.metrics.replies.inc({ outcome: plan.outcome });
        log.info(
          { jobId: job.id, outcome: plan.outcome, sends: plan.actions.length },
          "relay accepted a reply",
        );
      }
      const result = await runPlan(deps, plan);
      if (plan.actions.some((a) => a.kind === "forward"))
        await deps.onHandedOver?.(plan.conversationId);
      return { outcome: plan.outcome, affiliate: plan.affiliate, ...result };
    } catch (err) {
      throw toBullError(err, false);
    }
  };
}
