import { type AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { pino } from "pino";
import { Registry } from "prom-client";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDelivery } from "../../src/delivery/index.js";
import { buildHttpServer } from "../../src/http/server.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import type { Intake } from "../../src/queue/intake.js";
import { loadRulesFile } from "../../src/routing/load.js";
import { routeMessage } from "../../src/routing/route.js";
import { testHttpConfig } from "../http/support.js";
import { config } from "./fixtures.js";

/*
 * The web channel end to end without the queue: form POST → normalize → routeMessage with the
 * repository's routing-rules.yaml → delivery → a real SMTP server. The queued version of this
 * lives with the pipeline's tests.
 */
const mails: { to: string[]; mail: ParsedMail }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, session, cb) {
    simpleParser(stream)
      .then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
        cb();
      })
      .catch(cb);
  },
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe("web form to affiliate inbox", () => {
  it("routes a form post by the stated country and delivers the receipt by SMTP", async () => {
    const rules = loadRulesFile();
    const delivery = createDelivery(
      config({
        smtp: {
          host: "127.0.0.1",
          port,
          secure: false,
          requireTls: false,
          rejectUnauthorized: true,
          poolSize: 1,
        },
      }),
    );
    const delivered: string[] = [];
    const intake: Intake = {
      async submit(message: InboundMessage) {
        const { evidence, decision } = routeMessage(message, rules);
        const a = rules.affiliates.find((x) => x.id === decision.affiliate)!;
        const r = await delivery.send({
          contactId: `c:${message.id}`,
          message,
          evidence,
          decision,
          affiliate: { id: a.id, name: a.name, inbox: a.inbox },
        });
        delivered.push(r.messageId);
        return { jobId: message.id, duplicate: false };
      },
      quarantine: () => Promise.reject(new Error("not expected")),
    };
    const app = buildHttpServer({
      intake,
      metricsRegistry: new Registry(),
      logger: pino({ level: "silent" }),
      config: testHttpConfig(),
    });
    const res = await app.inject({
      method: "POST",
      url: "/contact",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "de-AT" },
      payload: new URLSearchParams({
        lang: "de",
        name: "Jana",
        email: "jana@example.at",
        country: "AT",
        message: "Hallo, ich möchte mit euch über die Lage hier reden.",
      }).toString(),
    });
    await app.close();
    await delivery.close();
    expect(res.statusCode).toBe(200);
    expect(delivered).toHaveLength(1);
    expect(mails).toHaveLength(1);
    const { to, mail } = mails[0]!;
    expect(to).toEqual(["de@leftcom.org"]);
    expect(mail.subject).toBe(
      "[contact] Web form · AT · de — Hallo, ich möchte mit euch über die Lage hier reden.",
    );
    expect(mail.messageId).toBe(delivered[0]);
    expect(mail.text).toContain("Jana · jana@example.at");
    expect(mail.text).toContain("the reader's own answer");
    expect(mail.headers.get("x-contact-router-affiliate")).toBe("gik");
  });
});
