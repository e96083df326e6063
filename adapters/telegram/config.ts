import { z } from "zod";
import { RouterError } from "../../src/errors.js";

/** Environment variables of the Telegram adapter. Only TELEGRAM_BOT_TOKEN is required to turn it on. */
export const TelegramEnvSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d{3,20}:[A-Za-z0-9_-]{30,100}$/, "must look like 123456789:AA… (from @BotFather)"),
    /** Bot API server; a local `telegram-bot-api` server or a test fake. */
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
    TELEGRAM_MODE: z.enum(["polling", "webhook"]).default("polling"),
    /** Public https URL Telegram posts updates to (webhook mode). Its path is the path served. */
    TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/ }).optional(),
    /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; 1–256 of A-Z a-z 0-9 _ -. */
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A-Z a-z 0-9 _ -")
      .optional(),
    TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
    TELEGRAM_WEBHOOK_HOST: z.string().min(1).default("0.0.0.0"),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE !== "webhook") return;
    for (const key of ["TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET"] as const) {
      if (env[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "is required when TELEGRAM_MODE=webhook",
        });
      }
    }
  });
export type TelegramEnv = z.infer<typeof TelegramEnvSchema>;

/** Webhook settings, present only in webhook mode. */
export interface TelegramWebhookConfig {
  url: string;
  path: string;
  secret: string;
  port: number;
  host: string;
}

/** Validated adapter configuration. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhook: TelegramWebhookConfig | null;
}

/**
 * Reads the adapter's variables. Null when TELEGRAM_BOT_TOKEN is absent (the channel stays off);
 * throws CONFIG_INVALID naming the variable when a variable is present but wrong.
 */
export function readTelegramConfig(env: NodeJS.ProcessEnv): TelegramConfig | null {
  if (env.TELEGRAM_BOT_TOKEN === undefined || env.TELEGRAM_BOT_TOKEN === "") return null;
  const picked = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("TELEGRAM_") && v !== ""),
  );
  const parsed = TelegramEnvSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new RouterError("CONFIG_INVALID", `Telegram configuration: ${problems}`);
  }
  const e = parsed.data;
  const webhook =
    e.TELEGRAM_MODE === "webhook" && e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
      ? {
          url: e.TELEGRAM_WEBHOOK_URL,
          path: new URL(e.TELEGRAM_WEBHOOK_URL).pathname,
          secret: e.TELEGRAM_WEBHOOK_SECRET,
          port: e.TELEGRAM_WEBHOOK_PORT,
          host: e.TELEGRAM_WEBHOOK_HOST,
        }
      : null;
  return { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, webhook };
}
