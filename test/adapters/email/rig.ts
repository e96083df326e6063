import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { ImapFlow } from "imapflow";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { EmailAdapter, type EmailAdapterOptions } from "../../../adapters/email/adapter.js";
import { offlineResolver, checkEmailAuth } from "../../../adapters/email/auth.js";
import type { EmailConfig } from "../../../adapters/email/config.js";
import type { DovecotServer } from "../../support/dovecot.js";

/** One mail the in-process SMTP server accepted. */
export interface ReceivedMail {
  to: string;
  text: string;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  autoSubmitted: string | undefined;
}

/** A real SMTP server (smtp-server) in this process that records what it is sent. */
export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  private nextError: { code: number; text: string } | null = null;
  readonly server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          if (this.nextError !== null) {
            const { code, text } = this.nextError;
            this.nextError = null;
            callback(Object.assign(new Error(text), { responseCode: code }));
            return;
          }
          const rcpt = session.envelope.rcptTo.map((r) => r.address);
          simpleParser(Buffer.concat(chunks)).then(
            (mail) => {
              for (const to of rcpt) {
                const refs = mail.references;
                this.received.push({
                  to,
                  text: (mail.text ?? "").trim(),
                  messageId: mail.messageId,
                  inReplyTo: mail.inReplyTo,
                  references: refs === undefined ? [] : Array.isArray(refs) ? refs : [refs],
                  autoSubmitted: mail.headers.get("auto-submitted") as string | undefined,
                });
              }
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
  }

  /** Answers the next DATA with a 451 asking to retry in `seconds`. */
  throttleNextSend(seconds: number): void {
    this.failNext(451, `4.7.1 Too many messages, try again in ${seconds} seconds`);
  }

  /** Answers the next DATA with this SMTP reply code and text. */
  failNext(code: number, text: string): void {
    this.nextError = { code, text };
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    const addr = this.server.server.address();
    this.port = typeof addr === "object" && addr !== null ? addr.port : 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A TCP relay in front of Dovecot whose connections a test can cut, as a network drop would. */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  private readonly server: Server;
  port = 0;

  constructor(targetPort: number) {
    this.server = createServer((down) => {
      const up = connect({ host: "127.0.0.1", port: targetPort });
      this.clients.add(down);
      down.on("close", () => this.clients.delete(down));
      for (const s of [down, up]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined);
      }
      down.pipe(up).pipe(down);
      down.on("close", () => up.destroy());
      up.on("close", () => down.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    const addr = this.server.address();
    this.port = typeof addr === "object" && addr !== null ? addr.port : 0;
  }

  /** Drops every open connection (the server keeps listening). Returns how many were cut. */
  cutAll(): number {
    const n = this.clients.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  stop(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Adapter configuration pointing at a Dovecot (or a proxy in front of it) and the fake SMTP. */
export function emailConfig(
  dovecot: DovecotServer,
  smtpPort: number,
  over: { imapPort?: number; mailbox?: string; password?: string } = {},
): EmailConfig {
  return {
    imap: {
      host: dovecot.host,
      port: over.imapPort ?? dovecot.port,
      secure: false,
      user: dovecot.user,
      password: over.password ?? dovecot.password,
      mailbox: over.mailbox ?? "INBOX",
      tlsVerify: false,
    },
    smtp: { host: "127.0.0.1", port: smtpPort, secure: false, tlsVerify: false },
    from: "Contact Router <contact@leftcom.test>",
    replySubject: "Re: your message",
    authDns: "off",
  };
}

/** Short timings so tests see reconnects and retries within seconds. */
export const FAST: EmailAdapterOptions = {
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  pollIntervalMs: 3_000,
  checkAuth: (raw) => checkEmailAuth(raw, { resolver: offlineResolver, timeoutMs: 2_000 }),
  smtpRetry: { attempts: 4, baseDelayMs: 200, maxWaitMs: 5_000 },
};

export function newAdapter(config: EmailConfig): EmailAdapter {
  return new EmailAdapter(config, FAST);
}

/** A reader's mail as it would arrive, with a unique Message-ID. */
export function readerMail(text: string, extraHeaders = ""): { raw: string; id: string } {
  const mid = `${randomUUID()}@reader.example.de`;
  const raw =
    `Received: from mx.example.de ([192.0.2.10]) by imap.contact.test; ${new Date().toUTCString()}\r\n` +
    `From: Reader <reader@example.de>\r\nTo: contact@leftcom.test\r\nSubject: Hallo\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMessage-ID: <${mid}>\r\n${extraHeaders}` +
    `Content-Type: text/plain; charset=UTF-8\r\n\r\n${text}\r\n`;
  return { raw, id: `email:${mid}` };
}

/** An IMAP client for the test side (APPEND, mailbox admin), as another mail client would be. */
export async function appender(dovecot: DovecotServer): Promise<ImapFlow> {
  const c = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  c.on("error", () => undefined);
  await c.connect();
  return c;
}
