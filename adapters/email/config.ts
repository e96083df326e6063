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
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: port.default(587),
  SMTP_SECURE: bool.optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  /** The address replies to readers come from, e.g. `contact@example.org` or `Name <addr>`. */
  EMAIL_FROM: z.string().min(3).regex(/@/, "must contain an email address"),
  EMAIL_REPLY_SUBJECT: z.string().min(1).max(200).default("Re: your message"),
});

/** Validated email channel configuration. */
export interface EmailConfig {
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password: string;
    mailbox: string;
    tlsVerify: boolean;
  };
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
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASS === undefined)) {
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
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE ?? e.SMTP_PORT === 465,
      ...(e.SMTP_USER === undefined ? {} : { user: e.SMTP_USER }),
      ...(e.SMTP_PASS === undefined ? {} : { password: e.SMTP_PASS }),
      tlsVerify: e.EMAIL_TLS_VERIFY,
    },
    from: e.EMAIL_FROM,
    replySubject: e.EMAIL_REPLY_SUBJECT,
    authDns: e.EMAIL_AUTH_DNS,
  };
}
