import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type { OutboundText } from "../types.js";
import { AdapterError, RateLimitError } from "../../src/errors.js";
import { decodeId, encodeId } from "../../src/message/ids.js";
import type { EmailConfig } from "./config.js";

/** Bounds for waiting on a busy SMTP server before giving the job back to the queue. */
export interface SmtpRetryPolicy {
  /** Attempts in total, including the first. */
  attempts: number;
  /** First wait when the server gives no hint; doubles per attempt. */
  baseDelayMs: number;
  /** A wait longer than this is not done here: RateLimitError is thrown for the queue to retry. */
  maxWaitMs: number;
}

const DEFAULT_POLICY: SmtpRetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxWaitMs: 30_000 };

interface SmtpErrorShape {
  responseCode?: number;
  code?: string;
  response?: string;
}

/** "try again in 30 seconds", "retry after 5s": the server's own hint, in ms. */
function hintedWaitMs(response: string | undefined): number | undefined {
  const m = /(?:in|after)\s+(\d{1,5})\s*(?:s\b|sec|second)/i.exec(response ?? "");
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1_000;
}

const ADDRESS = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:]{1,255}$/;

/**
 * Sends replies to readers over SMTP with nodemailer: one pooled connection with nodemailer's
 * own rate limit, a Message-ID derived from the idempotency key (a resend carries the same id,
 * so receiving servers and threads see one message), and In-Reply-To/References set when known.
 */
export class SmtpSender {
  private transport: Transporter<SMTPPool.SentMessageInfo> | null = null;
  private readonly domain: string;

  constructor(
    private readonly config: EmailConfig,
    private readonly policy: SmtpRetryPolicy = DEFAULT_POLICY,
  ) {
    this.domain = /@([^\s>]+)/.exec(config.from)?.[1] ?? "contact-router.invalid";
  }

  private getTransport(): Transporter<SMTPPool.SentMessageInfo> {
    this.transport ??= nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      // Well below what mail providers throttle at; replies are few.
      rateDelta: 1_000,
      rateLimit: 5,
      host: this.config.smtp.host,
      port: this.config.smtp.port,
      secure: this.config.smtp.secure,
      ...(this.config.smtp.user === undefined
        ? {}
        : { auth: { user: this.config.smtp.user, pass: this.config.smtp.password ?? "" } }),
      tls: { rejectUnauthorized: this.config.smtp.tlsVerify },
      connectionTimeout: 15_000,
      socketTimeout: 30_000,
    });
    return this.transport;
  }

  /** The Message-ID used for an idempotency key (without angle brackets). */
  messageIdFor(idempotencyKey: string): string {
    const hash = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32);
    return `${hash}@${this.domain}`;
  }

  /** Sends one text; retries SMTP 4xx and connection errors within the policy's bounds. */
  async send(message: OutboundText): Promise<{ platformMessageId: string }> {
    const { channel, rest: to } = decodeId(message.to);
    if (channel !== "email" || !ADDRESS.test(to)) {
      throw new AdapterError(
        "email",
        "INVALID_PAYLOAD",
        "send target is not an email:<address> id",
      );
    }
    const messageId = this.messageIdFor(message.idempotencyKey);
    let parent: string | undefined;
    if (message.inReplyTo !== undefined) {
      const decoded = decodeId(message.inReplyTo);
      if (decoded.channel === "email") parent = `<${decoded.rest}>`;
    }
    const mail = {
      from: this.config.from,
      to,
      subject: this.config.replySubject,
      text: message.text,
      messageId: `<${messageId}>`,
      ...(parent === undefined ? {} : { inReplyTo: parent, references: [parent] }),
      headers: { "Auto-Submitted": "auto-replied" },
    };

    for (let attempt = 1; ; attempt++) {
      try {
        await this.getTransport().sendMail(mail);
        return { platformMessageId: encodeId("email", messageId) };
      } catch (err) {
        const e = err as SmtpErrorShape;
        const code = e.responseCode;
        if (code !== undefined && code >= 500) {
          throw new AdapterError(
            "email",
            "DELIVERY_PERMANENT",
            `SMTP refused the reply (${code})`,
            {
              cause: err,
            },
          );
        }
        if (e.code === "EAUTH") {
          throw new AdapterError("email", "ADAPTER_AUTH", "SMTP authentication failed", {
            cause: err,
          });
        }
        const wait = hintedWaitMs(e.response) ?? this.policy.baseDelayMs * 2 ** (attempt - 1);
        if (wait > this.policy.maxWaitMs) {
          throw new RateLimitError(`email: SMTP asked to wait ${wait} ms`, wait, { cause: err });
        }
        if (attempt >= this.policy.attempts) {
          throw new AdapterError(
            "email",
            "DELIVERY_TRANSIENT",
            `SMTP still failing after ${attempt} attempts (${code ?? e.code ?? "error"})`,
            { retryable: true, cause: err },
          );
        }
        await sleep(wait);
      }
    }
  }

  /** Closes the pooled SMTP connection. */
  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}
