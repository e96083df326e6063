import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminAccounts } from "../../src/admin/accounts.js";
import { createAuditLog } from "../../src/audit/log.js";
import { startApp, type RunningApp } from "../../src/main.js";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { scanOutbox, scanRedis } from "../support/canary-scan.js";
import { describeViolations, haveChromium, launchChromium, seriousViolations } from "./support.js";

/*
 * The admin console in a real browser over a real service (Redis, route and deliver workers,
 * outbox delivery, relay): log in, edit the rules with an error, fix, replay, save and see the
 * next contact follow the new rule, search and reroute a conversation, refuse a cross-origin
 * form, log out. Every page is checked with axe-core. Screenshots go to docs/img/admin-*.png.
 */

// `ADMIN_SCREENSHOT_DIR=docs/img` refreshes the README's pictures.
const SHOTS = process.env.ADMIN_SCREENSHOT_DIR ?? "var/screenshots";
const PASSWORD = "secret-pass-for-alice";

describe.skipIf(!haveChromium)("admin console in a real browser", () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base = "";
  let dir = "";
  let rulesFile = "";
  let prefix = "";
  let evil: Server | null = null;

  async function contact(fields: Record<string, string>): Promise<void> {
    const res = await fetch(`${base}/contact`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "de" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(res.status).toBe(200);
  }

  async function accessible(name: string): Promise<void> {
    const found = await seriousViolations(page);
    expect(describeViolations(found), `axe on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cr-admin-"));
    rulesFile = join(dir, "rules", "routing-rules.yaml");
    mkdirSync(join(dir, "rules"));
    copyFileSync(DEFAULT_RULES_PATH, rulesFile);
    prefix = testPrefix();
    app = await startApp({
      env: {
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        VAR_DIR: join(dir, "var"),
        RULES_FILE: rulesFile,
        PORT: "0",
        HOST: "127.0.0.1",
        RELAY_SMTP_PORT: "0",
        LOG_LEVEL: "warn",
      },
      adapters: false,
    });
    base = app.address!;
    await new AdminAccounts(app.redis.client, prefix).add("alice", PASSWORD);
    // Two readers in Vienna: the shipped rules send them to gik (nearest German-speaking).
    await contact({
      email: "anna.wien@example.org",
      country: "AT",
      message: "Hallo, ich wohne in Wien und möchte eure Zeitung bekommen. kanarienvogel-anna",
    });
    await contact({
      country: "AT",
      message: "Servus aus Wien, gibt es bei euch Treffen? kanarienvogel-ben",
    });
    await waitFor("two conversations", async () => (await app.conversations.store.count()) === 2);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
    await app?.stop();
    const r = testRedis();
    await cleanup(r, prefix);
    r.disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sends a visitor to the login page, refuses a wrong password and logs in", async () => {
    await page.goto(`${base}/admin/rules`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await accessible("login");
    await page.screenshot({ path: `${SHOTS}/admin-login.png` });
    await page.getByLabel("Account name").fill("alice");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Wrong name or password",
    );

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${base}/admin/rules`);
    const cookie = (await context.cookies()).find((c) => c.name === "cr_admin")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
    const rows = page.locator("section[aria-labelledby=affiliates-h] tbody tr");
    expect(await rows.count()).toBe(7);
    await accessible("rules");
    await page.screenshot({ path: `${SHOTS}/admin-rules.png` });
  });

  it("shows an invalid edit's error at its line, then replays the fixed rules", async () => {
    const original = readFileSync(rulesFile, "utf8");
    const lines = original.split("\n");
    const line = lines.findIndex((l) => l.startsWith("default_affiliate:")) + 1;
    const broken = original.replace("default_affiliate: cwo", "default_affiliate: nobody");
    await page.locator("#text").fill(broken);
    await page.getByRole("button", { name: "Check" }).click();
    const problems = page.locator("#problems");
    await expect(problems.textContent()).resolves.toContain(`line ${line}:`);
    await expect(problems.textContent()).resolves.toContain('unknown affiliate "nobody"');
    expect(await page.locator("#text").getAttribute("aria-invalid")).toBe("true");
    await accessible("rules with problems");
    await page.screenshot({ path: `${SHOTS}/admin-rules-error.png` });

    // Fixed, with a new rule: Austria goes to Milan.
    const fixed = original.replace(
      "rules:\n",
      "rules:\n  # Added in the console test.\n  - id: austria\n    affiliate: pcint\n    when: { country: [AT] }\n",
    );
    await page.locator("#text").fill(fixed);
    await page.getByRole("button", { name: "Replay" }).click();
    const result = page.locator("#replay-result");
    await expect(result.textContent()).resolves.toContain("Replayed 2 decisions");
    const changes = result.locator("tbody tr");
    expect(await changes.count()).toBe(2);
    for (const text of await changes.allTextContents()) {
      expect(text).toContain("gik → pcint");
      expect(text).toContain('rule "austria"');
    }
    await accessible("rules with replay");
    await page.screenshot({ path: `${SHOTS}/admin-replay.png`, fullPage: true });
  });

  it("tries a message in the test box against the edited rules", async () => {
    await page.getByLabel("Text", { exact: true }).fill("Grüße aus Graz!");
    await page.getByLabel("Country the reader gave").fill("AT");
    await page.getByRole("button", { name: "Try" }).click();
    const decision = await page.locator("#test-result pre.decision").textContent();
    expect(decision).toContain("test message → pcint");
    expect(decision).toContain('decided by: rule "austria"');
  });

  it("saves (atomically, with a backup), the running service reloads, and the next contact follows the new rule", async () => {
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("p.ok").first().textContent()).resolves.toContain("Saved");
    await page.waitForSelector("#reload-status.ok", { timeout: 15_000 });
    expect(await page.locator("#reload-status").textContent()).toContain("Reloaded at");
    expect(readFileSync(rulesFile, "utf8")).toContain("# Added in the console test.");
    const backups = readdirSync(join(dir, "rules", ".rules-backups"));
    expect(backups).toHaveLength(1);

    await contact({ country: "AT", message: "Hallo aus Linz, ich möchte mitmachen." });
    const conv = await waitFor("a conversation with pcint", async () =>
      (await app.conversations.store.list()).find((c) => c.affiliate === "pcint"),
    );
    expect(conv.status).toBe("open");
  });

  it("searches a conversation, opens it and reroutes it like #reroute", async () => {
    const anna = (await app.conversations.store.list()).find((c) => c.affiliate === "gik")!;
    await page.goto(`${base}/admin/conversations`);
    await accessible("conversations");
    await page.getByLabel("Reference").fill(anna.ref.toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/admin-conversations.png` });
    await page.getByRole("link", { name: anna.ref }).click();
    await page.waitForURL(`${base}/admin/conversations/${anna.ref}`);
    await expect(page.locator("ol.timeline").textContent()).resolves.toMatch(
      /kanarienvogel-(anna|ben)/,
    );
    await expect(page.locator("ol.timeline").textContent()).resolves.toContain("Routed to gik");
    await accessible("conversation");
    await page.screenshot({ path: `${SHOTS}/admin-conversation.png`, fullPage: true });

    await page.getByLabel("New affiliate", { exact: true }).selectOption("bp");
    await page.getByLabel("Why (sent to the new affiliate)").fill("The reader asked for French.");
    await page.getByRole("button", { name: "Reroute" }).click();
    await page.waitForURL(/rerouted=bp/);
    expect(await page.locator("#affiliate").textContent()).toBe("bp");
    await expect(page.locator("ol.timeline").textContent()).resolves.toContain(
      "Rerouted from gik to bp",
    );
    // The relay worker hands the conversation over: a forward to bp's inbox in the outbox.
    await waitFor("the handover in the outbox", () => {
      const outbox = join(dir, "var", "outbox");
      return readdirSync(outbox, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".eml"))
        .some((f) => readFileSync(join(outbox, f), "utf8").includes("fr@leftcom.org"));
    });
    const audit = (
      await createAuditLog({
        redis: app.redis.client,
        prefix,
        envelope: app.pipeline.envelope,
      }).list({ limit: 100 })
    ).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["conversation.view", "conversation.reroute"]));
  });

  it("shows queues, retention and the audit log, each accessible", async () => {
    for (const [path, name] of [
      ["/admin/queues", "queues"],
      ["/admin/retention", "retention"],
      ["/admin/audit", "audit"],
      ["/admin/erasure", "erasure"],
    ] as const) {
      await page.goto(`${base}${path}`);
      expect(page.url()).toBe(`${base}${path}`);
      await accessible(name);
      await page.screenshot({ path: `${SHOTS}/admin-${name}.png`, fullPage: true });
    }
    await page.goto(`${base}/admin/audit`);
    const exported = await page.evaluate(async () => (await fetch("/admin/audit.jsonl")).text());
    const entries = exported
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["login", "rules.save", "conversation.view", "conversation.reroute"]),
    );
  });

  it("erases a reader: a receipt, and no trace of their canaries in Redis or the outbox", async () => {
    const canaries = ["kanarienvogel-anna", "anna.wien@example.org"];
    const outbox = join(dir, "var", "outbox");
    const before = await scanRedis(app.redis.client, prefix, app.pipeline.envelope, canaries);
    expect(before.hits.length).toBeGreaterThan(0);
    expect((await scanOutbox(outbox, canaries)).length).toBeGreaterThan(0);

    await page.goto(`${base}/admin/erasure`);
    await page.getByLabel(/Email address/).fill("Anna.Wien@example.org");
    await page.getByLabel("I understand this cannot be undone.").check();
    await page.getByRole("button", { name: "Erase" }).click();
    const receipt = page.locator("#receipt");
    await expect(receipt.textContent()).resolves.toContain("conversations");
    expect(await receipt.textContent()).toContain("Out of reach");
    await accessible("erasure receipt");
    await page.screenshot({ path: `${SHOTS}/admin-erasure-receipt.png`, fullPage: true });

    const after = await scanRedis(app.redis.client, prefix, app.pipeline.envelope, canaries);
    expect(after.unopened).toEqual([]);
    expect(after.hits).toEqual([]);
    expect(await scanOutbox(outbox, canaries)).toEqual([]);
    // The other reader is untouched.
    const ben = await scanRedis(app.redis.client, prefix, app.pipeline.envelope, [
      "kanarienvogel-ben",
    ]);
    expect(ben.hits.length).toBeGreaterThan(0);
  });

  it("refuses a form posted from another origin", async () => {
    const before = readFileSync(rulesFile, "utf8");
    // Another origin (another port): same site for cookies, so only the Origin check stops it.
    evil = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><form id="f" method="post" action="${base}/admin/rules">
<input name="action" value="save"><input name="text" value="version: 1"><input name="_csrf" value="guess">
</form><script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((r) => evil!.listen(0, "127.0.0.1", () => r()));
    const port = (evil.address() as { port: number }).port;
    const attack = await context.newPage();
    const answered = attack.waitForResponse((r) => r.url() === `${base}/admin/rules`);
    await attack.goto(`http://127.0.0.1:${port}/`);
    const response = await answered;
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("another site");
    await attack.close();
    expect(readFileSync(rulesFile, "utf8")).toBe(before);
  });

  it("logs out: the session is gone", async () => {
    await page.goto(`${base}/admin/rules`);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${base}/admin/login?out=1`);
    await expect(page.getByRole("status").textContent()).resolves.toContain("logged out");
    await page.goto(`${base}/admin/conversations`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
  });
});
