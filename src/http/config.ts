import { z } from "zod";
import { RouterError } from "../errors.js";

/** An integer environment variable within [min, max] ("8080" → 8080). */
export const envInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The environment variables the HTTP server reads (names as in `.env.example`). */
export const HttpEnvSchema = z.object({
  PORT: envInt(0, 65535).default(8080),
  /** Loopback by default; the container image sets 0.0.0.0 (Dockerfile, docker-compose.yml). */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  /**
   * Proxies to trust for the client IP (per-IP rate limit): "false" (default, direct clients),
   * "true", a hop count, or a comma-separated list of addresses/CIDRs.
   */
  TRUST_PROXY: z.string().trim().default("false"),
  /** Contact form posts allowed per IP per window. */
  FORM_RATE_LIMIT_MAX: envInt(1, 100_000).default(5),
  FORM_RATE_LIMIT_WINDOW_SECONDS: envInt(1, 86_400).default(600),
  /** Largest accepted request body; a 20,000-character message in Persian, form-encoded, is ~220 KB. */
  HTTP_BODY_LIMIT_BYTES: envInt(1024, 10 * 1024 * 1024).default(256 * 1024),
});

/** Validated HTTP settings. */
export interface HttpConfig {
  port: number;
  host: string;
  trustProxy: boolean | number | string[];
  formRateLimit: { max: number; windowMs: number };
  bodyLimitBytes: number;
}

function trustProxy(raw: string): HttpConfig["trustProxy"] {
  if (raw === "false" || raw === "") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Validates `env` against an environment schema; on failure throws RouterError CONFIG_INVALID
 * whose message starts with the first bad variable's name, so the operator knows what to fix.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RouterError(
    "CONFIG_INVALID",
    `${String(issue?.path[0] ?? "?")}: ${issue?.message ?? "invalid"}`,
  );
}

/** Reads and validates the HTTP settings; throws CONFIG_INVALID naming the variable. */
export function httpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HttpConfig {
  const e = parseEnv(HttpEnvSchema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: trustProxy(e.TRUST_PROXY),
    formRateLimit: {
      max: e.FORM_RATE_LIMIT_MAX,
      windowMs: e.FORM_RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
  };
}
