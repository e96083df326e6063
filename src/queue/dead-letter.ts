import type { Job, Queue } from "bullmq";
import { QUARANTINED } from "./jobs.js";
import { STAGE_QUEUES, type QueueName } from "./keys.js";

/** A job that exhausted its retries. Its failure reason is scrubbed; its payload stays sealed. */
export interface DeadLetter {
  /** `<queue>/<jobId>`, what the CLI takes. */
  id: string;
  queue: QueueName;
  jobId: string;
  reason: string;
  attempts: number;
  failedAt: string | null;
}

/**
 * The dead-letter set: the failed sets of the stage queues, minus jobs that went to quarantine.
 * Retrying moves a job back to its queue with a fresh attempt count.
 */
export class DeadLetterStore {
  constructor(private readonly queues: Record<QueueName, Queue>) {}

  /** Oldest failures last; at most `limit` per queue. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const name of STAGE_QUEUES) {
      const jobs = await this.queues[name].getFailed(0, Math.max(0, limit - 1));
      for (const job of jobs) {
        if (!job?.id || job.failedReason?.startsWith(QUARANTINED)) continue;
        out.push({
          id: `${name}/${job.id}`,
          queue: name,
          jobId: job.id,
          reason: job.failedReason ?? "",
          attempts: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        });
      }
    }
    return out;
  }

  async count(): Promise<number> {
    return (await this.list(10_000)).length;
  }

  /** Puts a dead letter back on its queue. False when there is no such failed job. */
  async retry(id: string): Promise<boolean> {
    const job = await this.find(id);
    if (!job) return false;
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /** Deletes a dead letter for good. False when there is no such failed job. */
  async discard(id: string): Promise<boolean> {
    const job = await this.find(id);
    if (!job) return false;
    await job.remove();
    return true;
  }

  private async find(id: string): Promise<Job | undefined> {
    const slash = id.indexOf("/");
    const name = id.slice(0, slash) as QueueName;
    if (slash <= 0 || !STAGE_QUEUES.includes(name)) return undefined;
    const queue = this.queues[name];
    const job = (await queue.getJob(id.slice(slash + 1))) as Job | undefined;
    if (!job || !(await job.isFailed())) return undefined;
    return job;
  }
}
