import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES_PATH, loadRulesFile, parseRules } from "../../src/routing/load.js";
import { escalationOf } from "../../src/routing/rules.js";

const DAY = 86_400_000;
const shipped = readFileSync(DEFAULT_RULES_PATH, "utf8");

describe("escalation settings in routing-rules.yaml", () => {
  it("reads escalate_after per affiliate, the file's default and the escalation affiliate", () => {
    const rules = loadRulesFile();
    expect(escalationOf(rules, "gik")).toEqual({ afterMs: 3 * DAY, to: "cwo" });
    expect(escalationOf(rules, "ico")).toEqual({ afterMs: 5 * DAY, to: "cwo" });
    // Without the keys: 3 days, and the default affiliate takes over.
    const bare = parseRules(
      shipped
        .replace(/^escalate_after: .*$/m, "")
        .replace(/^escalation_affiliate: .*$/m, "")
        .replace(/^ {4}escalate_after: .*$/m, ""),
      "bare.yaml",
    );
    expect(escalationOf(bare, "ico")).toEqual({ afterMs: 3 * DAY, to: "cwo" });
    const off = parseRules(shipped.replace(/^escalate_after: 3d$/m, "escalate_after: off"), "x");
    expect(escalationOf(off, "gik").afterMs).toBeNull();
    expect(escalationOf(off, "ico").afterMs).toBe(5 * DAY);
    const hours = parseRules(shipped.replace(/^escalate_after: 3d$/m, "escalate_after: 36h"), "x");
    expect(escalationOf(hours, "gik").afterMs).toBe(36 * 3600_000);
  });

  it("names a bad duration or an unknown escalation affiliate with its line", () => {
    expect(() =>
      parseRules(shipped.replace(/^escalate_after: 3d$/m, "escalate_after: 3 days"), "r.yaml"),
    ).toThrow(/r\.yaml:\d+:\d+: escalate_after: a duration is a whole number/);
    expect(() =>
      parseRules(
        shipped.replace(/^escalation_affiliate: cwo$/m, "escalation_affiliate: nobody"),
        "r.yaml",
      ),
    ).toThrow(/escalation_affiliate: unknown affiliate "nobody"/);
  });
});
