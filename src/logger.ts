import { pino, type Logger } from "pino";

/**
 * Paths that may hold personal data or secrets. Log calls must not pass message bodies or
 * addresses at all; redaction is the safety net for the ones that slip through.
 */
const REDACT = [
  "text",
  "*.text",
  "body",
  "*.body",
  "subject",
  "*.subject",
  "email",
  "*.email",
  "address",
  "*.address",
  "phone",
  "*.phone",
  "password",
  "*.password",
  "token",
  "*.token",
  "*.authorization",
  "*.Authorization",
  "req.headers.cookie",
  "req.headers.authorization",
];

/** The root logger: JSON to stdout, level from LOG_LEVEL. */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "contact-router" },
  redact: { paths: REDACT, censor: "[redacted]" },
});

/** A child logger for one module, so every line says where it came from. */
export function moduleLogger(module: string): Logger {
  return logger.child({ module });
}
