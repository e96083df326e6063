import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/*
 * Debian's Chromium for the browser tests (`.ci/install-system.sh` installs it). Without it the
 * tests skip loudly locally and fail on CI.
 */
export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === "true") {
    throw new Error(`${CHROMIUM} is missing on CI: run .ci/install-system.sh first`);
  }
  console.warn(
    `\n*** SKIPPING browser tests: ${CHROMIUM} not found (run .ci/install-system.sh) ***\n`,
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
