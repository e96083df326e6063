import type { ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { startApp, type RunningApp } from "../../src/main.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { SmtpSink, type ReceivedMail } from "../main/smtp-sink.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The relay address (and its token) a forward offers as Reply-To. */
export function replyAddressOf(mail: ParsedMail): string {
  const address = mail.replyTo?.value[0]?.address;
  if (!address) throw new Error("the forward has no Reply-To");
  return address;
}

/** The conversation reference a forward carries in its subject. */
export function refOf(mail: ParsedMail): string {
  const ref = /\[(C-[0-9A-Z]{5})\]/.exec(mail.subject ?? "")?.[1];
  if (!ref) throw new Error(`no reference in subject ${mail.subject}`);
  return ref;
}

export interface ReplyOptions {
  from: string;
  to: string;
  /** The affiliate's own words. */
  text: string;
  /** The forward being answered: quoted below the answer, as a mail client does. */
  quote?: ParsedMail;
  signature?: string;
  headers?: Record<string, string>;
  attachments?: Mail.Attachment[];
  messageId?: string;
  /** The envelope sender, when it differs from From (`""`: the null sender of bounces). */
  envelopeFrom?: string;
}

/** The body a mail client writes for a reply: answer, signature, then the quoted original. */
export function replyBody(o: Pick<ReplyOptions, "text" | "quote" | "signature">): string {
  const parts = [o.text];
  if (o.signature) parts.push(`-- \n${o.signature}`);
  if (o.quote) {
    const when = (o.quote.date ?? new Date()).toUTCString();
    const quoted = (o.quote.text ?? "")
      .split("\n")
      .map((l) => (l === "" ? ">" : `> ${l}`))
      .join("\n");
    parts.push(`On ${when}, contact-router <router@example.net> wrote:\n${quoted}`);
  }
  return parts.join("\n\n");
}

/** Sends a reply by plain SMTP to the relay listener, as an affiliate's mail server would. */
export async function sendReply(port: number, o: ReplyOptions): Promise<void> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    logger: false,
  });
  try {
    await transport.sendMail({
      from: o.from,
      to: o.to,
      ...(o.envelopeFrom !== undefined ? { envelope: { from: o.envelopeFrom, to: o.to } } : {}),
      subject: o.quote ? `Re: ${o.quote.subject ?? ""}` : "Re: your message",
      text: replyBody(o),
      ...(o.quote?.messageId
        ? { inReplyTo: o.quote.messageId, references: [o.quote.messageId] }
        : {}),
      ...(o.messageId ? { messageId: o.messageId } : {}),
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.attachments ? { attachments: o.attachments } : {}),
    });
  } finally {
    transport.close();
  }
}

/** A running app with an SMTP sink for its emails, on a private prefix; `stop()` cleans up. */
export interface RelayRig {
  app: RunningApp;
  sink: SmtpSink;
  prefix: string;
  /** The relay listener's port. */
  relayPort: number;
  /** Emails the sink received for one address. */
  mailsTo(address: string): ReceivedMail[];
  /** Waits for the n-th email (1-based) to an address. */
  waitMail(address: string, n?: number, timeoutMs?: number): Promise<ParsedMail>;
  /** Waits for an email to an address that satisfies `pick`. */
  waitMailWhere(
    address: string,
    pick: (m: ParsedMail) => boolean,
    timeoutMs?: number,
  ): Promise<ParsedMail>;
  /** Posts the web form. */
  postForm(fields: Record<string, string>, acceptLanguage?: string): Promise<Response>;
  /** Stops the app and starts it again on the same Redis prefix and data (a process restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RelayRigOptions {
  /** The conversation timers' clock (clarifying question, escalation). */
  now?: () => Date;
}

/**
 * How long to wait for what follows mail filed in a Dovecot mailbox: the watcher sees it on IDLE,
 * which Dovecot signals within its check interval, and a loaded CI machine adds to that.
 */
export const VIA_IMAP_MS = 60_000;

/**
 * Starts the app with every email going to an in-process SMTP sink and the relay on a free port;
 * `env` adds settings (a function of the sink's port, for channels that send by SMTP too).
 */
export async function relayRig(
  env: NodeJS.ProcessEnv | ((sinkPort: number) => NodeJS.ProcessEnv) = {},
  options: RelayRigOptions = {},
): Promise<RelayRig> {
  const sink = new SmtpSink();
  const port = await sink.listen();
  const extra = typeof env === "function" ? env(port) : env;
  const prefix = testPrefix();
  // Made here, not with testDir(): a rig may live for a whole describe block.
  const varDir = mkdtempSync(join(tmpdir(), "cr-relay-"));
  const start = (fullEnv: NodeJS.ProcessEnv) =>
    startApp({ env: fullEnv, ...(options.now ? { now: options.now } : {}) });
  let app: RunningApp;
  const fullEnv: NodeJS.ProcessEnv = {
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    VAR_DIR: varDir,
    PORT: "0",
    INTERNAL_PORT: "0",
    HOST: "127.0.0.1",
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SMTP_REQUIRE_TLS: "false",
    MAIL_FROM: "contact-router <router@example.net>",
    RELAY_SMTP_PORT: "0",
    RELAY_DOMAIN: "relay.example.net",
    FORM_RATE_LIMIT_MAX: "1000",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    ...extra,
  };
  try {
    app = await start(fullEnv);
  } catch (err) {
    await sink.close();
    rmSync(varDir, { recursive: true, force: true });
    throw err;
  }
  const relayPort = await waitFor("relay listening", () => app.conversations.relay?.port);
  const mailsTo = (address: string) => sink.received.filter((r) => r.to.includes(address));
  const rig: RelayRig = {
    app,
    sink,
    prefix,
    relayPort,
    mailsTo,
    async waitMail(address, n = 1, timeoutMs) {
      const got = await waitFor(
        `email ${n} to ${address}`,
        () => mailsTo(address)[n - 1],
        timeoutMs,
      );
      return got.mail;
    },
    async waitMailWhere(address, pick, timeoutMs) {
      const got = await waitFor(
        `an email to ${address}`,
        () => mailsTo(address).find((r) => pick(r.mail)),
        timeoutMs,
      );
      return got.mail;
    },
    postForm(fields, acceptLanguage = "en") {
      return fetch(`${rig.app.address}/contact`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "accept-language": acceptLanguage,
        },
        body: new URLSearchParams(fields).toString(),
      });
    },
    async restart() {
      await rig.app.stop();
      rig.app = await start(fullEnv);
      const started = rig.app;
      rig.relayPort = await waitFor("relay listening", () => started.conversations.relay?.port);
    },
    async stop() {
      await rig.app.stop();
      await sink.close();
      const r = testRedis();
      await cleanup(r, prefix);
      r.disconnect();
      rmSync(varDir, { recursive: true, force: true });
    },
  };
  return rig;
}
