import { readFileSync } from "node:fs";
import { z } from "zod";
import { RouterError } from "../errors.js";
import { parseMailbox } from "./mime.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const nonEmpty = z.string().trim().min(1);

/** The environment variables delivery reads (names as in `.env.example`). */
export const DeliveryEnvSchema = z.object({
  SMTP_URL: nonEmpty.optional(),
  SMTP_HOST: nonEmpty.optional(),
  SMTP_PORT: int(1, 65535).optional(),
  /** Implicit TLS (port 465). Otherwise STARTTLS is used when offered and required when SMTP_REQUIRE_TLS. */
  SMTP_SECURE: bool.optional(),
  SMTP_REQUIRE_TLS: bool.default(true),
  SMTP_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  SMTP_USER: nonEmpty.optional(),
  SMTP_PASS: nonEmpty.optional(),
  SMTP_POOL_SIZE: int(1, 50).default(5),
  DKIM_DOMAIN: nonEmpty.optional(),
  DKIM_SELECTOR: nonEmpty.optional(),
  /** PEM; `\n` escapes are accepted so it fits in one env line. */
  DKIM_PRIVATE_KEY: nonEmpty.optional(),
  DKIM_PRIVATE_KEY_FILE: nonEmpty.optional(),
  OUTBOX_DIR: nonEmpty.default("var/outbox"),
  MAIL_FROM: nonEmpty
    .default("contact-router <contact-router@localhost>")
    .refine((v) => parseMailbox(v) !== undefined, {
      message: "must be one email address, e.g. `contact-router <router@example.org>`",
    }),
  /** Right-hand side of Message-IDs; defaults to the MAIL_FROM domain. */
  MESSAGE_ID_DOMAIN: nonEmpty.optional(),
  /** Domain of the Reply-To relay address `relay+<token>@RELAY_DOMAIN` (the relay's own listener). */
  RELAY_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/, {
      message: "must be a domain name such as relay.example.org (or localhost)",
    })
    .default("localhost"),
  /**
   * Per-affiliate sustained send rate and burst, shared by every deliver process through Redis;
   * contacts over it wait their turn (src/queue/scripts.ts), none is dropped.
   */
  DELIVERY_RATE_PER_MINUTE: int(1, 10_000).default(30),
  DELIVERY_BURST: int(1, 10_000).default(10),
});

/** Validated delivery settings: `smtp` is null when mail goes to the outbox folder. */
export interface DeliveryConfig {
  smtp: {
    /** nodemailer connection URL, or host/port/secure. */
    url?: string;
    host?: string;
    port?: number;
    secure?: boolean;
    requireTls: boolean;
    rejectUnauthorized: boolean;
    auth?: { user: string; pass: string };
    poolSize: number;
  } | null;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  outboxDir: string;
  from: string;
  messageIdDomain: string;
  /** Where affiliates' replies go: `relay+<token>@<domain>`. */
  relay?: { domain: string };
  /** Per-affiliate send limit; the deliver stage applies it (createPipeline's `deliverRate`). */
  rate: { perMinute: number; burst: number };
}

function domainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "localhost";
}

/** Reads and validates delivery settings; throws CONFIG_INVALID naming the variable. */
export function deliveryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  const parsed = DeliveryEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "?");
    throw new RouterError("CONFIG_INVALID", `${name}: ${issue?.message ?? "invalid"}`);
  }
  const e = parsed.data;
  const pair = (a: string, b: string, va?: string, vb?: string) => {
    if ((va === undefined) !== (vb === undefined)) {
      throw new RouterError("CONFIG_INVALID", `${a} and ${b} must be set together`);
    }
  };
  pair("SMTP_USER", "SMTP_PASS", e.SMTP_USER, e.SMTP_PASS);

  let dkim: DeliveryConfig["dkim"];
  const key =
    e.DKIM_PRIVATE_KEY?.replace(/\\n/g, "\n") ??
    (e.DKIM_PRIVATE_KEY_FILE ? readKeyFile(e.DKIM_PRIVATE_KEY_FILE) : undefined);
  if (e.DKIM_DOMAIN || e.DKIM_SELECTOR || key) {
    if (!e.DKIM_DOMAIN || !e.DKIM_SELECTOR || !key) {
      throw new RouterError(
        "CONFIG_INVALID",
        "DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE) must be set together",
      );
    }
    dkim = { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: key };
  }

  const smtp: DeliveryConfig["smtp"] =
    e.SMTP_URL || e.SMTP_HOST
      ? {
          ...(e.SMTP_URL ? { url: e.SMTP_URL } : {}),
          ...(e.SMTP_HOST ? { host: e.SMTP_HOST, port: e.SMTP_PORT ?? 587 } : {}),
          ...(e.SMTP_SECURE === undefined ? {} : { secure: e.SMTP_SECURE }),
          requireTls: e.SMTP_REQUIRE_TLS,
          rejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED,
          ...(e.SMTP_USER && e.SMTP_PASS ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS } } : {}),
          poolSize: e.SMTP_POOL_SIZE,
        }
      : null;

  return {
    smtp,
    ...(dkim ? { dkim } : {}),
    outboxDir: e.OUTBOX_DIR,
    from: e.MAIL_FROM,
    messageIdDomain: e.MESSAGE_ID_DOMAIN ?? domainOf(e.MAIL_FROM),
    relay: { domain: e.RELAY_DOMAIN },
    rate: { perMinute: e.DELIVERY_RATE_PER_MINUTE, burst: e.DELIVERY_BURST },
  };
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new RouterError("CONFIG_INVALID", `DKIM_PRIVATE_KEY_FILE: cannot read ${path}`, {
      cause: err,
    });
  }
}
