/**
 * Per-key token buckets: `burst` sends at once, then `perMinute` sustained. In-process on purpose:
 * it protects one affiliate's mailbox from a backlog flush by this worker; a queue retry honours
 * the wait it returns, so nothing is dropped.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perMinute > 0) || !(burst >= 1)) throw new RangeError("rate must be > 0 and burst ≥ 1");
    this.ratePerMs = perMinute / 60_000;
  }

  /** Takes one token for `key`: returns 0 when granted, else the milliseconds until one is free. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.ratePerMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.ratePerMs);
  }
}
