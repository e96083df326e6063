import { randomBytes } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuarantineEntry } from "../../src/queue/quarantine.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "./support.js";

/*
 * Every way the relay refuses a reply, through the running app: each has its defined outcome
 * (refused during SMTP, or kept in quarantine with its typed reason), and none reaches the reader.
 * Readers here use the web form with an email address, so anything sent to them lands in the
 * SMTP sink too: `toReader` must stay empty unless the test relays an answer on purpose.
 */

const AFFILIATE = "it@leftcom.org";

describe("relay refusals (running app, real SMTP both ways)", () => {
  let rig: RelayRig;
  let n = 0;

  beforeAll(async () => {
    rig = await relayRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  /** A new web-form reader from Italy; resolves to their address and the forward. */
  async function newContact(): Promise<{ reader: string; forward: ParsedMail; relay: string }> {
    n += 1;
    const reader = `lettore${n}-${randomBytes(3).toString("hex")}@example.com`;
    const message = `Ciao, sono il lettore numero ${n} e scrivo da Bologna.`;
    expect((await rig.postForm({ country: "IT", email: reader, message })).status).toBe(200);
    const forward = await rig.waitMailWhere(AFFILIATE, (m) => (m.text ?? "").includes(message));
    return { reader, forward, relay: replyAddressOf(forward) };
  }

  async function quarantined(reason: RegExp): Promise<QuarantineEntry> {
    return waitFor(`quarantine ${reason}`, async () =>
      (await rig.app.pipeline.quarantine.list(1000)).find((e) => reason.test(e.reason)),
    );
  }

  /** An SMTP error from sending, or null when the relay accepted the message. */
  async function smtpRefusal(
    send: Promise<void>,
  ): Promise<{ responseCode?: number; response?: string } | null> {
    return send.then(
      () => null,
      (err: { responseCode?: number; response?: string }) => err,
    );
  }

  /** Waits until the relay worker has finished every job it was given. */
  async function relayIdle(): Promise<void> {
    await waitFor("relay idle", async () => {
      const c = await rig.app.pipeline.queues.relay.getJobCounts("wait", "active", "delayed");
      return (c.wait ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    });
  }

  it("refuses a made-up token during the SMTP dialogue (550), and counts it", async () => {
    await newContact();
    const forged = `relay+${"a".repeat(53)}@relay.example.net`;
    const err = await smtpRefusal(
      sendReply(rig.relayPort, { from: AFFILIATE, to: forged, text: "Ciao" }),
    );
    expect(err?.responseCode).toBe(550);
    const counted = await rig.app.metrics.registry.getSingleMetricAsString(
      "contact_router_relay_refused_total",
    );
    expect(counted).toMatch(/reason="TokenMalformedError",stage="smtp"} 1/);
  });

  it("refuses an altered token (550 TokenForgedError) and nothing reaches the reader", async () => {
    const { reader, relay, forward } = await newContact();
    const at = relay.indexOf("@");
    const i = at - 20; // inside the HMAC
    const altered = relay.slice(0, i) + (relay[i] === "a" ? "b" : "a") + relay.slice(i + 1);
    const err = await smtpRefusal(
      sendReply(rig.relayPort, { from: AFFILIATE, to: altered, text: "Risposta", quote: forward }),
    );
    expect(err?.responseCode).toBe(550);
    await quarantined(/^TokenForgedError/);
    expect(rig.mailsTo(reader)).toHaveLength(0);
  });

  it("is no open relay: other addresses and other domains are refused (550)", async () => {
    for (const to of ["someone@relay.example.net", "relay+x@other.example.org"]) {
      const err = await smtpRefusal(sendReply(rig.relayPort, { from: AFFILIATE, to, text: "x" }));
      expect(err?.responseCode, to).toBe(550);
    }
  });

  it("refuses a token whose conversation was erased (550 TokenExpiredError)", async () => {
    const { reader, relay, forward } = await newContact();
    const conv = await rig.app.conversations.store.getByRef(refOf(forward));
    expect(await rig.app.conversations.store.delete(conv!.id)).toBe(true);
    const err = await smtpRefusal(
      sendReply(rig.relayPort, { from: AFFILIATE, to: relay, text: "Ciao", quote: forward }),
    );
    expect(err?.responseCode).toBe(550);
    expect(err?.response).toMatch(/has ended/);
    await quarantined(/^TokenExpiredError/);
    expect(rig.mailsTo(reader)).toHaveLength(0);
  });

  it("refuses a reply from an address that is not the affiliate's, and explains it once an hour", async () => {
    const { reader, relay, forward } = await newContact();
    const stranger = `stranger-${randomBytes(3).toString("hex")}@example.org`;
    await sendReply(rig.relayPort, {
      from: stranger,
      to: relay,
      text: "Sono io, rispondo io.",
      quote: forward,
    });
    await quarantined(/^SenderNotAllowedError/);
    const bounce = await rig.waitMail(stranger);
    // In the language of the affiliate whose conversation it is (pcint: Italian).
    expect(bounce.subject).toBe("La vostra risposta non è stata inoltrata");
    expect(bounce.text).toContain("Solo la casella del gruppo che segue la conversazione");
    expect(bounce.text).toContain("reply_from");
    await sendReply(rig.relayPort, {
      from: stranger,
      to: relay,
      text: "Di nuovo io.",
      quote: forward,
    });
    await relayIdle();
    expect(rig.mailsTo(stranger)).toHaveLength(1);
    expect(rig.mailsTo(reader)).toHaveLength(0);
  });

  it("keeps out-of-office replies, bounces and list mail from the reader, without answering them", async () => {
    const { reader, relay, forward } = await newContact();
    await sendReply(rig.relayPort, {
      from: AFFILIATE,
      to: relay,
      text: "Sono in ferie fino al 3 gennaio.",
      headers: { "Auto-Submitted": "auto-replied" },
    });
    expect((await quarantined(/^AutoReplyError: .*Auto-Submitted: auto-replied/)).stage).toBe(
      "relay",
    );
    await sendReply(rig.relayPort, {
      from: "MAILER-DAEMON@leftcom.org",
      envelopeFrom: "",
      to: relay,
      text: "Delivery to the following recipient failed permanently.",
    });
    await quarantined(/^AutoReplyError: .*(null envelope sender|mail system)/);
    await sendReply(rig.relayPort, {
      from: AFFILIATE,
      to: relay,
      text: "Newsletter di dicembre",
      headers: { "List-Id": "<news.leftcom.org>" },
    });
    await quarantined(/^AutoReplyError: .*list mail/);
    await relayIdle();
    expect(rig.mailsTo(reader)).toHaveLength(0);
    // No explanation goes back to robots.
    expect(rig.mailsTo("MAILER-DAEMON@leftcom.org")).toHaveLength(0);
    expect(
      rig
        .mailsTo(AFFILIATE)
        .filter((m) => m.mail.subject === "La vostra risposta non è stata inoltrata"),
    ).toHaveLength(0);
    expect(forward.messageId).toBeDefined();
  });

  it("holds a reply with only the quote for an admin, and tells the affiliate", async () => {
    const { reader, relay, forward } = await newContact();
    await sendReply(rig.relayPort, { from: AFFILIATE, to: relay, text: "", quote: forward });
    const entry = await quarantined(/^EmptyReplyError: .*held for an admin/);
    expect(await rig.app.pipeline.quarantine.raw(entry.ref)).toContain("Ciao, sono il lettore");
    const notice = await rig.waitMailWhere(AFFILIATE, (m) =>
      (m.text ?? "").includes("non aveva testo vostro sopra l'email citata"),
    );
    expect(notice.text).toContain(refOf(forward));
    expect(rig.mailsTo(reader)).toHaveLength(0);
  });

  it("refuses a 10 MB reply during the SMTP dialogue (552) and stores nothing of its body", async () => {
    const { reader, relay, forward } = await newContact();
    const big = randomBytes(10 * 1024 * 1024);
    const err = await smtpRefusal(
      sendReply(rig.relayPort, {
        from: AFFILIATE,
        to: relay,
        text: "Ecco il volantino.",
        quote: forward,
        attachments: [{ filename: "volantino.pdf", content: big, contentType: "application/pdf" }],
      }),
    );
    expect(err?.responseCode).toBe(552);
    const entry = await quarantined(/^MessageTooLargeError/);
    const kept = (await rig.app.pipeline.quarantine.raw(entry.ref)) ?? "";
    expect(kept.length).toBeLessThan(200 * 1024);
    expect(
      await rig.app.pipeline.queues.relay.getJobCounts("wait", "active", "completed"),
    ).toMatchObject({
      wait: 0,
      active: 0,
    });
    expect(rig.mailsTo(reader)).toHaveLength(0);
  });

  it("relays the text of a reply with an attachment, and tells the affiliate the file was not passed on", async () => {
    const { reader, relay, forward } = await newContact();
    await sendReply(rig.relayPort, {
      from: AFFILIATE,
      to: relay,
      text: "Ti mando il programma in allegato.",
      quote: forward,
      attachments: [
        { filename: "programma.pdf", content: randomBytes(50_000), contentType: "application/pdf" },
      ],
    });
    const answer = await rig.waitMail(reader);
    expect(answer.text).toContain("Ti mando il programma in allegato.");
    expect(answer.attachments).toHaveLength(0);
    const notice = await rig.waitMailWhere(AFFILIATE, (m) =>
      (m.text ?? "").includes("è stata inoltrata senza allegati"),
    );
    expect(notice.text).toContain("programma.pdf");
  });

  it("relays a Message-ID once: the same reply sent twice reaches the reader once", async () => {
    const { reader, relay, forward } = await newContact();
    const messageId = `<dup-${randomBytes(4).toString("hex")}@leftcom.org>`;
    await sendReply(rig.relayPort, {
      from: AFFILIATE,
      to: relay,
      text: "Risposta unica.",
      quote: forward,
      messageId,
    });
    await rig.waitMail(reader);
    await sendReply(rig.relayPort, {
      from: AFFILIATE,
      to: relay,
      text: "Risposta unica.",
      quote: forward,
      messageId,
      headers: { "X-Resent": "yes" },
    });
    await quarantined(/^DuplicateReplyError/);
    await relayIdle();
    expect(rig.mailsTo(reader)).toHaveLength(1);
  });
});
