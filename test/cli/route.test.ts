import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testDir } from "../support/temp-dir.js";

const BIN = join(import.meta.dirname, "../../bin/contact-router.js");

function run(args: string[], input = "") {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const telegram = (text: string, lang = "de", id = 1) =>
  JSON.stringify({
    channel: "telegram",
    payload: {
      update_id: id,
      message: {
        message_id: id,
        date: 1767225600,
        chat: { id: 7000 + id, type: "private" },
        from: { id: 7000 + id, is_bot: false, first_name: "R", language_code: lang },
        text,
      },
    },
  });

describe("contact-router CLI", () => {
  it("prints the package.json version with --version and -V", () => {
    const { version } = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"),
    ) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it("prints help", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/route/);
    expect(r.stdout).toMatch(/rules/);
  });

  it("routes JSON Lines in order, one output line per input, errors in place, exit 1", () => {
    const input = [
      telegram("Hallo, ich wohne in Wien und möchte mitmachen.", "de", 1),
      "this is not json",
      JSON.stringify({ channel: "fax", payload: {} }),
      "",
      JSON.stringify({
        channel: "web",
        payload: { message: "Hi, I would like to help you.", country: "AU" },
      }),
      JSON.stringify({ channel: "web", payload: {} }),
    ].join("\n");
    const r = run(["route"], input);
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      affiliate: "gik",
      country: "AT",
      language: "de",
      step: "nearest",
    });
    expect(lines[0]!.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/Wien/)]));
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^not JSON/) });
    expect(lines[2]).toEqual({ error: expect.stringMatching(/channel/) });
    expect(lines[3]).toMatchObject({ affiliate: "ico", step: "rule", rule: "oceania" });
    expect(lines[4]).toEqual({ error: expect.stringMatching(/message/) });
  });

  it("exits 0 when every line routed", () => {
    const r = run(
      ["route"],
      telegram("Bonjour, j'aimerais discuter avec vous de votre plateforme.", "fr-ca") + "\n",
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ affiliate: "klasbatalo", rule: "canada" });
  });

  it("--explain prints a report for people", () => {
    const r = run(
      ["route", "--explain"],
      telegram("Hallo, ich wohne in Wien und möchte mitmachen.") + "\n",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /→ gik \(Gruppe Internationalistischer Kommunistinnen, de@leftcom.org\)/,
    );
    expect(r.stdout).toMatch(/decided by: nearest \(5\d\d(\.\d)? km\)/);
    expect(r.stdout).toMatch(/why:/);
  });

  it("uses --rules, and refuses a broken rules file with file:line:column", () => {
    const dir = testDir("cr-rules-");
    const file = join(dir, "rules.yaml");
    writeFileSync(file, "version: 1\ndefault_affiliate: x\naffiliates: []\n");
    const r = run(["route", "--rules", file], telegram("hi") + "\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:3:13: affiliates:`);
  });

  it("rules check passes on the shipped file and runs its examples", () => {
    const r = run(["rules", "check"]);
    expect(r.stdout).toMatch(/valid \(7 affiliates, 7 rules, \d+ examples\)/);
    expect(r.stdout).toMatch(/examples: \d+ passed, 0 failed/);
    expect(r.status).toBe(0);
  });

  it("rules check fails clearly when an example does not hold", () => {
    const dir = testDir("cr-rules-");
    const file = join(dir, "rules.yaml");
    writeFileSync(
      file,
      `version: 1
default_affiliate: a
affiliates:
  - { id: a, name: A, inbox: a@example.org, languages: [en], base: { lat: 0, lon: 0 } }
  - { id: b, name: B, inbox: b@example.org, languages: [en], base: { lat: 1, lon: 1 } }
examples:
  - name: goes to b
    input: { channel: web, payload: { message: "Hello there, I want to join." } }
    expect: { affiliate: b }
`,
    );
    const r = run(["rules", "check", file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL goes to b/);
    expect(r.stdout).toMatch(/affiliate: expected "b", got "a"/);
    expect(r.stdout).toMatch(/examples: 0 passed, 1 failed/);
  });

  it("rules schema prints a JSON Schema editors can use", () => {
    const r = run(["rules", "schema"]);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "affiliates",
        "rules",
        "examples",
        "generic_cctlds",
        "language_radius_km",
      ]),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(["version", "default_affiliate", "affiliates"]),
    );
  });
});

describe("committed JSON Schema", () => {
  it("matches the zod schema (run `npm run schema` after changing src/routing/schema.ts)", async () => {
    const { readFileSync } = await import("node:fs");
    const { rulesJsonSchema } = await import("../../src/cli/rules.js");
    const committed: unknown = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../schema/routing-rules.schema.json"), "utf8"),
    );
    expect(committed).toEqual(rulesJsonSchema());
  });
});
