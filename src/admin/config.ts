import { z } from "zod";
import { envInt, parseEnv } from "../http/config.js";

/** The console's environment variables (names as in `.env.example`). */
export const AdminEnvSchema = z.object({
  /** A console session ends after this long without a request. */
  ADMIN_SESSION_IDLE_MINUTES: envInt(1, 24 * 60).default(30),
  /** ... and this long after login in any case. */
  ADMIN_SESSION_MAX_HOURS: envInt(1, 24 * 30).default(12),
  /** Failed logins allowed per account name, and per client IP, in ADMIN_LOGIN_WINDOW_MINUTES. */
  ADMIN_LOGIN_MAX_PER_NAME: envInt(1, 1000).default(5),
  ADMIN_LOGIN_MAX_PER_IP: envInt(1, 10_000).default(20),
  ADMIN_LOGIN_WINDOW_MINUTES: envInt(1, 24 * 60).default(15),
});

export interface AdminConfig {
  session: { idleMs: number; maxAgeMs: number };
  login: { perName: number; perIp: number; windowMs: number };
}

/** Reads and validates the console settings; throws CONFIG_INVALID naming the variable. */
export function adminConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AdminConfig {
  const e = parseEnv(AdminEnvSchema, env);
  return {
    session: {
      idleMs: e.ADMIN_SESSION_IDLE_MINUTES * 60_000,
      maxAgeMs: e.ADMIN_SESSION_MAX_HOURS * 3600_000,
    },
    login: {
      perName: e.ADMIN_LOGIN_MAX_PER_NAME,
      perIp: e.ADMIN_LOGIN_MAX_PER_IP,
      windowMs: e.ADMIN_LOGIN_WINDOW_MINUTES * 60_000,
    },
  };
}
