import { describe, expect, it } from "vitest";
import { ADAPTER_FACTORIES, createConfiguredAdapters } from "../../adapters/registry.js";

describe("adapter registry", () => {
  it("knows the four network channels", () => {
    expect(Object.keys(ADAPTER_FACTORIES).sort()).toEqual([
      "discord",
      "email",
      "telegram",
      "twitter",
    ]);
  });

  it("keeps every channel off when nothing is configured (npm start with no credentials)", () => {
    const r = createConfiguredAdapters({});
    expect(r.adapters).toEqual([]);
    expect(r.invalid).toEqual([]);
    expect(r.off.sort()).toEqual(["discord", "email", "telegram", "twitter"]);
  });

  it("disables and reports a wrongly configured channel while building the others", () => {
    const r = createConfiguredAdapters({
      TELEGRAM_BOT_TOKEN: "not a token",
      DISCORD_BOT_TOKEN: "x".repeat(70),
    });
    expect(r.invalid.map((i) => i.channel)).toContain("telegram");
    expect(r.invalid.find((i) => i.channel === "telegram")?.message).toMatch(/TELEGRAM_BOT_TOKEN/);
    expect(r.adapters.map((a) => a.channel)).toContain("discord");
  });
});
