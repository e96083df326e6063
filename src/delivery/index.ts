import nodemailer, { type Transporter } from "nodemailer";
import DKIM from "nodemailer/lib/dkim";
import { RouterError } from "../errors.js";
import { moduleLogger } from "../logger.js";
import { buildOutboxMessage, composeMail } from "./compose.js";
import { buildMime, type MimeMail } from "./mime.js";
import type { DeliveryConfig } from "./config.js";
import { writeOutboxFile } from "./outbox.js";
import { classifySmtpError } from "./smtp-errors.js";
import type { Delivery, DeliveryResult } from "./types.js";

export type { ContactToDeliver, Delivery, DeliveryResult } from "./types.js";
export { deliveryConfigFromEnv, type DeliveryConfig } from "./config.js";

const log = moduleLogger("delivery");

/**
 * The SMTP transport for `config`: pooled for sending; a single connection with shorter timeouts
 * for the readiness check (src/delivery/readiness.ts).
 */
export function smtpTransport(
  config: DeliveryConfig,
  opts: { pool: boolean; timeoutMs?: number } = { pool: true },
): Transporter {
  const s = config.smtp;
  if (!s) throw new Error("unreachable: no SMTP settings");
  const common = {
    ...(opts.pool ? { pool: true as const, maxConnections: s.poolSize } : {}),
    requireTLS: s.requireTls,
    tls: { rejectUnauthorized: s.rejectUnauthorized },
    ...(s.auth ? { auth: s.auth } : {}),
    ...(config.dkim ? { dkim: config.dkim } : {}),
    // A hung server must fail the job (and retry it), not hold the worker forever.
    connectionTimeout: opts.timeoutMs ?? 30_000,
    greetingTimeout: opts.timeoutMs ?? 30_000,
    socketTimeout: opts.timeoutMs ?? 60_000,
    // Readers' messages must not end up in nodemailer's own logs.
    logger: false,
    debug: false,
  };
  if (s.url) {
    // Explicit settings win over what the URL implies.
    const url = new URL(s.url);
    return nodemailer.createTransport({
      ...common,
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
      secure: s.secure ?? url.protocol === "smtps:",
      ...(url.username && !s.auth
        ? {
            auth: {
              user: decodeURIComponent(url.username),
              pass: decodeURIComponent(url.password),
            },
          }
        : {}),
    });
  }
  return nodemailer.createTransport({
    ...common,
    host: s.host,
    port: s.port,
    secure: s.secure ?? s.port === 465,
  });
}

/**
 * Delivery to affiliate inboxes: SMTP (pooled, TLS, optional DKIM) when SMTP is configured,
 * else `.eml` files in the outbox folder. Both paths send the same message (`buildMime`), signed by
 * nodemailer's DKIM module: the transport's for SMTP, the same module directly for the outbox.
 * The per-affiliate send limit (`config.rate`) is applied by the deliver stage, shared through
 * Redis by every deliver process (src/queue/scripts.ts), not here.
 */
export function createDelivery(config: DeliveryConfig): Delivery {
  const useSmtp = config.smtp !== null;
  const transport: Transporter | null = useSmtp ? smtpTransport(config) : null;
  const dkim = !useSmtp && config.dkim ? new DKIM(config.dkim) : undefined;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  /** Sends one composed email; `fileKey` names its outbox file, `label` says whom it is for in logs. */
  async function transmit(
    mail: MimeMail,
    fileKey: string,
    label: string,
    what: string,
  ): Promise<DeliveryResult> {
    if (closed) {
      throw new RouterError("DELIVERY_TRANSIENT", "delivery is shut down", { retryable: true });
    }
    const messageId = mail.messageId;
    const started = Date.now();
    if (!transport) {
      const raw = await buildOutboxMessage(mail, dkim);
      const file = await writeOutboxFile(config.outboxDir, fileKey, raw);
      log.info(
        { to: label, messageId, file, ms: Date.now() - started },
        `${what} written to outbox`,
      );
      return { messageId, transport: "outbox" };
    }
    try {
      // The exact bytes the outbox would hold (CRLF form); the transport DKIM-signs them.
      await transport.sendMail({
        envelope: { from: mail.from.address, to: [mail.to.address] },
        raw: buildMime(mail),
      });
    } catch (err) {
      const classified = classifySmtpError(err, label);
      log.warn(
        { to: label, messageId, code: classified.code, reason: classified.message },
        "SMTP delivery failed",
      );
      throw classified;
    }
    log.info({ to: label, messageId, ms: Date.now() - started }, `${what} delivered by SMTP`);
    return { messageId, transport: "smtp" };
  }

  function tracked(p: Promise<DeliveryResult>): Promise<DeliveryResult> {
    inFlight.add(p);
    void p.then(
      () => inFlight.delete(p),
      () => inFlight.delete(p),
    );
    return p;
  }

  return {
    send(c) {
      let mail: MimeMail;
      try {
        mail = composeMail(c, config);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return tracked(transmit(mail, c.contactId, c.affiliate.id, "contact"));
    },
    sendMail(mail, key, label) {
      return tracked(transmit(mail, key, label, "email"));
    },
    async close() {
      closed = true;
      // Graceful shutdown: let started sends finish (their jobs complete) before the pool closes.
      await Promise.allSettled([...inFlight]);
      transport?.close();
    },
  };
}
