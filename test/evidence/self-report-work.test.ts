import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findSelfReport } from "../../src/evidence/self-report.js";

// Hostile repetition must cost linear work in findSelfReport. Work is counted, not timed: every
// call into the gazetteer (the lookups the reading does per word and per candidate) and every
// character handed to a regular expression. Doubling the input must about double the count; a
// quadratic reading would quadruple it.

const gazetteerCalls = { n: 0 };

vi.mock("../../src/evidence/gazetteer.js", async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  return Object.fromEntries(
    Object.entries(real).map(([name, value]) => [
      name,
      typeof value === "function"
        ? (...args: unknown[]) => {
            gazetteerCalls.n++;
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value,
    ]),
  );
});

const regexChars = { n: 0 };
const proto = RegExp.prototype as unknown as Record<PropertyKey, unknown>;
const METHODS: PropertyKey[] = [
  "exec",
  "test",
  Symbol.replace,
  Symbol.split,
  Symbol.match,
  Symbol.matchAll,
  Symbol.search,
];
const originals = new Map(METHODS.map((m) => [m, proto[m]]));

beforeEach(() => {
  let depth = 0;
  for (const m of METHODS) {
    const original = originals.get(m) as (this: RegExp, ...args: unknown[]) => unknown;
    proto[m] = function (this: RegExp, ...args: unknown[]) {
      // Top-level calls only: split and replace call exec themselves. A global or sticky regex
      // stepping through a text (a tokenizer) reads from lastIndex to its next match, not the
      // whole text each time.
      const top = depth === 0;
      const length = String(args[0]).length;
      const from = this.global || this.sticky ? this.lastIndex : 0;
      depth++;
      try {
        return original.apply(this, args);
      } finally {
        depth--;
        if (top) {
          const to = this.global || this.sticky ? this.lastIndex : 0;
          regexChars.n += to > from ? to - from : length - from;
        }
      }
    };
  }
});
afterEach(() => {
  for (const m of METHODS) proto[m] = originals.get(m);
});

/** Work of one reading: gazetteer calls and regex characters. */
function work(text: string): { gazetteer: number; regex: number } {
  gazetteerCalls.n = 0;
  regexChars.n = 0;
  findSelfReport(text);
  return { gazetteer: gazetteerCalls.n, regex: regexChars.n };
}

const HOSTILE: Record<string, (reps: number) => string> = {
  "a cue repeated": (r) => "I live in ".repeat(r),
  "a Cyrillic cue repeated, then a city": (r) => "я живу в ".repeat(r) + "Москве",
  "a Persian preposition repeated": (r) => "در ".repeat(3 * r),
  "a cue and a city repeated": (r) => "mieszkam w Krakowie ".repeat(r / 2),
  "city names repeated": (r) => "Berlin Paris London ".repeat(r / 2),
};

describe("findSelfReport work on hostile repetition", () => {
  for (const [name, make] of Object.entries(HOSTILE)) {
    it(`${name}: doubling the input at most about doubles the work`, () => {
      const small = work(make(2_000));
      const large = work(make(4_000));
      expect(small.gazetteer).toBeGreaterThan(0);
      expect(large.gazetteer).toBeLessThanOrEqual(2.3 * small.gazetteer + 50);
      expect(large.regex).toBeLessThanOrEqual(2.3 * small.regex + 1_000);
    });
  }

  it("at full size the work stays within a fixed amount per character", () => {
    for (const make of Object.values(HOSTILE)) {
      const text = make(10_000);
      const w = work(text);
      expect(w.gazetteer).toBeLessThanOrEqual(20 * text.length);
      expect(w.regex).toBeLessThanOrEqual(20 * text.length + 10_000);
    }
  });

  it("the counters see the work (a reading that found a place made lookups)", () => {
    const w = work("I live in Berlin and read your paper.");
    expect(w.gazetteer).toBeGreaterThan(0);
    expect(findSelfReport("I live in Berlin and read your paper.")?.country).toBe("DE");
  });
});
