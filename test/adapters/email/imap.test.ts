import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmailAdapter } from "../../../adapters/email/adapter.js";
import type { AdapterContext } from "../../../adapters/types.js";
import { MemoryCursorStore } from "../../../src/state/cursor-store.js";
import { dovecotAvailable, startDovecot, type DovecotServer } from "../../support/dovecot.js";
import { RecordingCursorStore, RecordingIntake } from "../../support/recording-intake.js";
import {
  appender,
  CuttableProxy,
  emailConfig,
  FAST,
  FakeSmtp,
  newAdapter,
  readerMail,
} from "./rig.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "silent" });

function ctxFor(intake: RecordingIntake, cursors = new MemoryCursorStore()): AdapterContext {
  return { intake, cursors: new RecordingCursorStore(cursors, intake), logger: log };
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

(dovecotAvailable() ? describe : describe.skip)("email adapter: IMAP behaviour (Dovecot)", () => {
  let dovecot: DovecotServer;
  const smtp = new FakeSmtp();

  beforeEach(async () => {
    dovecot = await startDovecot();
    await smtp.start();
  });
  afterEach(async () => {
    await smtp.stop();
    await dovecot.stop();
  });

  it("quarantines auto-replies and oversized mail, flags them \\Seen and moves on", async () => {
    const imap = await appender(dovecot);
    const intake = new RecordingIntake();
    const cursors = new MemoryCursorStore();
    const adapter = new EmailAdapter(emailConfig(dovecot, smtp.port), { ...FAST, maxBytes: 4_000 });
    await adapter.start(ctxFor(intake, cursors));
    try {
      await imap.append(
        "INBOX",
        readerMail("Ich bin im Urlaub.", "Auto-Submitted: auto-replied\r\n").raw,
      );
      await imap.append("INBOX", readerMail("x".repeat(5_000)).raw);
      const good = readerMail("Hallo, ich wohne in Wien.");
      await imap.append("INBOX", good.raw);
      await intake.waitForIds([good.id]);
      await intake.waitUntil(() => intake.quarantined.length === 2, "two quarantines");

      expect(intake.quarantined.map((q) => q.ref)).toEqual([
        expect.stringMatching(/^email:uid:\d+:1$/),
        expect.stringMatching(/^email:uid:\d+:2$/),
      ]);
      expect(intake.quarantined[0]?.reason).toMatch(/^AUTO_REPLY: not routed: Auto-Submitted/);
      expect(intake.quarantined[1]?.reason).toMatch(/^MESSAGE_TOO_LARGE: \d+ bytes/);
      // The quarantine keeps the raw mail so nothing is lost; the ref carries no personal data.
      expect(intake.quarantined[0]?.raw).toMatchObject({
        uid: 1,
        sourceBase64: expect.any(String),
      });
      const accepted = intake.accepted[0];
      expect(accepted?.text).toBe("Hallo, ich wohne in Wien.");
      expect(accepted?.evidence.emailAuth?.dkim).toBe("none");
      expect(adapter.health().state).toBe("running");
      expect(adapter.health().lastInboundAt).toBeDefined();

      await waitFor("the cursor to reach UID 3", () =>
        intake.events.some((e) => e.kind === "cursor" && e.value.endsWith('"lastUid":3}')),
      );
      // The adapter flags a message \Seen only after its cursor write, so the last flag may
      // still be on its way when the cursor shows UID 3.
      await imap.mailboxOpen("INBOX");
      const seen = async () =>
        (await imap.fetchAll("1:3", { uid: true, flags: true })).map((m) =>
          Boolean(m.flags?.has("\\Seen")),
        );
      await waitFor("all three flagged \\Seen", async () => (await seen()).every(Boolean));
      expect(await seen()).toEqual([true, true, true]);
    } finally {
      await adapter.stop();
      await imap.logout();
    }
  });

  it("UIDVALIDITY change: resyncs, dedupes by Message-ID and takes in only what is new", async () => {
    const imap = await appender(dovecot);
    await imap.mailboxCreate("Contact");
    const config = emailConfig(dovecot, smtp.port, { mailbox: "Contact" });
    const intake = new RecordingIntake();
    const cursors = new MemoryCursorStore();
    const old = [readerMail("eins"), readerMail("zwei"), readerMail("drei")];
    const a = newAdapter(config);
    await a.start(ctxFor(intake, cursors));
    for (const m of old) await imap.append("Contact", m.raw);
    await intake.waitForIds(old.map((m) => m.id));
    await a.stop();
    const before = await imap.status("Contact", { uidValidity: true });

    // The mailbox is recreated (restored from backup, migrated): new UIDVALIDITY, same mail.
    let after = before;
    for (let i = 0; i < 5 && after !== false && before !== false; i++) {
      await imap.mailboxDelete("Contact");
      await imap.mailboxCreate("Contact");
      after = await imap.status("Contact", { uidValidity: true });
      if (after !== false && after.uidValidity !== before.uidValidity) break;
      await new Promise((r) => setTimeout(r, 1_100));
    }
    expect(after && before && after.uidValidity !== before.uidValidity).toBe(true);
    for (const m of old) await imap.append("Contact", m.raw, ["\\Seen"]);
    await imap.append("Contact", old[0]!.raw, ["\\Seen"]); // a second copy of the same mail
    const fresh = readerMail("vier");
    await imap.append("Contact", fresh.raw);

    const b = newAdapter(config);
    await b.start(ctxFor(intake, cursors));
    try {
      await intake.waitForIds([fresh.id]);
      await waitFor("the resync to finish", () =>
        intake.events.some((e) => e.kind === "cursor" && e.value.endsWith('"lastUid":5}')),
      );
    } finally {
      await b.stop();
      await imap.logout();
    }
    const accepted = intake.acceptedIds();
    expect([...accepted].sort()).toEqual([...old.map((m) => m.id), fresh.id].sort());
    const calls = intake.calls.length;
    const duplicates = intake.events.filter(
      (e) => e.kind === "submit" && e.outcome === "duplicate",
    );
    console.log(
      `[email resync] ${accepted.length} unique messages (expected 4), ${calls} submit calls, ` +
        `${duplicates.length} absorbed as duplicates, copy of the same Message-ID skipped`,
    );
    // Each old mail re-submitted once (absorbed by the intake), the extra copy not at all.
    expect(duplicates).toHaveLength(3);
    const cursor = JSON.parse(
      (await cursors.get(`email:${dovecot.user}@127.0.0.1:${dovecot.port}/Contact`))!,
    );
    expect(cursor).toEqual({ uidValidity: String(after && after.uidValidity), lastUid: 5 });
  });

  it("mailbox deleted and recreated under a running adapter: recovers and resyncs", async () => {
    const imap = await appender(dovecot);
    await imap.mailboxCreate("Live");
    const intake = new RecordingIntake();
    const adapter = newAdapter(emailConfig(dovecot, smtp.port, { mailbox: "Live" }));
    await adapter.start(ctxFor(intake));
    try {
      const old = readerMail("alt");
      await imap.append("Live", old.raw);
      await intake.waitForIds([old.id]);
      await new Promise((r) => setTimeout(r, 1_100)); // a new second: a new UIDVALIDITY
      await imap.mailboxDelete("Live");
      await imap.mailboxCreate("Live");
      await imap.append("Live", old.raw);
      const fresh = readerMail("neu");
      await imap.append("Live", fresh.raw);
      await intake.waitForIds([fresh.id], 25_000);
      expect(intake.acceptedIds()).toEqual([old.id, fresh.id]);
      await waitFor("running", () => adapter.health().state === "running");
      console.log(
        `[email live resync] ${intake.accepted.length} unique, ${intake.submitCalls} submit calls`,
      );
    } finally {
      await adapter.stop();
      await imap.logout();
    }
  });

  it("reconnects after the connection drops and takes in what arrived meanwhile", async () => {
    const proxy = new CuttableProxy(dovecot.port);
    await proxy.start();
    const imap = await appender(dovecot);
    const intake = new RecordingIntake();
    const adapter = newAdapter(emailConfig(dovecot, smtp.port, { imapPort: proxy.port }));
    await adapter.start(ctxFor(intake));
    try {
      const first = readerMail("vor dem Abbruch");
      await imap.append("INBOX", first.raw);
      await intake.waitForIds([first.id]);
      let drops = 0;
      const during: string[] = [];
      for (let round = 0; round < 3; round++) {
        drops += proxy.cutAll();
        const m = readerMail(`während Abbruch ${round}`);
        await imap.append("INBOX", m.raw);
        during.push(m.id);
        await intake.waitForIds([m.id]);
      }
      await waitFor("running again", () => adapter.health().state === "running");
      expect(drops).toBeGreaterThanOrEqual(3);
      expect(intake.acceptedIds()).toEqual([first.id, ...during]);
      console.log(
        `[email reconnect] ${drops} connections cut, ${intake.accepted.length} messages, ` +
          `${intake.submitCalls} submit calls`,
      );
    } finally {
      await adapter.stop();
      await imap.logout();
      await proxy.stop();
    }
  });

  it("a wrong password is reported in health() and retried; stop() is prompt", async () => {
    const adapter = new EmailAdapter(emailConfig(dovecot, smtp.port, { password: "wrong" }), FAST);
    const intake = new RecordingIntake();
    await adapter.start(ctxFor(intake));
    await waitFor("health to report the failure", () => adapter.health().state === "retrying");
    expect(adapter.health().detail).toMatch(/authentication failed/);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
    expect(intake.calls).toEqual([]);
  });

  it("a mailbox that does not exist is reported with the server's code", async () => {
    const adapter = new EmailAdapter(emailConfig(dovecot, smtp.port, { mailbox: "Missing" }), FAST);
    await adapter.start(ctxFor(new RecordingIntake()));
    await waitFor("retrying", () => adapter.health().state === "retrying");
    expect(adapter.health().detail).toMatch(/IMAP connection failed \((NONEXISTENT|NO: .*exist)/i);
    await adapter.stop();
  });

  it("an unreachable server does not throw from start(); health says retrying", async () => {
    const adapter = new EmailAdapter(emailConfig(dovecot, smtp.port, { imapPort: 1 }), FAST);
    await adapter.start(ctxFor(new RecordingIntake()));
    await waitFor("retrying", () => adapter.health().state === "retrying");
    expect(adapter.health().detail).toMatch(/IMAP connection failed \(ECONNREFUSED\)/);
    await adapter.stop();
  });
});
