import type { NodemailerError } from "nodemailer";
import { RouterError } from "../errors.js";

/*
 * RFC 5321: 4yz replies are transient, 5yz permanent (nodemailer sets `permanent` from the reply
 * class and treats 503 as transient). No reply at all (connection refused, timeout, TLS) is
 * transient. Authentication and configuration failures are our fault, not the message's: they are
 * retried so the contacts wait in the queue until an admin fixes the settings, rather than being
 * dead-lettered en masse.
 */

/** Maps a nodemailer failure to DELIVERY_TRANSIENT (retry) or DELIVERY_PERMANENT (dead-letter). */
export function classifySmtpError(err: unknown, affiliateId: string): RouterError {
  const e = (err ?? {}) as NodemailerError;
  const code = typeof e.code === "string" ? e.code : "UNKNOWN";
  const reply = typeof e.responseCode === "number" ? e.responseCode : undefined;
  // The server's reply text names the code and reason but not the message; keep it short.
  const response = typeof e.response === "string" ? e.response.slice(0, 200) : "";
  const said = response.startsWith(String(reply)) ? response : `${reply ?? ""} ${response}`.trim();
  const where = `to affiliate ${affiliateId}`;
  if (reply !== undefined && code !== "EAUTH") {
    const permanent = e.permanent ?? (reply >= 500 && reply !== 503);
    if (permanent) {
      return new RouterError(
        "DELIVERY_PERMANENT",
        `SMTP rejected the email ${where} permanently: ${said}`,
        { cause: err },
      );
    }
    return new RouterError("DELIVERY_TRANSIENT", `SMTP deferred the email ${where}: ${said}`, {
      retryable: true,
      cause: err,
    });
  }
  const detail = e.originalCode ? `${code}/${e.originalCode}` : code;
  return new RouterError(
    "DELIVERY_TRANSIENT",
    `SMTP send ${where} failed before the server answered (${detail}); will retry`,
    { retryable: true, cause: err },
  );
}
