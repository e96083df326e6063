import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BACKUPS_KEPT,
  checkRulesText,
  saveRulesText,
  setAffiliateInbox,
} from "../../src/admin/rules-edit.js";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";
import { testDir } from "../support/temp-dir.js";

const shipped = readFileSync(DEFAULT_RULES_PATH, "utf8");

describe("rules editing for the console", () => {
  it("reports problems with line and column from the service's loader", async () => {
    const text = shipped.replace(
      "  - id: italy\n    affiliate: pcint",
      "  - id: italy\n    affiliate: nowhere",
    );
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("affiliate: nowhere")) + 1;
    const column = lines[line - 1]!.indexOf("nowhere") + 1;
    const checked = await checkRulesText(text, "rules.yaml");
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems[0]).toMatchObject({ line, column });
    expect(checked.problems[0]!.message).toContain('"nowhere"');

    const broken = await checkRulesText("version: 1\naffiliates: [\n", "rules.yaml");
    expect(broken.ok).toBe(false);
  });

  it("changes an inbox through the YAML document: every comment and other line stays", async () => {
    const edited = setAffiliateInbox(shipped, "gik", "gik@example.org");
    const before = shipped.split("\n");
    const after = edited.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).toEqual(["    inbox: gik@example.org"]);
    const checked = await checkRulesText(edited, "rules.yaml");
    expect(checked.ok && checked.rules.affiliateById.get("gik")?.inbox).toBe("gik@example.org");
    // A value that needs quoting in YAML is quoted.
    expect(setAffiliateInbox(shipped, "gik", "a: b@example.org")).toContain(
      '    inbox: "a: b@example.org"',
    );
    expect(() => setAffiliateInbox(shipped, "nobody", "x@example.org")).toThrow(
      'no affiliate "nobody"',
    );
  });

  it("saves by rename, keeps the previous version, and only the newest backups", async () => {
    const dir = testDir("cr-rules-save-");
    const file = join(dir, "routing-rules.yaml");
    writeFileSync(file, "first\n");
    const backup = await saveRulesText(file, "second\n");
    expect(readFileSync(file, "utf8")).toBe("second\n");
    expect(readFileSync(backup!, "utf8")).toBe("first\n");
    // No temporary file is left beside it.
    expect(readdirSync(dir).sort()).toEqual([".rules-backups", "routing-rules.yaml"]);

    const backups = join(dir, ".rules-backups");
    mkdirSync(backups, { recursive: true });
    for (let i = 0; i < BACKUPS_KEPT + 5; i++) {
      writeFileSync(
        join(backups, `routing-rules.yaml.2000-01-01T00-00-${String(i).padStart(2, "0")}`),
        "old",
      );
    }
    await saveRulesText(file, "third\n");
    const kept = readdirSync(backups).sort();
    expect(kept).toHaveLength(BACKUPS_KEPT);
    expect(readFileSync(join(backups, kept.at(-1)!), "utf8")).toBe("second\n");
  });
});
