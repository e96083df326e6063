import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { moduleLogger } from "../logger.js";
import { MessageTooLargeError, RelayRefusal, UnknownRecipientError } from "./errors.js";
import type { SmtpOrigin } from "./sender-auth.js";
import { tokenOfAddress } from "./token.js";

const log = moduleLogger("relay");

/** How much of an oversized message is kept for the quarantine (its headers). */
const HEAD_BYTES = 64 * 1024;

export interface RelayListenerOptions {
  host: string;
  port: number;
  /** Only `relay+<token>@<domain>` is accepted. */
  domain: string;
  /** The SIZE limit, in bytes. */
  maxBytes: number;
  /** Offer STARTTLS with this key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer };
  /** RCPT TO: throws the RelayRefusal that refuses a token (forged, altered, expired). */
  checkRecipient(token: string): Promise<void>;
  /** Stores one reply for one relay address durably; resolves once it is safe to answer 250. */
  store(raw: Buffer, token: string, origin: SmtpOrigin): Promise<void>;
  /** A refusal during the SMTP dialogue, for the quarantine and the counts. */
  onRefused(
    err: RelayRefusal,
    origin: SmtpOrigin,
    detail: { rcpt?: string; head?: Buffer },
  ): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function originOf(session: SMTPServerSession): SmtpOrigin {
  const from = session.envelope.mailFrom;
  const address = from === false ? "" : from.address;
  return {
    ip: session.remoteAddress,
    helo: session.hostNameAppearsAs || session.clientHostname,
    mailFrom: address === "" ? null : address,
  };
}

/**
 * The relay's SMTP listener (smtp-server): takes mail for `relay+<token>@<relay domain>` only.
 * A bad token is refused at RCPT TO (550); a message over the SIZE limit at the end of DATA
 * (552); anything else is answered 250 only once it is durably stored for the relay worker.
 */
export class RelayListener {
  private server: SMTPServer | null = null;

  constructor(private readonly opts: RelayListenerOptions) {}

  /** Starts listening; resolves to the bound address. */
  async listen(): Promise<{ host: string; port: number }> {
    const o = this.opts;
    const server = new SMTPServer({
      name: o.domain,
      banner: "contact-router relay",
      size: o.maxBytes,
      authOptional: true,
      disabledCommands: o.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
      ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
      disableReverseLookup: true,
      logger: false,
      maxClients: 100,
      socketTimeout: 120_000,
      closeTimeout: 5_000,
      onRcptTo: (address, session, cb) => {
        const token = tokenOfAddress(address.address, o.domain);
        const refuse = (err: RelayRefusal) => {
          void o
            .onRefused(err, originOf(session), { rcpt: address.address })
            .catch(() => undefined);
          cb(smtpError(err.smtp.code, err.smtp.message));
        };
        if (token === null) return refuse(new UnknownRecipientError());
        o.checkRecipient(token).then(
          () => cb(),
          (err: unknown) => {
            if (err instanceof RelayRefusal) return refuse(err);
            log.warn(
              { err: { name: (err as Error).name } },
              "relay: recipient check failed; asking to retry",
            );
            cb(smtpError(451, "4.3.0 Temporary failure, please try again later"));
          },
        );
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        stream.on("data", (chunk: Buffer) => {
          // Past the limit only the head is kept: enough for the quarantine, never the whole.
          if (!stream.sizeExceeded) chunks.push(chunk);
          else if (kept < HEAD_BYTES) chunks.push(chunk.subarray(0, HEAD_BYTES - kept));
          kept += chunk.length;
        });
        stream.on("error", () => cb(smtpError(451, "4.3.0 Temporary failure, please try again")));
        stream.on("end", () => {
          const origin = originOf(session);
          const raw = Buffer.concat(chunks);
          if (stream.sizeExceeded) {
            const err = new MessageTooLargeError(o.maxBytes);
            void o
              .onRefused(err, origin, { head: raw.subarray(0, HEAD_BYTES) })
              .catch(() => undefined);
            return cb(smtpError(err.smtp.code, err.smtp.message));
          }
          // The delivering server records the envelope sender, as an MTA would.
          const stamped = Buffer.concat([
            Buffer.from(`Return-Path: <${origin.mailFrom ?? ""}>\r\n`, "utf8"),
            raw,
          ]);
          const tokens = session.envelope.rcptTo
            .map((r) => tokenOfAddress(r.address, o.domain))
            .filter((t): t is string => t !== null);
          Promise.all(tokens.map((t) => o.store(stamped, t, origin))).then(
            () => cb(null, "2.0.0 Accepted for the relay"),
            (err: unknown) => {
              log.error(
                { err: { name: (err as Error).name } },
                "relay: could not store a reply; asking to retry",
              );
              cb(smtpError(451, "4.3.0 Temporary failure, please try again later"));
            },
          );
        });
      },
    });
    server.on("error", (err) =>
      log.warn(
        { err: { name: err.name, code: (err as { code?: string }).code } },
        "relay: SMTP error",
      ),
    );
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.server.once("error", onError);
      server.listen(o.port, o.host, () => {
        server.server.off("error", onError);
        resolve();
      });
    });
    this.server = server;
    const a = server.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** The bound port, once listening. */
  get port(): number | null {
    const a = this.server?.server.address();
    return a && typeof a === "object" ? a.port : null;
  }

  /** Stops taking connections; sessions in progress get a short grace period. */
  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
