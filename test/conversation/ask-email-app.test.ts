import { randomUUID } from "node:crypto";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HASH_PURPOSE } from "../../src/queue/keys.js";
import { askTimeoutJobId } from "../../src/queue/stages.js";
import { t } from "../../src/i18n/texts.js";
import { dovecotAvailable, startDovecot, type DovecotServer } from "../support/dovecot.js";
import { appender } from "../adapters/email/rig.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, VIA_IMAP_MS, type RelayRig } from "../relay/support.js";

/*
 * The clarifying question by email, through the running app: the reader's mail is read from a
 * real Dovecot mailbox, the question goes out by real SMTP as a reply with a numbered list, and
 * the reader's emailed answer (with the question quoted under it) routes the held contact.
 */

const haveDovecot = dovecotAvailable();
if (!haveDovecot) {
  console.warn("\n*** clarifying question by email: `dovecot` is not on PATH, SKIPPED. ***\n");
  if (process.env.CI === "true") {
    it("dovecot is installed in CI", () => {
      expect.fail("dovecot missing in CI: .ci/install-system.sh did not run or failed");
    });
  }
}

const READER = "lectora@example.org";
const SPANISH =
  "Hola, me gustaría saber más sobre vuestra organización y recibir vuestras publicaciones, por favor.";

function mail(o: { text: string; subject: string; inReplyTo?: string }): {
  raw: string;
  messageId: string;
} {
  const messageId = `<${randomUUID()}@example.org>`;
  const raw =
    `From: Lectora <${READER}>\r\nTo: contact@leftcom.test\r\nSubject: ${o.subject}\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMessage-ID: ${messageId}\r\n` +
    (o.inReplyTo ? `In-Reply-To: ${o.inReplyTo}\r\nReferences: ${o.inReplyTo}\r\n` : "") +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${o.text.replace(/\n/g, "\r\n")}\r\n`;
  return { raw, messageId };
}

(haveDovecot ? describe : describe.skip)("clarifying question: email reader (running app)", () => {
  let dovecot: DovecotServer;
  let imap: ImapFlow;
  let rig: RelayRig;

  beforeAll(async () => {
    dovecot = await startDovecot();
    imap = await appender(dovecot);
    rig = await relayRig((sinkPort) => ({
      EMAIL_IMAP_HOST: dovecot.host,
      EMAIL_IMAP_PORT: String(dovecot.port),
      EMAIL_IMAP_SECURE: "false",
      EMAIL_IMAP_USER: dovecot.user,
      EMAIL_IMAP_PASSWORD: dovecot.password,
      EMAIL_TLS_VERIFY: "false",
      EMAIL_AUTH_DNS: "off",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sinkPort),
      EMAIL_FROM: "Contact Router <contact@leftcom.test>",
    }));
  });
  afterAll(async () => {
    await rig?.stop();
    await imap?.logout().catch(() => imap.close());
    await dovecot?.stop();
  });

  it("asks by email with a numbered list, waits 24 hours, and routes the contact on the emailed answer", async () => {
    const first = mail({ text: SPANISH, subject: "Pregunta" });
    await imap.append("INBOX", first.raw);
    const question = await rig.waitMail(READER, 1, VIA_IMAP_MS);
    expect(question.inReplyTo).toBe(first.messageId);
    expect(question.text).toContain(`${t("es", "ask.location")}\n${t("es", "ask.text")}`);
    expect(question.text).toContain("2. 🇲🇽 México");
    // Held for a day, durably.
    const h = rig.app.pipeline.hasher.hash(
      HASH_PURPOSE.message,
      `email:${first.messageId.slice(1, -1)}`,
    );
    const timeout = await waitFor("timeout job", () =>
      rig.app.pipeline.queues.inbound.getJob(askTimeoutJobId(h)),
    );
    expect(timeout.delay).toBeGreaterThan(23 * 3600_000);
    expect(rig.mailsTo("uk@leftcom.org")).toHaveLength(0);

    const quoted = (question.text ?? "")
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n");
    const answer = mail({
      text: `2\n\nEl 2 dic 2026, Contact Router <contact@leftcom.test> escribió:\n${quoted}`,
      subject: `Re: ${question.subject ?? ""}`,
      inReplyTo: question.messageId!,
    });
    await imap.append("INBOX", answer.raw);
    const forward = await waitFor(
      "the held contact's forward",
      () => rig.mailsTo("us@leftcom.org").find((r) => (r.mail.text ?? "").includes(SPANISH))?.mail,
      VIA_IMAP_MS,
    );
    expect(forward.text).toContain('they answered "🇲🇽 México" (MX)');
    expect(forward.subject).toMatch(/Email · MX · es/);
    // The acknowledgement by email, naming the affiliate; the answer is not forwarded.
    const ack = await rig.waitMail(READER, 2);
    expect(ack.text).toContain(t("es", "ack", { affiliate: "Internationalist Workers' Group" }));
    expect(
      rig.mailsTo("us@leftcom.org").filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
  }, 120_000);
});
