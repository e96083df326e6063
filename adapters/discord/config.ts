import { z } from "zod";
import { RouterError } from "../../src/errors.js";

const snowflake = z.string().regex(/^\d{17,20}$/, "must be a Discord id (17-20 digits)");

/** The environment variables of the Discord channel. */
export const DiscordEnvSchema = z.object({
  /** Bot token from the Developer Portal (Bot → Reset Token). */
  DISCORD_BOT_TOKEN: z
    .string()
    .min(20, "must be a bot token")
    .regex(/^[\w.-]+$/, "must be a bot token without spaces or a 'Bot ' prefix"),
  /** Optional guild text channel whose messages are contacts too (besides DMs). */
  DISCORD_CONTACT_CHANNEL_ID: snowflake.optional(),
  /** REST base URL; only for proxies and tests. The gateway URL is taken from GET /gateway/bot. */
  DISCORD_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Longest 429 wait a send() sits through before it throws RateLimitError (ms). */
  DISCORD_SEND_MAX_WAIT_MS: z.coerce.number().int().min(0).max(600_000).optional(),
});

/** Validated adapter configuration. */
export interface DiscordConfig {
  token: string;
  contactChannelId?: string;
  apiUrl?: string;
  sendMaxWaitMs?: number;
}

const VARIABLES = Object.keys(DiscordEnvSchema.shape) as (keyof z.infer<typeof DiscordEnvSchema>)[];

/**
 * Reads the Discord variables. Returns null when none is set (the channel stays off) and throws
 * RouterError CONFIG_INVALID naming the variable when one is set wrongly or the token is missing.
 */
export function loadDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig | null {
  const present = Object.fromEntries(
    VARIABLES.filter((k) => env[k] !== undefined && env[k] !== "").map((k) => [k, env[k]]),
  );
  if (Object.keys(present).length === 0) return null;
  const parsed = DiscordEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "DISCORD_BOT_TOKEN");
    const why = issue?.code === "invalid_type" ? "is required" : (issue?.message ?? "is invalid");
    throw new RouterError("CONFIG_INVALID", `discord: ${name} ${why}`);
  }
  const e = parsed.data;
  return {
    token: e.DISCORD_BOT_TOKEN,
    ...(e.DISCORD_CONTACT_CHANNEL_ID ? { contactChannelId: e.DISCORD_CONTACT_CHANNEL_ID } : {}),
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL.replace(/\/+$/, "") } : {}),
    ...(e.DISCORD_SEND_MAX_WAIT_MS !== undefined
      ? { sendMaxWaitMs: e.DISCORD_SEND_MAX_WAIT_MS }
      : {}),
  };
}
