import { readFileSync } from "node:fs";
import { z } from "zod";
import type { ImapMailboxConfig } from "../../adapters/email/config.js";
import { RouterError } from "../errors.js";
import { envInt, parseEnv } from "../http/config.js";
import { DEFAULT_CONCURRENCY } from "../queue/keys.js";
import { isPublicDomain } from "./sender-auth.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** The relay's environment variables (names as in `.env.example`); RELAY_DOMAIN is delivery's. */
export const RelayEnvSchema = z.object({
  /** Where the relay's SMTP listener binds. */
  RELAY_SMTP_HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** Its port; `off` runs no listener in this process. */
  RELAY_SMTP_PORT: z.union([z.literal("off"), envInt(0, 65535)]).default(2525),
  /** The SIZE limit: larger replies are refused during the SMTP dialogue (552). */
  RELAY_MAX_BYTES: envInt(64 * 1024, 50 * 1024 * 1024).default(5 * 1024 * 1024),
  /** `auto`: DMARC-aligned sender authentication when RELAY_DOMAIN is a public domain. */
  RELAY_SENDER_AUTH: z.enum(["auto", "on", "off"]).default("auto"),
  /** PEM files to offer STARTTLS with (both or neither). */
  RELAY_TLS_KEY_FILE: z.string().trim().min(1).optional(),
  RELAY_TLS_CERT_FILE: z.string().trim().min(1).optional(),
  /** Replies in flight per relay worker. */
  RELAY_CONCURRENCY: envInt(1, 64).default(DEFAULT_CONCURRENCY.relay),
  /** Optional: also fetch replies from this IMAP mailbox (set host, user and password). */
  RELAY_IMAP_HOST: z.string().trim().min(1).optional(),
  RELAY_IMAP_PORT: envInt(1, 65535).default(993),
  /** `true`: implicit TLS (993); `false`: STARTTLS when offered (143). Default: by the port. */
  RELAY_IMAP_SECURE: bool.optional(),
  RELAY_IMAP_USER: z.string().min(1).optional(),
  RELAY_IMAP_PASSWORD: z.string().min(1).optional(),
  RELAY_IMAP_MAILBOX: z.string().min(1).default("INBOX"),
  /** `false` accepts a self-signed certificate (test servers only). */
  RELAY_IMAP_TLS_VERIFY: bool.default(true),
});

/** The relay mailbox, when replies are also fetched by IMAP (the email channel's settings). */
export type RelayImapConfig = ImapMailboxConfig;

/** Validated relay settings. */
export interface RelayConfig {
  host: string;
  /** null: no listener in this process. */
  port: number | null;
  maxBytes: number;
  /** Whether replies must pass DMARC-aligned authentication, and why (for the start log). */
  senderAuth: { on: boolean; why: string };
  tls?: { key: Buffer; cert: Buffer };
  concurrency: number;
  /** null: no IMAP relay mailbox. */
  imap: RelayImapConfig | null;
}

function readPem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new RouterError("CONFIG_INVALID", `${name}: cannot read ${path}`, { cause: err });
  }
}

function imapOf(e: z.output<typeof RelayEnvSchema>): RelayImapConfig | null {
  if (e.RELAY_IMAP_HOST === undefined) {
    if (e.RELAY_IMAP_USER !== undefined || e.RELAY_IMAP_PASSWORD !== undefined)
      throw new RouterError(
        "CONFIG_INVALID",
        "RELAY_IMAP_USER and RELAY_IMAP_PASSWORD need RELAY_IMAP_HOST",
      );
    return null;
  }
  if (e.RELAY_IMAP_USER === undefined || e.RELAY_IMAP_PASSWORD === undefined)
    throw new RouterError(
      "CONFIG_INVALID",
      "RELAY_IMAP_HOST needs RELAY_IMAP_USER and RELAY_IMAP_PASSWORD",
    );
  return {
    host: e.RELAY_IMAP_HOST,
    port: e.RELAY_IMAP_PORT,
    secure: e.RELAY_IMAP_SECURE ?? e.RELAY_IMAP_PORT === 993,
    user: e.RELAY_IMAP_USER,
    password: e.RELAY_IMAP_PASSWORD,
    mailbox: e.RELAY_IMAP_MAILBOX,
    tlsVerify: e.RELAY_IMAP_TLS_VERIFY,
  };
}

/** Reads the relay's settings; `domain` is the validated RELAY_DOMAIN. Throws CONFIG_INVALID. */
export function relayConfigFromEnv(env: NodeJS.ProcessEnv, domain: string): RelayConfig {
  const e = parseEnv(RelayEnvSchema, env);
  if ((e.RELAY_TLS_KEY_FILE === undefined) !== (e.RELAY_TLS_CERT_FILE === undefined)) {
    throw new RouterError(
      "CONFIG_INVALID",
      "RELAY_TLS_KEY_FILE and RELAY_TLS_CERT_FILE must be set together",
    );
  }
  const publicDomain = isPublicDomain(domain);
  const senderAuth =
    e.RELAY_SENDER_AUTH === "on"
      ? { on: true, why: "RELAY_SENDER_AUTH=on" }
      : e.RELAY_SENDER_AUTH === "off"
        ? { on: false, why: "RELAY_SENDER_AUTH=off" }
        : publicDomain
          ? { on: true, why: `${domain} is a public domain` }
          : { on: false, why: `${domain} is not a public domain` };
  return {
    host: e.RELAY_SMTP_HOST,
    port: e.RELAY_SMTP_PORT === "off" ? null : e.RELAY_SMTP_PORT,
    maxBytes: e.RELAY_MAX_BYTES,
    senderAuth,
    ...(e.RELAY_TLS_KEY_FILE && e.RELAY_TLS_CERT_FILE
      ? {
          tls: {
            key: readPem("RELAY_TLS_KEY_FILE", e.RELAY_TLS_KEY_FILE),
            cert: readPem("RELAY_TLS_CERT_FILE", e.RELAY_TLS_CERT_FILE),
          },
        }
      : {}),
    concurrency: e.RELAY_CONCURRENCY,
    imap: imapOf(e),
  };
}
