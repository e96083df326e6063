import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LiveRules, type ReloadOutcome } from "../../src/routing/live.js";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";

let dir = "";
let file = "";
let original = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "live-rules-"));
  file = join(dir, "routing-rules.yaml");
  original = await readFile(DEFAULT_RULES_PATH, "utf8");
  await writeFile(file, original);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const renamed = (yaml: string) =>
  yaml.replace("name: Communist Workers' Organisation", "name: CWO (renamed)");

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("LiveRules", () => {
  it("reloads on demand, and keeps the working rules when the file is broken", async () => {
    const outcomes: ReloadOutcome[] = [];
    const live = new LiveRules(file, (o) => outcomes.push(o));
    expect(live.current.affiliateById.get("cwo")?.name).toBe("Communist Workers' Organisation");

    await writeFile(file, renamed(original));
    expect(live.reload()).toMatchObject({ ok: true, affiliates: 7 });
    expect(live.current.affiliateById.get("cwo")?.name).toBe("CWO (renamed)");

    await writeFile(file, original.replace("default_affiliate: ", "default_affiliate: nobody_"));
    const bad = live.reload();
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain(file);
    expect(live.current.affiliateById.get("cwo")?.name).toBe("CWO (renamed)");
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
  });

  it("refuses to start on a file that does not load", async () => {
    await writeFile(file, "affiliates: [\n");
    expect(() => new LiveRules(file)).toThrow(/routing-rules\.yaml:\d+:\d+/);
  });

  it("follows edits in place and files replaced by rename, as editors do", async () => {
    const outcomes: ReloadOutcome[] = [];
    const live = new LiveRules(file, (o) => outcomes.push(o));
    live.watch(50);
    try {
      await writeFile(file, renamed(original));
      await until(() => live.current.affiliateById.get("cwo")?.name === "CWO (renamed)");

      const tmp = join(dir, ".routing-rules.yaml.swp");
      await writeFile(tmp, original);
      await rename(tmp, file);
      await until(
        () => live.current.affiliateById.get("cwo")?.name === "Communist Workers' Organisation",
      );

      // A half-written file is reported and ignored.
      await writeFile(file, "affiliates:\n  - id: [");
      await until(() => outcomes.some((o) => !o.ok));
      expect(live.current.affiliateById.get("cwo")?.name).toBe("Communist Workers' Organisation");
    } finally {
      live.close();
    }
  });
});
