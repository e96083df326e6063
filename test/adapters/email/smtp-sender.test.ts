import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SmtpSender } from "../../../adapters/email/smtp-sender.js";
import type { EmailConfig } from "../../../adapters/email/config.js";
import { AdapterError, RateLimitError } from "../../../src/errors.js";
import { FakeSmtp } from "./rig.js";

const smtp = new FakeSmtp();
let sender: SmtpSender;

function config(port: number): EmailConfig {
  return {
    imap: {
      host: "127.0.0.1",
      port: 1,
      secure: false,
      user: "u",
      password: "p",
      mailbox: "INBOX",
      tlsVerify: false,
    },
    smtp: { host: "127.0.0.1", port, secure: false, tlsVerify: false },
    from: "Contact Router <contact@leftcom.test>",
    replySubject: "Re: your message",
    authDns: "off",
  };
}

beforeAll(async () => {
  await smtp.start();
  sender = new SmtpSender(config(smtp.port), { attempts: 3, baseDelayMs: 100, maxWaitMs: 2_000 });
});
afterAll(async () => {
  sender.close();
  await smtp.stop();
});

describe("email replies over SMTP (nodemailer → smtp-server)", () => {
  it("threads the reply and derives a stable Message-ID from the idempotency key", async () => {
    const before = smtp.received.length;
    const msg = {
      to: "email:reader@example.de",
      text: "Danke, wir melden uns.",
      idempotencyKey: "ack:email:abc@example.de",
      inReplyTo: "email:abc@example.de",
    };
    const a = await sender.send(msg);
    const b = await sender.send(msg);
    expect(a.platformMessageId).toBe(b.platformMessageId);
    expect(a.platformMessageId).toMatch(/^email:[0-9a-f]{32}@leftcom\.test$/);
    const got = smtp.received.slice(before);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({
      to: "reader@example.de",
      text: "Danke, wir melden uns.",
      messageId: `<${a.platformMessageId.slice("email:".length)}>`,
      inReplyTo: "<abc@example.de>",
      references: ["<abc@example.de>"],
      autoSubmitted: "auto-replied",
    });
  });

  it("waits the server's hinted delay on a 4xx and then delivers", async () => {
    const before = smtp.received.length;
    smtp.throttleNextSend(1);
    const started = Date.now();
    await sender.send({ to: "email:reader@example.de", text: "after wait", idempotencyKey: "k1" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(smtp.received.slice(before).map((m) => m.text)).toEqual(["after wait"]);
  });

  it("throws RateLimitError when the server asks for longer than the bound", async () => {
    smtp.throttleNextSend(60);
    const err = await sender
      .send({ to: "email:reader@example.de", text: "x", idempotencyKey: "k2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(60_000);
  });

  it("turns a 5xx into a permanent delivery error", async () => {
    smtp.failNext(550, "5.1.1 mailbox unavailable");
    const err = await sender
      .send({ to: "email:reader@example.de", text: "x", idempotencyKey: "k3" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe("DELIVERY_PERMANENT");
    expect((err as AdapterError).retryable).toBe(false);
  });

  it("rejects a target that is not an email address id", async () => {
    for (const to of ["telegram:123", "email:not-an-address"]) {
      const err = await sender
        .send({ to, text: "x", idempotencyKey: "k4" })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdapterError);
      expect((err as AdapterError).message).toMatch(/not an email:<address> id/);
    }
  });

  it("gives up with a retryable error when the server stays unreachable", async () => {
    const dead = new SmtpSender(config(1), { attempts: 2, baseDelayMs: 50, maxWaitMs: 1_000 });
    const err = await dead
      .send({ to: "email:reader@example.de", text: "x", idempotencyKey: "k5" })
      .catch((e: unknown) => e);
    dead.close();
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe("DELIVERY_TRANSIENT");
    expect((err as AdapterError).retryable).toBe(true);
  });
});
