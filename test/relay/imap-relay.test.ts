import type { ImapFlow } from "imapflow";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelopeOf } from "../../src/relay/imap.js";
import { dovecotAvailable, startDovecot, type DovecotServer } from "../support/dovecot.js";
import { appender } from "../adapters/email/rig.js";
import { waitFor } from "../queue/helpers.js";
import { relayRig, replyAddressOf, replyBody, VIA_IMAP_MS, type RelayRig } from "./support.js";

const haveDovecot = dovecotAvailable();
if (!haveDovecot && process.env.CI !== "true")
  console.warn(
    "SKIPPED: the IMAP relay tests need the dovecot binary (apt-get install dovecot-imapd)",
  );

let seq = 0;
/** A reply as a mail server files it in the relay mailbox: envelope headers first. */
function filed(o: {
  from: string;
  relay: string;
  text: string;
  quote?: ParsedMail;
  messageId?: string;
  deliveredTo?: string | null;
}): string {
  const mid = o.messageId ?? `<imap-reply-${Date.now()}-${seq++}@leftcom.org>`;
  const body = replyBody({ text: o.text, ...(o.quote ? { quote: o.quote } : {}) });
  return [
    `Return-Path: <${o.from}>`,
    ...(o.deliveredTo === null ? [] : [`Delivered-To: ${o.deliveredTo ?? o.relay}`]),
    "Received: from mx.leftcom.org (mx.leftcom.org [192.0.2.25]) by imap.example.net",
    `From: ${o.from}`,
    `To: ${o.relay}`,
    `Subject: Re: ${o.quote?.subject ?? "your message"}`,
    `Message-ID: ${mid}`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    body.replace(/\n/g, "\r\n"),
    "",
  ].join("\r\n");
}

describe("the relay's envelope reading (IMAP mailbox)", () => {
  it("takes the token from Delivered-To before To, the sender from Return-Path, the client from Received", () => {
    const token = "a".repeat(53);
    const lines = [
      { key: "return-path", line: "Return-Path: <de@leftcom.org>" },
      { key: "delivered-to", line: `Delivered-To: relay+${token}@relay.example.net` },
      { key: "received", line: "Received: from mx.leftcom.org (mx [192.0.2.25]) by x" },
    ];
    expect(envelopeOf(lines, ["someone@example.org"], "relay.example.net")).toEqual({
      tokens: [token],
      origin: { ip: "192.0.2.25", helo: "mx.leftcom.org", mailFrom: "de@leftcom.org" },
    });
    expect(
      envelopeOf([], [`relay+${token}@RELAY.example.net`, "x@y.z"], "relay.example.net").tokens,
    ).toEqual([token]);
    expect(envelopeOf([], ["x@y.z"], "relay.example.net").tokens).toEqual([]);
  });
});

(haveDovecot || process.env.CI === "true" ? describe : describe.skip)(
  "relay: replies fetched from an IMAP mailbox (real Dovecot, running app)",
  { timeout: 120_000 },
  () => {
    let dovecot: DovecotServer;
    let rig: RelayRig;
    let imap: ImapFlow;

    beforeAll(async () => {
      dovecot = await startDovecot();
      rig = await relayRig({
        RELAY_IMAP_HOST: dovecot.host,
        RELAY_IMAP_PORT: String(dovecot.port),
        RELAY_IMAP_SECURE: "false",
        RELAY_IMAP_USER: dovecot.user,
        RELAY_IMAP_PASSWORD: dovecot.password,
        RELAY_IMAP_TLS_VERIFY: "false",
      });
      imap = await appender(dovecot);
      await waitFor("the relay mailbox selected", () =>
        rig.app.conversations.health()?.detail.includes("IMAP mailbox running"),
      );
    });
    afterAll(async () => {
      await imap?.logout().catch(() => undefined);
      await rig?.stop();
      await dovecot?.stop();
    });

    async function forwardTo(reader: string, text: string): Promise<ParsedMail> {
      await rig.postForm({ country: "IT", email: reader, message: text });
      return rig.waitMailWhere("it@leftcom.org", (m) => (m.text ?? "").includes(text));
    }

    async function quarantined(reason: RegExp) {
      return waitFor(
        `a quarantined ${String(reason)}`,
        async () =>
          (await rig.app.pipeline.quarantine.list(1000)).find((e) => reason.test(e.reason)),
        VIA_IMAP_MS,
      );
    }

    it("relays a reply filed in the mailbox to the web-form reader, cut above the quote", async () => {
      const forward = await forwardTo("lettore1@example.com", "Ciao, quando vi riunite a Torino?");
      await imap.append(
        "INBOX",
        filed({
          from: "it@leftcom.org",
          relay: replyAddressOf(forward),
          text: "Ciao! Ci vediamo il martedì alle 18.",
          quote: forward,
        }),
      );
      const answer = await rig.waitMail("lettore1@example.com", 1, VIA_IMAP_MS);
      expect(answer.text).toContain("Ci vediamo il martedì alle 18.");
      expect(answer.text).not.toContain("quando vi riunite");
    });

    it("applies the listener's checks: an altered token, a stranger, no relay address, a duplicate", async () => {
      const forward = await forwardTo("lettore2@example.com", "Ciao, avete materiale in italiano?");
      const relay = replyAddressOf(forward);
      const i = relay.indexOf("@") - 20; // inside the HMAC
      const altered = relay.slice(0, i) + (relay[i] === "a" ? "b" : "a") + relay.slice(i + 1);
      await imap.append(
        "INBOX",
        filed({ from: "it@leftcom.org", relay: altered, text: "Risposta falsa 1", quote: forward }),
      );
      await imap.append(
        "INBOX",
        filed({ from: "mallory@example.org", relay, text: "Risposta falsa 2", quote: forward }),
      );
      await imap.append(
        "INBOX",
        filed({
          from: "it@leftcom.org",
          relay: "info@example.net",
          deliveredTo: null,
          text: "Risposta falsa 3",
        }),
      );
      const good = filed({
        from: "it@leftcom.org",
        relay,
        text: "Sì, vi mandiamo gli opuscoli.",
        messageId: "<dup-imap@leftcom.org>",
      });
      await imap.append("INBOX", good);
      // The same reply filed again on another path (another Received line): same Message-ID.
      await imap.append("INBOX", good.replace("[192.0.2.25]", "[192.0.2.26]"));
      await quarantined(/^TokenForgedError: /);
      await quarantined(/^SenderNotAllowedError: /);
      await quarantined(/^UnknownRecipientError: /);
      await quarantined(/^DuplicateReplyError: /);
      const answer = await rig.waitMail("lettore2@example.com", 1, VIA_IMAP_MS);
      expect(answer.text).toContain("Sì, vi mandiamo gli opuscoli.");
      // Everything was taken (the cursor passed the last one): still only the one answer.
      await waitFor(
        "the mailbox read to its end",
        async () => {
          const status = await imap.status("INBOX", { unseen: true });
          return status !== false && status.unseen === 0;
        },
        VIA_IMAP_MS,
      );
      expect(rig.mailsTo("lettore2@example.com")).toHaveLength(1);
      for (const m of rig.sink.received) expect(m.mail.text ?? "").not.toMatch(/Risposta falsa/);
      const metrics = await rig.app.metrics.registry.getSingleMetricAsString(
        "contact_router_relay_refused_total",
      );
      expect(metrics).toMatch(/reason="TokenForgedError",stage="imap"} 1/);
    });
  },
);
