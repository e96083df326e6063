import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RULES_PATH,
  loadRulesFile,
  parseRules,
  RulesError,
} from "../../src/routing/load.js";

const defaults = readFileSync(DEFAULT_RULES_PATH, "utf8");

/** Parses and returns the problems as `line:column key: message` strings. */
function problems(yaml: string): string[] {
  try {
    parseRules(yaml, "rules.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    return (err as RulesError).problems.map((p) => `${p.line}:${p.column} ${p.key}: ${p.message}`);
  }
  throw new Error("expected the rules to be rejected");
}

const minimal = `version: 1
default_affiliate: a
affiliates:
  - id: a
    name: A
    inbox: a@example.org
    languages: [en]
    base: { lat: 0, lon: 0 }
`;

describe("rules file loading", () => {
  it("loads the shipped defaults with the seven affiliates of seed 000", () => {
    const rules = loadRulesFile();
    expect(rules.affiliates.map((a) => a.id)).toEqual([
      "cwo",
      "pcint",
      "gik",
      "klasbatalo",
      "iwg",
      "bp",
      "ico",
    ]);
    expect(rules.affiliateById.get("ico")?.inbox).toBe("internationalistcommunists@gmail.com");
    expect(rules.default_affiliate).toBe("cwo");
    expect(rules.language_radius_km).toBe(1500);
    expect(rules.primary_affiliate_by_language).toEqual({
      en: "cwo",
      it: "pcint",
      de: "gik",
      fr: "bp",
    });
    expect([...rules.translation_languages].sort()).toEqual([
      "es",
      "fa",
      "nl",
      "pl",
      "pt",
      "ru",
      "sv",
    ]);
    expect(rules.genericTlds.has("io")).toBe(true);
    expect(rules.rules.map((r) => r.id)).toEqual([
      "uk",
      "italy",
      "germany",
      "canada",
      "us",
      "france",
      "oceania",
    ]);
  });

  it("applies defaults for optional sections", () => {
    const rules = parseRules(minimal, "m.yaml");
    expect(rules.language_radius_km).toBe(1500);
    expect(rules.rules).toEqual([]);
    expect(rules.source).toBe("m.yaml");
  });

  it("names file, line, column and key for a bad country code", () => {
    const yaml = `${minimal}rules:\n  - id: r1\n    affiliate: a\n    when: { country: [Germany] }\n`;
    expect(problems(yaml)).toEqual([
      expect.stringMatching(/^12:23 rules\[0\]\.when\.country\[0\]: .*ISO 3166-1/),
    ]);
  });

  it("takes an affiliate's IANA time zone and names a wrong one", () => {
    const ok = parseRules(
      minimal.replace("languages: [en]", "languages: [en]\n    timezone: Europe/Berlin"),
      "r.yaml",
    );
    expect(ok.affiliates[0]?.timezone).toBe("Europe/Berlin");
    const yaml = minimal.replace("languages: [en]", "languages: [en]\n    timezone: Berlin");
    expect(problems(yaml)).toEqual([
      expect.stringMatching(
        /^8:15 affiliates\[0\]\.timezone: an IANA time zone such as Europe\/Berlin/,
      ),
    ]);
  });

  it("reports a dangling affiliate reference at the reference", () => {
    const yaml = `${minimal}rules:\n  - id: r1\n    affiliate: nobody\n    when: { language: [en] }\n`;
    expect(problems(yaml)).toEqual([
      `11:16 rules[0].affiliate: unknown affiliate "nobody" (known: a)`,
    ]);
  });

  it("lists every problem, not only the first", () => {
    const yaml = minimal
      .replace("default_affiliate: a", "default_affiliate: b")
      .replace("inbox: a@example.org", "inbox: nope");
    const found = problems(yaml);
    expect(found).toHaveLength(1); // shape errors come first; the reference is checked once the shape is valid
    expect(found[0]).toMatch(/^6:12 affiliates\[0\]\.inbox: /);
    expect(problems(minimal.replace("default_affiliate: a", "default_affiliate: b"))).toEqual([
      `2:20 default_affiliate: unknown affiliate "b" (known: a)`,
    ]);
  });

  it("rejects unknown keys (typos) instead of ignoring them", () => {
    expect(problems(`${minimal}langauge_radius_km: 10\n`)).toEqual([
      expect.stringMatching(/langauge_radius_km/),
    ]);
  });

  it("rejects a rule with no condition, duplicate ids, unknown regions and bad patterns", () => {
    const yaml = `${minimal}rules:
  - id: r1
    affiliate: a
    when: {}
  - id: r2
    affiliate: a
    when: { region: [Atlantis] }
  - id: r2
    affiliate: a
    when: { text: "(unclosed" }
`;
    const found = problems(yaml);
    expect(found).toEqual([
      expect.stringMatching(/^12:11 rules\[0\]\.when: a rule needs at least one condition/),
    ]);
    const fixed = yaml.replace("when: {}", "when: { channel: [web] }");
    expect(problems(fixed)).toEqual([
      expect.stringMatching(
        /^15:22 rules\[1\]\.when\.region\[0\]: unknown UN M49 region "Atlantis"/,
      ),
      expect.stringMatching(/^16:9 rules\[2\]\.id: duplicate rule id "r2"/),
      expect.stringMatching(/^18:19 rules\[2\]\.when\.text: invalid pattern/),
    ]);
  });

  it("rejects backtracking-only constructs, so every pattern runs in linear time", () => {
    const yaml = `${minimal}rules:\n  - id: r1\n    affiliate: a\n    when: { text: "(a+)\\\\1" }\n`;
    expect(problems(yaml)).toEqual([
      expect.stringMatching(/rules\[0\]\.when\.text: invalid pattern/),
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    expect(problems("version: 1\naffiliates: [\n")).toEqual([expect.stringMatching(/^\d+:\d+ : /)]);
    expect(problems("a: 1\na: 2\n")).toEqual([expect.stringMatching(/^2:1 : .*[Uu]nique/)]);
  });

  it("keeps the shipped file free of problems when re-parsed", () => {
    expect(() => parseRules(defaults, "routing-rules.yaml")).not.toThrow();
  });

  it("explains an unreadable file", () => {
    expect(() => loadRulesFile("/nonexistent/rules.yaml")).toThrow(
      /cannot read rules file \/nonexistent\/rules.yaml/,
    );
  });
});
