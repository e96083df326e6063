import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDelivery } from "../../src/delivery/index.js";
import { outboxFileName } from "../../src/delivery/outbox.js";
import type { DeliveryConfig } from "../../src/delivery/config.js";
import type { Delivery } from "../../src/delivery/types.js";
import { RouterError } from "../../src/errors.js";
import { REPLY_MARKER } from "../../src/delivery/receipt.js";
import { FIXTURE_TOKEN, config, contact, dkimResult, forward } from "./fixtures.js";

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
  raw: string;
}

/** A real SMTP server: `defer@…` gets 451, `reject@…` gets 550, everything else is accepted. */
const received: Received[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onRcptTo(address, _session, cb) {
    if (address.address.startsWith("defer@")) {
      const err = new Error("Mailbox busy, try later") as Error & { responseCode: number };
      err.responseCode = 451;
      return cb(err);
    }
    if (address.address.startsWith("reject@")) {
      const err = new Error("No such user here") as Error & { responseCode: number };
      err.responseCode = 550;
      return cb(err);
    }
    cb();
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      simpleParser(raw)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
            raw,
          });
          cb();
        })
        .catch(cb);
    });
  },
});
let port = 0;
const open: Delivery[] = [];

function smtpConfig(over: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return config({
    smtp: {
      host: "127.0.0.1",
      port,
      secure: false,
      requireTls: false,
      rejectUnauthorized: true,
      poolSize: 2,
    },
    ...over,
  });
}

function delivery(cfg: DeliveryConfig): Delivery {
  const d = createDelivery(cfg);
  open.push(d);
  return d;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
  received.length = 0;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("SMTP delivery", () => {
  it("sends one readable email to the affiliate's inbox with the receipt and headers", async () => {
    const d = delivery(smtpConfig());
    const c = contact();
    const result = await d.send(c);
    expect(result.transport).toBe("smtp");
    expect(received).toHaveLength(1);
    const { to, mail, raw } = received[0]!;
    expect(to).toEqual(["de@leftcom.org"]);
    expect(mail.subject).toBe(
      "[C-7KQ2M] Telegram · AT · de — Hallo, ich wohne in Wien und möchte mehr über eure Arbeit…",
    );
    expect(mail.messageId).toBe(result.messageId);
    expect(result.messageId).toMatch(/^<[0-9a-f]{32}@example\.org>$/);
    expect(raw).toContain("X-Contact-Router-Affiliate: gik");
    expect(raw).toContain("X-Contact-Router-Step: nearest");

    expect(mail.replyTo?.value[0]?.address).toBe(`relay+${FIXTURE_TOKEN}@relay.example.org`);
    expect(raw).toContain("X-Contact-Router-Ref: C-7KQ2M");

    const text = mail.text ?? "";
    for (const piece of [
      REPLY_MARKER,
      "Conversation C-7KQ2M: a new contact",
      "How to answer: reply to this email.",
      `Your reply goes to relay+${FIXTURE_TOKEN}@relay.example.org`,
      "Reference:",
      "#reroute <id> [why]",
      "Telegram",
      "Anna · @anna_w",
      "ich wohne in Wien",
      "Gruppe Internationalistischer Kommunistinnen (gik)",
      "the nearest affiliate, 523 km away",
      "Austria (Vienna), from what the reader says in the message",
      "German, recognised from the text",
      "not needed",
      "Language recognition: program eld, 95% sure",
      "How sure the router was of this routing: 86%",
      "Second choice: pcint, 622 km, because: does not speak de",
      "    - Vienna is 523 km from Berlin (gik, speaks de)",
      "flyer.pdf (20.0 KB, application/pdf) (not forwarded)",
    ]) {
      expect(text).toContain(piece);
    }
    // The reader's markup is shown as text, never interpreted.
    expect(mail.html).toContain("&lt;b&gt;Grüße&lt;/b&gt; &amp; Dank");
    expect(mail.html).not.toContain("<b>Grüße</b>");
    expect(mail.attachments).toHaveLength(0);
  });

  it("gives a resend the same Message-ID and threads follow-ups under the first contact", async () => {
    const d = delivery(smtpConfig());
    const first = await d.send(contact());
    const again = await d.send(contact());
    expect(again.messageId).toBe(first.messageId);
    const follow = await d.send(
      contact({
        contactId: "c:telegram:1001:78",
        conversation: forward({ followUp: true, earlier: ["c:telegram:1001:77"] }),
      }),
    );
    expect(follow.messageId).not.toBe(first.messageId);
    const followMail = received[2]!.mail;
    expect(followMail.inReplyTo).toBe(first.messageId);
    expect(followMail.references).toEqual(first.messageId);
    expect(followMail.subject).toBe(`Re: ${received[0]!.mail.subject}`);
    expect(received[0]!.mail.inReplyTo).toBeUndefined();
  });

  it("classifies 4xx as transient and 5xx as permanent, with the server's reason", async () => {
    const d = delivery(smtpConfig());
    const deferred = contact({ affiliate: { id: "x", name: "X", inbox: "defer@example.org" } });
    const err4 = await d.send(deferred).catch((e: unknown) => e);
    expect(err4).toBeInstanceOf(RouterError);
    expect((err4 as RouterError).code).toBe("DELIVERY_TRANSIENT");
    expect((err4 as RouterError).retryable).toBe(true);
    expect((err4 as RouterError).message).toMatch(/451.*Mailbox busy/);

    const rejected = contact({ affiliate: { id: "y", name: "Y", inbox: "reject@example.org" } });
    const err5 = await d.send(rejected).catch((e: unknown) => e);
    expect((err5 as RouterError).code).toBe("DELIVERY_PERMANENT");
    expect((err5 as RouterError).retryable).toBe(false);
    expect((err5 as RouterError).message).toMatch(/550.*No such user/);
    expect(received).toHaveLength(0);
  });

  it("accepts an SMTP_URL and lets close() finish sends already started", async () => {
    const d = createDelivery(
      config({
        smtp: {
          url: `smtp://127.0.0.1:${port}`,
          requireTls: false,
          rejectUnauthorized: true,
          poolSize: 1,
        },
      }),
    );
    const sends = [d.send(contact()), d.send(contact({ contactId: "c:url-2" }))];
    await d.close();
    const results = await Promise.all(sends);
    expect(results.map((r) => r.transport)).toEqual(["smtp", "smtp"]);
    expect(received).toHaveLength(2);
    await expect(d.send(contact({ contactId: "c:after-close" }))).rejects.toMatchObject({
      code: "DELIVERY_TRANSIENT",
    });
  });

  it("treats an unreachable server as transient", async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cfg = smtpConfig();
    const d = delivery({ ...cfg, smtp: { ...cfg.smtp!, port: deadPort } });
    const err = await d.send(contact()).catch((e: unknown) => e);
    expect((err as RouterError).code).toBe("DELIVERY_TRANSIENT");
    expect((err as RouterError).message).toMatch(/before the server answered/);
  });

  it("sends the same message the outbox writes, DKIM-signed on both paths", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const dkim = {
      domainName: "example.org",
      keySelector: "cr1",
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
    const dir = await mkdtemp(join(tmpdir(), "outbox-same-"));
    try {
      const c = contact({
        conversation: forward({ followUp: true, earlier: ["c:telegram:1001:1"] }),
      });
      const bySmtp = await delivery(smtpConfig({ dkim })).send(c);
      const byOutbox = await delivery(config({ outboxDir: dir, dkim })).send(c);
      expect(byOutbox.messageId).toBe(bySmtp.messageId);
      const smtpRaw = received[0]!.raw;
      const outboxRaw = await readFile(join(dir, outboxFileName(c.contactId)), "utf8");
      expect(outboxRaw).not.toContain("\r");

      for (const raw of [smtpRaw, outboxRaw]) expect(await dkimResult(raw, publicKey)).toBe("pass");
      // Equal up to line ends, the MIME boundaries (random) and what depends on the send time.
      const comparable = (raw: string) => {
        let s = raw.replace(/\r\n/g, "\n");
        for (const [, b] of s.matchAll(/boundary="([^"]+)"/g)) s = s.replaceAll(b!, "BOUNDARY");
        const [head = "", ...body] = s.split("\n\n");
        const headers = head
          .replace(/\n[ \t]+/g, " ")
          .split("\n")
          .filter((h) => !/^(Date|DKIM-Signature):/i.test(h));
        return { headers, body: body.join("\n\n") };
      };
      const a = comparable(smtpRaw);
      expect(a.headers.some((h) => h.startsWith("In-Reply-To: <"))).toBe(true);
      expect(a.headers.length).toBeGreaterThan(8);
      expect(comparable(outboxRaw)).toEqual(a);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
