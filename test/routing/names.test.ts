import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.js";
import { countryName, languageName } from "../../src/routing/names.js";

describe("display names", () => {
  const languages = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });
  const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

  it("the precomputed table says what ICU says, for every code in it", () => {
    const table = JSON.parse(
      readFileSync(join(projectRoot(), "generated", "display-names.json"), "utf8"),
    ) as { icu: string; languages: Record<string, string>; regions: Record<string, string> };
    expect(table.icu).toBe(process.versions.icu);
    expect(Object.keys(table.languages).length).toBeGreaterThan(100);
    expect(Object.keys(table.regions).length).toBeGreaterThan(200);
    for (const [code, name] of Object.entries(table.languages)) {
      expect(languageName(code)).toBe(name);
      expect(name).toBe(languages.of(code));
    }
    for (const [code, name] of Object.entries(table.regions)) {
      expect(countryName(code)).toBe(name);
      expect(name).toBe(regions.of(code));
    }
  });

  it("codes the table lacks go to ICU, and unknown or invalid codes come back as given", () => {
    expect(languageName("de")).toBe("German");
    expect(countryName("AT")).toBe("Austria");
    expect(languageName("fil")).toBe(languages.of("fil"));
    expect(countryName("419")).toBe(regions.of("419"));
    expect(languageName("qq")).toBe("qq");
    expect(countryName("XX")).toBe("XX");
    expect(languageName("not a code!")).toBe("not a code!");
  });
});
