import { z } from "zod";
import { RouterError } from "../../src/errors.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const port = z.coerce.number().int().min(1).max(65535);

/**
 * Environment of the email channel. Readers' mail is read over IMAP; replies to readers go out
 * over SMTP (the same SMTP_* server the affiliate delivery uses).
 */
export const EmailEnvSchema = z.object({
  EMAIL_IMAP_HOST: z.string().min(1),
  EMAIL_IMAP_PORT: port.default(993),
  /** `true`: implicit TLS (993); `false`: STARTTLS when offered (143). */
  EMAIL_IMAP_SECURE: bool.optional(),
  EMAIL_IMAP_USER: z.string().min(1),
  EMAIL_IMAP_PASSWORD: z.string().min(1),
  EMAIL_IMAP_MAILBOX: z.string().min(1).default("INBOX"),
  /** `false` allows self-signed IMAP/SMTP certificates (test servers only). */
  EMAIL_TLS_VERIFY: bool.default(true),
  /** `off` skips SPF/DKIM/DMARC lookups (verdicts recorded as `none`). */
  EMAIL_AUTH_DNS: z.enum(["system", "off"]).default("system"),
  /**
   * The same SMTP server as the affiliate delivery, as one URL (`smtp://user:pass@host:587`,
   * `smtps://` for implicit TLS) or as SMTP_HOST/SMTP_PORT/...; explicit variables win.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.optional(),
  SMTP_SECURE: bool.optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  /** The address replies to readers come from, e.g. `contact@example.org` or `Name <addr>`. */
  EMAIL_FROM: z.string().min(3).regex(/@/, "must contain an email address"),
  EMAIL_REPLY_SUBJECT: z.string().min(1).max(200).default("Re: your message"),
});

/** An IMAP mailbox to watch: the channel's inbox, or the relay's (src/relay/config.ts). */
export interface ImapMailboxConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  tlsVerify: boolean;
}

/** Validated email channel configuration. */
export interface EmailConfig {
  imap: ImapMailboxConfig;
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    tlsVerify: boolean;
  };
  from: string;
  replySubject: string;
  authDns: "system" | "off";
}

/**
 * Reads the email channel's configuration. Returns null when EMAIL_IMAP_HOST is absent (the
 * channel stays off); throws RouterError CONFIG_INVALID naming the variable when it is wrong.
 */
export function loadEmailConfig(env: NodeJS.ProcessEnv): EmailConfig | null {
  if (env.EMAIL_IMAP_HOST === undefined || env.EMAIL_IMAP_HOST === "") return null;
  const picked = Object.fromEntries(
    Object.keys(EmailEnvSchema.shape).flatMap((k) =>
      env[k] === undefined || env[k] === "" ? [] : [[k, env[k]]],
    ),
  );
  const parsed = EmailEnvSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new RouterError("CONFIG_INVALID", `email channel configuration invalid: ${problems}`);
  }
  const e = parsed.data;
  const url = e.SMTP_URL === undefined ? undefined : new URL(e.SMTP_URL);
  const smtpHost = e.SMTP_HOST ?? (url?.hostname || undefined);
  if (smtpHost === undefined) {
    throw new RouterError(
      "CONFIG_INVALID",
      "email channel configuration invalid: SMTP_URL or SMTP_HOST is required (replies to readers go out over SMTP)",
    );
  }
  const urlSecure = url?.protocol === "smtps:";
  const smtpPort = e.SMTP_PORT ?? (url?.port ? Number(url.port) : urlSecure ? 465 : 587);
  const urlUser = url?.username ? decodeURIComponent(url.username) : undefined;
  const urlPass = url?.password ? decodeURIComponent(url.password) : undefined;
  const smtpUser = e.SMTP_USER ?? (e.SMTP_PASS === undefined ? urlUser : undefined);
  const smtpPass = e.SMTP_PASS ?? (e.SMTP_USER === undefined ? urlPass : undefined);
  if ((smtpUser === undefined) !== (smtpPass === undefined)) {
    throw new RouterError(
      "CONFIG_INVALID",
      "email channel configuration invalid: SMTP_USER and SMTP_PASS must be set together",
    );
  }
  return {
    imap: {
      host: e.EMAIL_IMAP_HOST,
      port: e.EMAIL_IMAP_PORT,
      secure: e.EMAIL_IMAP_SECURE ?? e.EMAIL_IMAP_PORT === 993,
      user: e.EMAIL_IMAP_USER,
      password: e.EMAIL_IMAP_PASSWORD,
      mailbox: e.EMAIL_IMAP_MAILBOX,
      tlsVerify: e.EMAIL_TLS_VERIFY,
    },
    smtp: {
      host: smtpHost,
      port: smtpPort,
      secure: e.SMTP_SECURE ?? (urlSecure || smtpPort === 465),
      ...(smtpUser === undefined ? {} : { user: smtpUser }),
      ...(smtpPass === undefined ? {} : { password: smtpPass }),
      tlsVerify: e.EMAIL_TLS_VERIFY,
    },
    from: e.EMAIL_FROM,
    replySubject: e.EMAIL_REPLY_SUBJECT,
    authDns: e.EMAIL_AUTH_DNS,
  };
}
