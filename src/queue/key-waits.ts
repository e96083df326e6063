import { KEY_WAIT_MAX_MS } from "./jobs.js";

/** What `/readyz` shows for the data keys. */
export interface KeyHealth {
  ok: boolean;
  detail: string;
}

/** Whether a job still waits to be processed (not completed, not removed). */
export type StillQueued = (ref: string) => Promise<boolean>;

/** At most this many noted jobs are looked up in Redis per health check. */
const CHECKS_PER_CALL = 20;

/**
 * The jobs this process could not open because their data key is missing. While any of them is
 * still queued, the process is not ready (`/readyz`): it lacks a key it needs. A job is forgotten
 * once it is processed (here or by a process that has the key) or removed, and after two of its
 * longest waits in any case.
 */
export class KeyWaits {
  private readonly waiting = new Map<string, { kid: string; at: number }>();

  constructor(
    private readonly stillQueued: StillQueued,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that job `ref` (`<queue>/<jobId>`) waits for key `kid` (`v1`: an unnamed old key). */
  note(ref: string, kid: string | undefined): void {
    this.waiting.set(ref, { kid: kid ?? "v1", at: this.now() });
  }

  /** Job `ref` opened: it no longer waits. Cheap when nothing waits (the common case). */
  opened(ref: string): void {
    if (this.waiting.size > 0) this.waiting.delete(ref);
  }

  /** The readiness check: red while jobs wait for a key, naming the key ids (never keys). */
  async health(): Promise<KeyHealth> {
    const cutoff = this.now() - 2 * KEY_WAIT_MAX_MS;
    let checked = 0;
    for (const [ref, w] of [...this.waiting]) {
      // A lookup that fails (Redis unreachable) keeps the entry; the redis check reports that.
      if (w.at < cutoff) this.waiting.delete(ref);
      else if (checked++ < CHECKS_PER_CALL && !(await this.stillQueued(ref).catch(() => true))) {
        this.waiting.delete(ref);
      }
    }
    const kids = new Map<string, number>();
    for (const w of this.waiting.values()) kids.set(w.kid, (kids.get(w.kid) ?? 0) + 1);
    if (kids.size === 0) return { ok: true, detail: "every job opened with the keyring" };
    const list = [...kids].map(([kid, n]) => `${n} sealed with ${kid}`).join(", ");
    return {
      ok: false,
      detail: `jobs wait for a data key this process lacks (${list}); add it to DATA_KEYS and restart`,
    };
  }
}
