import { describe, expect, it } from "vitest";
import { CHOICE_SUPPORT, checkChoices, layoutRows } from "../../adapters/choices.js";
import { DISCORD_ROWS } from "../../adapters/discord/outbound.js";
import { TELEGRAM_ROWS } from "../../adapters/telegram/outbound.js";
import { InvalidPayloadError } from "../../src/errors.js";
import { CHANNELS } from "../../src/message/channel.js";

const c = (label: string, data = label) => ({ data, label });

describe("checkChoices", () => {
  it("accepts up to 25 choices with 1–64 byte unique data and 1–80 character labels", () => {
    const ok = Array.from({ length: 25 }, (_, i) => c(`Land ${i}`, "d".repeat(60) + i));
    expect(checkChoices(ok)).toBe(ok);
    expect(checkChoices([c("🇩🇪 Deutschland", "€".repeat(21))])).toHaveLength(1);
  });

  it("names the problem by position, never by value", () => {
    const bad: [Parameters<typeof checkChoices>[0], RegExp][] = [
      [[], /empty/],
      [Array.from({ length: 26 }, (_, i) => c(`L${i}`)), /26 given, at most 25/],
      [[c("A", "")], /choices\[0\]\.data has 0 bytes/],
      [[c("A", "€".repeat(22))], /choices\[0\]\.data has 66 bytes/],
      [[c("A", "x"), c("B", "x")], /choices\[1\]\.data repeats/],
      [[c("A"), c(" ", "b")], /choices\[1\]\.label/],
      [[c("y".repeat(81), "b")], /choices\[0\]\.label must have 1 to 80/],
    ];
    for (const [choices, reason] of bad) {
      let err: unknown;
      try {
        checkChoices(choices);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidPayloadError);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).not.toMatch(/€|yyy/);
    }
  });
});

describe("layoutRows", () => {
  const labels = (rows: { label: string }[][]) => rows.map((r) => r.map((x) => x.label));

  it("puts short labels side by side and long ones on their own row, in order", () => {
    const choices = [
      "Italia",
      "France",
      "España",
      "Deutschland",
      "Another country",
      "I'd rather not say",
    ].map((l) => c(l));
    expect(labels(layoutRows(choices, TELEGRAM_ROWS))).toEqual([
      ["Italia", "France", "España"],
      ["Deutschland"],
      ["Another country"],
      ["I'd rather not say"],
    ]);
    expect(labels(layoutRows(choices, DISCORD_ROWS))).toEqual([
      ["Italia", "France", "España", "Deutschland"],
      ["Another country", "I'd rather not say"],
    ]);
  });

  it("fills every row when the width-based layout needs more rows than Discord allows", () => {
    const choices = Array.from({ length: 12 }, (_, i) => c(`A rather long country name ${i}`));
    const rows = layoutRows(choices, DISCORD_ROWS);
    expect(rows.map((r) => r.length)).toEqual([5, 5, 2]);
    expect(rows.flat()).toEqual(choices);
  });
});

describe("CHOICE_SUPPORT", () => {
  it("says for every channel how it asks", () => {
    expect(Object.keys(CHOICE_SUPPORT).sort()).toEqual([...CHANNELS].sort());
    expect(CHOICE_SUPPORT).toEqual({
      telegram: "buttons",
      discord: "buttons",
      twitter: "text",
      email: "text",
      web: "none",
    });
  });
});
