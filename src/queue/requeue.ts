import type { Queue } from "bullmq";
import type { Envelope } from "../crypto/envelope.js";
import type { IdentityHasher } from "../crypto/identity-hash.js";
import { RouterError } from "../errors.js";
import { InboundMessageSchema } from "../message/inbound.js";
import { jobOptions, openJob, sealJob, type RetryPolicy, type SealedJob } from "./jobs.js";
import { HASH_PURPOSE, QUEUE, STAGE_QUEUES, jobIdFor, type QueueName } from "./keys.js";
import type { QuarantineStore } from "./quarantine.js";

export interface RequeueDeps {
  quarantine: QuarantineStore;
  queues: Record<QueueName, Queue>;
  envelope: Envelope;
  hasher: IdentityHasher;
  retry: (queue: QueueName) => RetryPolicy;
}

/** Where a requeued entry went. */
export interface Requeued {
  ref: string;
  queue: QueueName;
  jobId: string;
}

const JOB_NAME: Record<QueueName, string> = {
  inbound: "route",
  deliver: "deliver",
  outbound: "ack",
  relay: "reply",
};

/**
 * Puts a quarantined entry back on the queue it can be processed from: a canonical message on
 * `inbound`, a contact on `deliver`, an acknowledgement on `outbound` (the stage it was stopped
 * at), a job that did not open back on its queue as it was. Then removes the entry.
 *
 * Returns null when there is no such entry. Throws RouterError INVALID_PAYLOAD saying why when the
 * entry cannot be requeued (e.g. a platform payload an adapter could not normalise), and
 * KEY_UNAVAILABLE when it is sealed with a key the keyring lacks.
 */
export async function requeueQuarantined(deps: RequeueDeps, ref: string): Promise<Requeued | null> {
  const entry = await deps.quarantine.get(ref);
  if (!entry) return null;
  const raw = await deps.quarantine.raw(ref);
  if (raw === null) return null;
  const refuse = (why: string): never => {
    throw new RouterError("INVALID_PAYLOAD", `quarantine entry ${ref} cannot be requeued: ${why}`);
  };
  if (entry.stage === QUEUE.relay) {
    // The relay refused it for a reason (token, sender, robot, quote only…); sending it through
    // again would only repeat that. The affiliate answers again, from an allowed address.
    refuse(
      "it is an affiliate reply the relay refused (see its reason); ask the affiliate to answer again",
    );
  }
  const queue: QueueName =
    entry.stage === "intake"
      ? QUEUE.inbound
      : STAGE_QUEUES.includes(entry.stage as QueueName)
        ? (entry.stage as QueueName)
        : refuse(`it was stopped at an unknown stage (${entry.stage})`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    refuse("its payload is not JSON (a raw platform payload); inspect it with `quarantine show`");
  }

  let data: SealedJob;
  if (isSealedJob(value) && entry.stage !== "intake") {
    // A job that did not open when it was quarantined: it goes back as it was, if it opens now.
    openJob(deps.envelope, queue, value);
    data = value;
  } else {
    const why = invalid(queue, value);
    if (why) refuse(why);
    const h =
      hashFromRef(ref, queue) ??
      deps.hasher.hash(HASH_PURPOSE.message, (value as { id: string }).id);
    data = sealJob(deps.envelope, queue, h, Date.now(), value);
  }
  const jobId = jobIdFor(queue, data.h);
  const existing = await deps.queues[queue].getJob(jobId);
  if (existing) {
    refuse(`job ${jobId} is already on ${queue} (${await existing.getState()})`);
  }
  await deps.queues[queue].add(JOB_NAME[queue], data, jobOptions(jobId, deps.retry(queue)));
  await deps.quarantine.discard(ref);
  return { ref, queue, jobId };
}

/** Why `value` is not a payload of `queue`, or null when it is. */
function invalid(queue: QueueName, value: unknown): string | null {
  const v = value as Record<string, unknown> | null;
  if (queue === QUEUE.inbound) {
    return InboundMessageSchema.safeParse(value).success
      ? null
      : "its payload is not a canonical message (a platform payload an adapter could not normalise, or a message that fails validation)";
  }
  if (queue === QUEUE.deliver) {
    return v && typeof v.contactId === "string" && v.affiliate && v.message
      ? null
      : "its payload is not a contact to deliver";
  }
  const m = v?.message as Record<string, unknown> | undefined;
  return v && typeof v.channel === "string" && m && typeof m.to === "string"
    ? null
    : "its payload is not an acknowledgement";
}

/** The id hash in a stage ref (`deliver/deliver-<hash>`), or null for other refs. */
function hashFromRef(ref: string, queue: QueueName): string | null {
  const head = `${queue}/${queue}-`;
  return ref.startsWith(head) && ref.length > head.length ? ref.slice(head.length) : null;
}

function isSealedJob(v: unknown): v is SealedJob {
  const d = v as Partial<SealedJob> | null;
  return (
    !!d &&
    d.v === 1 &&
    typeof d.h === "string" &&
    typeof d.s === "string" &&
    typeof d.t === "number"
  );
}
