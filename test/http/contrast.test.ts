import { describe, expect, it } from "vitest";
import { CONTACT_CSS } from "../../src/http/view.js";

// Issue 10: the form's error colour had 2.56:1 contrast in dark mode. WCAG 2 asks 4.5:1 for
// normal text. The contrast is computed from the stylesheet's own values, for both schemes.

/** Custom properties set in `block` (`--name:#rrggbb`). */
function properties(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/(--[a-z-]+):\s*(#[0-9a-f]{6})\b/gi)) out[m[1]!] = m[2]!;
  return out;
}

/** The light values (`:root{…}` at top level) and the dark ones (inside prefers-color-scheme). */
function schemes(css: string) {
  const dark = /@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}\s*\}/.exec(
    css,
  );
  const light = /(?:^|\n):root\s*\{([^}]*)\}/.exec(css);
  if (!light?.[1] || !dark?.[1]) throw new Error("stylesheet has no light and dark :root blocks");
  const base = properties(light[1]);
  return { light: base, dark: { ...base, ...properties(dark[1]) } };
}

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("form colours", () => {
  it("the page takes its background and text colour from the scheme's values", () => {
    expect(CONTACT_CSS).toMatch(/body\{[^}]*background:var\(--bg\)/);
    expect(CONTACT_CSS).toMatch(/body\{[^}]*color:var\(--fg\)/);
    expect(CONTACT_CSS).toMatch(/\.error\{[^}]*color:var\(--accent\)/);
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`error text and body text reach 4.5:1 in ${scheme} mode`, () => {
      const v = schemes(CONTACT_CSS)[scheme];
      expect(v["--bg"]).toBeDefined();
      expect(contrast(v["--accent"]!, v["--bg"]!)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(v["--fg"]!, v["--bg"]!)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it("the computation matches known values, and catches the old dark-mode colour", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    // The old error colour on Chromium's dark canvas.
    expect(contrast("#b00020", "#121212")).toBeLessThan(4.5);
  });
});
