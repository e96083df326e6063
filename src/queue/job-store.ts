import type { Job, JobType, Queue } from "bullmq";
import type { Envelope } from "../crypto/envelope.js";
import {
  SealedTally,
  resealValue,
  type KeyCensus,
  type ResealReport,
  type SealedStore,
} from "../crypto/sealed-store.js";
import { RouterError } from "../errors.js";
import type { SealedJob } from "./jobs.js";
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

/** The jobs of one stage queue as a sealed store: every job's payload, in every state. */
export class QueueJobStore implements SealedStore {
  readonly name: string;

  constructor(
    private readonly queue: Queue,
    private readonly queueName: QueueName,
  ) {
    this.name = `queue ${queueName}`;
  }

  async census(envelope: Envelope): Promise<KeyCensus> {
    const tally = new SealedTally(this.name);
    await this.walk((job) => {
      const s = (job.data as Partial<SealedJob> | undefined)?.s;
      if (typeof s === "string") tally.count(envelope, s);
      else {
        tally.census.total++;
        tally.census.byKid.unknown = (tally.census.byKid.unknown ?? 0) + 1;
      }
      return Promise.resolve();
    });
    return tally.census;
  }

  /**
   * Re-seals each job's payload under the current key (`Job.updateData`; the job keeps its id,
   * state and attempts). The service never rewrites job data, so this cannot overwrite its work.
   */
  async reseal(envelope: Envelope): Promise<ResealReport> {
    const tally = new SealedTally(this.name);
    const r = tally.report;
    await this.walk(async (job) => {
      r.total++;
      const ref = `${this.queueName}/${job.id}`;
      const data = job.data as Partial<SealedJob> | undefined;
      let s: string | null;
      try {
        if (!data || typeof data.s !== "string" || typeof data.h !== "string") {
          throw new RouterError("INVALID_PAYLOAD", "job data is not a sealed job");
        }
        s = resealValue(envelope, data.s, `${this.queueName}:${data.h}`);
      } catch (err) {
        tally.unreadable(ref, err);
        return;
      }
      if (s === null) {
        r.current++;
        return;
      }
      try {
        await job.updateData({ ...data, s });
        r.resealed++;
      } catch {
        r.changed++; // removed meanwhile (completed and cleaned up, or discarded)
      }
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
