import type { Job, JobType, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import {
  SealedTally,
  resealValue,
  type KeyCensus,
  type ResealReport,
  type SealedStore,
} from "../crypto/sealed-store.js";
import { RouterError } from "../errors.js";
import { relayPartContext } from "./jobs.js";
import type { QueueName } from "./keys.js";

/** Every state a job can be in: queued, delayed, active, dead letters, and completed (kept an hour). */
const STATES: JobType[] = [
  "wait",
  "prioritized",
  "delayed",
  "waiting-children",
  "active",
  "failed",
  "completed",
];
const PAGE = 500;

/** KEYS: job hash; ARGV: data read, new data. Replaces the job's data only if unchanged. */
const SWAP_DATA = `
if redis.call('HGET', KEYS[1], 'data') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1
`;

/** One sealed field of a job and the context it was sealed with. */
interface SealedPart {
  field: string;
  context: string;
}

/**
 * Where a job's sealed values are: a stage job has one (`s`), a relay job up to three (`m` the
 * envelope, `r` the raw reply, `p` the plan). Throws INVALID_PAYLOAD for data of neither shape.
 */
function sealedParts(queue: QueueName, data: unknown): SealedPart[] {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d.h !== "string") throw new RouterError("INVALID_PAYLOAD", "job data is not sealed");
  const h = d.h;
  if (queue === "relay") {
    if (typeof d.m !== "string" || typeof d.r !== "string")
      throw new RouterError("INVALID_PAYLOAD", "job data is not a sealed reply");
    return [
      { field: "m", context: relayPartContext(h, "meta") },
      { field: "r", context: relayPartContext(h, "raw") },
      ...(typeof d.p === "string" ? [{ field: "p", context: relayPartContext(h, "plan") }] : []),
    ];
  }
  if (typeof d.s !== "string")
    throw new RouterError("INVALID_PAYLOAD", "job data is not a sealed job");
  return [{ field: "s", context: `${queue}:${h}` }];
}

/** The jobs of one stage queue as a sealed store: every job's payload, in every state. */
export class QueueJobStore implements SealedStore {
  readonly name: string;

  constructor(
    private readonly queue: Queue,
    private readonly queueName: QueueName,
    private readonly redis: Redis,
  ) {
    this.name = `queue ${queueName}`;
  }

  async census(envelope: Envelope): Promise<KeyCensus> {
    const tally = new SealedTally(this.name);
    await this.walk((job) => {
      let parts: SealedPart[];
      try {
        parts = sealedParts(this.queueName, job.data);
      } catch {
        tally.census.total++;
        tally.census.byKid.unknown = (tally.census.byKid.unknown ?? 0) + 1;
        return Promise.resolve();
      }
      // A job counts once, under the key of its first part (all are sealed together).
      const data = job.data as Record<string, string>;
      tally.count(envelope, data[parts[0]!.field]!);
      return Promise.resolve();
    });
    return tally.census;
  }

  /**
   * Re-seals each job's sealed parts under the current key (`Job.updateData`; the job keeps its
   * id, state and attempts). The service rewrites job data only to add a relay job's plan, which
   * it seals with the current key; a job changed meanwhile is counted as `changed`.
   */
  async reseal(envelope: Envelope): Promise<ResealReport> {
    const tally = new SealedTally(this.name);
    const r = tally.report;
    await this.walk(async (job) => {
      r.total++;
      const ref = `${this.queueName}/${job.id}`;
      const key = this.queue.toKey(job.id ?? "");
      // The stored JSON itself: the swap below happens only if it is still exactly this.
      const raw = await this.redis.hget(key, "data");
      if (raw === null) {
        r.changed++; // removed meanwhile
        return;
      }
      let data: Record<string, unknown>;
      let changedParts = 0;
      try {
        data = JSON.parse(raw) as Record<string, unknown>;
        for (const part of sealedParts(this.queueName, data)) {
          const next = resealValue(envelope, data[part.field] as string, part.context);
          if (next !== null) {
            data[part.field] = next;
            changedParts++;
          }
        }
      } catch (err) {
        tally.unreadable(ref, err);
        return;
      }
      if (changedParts === 0) {
        r.current++;
        return;
      }
      const swapped = (await this.redis.eval(
        SWAP_DATA,
        1,
        key,
        raw,
        JSON.stringify(data),
      )) as number;
      if (swapped === 1) r.resealed++;
      else r.changed++; // rewritten meanwhile (a relay job's plan) or removed
    });
    return r;
  }

  /** Jobs state by state, a page at a time. A job moving state meanwhile may be seen twice or not at all. */
  private async walk(visit: (job: Job) => Promise<void>): Promise<void> {
    for (const state of STATES) {
      for (let start = 0; ; start += PAGE) {
        const jobs = (await this.queue.getJobs([state], start, start + PAGE - 1, true)) as (
          Job | undefined
        )[];
        for (const job of jobs) if (job) await visit(job);
        if (jobs.length < PAGE) break;
      }
    }
  }
}
