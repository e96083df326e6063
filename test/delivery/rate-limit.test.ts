import { describe, expect, it } from "vitest";
import { TokenBuckets } from "../../src/delivery/rate-limit.js";

describe("TokenBuckets", () => {
  it("allows a burst, then one token per interval, per key", () => {
    let now = 1_000_000;
    const b = new TokenBuckets(60, 3, () => now); // one per second
    expect([b.take("a"), b.take("a"), b.take("a")]).toEqual([0, 0, 0]);
    expect(b.take("a")).toBe(1000);
    expect(b.take("b")).toBe(0);
    now += 500;
    expect(b.take("a")).toBe(500);
    now += 500;
    expect(b.take("a")).toBe(0);
    now += 60_000; // refills up to the burst, not beyond
    expect([b.take("a"), b.take("a"), b.take("a"), b.take("a")]).toEqual([0, 0, 0, 1000]);
  });

  it("refuses nonsense settings", () => {
    expect(() => new TokenBuckets(0, 1)).toThrow(RangeError);
    expect(() => new TokenBuckets(10, 0)).toThrow(RangeError);
  });
});
