import type { CursorStore } from "../../adapters/types.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import type { Intake, IntakeResult } from "../../src/queue/intake.js";

/** One call the intake saw, in the order it saw them (shared with other recorders via `events`). */
export type IntakeEvent =
  | { kind: "submit"; id: string; outcome: "accepted" | "duplicate" | "failed" }
  | { kind: "quarantine"; ref: string; outcome: "recorded" | "failed" }
  | { kind: "cursor"; key: string; value: string };

/** A quarantined payload, as the real intake would keep it. */
export interface QuarantineRecord {
  ref: string;
  reason: string;
  raw: unknown;
}

/**
 * In-memory `Intake` for adapter tests. Records every submit call in order, dedupes by message id
 * like the real intake (a replay resolves with `duplicate: true`), records quarantines, and can be
 * told to fail the next N submits to simulate Redis being down.
 */
export class RecordingIntake implements Intake {
  /** Every submit call, including failed and duplicate ones. */
  readonly calls: InboundMessage[] = [];
  /** Messages taken in (first submit of each id), in order. */
  readonly accepted: InboundMessage[] = [];
  readonly quarantined: QuarantineRecord[] = [];
  /** Ordered log of what happened; a `RecordingCursorStore` may append to the same array. */
  readonly events: IntakeEvent[] = [];
  private readonly seen = new Set<string>();
  private failSubmits = 0;
  private failQuarantines = 0;
  private readonly waiters = new Set<() => void>();

  /** Makes the next `n` submit calls reject, as when Redis is unreachable. */
  failNextSubmits(n: number): void {
    this.failSubmits += n;
  }

  /** Makes the next `n` quarantine calls reject. */
  failNextQuarantines(n: number): void {
    this.failQuarantines += n;
  }

  /** Number of raw submit calls, including failed and duplicate ones. */
  get submitCalls(): number {
    return this.calls.length;
  }

  /** Ids taken in, in order, each once. */
  acceptedIds(): string[] {
    return this.accepted.map((m) => m.id);
  }

  submit(message: InboundMessage): Promise<IntakeResult> {
    this.calls.push(message);
    const jobId = `job:${message.id}`;
    if (this.failSubmits > 0) {
      this.failSubmits -= 1;
      this.events.push({ kind: "submit", id: message.id, outcome: "failed" });
      this.notify();
      return Promise.reject(
        new Error("RecordingIntake: simulated Redis outage (connect ECONNREFUSED)"),
      );
    }
    const duplicate = this.seen.has(message.id);
    if (!duplicate) {
      this.seen.add(message.id);
      this.accepted.push(message);
    }
    this.events.push({
      kind: "submit",
      id: message.id,
      outcome: duplicate ? "duplicate" : "accepted",
    });
    this.notify();
    return Promise.resolve({ jobId, duplicate });
  }

  quarantine(ref: string, reason: string, raw: unknown): Promise<void> {
    if (this.failQuarantines > 0) {
      this.failQuarantines -= 1;
      this.events.push({ kind: "quarantine", ref, outcome: "failed" });
      this.notify();
      return Promise.reject(
        new Error("RecordingIntake: simulated Redis outage (connect ECONNREFUSED)"),
      );
    }
    this.quarantined.push({ ref, reason, raw });
    this.events.push({ kind: "quarantine", ref, outcome: "recorded" });
    this.notify();
    return Promise.resolve();
  }

  /**
   * Resolves once `predicate` holds (checked after every call), rejects after `timeoutMs`
   * with `what` in the message so a failing test says what it was waiting for.
   */
  waitUntil(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `RecordingIntake: timed out after ${timeoutMs} ms waiting for ${what} ` +
              `(accepted ${this.accepted.length}, submit calls ${this.calls.length}, quarantined ${this.quarantined.length})`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Waits until every id in `ids` has been accepted. */
  waitForIds(ids: readonly string[], timeoutMs?: number): Promise<void> {
    return this.waitUntil(
      () => ids.every((id) => this.seen.has(id)),
      `ids ${ids.join(", ")}`,
      timeoutMs,
    );
  }

  /** Pokes pending waiters, for conditions that depend on state outside the intake (e.g. cursor writes). */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/**
 * Wraps a cursor store and logs every `set` into an intake's event log, so a test can check that
 * a cursor never moved between a failed submit and the successful retry.
 */
export class RecordingCursorStore implements CursorStore {
  constructor(
    private readonly inner: CursorStore,
    private readonly intake: RecordingIntake,
  ) {}
  get(key: string): Promise<string | null> {
    return this.inner.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    await this.inner.set(key, value);
    this.intake.events.push({ kind: "cursor", key, value });
    this.intake.notify();
  }
}
