import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/i18n/texts.js";
import { haveChromium, launchChromium } from "../support/chromium.js";
import { testServer } from "./support.js";

/*
 * A real headless browser submits the form: no JavaScript on the page, so this checks plain HTML
 * form semantics (labels, select, encoding of non-Latin text) end to end.
 * `.ci/install-system.sh` installs Debian's chromium; without it the test is skipped locally
 * (loudly) and fails on CI.
 */
/** Where screenshots go, for a human to look at. */
const SHOTS = process.env.SCREENSHOT_DIR ?? "var/screenshots";

describe.skipIf(!haveChromium)("contact form in a real browser", () => {
  const { app, intake } = testServer();
  let browser: Browser;
  let base = "";

  beforeAll(async () => {
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  it("opens the form in the browser's language, submits it and shows the thank-you page", async () => {
    const context = await browser.newContext({ locale: "de-AT" });
    const page = await context.newPage();
    await page.goto(`${base}/contact`);
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await page.screenshot({ path: `${SHOTS}/contact-de.png`, fullPage: true });

    await page.getByLabel(t("de", "form.name")).fill("Jana");
    await page.getByLabel(t("de", "form.email")).fill("jana@example.at");
    await page.getByLabel(t("de", "form.country")).selectOption("AT");
    await page
      .getByLabel(t("de", "form.message"))
      .fill("Hallo! Ich wohne in Wien — Grüße & <Dank>.");
    await Promise.all([
      page.waitForURL(`${base}/contact`),
      page.getByRole("button", { name: t("de", "form.submit") }).click(),
    ]);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      t("de", "thanks.title"),
    );
    await page.screenshot({ path: `${SHOTS}/thanks-de.png`, fullPage: true });
    await context.close();

    expect(intake.accepted).toHaveLength(1);
    const m = intake.accepted[0]!;
    expect(m.text).toBe("Hallo! Ich wohne in Wien — Grüße & <Dank>.");
    expect(m.evidence).toMatchObject({ statedCountry: "AT", emailAddress: "jana@example.at" });
    expect(m.evidence.languageTag).toMatch(/^de/);
  });

  it("shows a right-to-left form in Persian and keeps input after a server-side error", async () => {
    const context = await browser.newContext({ locale: "fa-IR" });
    const page = await context.newPage();
    await page.goto(`${base}/contact`);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    // The browser would refuse a bad address itself; check the server's answer by lifting that.
    // (A string, because the test is compiled without the DOM typings.)
    await page.evaluate(`document.getElementById("email").setAttribute("type", "text")`);
    await page.getByLabel(t("fa", "form.email")).fill("not an address");
    await page.getByLabel(t("fa", "form.message")).fill("سلام، از تهران می‌نویسم.");
    await page.getByRole("button", { name: t("fa", "form.submit") }).click();
    await page.waitForSelector("#email-error");
    expect(await page.textContent("#email-error")).toBe(t("fa", "err.emailInvalid"));
    expect(await page.inputValue("#message")).toBe("سلام، از تهران می‌نویسم.");
    await page.screenshot({ path: `${SHOTS}/contact-fa-error.png`, fullPage: true });
    await context.close();
    expect(intake.accepted).toHaveLength(1);
  });
});
