import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appender, readerMail } from "../adapters/email/rig.js";
import { dovecotAvailable, startDovecot, type DovecotServer } from "../support/dovecot.js";
import {
  refOf,
  relayRig,
  replyAddressOf,
  sendReply,
  VIA_IMAP_MS,
  type RelayRig,
} from "./support.js";

const haveDovecot = dovecotAvailable();
if (!haveDovecot && process.env.CI !== "true")
  console.warn(
    "SKIPPED: the email relay test needs the dovecot binary (apt-get install dovecot-imapd)",
  );

(haveDovecot || process.env.CI === "true" ? describe : describe.skip)(
  "relay: email reader (running app, Dovecot-backed IMAP channel, real SMTP)",
  { timeout: 120_000 },
  () => {
    let dovecot: DovecotServer;
    let rig: RelayRig;
    let imap: ImapFlow;

    beforeAll(async () => {
      dovecot = await startDovecot();
      // Relay and the email channel share the sink: forwards, acks and answers all land there.
      rig = await relayRig((sinkPort) => ({
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(sinkPort),
        SMTP_SECURE: "false",
        EMAIL_IMAP_HOST: dovecot.host,
        EMAIL_IMAP_PORT: String(dovecot.port),
        EMAIL_IMAP_SECURE: "false",
        EMAIL_IMAP_USER: dovecot.user,
        EMAIL_IMAP_PASSWORD: dovecot.password,
        EMAIL_TLS_VERIFY: "false",
        EMAIL_AUTH_DNS: "off",
        EMAIL_FROM: "Contact Router <contact@leftcom.test>",
      }));
      imap = await appender(dovecot);
    });
    afterAll(async () => {
      await imap?.logout().catch(() => undefined);
      await rig?.stop();
      await dovecot?.stop();
    });

    it("relays the answer as an email threaded to the reader's own message, without quote or signature", async () => {
      const mail = readerMail(
        "Hallo, ich wohne in Graz und würde gern eure Zeitung bekommen. Geht das?",
      );
      await imap.append("INBOX", mail.raw);
      const forward = await rig.waitMailWhere(
        "de@leftcom.org",
        (m) => (m.text ?? "").includes("ich wohne in Graz"),
        VIA_IMAP_MS,
      );
      const ref = refOf(forward);
      await sendReply(rig.relayPort, {
        from: "de@leftcom.org",
        to: replyAddressOf(forward),
        text: "Hallo! Ja, schick uns deine Postadresse, dann bekommst du sie.",
        signature: "Jana\nGIK Berlin",
        quote: forward,
      });
      const answer = await rig.waitMailWhere("reader@example.de", (m) =>
        (m.text ?? "").includes("schick uns deine Postadresse"),
      );
      const readerId = `<${mail.id.replace(/^email:/, "")}>`;
      expect(answer.inReplyTo).toBe(readerId);
      expect([answer.references].flat()).toContain(readerId);
      expect(answer.text).toContain("Antwort von Gruppe Internationalistischer Kommunistinnen");
      expect(answer.text).not.toContain("Jana");
      expect(answer.text).not.toContain("ich wohne in Graz");
      expect(answer.text).not.toContain(ref);
      const conv = await rig.app.conversations.store.getByRef(ref);
      expect(conv?.status).toBe("answered");
      // Exactly one answer reached the reader.
      expect(
        rig
          .mailsTo("reader@example.de")
          .filter((r) => (r.mail.text ?? "").includes("schick uns deine Postadresse")),
      ).toHaveLength(1);
    });
  },
);
