import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";

/*
 * Debian's Chromium for the console's browser tests (`.ci/install-system.sh` installs it).
 * Without it the tests skip loudly locally and fail on CI.
 */
export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === "true") {
    throw new Error(`${CHROMIUM} is missing on CI: run .ci/install-system.sh first`);
  }
  console.warn(
    `\n*** SKIPPING admin console browser tests: ${CHROMIUM} not found (run .ci/install-system.sh) ***\n`,
  );
}

/** A headless Chromium with a fresh profile (playwright's default: a new temp dir per launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (the context needs `bypassCSP`: the console's CSP forbids the
 * injected script) and returns the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run()).violations;
  });
  return (violations as AxeViolation[]).filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
}

/** `id: help (targets)` lines, for a readable assertion message. */
export function describeViolations(vs: AxeViolation[]): string[] {
  return vs.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
}
