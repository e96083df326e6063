import { join, resolve } from "node:path";
import { z } from "zod";
import { RouterError } from "./errors.js";
import { adminConfigFromEnv, type AdminConfig } from "./admin/config.js";
import { decodeKeyList, loadSecret, type LoadedSecret } from "./crypto/key.js";
import { deliveryConfigFromEnv, type DeliveryConfig } from "./delivery/config.js";
import { envInt, httpConfigFromEnv, parseEnv, type HttpConfig } from "./http/config.js";
import { internalConfigFromEnv, type InternalConfig } from "./http/internal.js";
import { DEFAULT_CONCURRENCY, DEFAULT_PREFIX, assertPrefix } from "./queue/keys.js";
import { DEFAULT_RULES_PATH } from "./routing/load.js";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/**
 * The service's own environment variables (names as in `.env.example`). HTTP and delivery
 * variables are validated by their modules' schemas, which `loadConfig` also runs.
 */
export const CoreEnvSchema = z.object({
  /** e.g. redis://:password@host:6379/0; unset: 127.0.0.1:6379 or a private redis-server. */
  REDIS_URL: optionalText,
  /**
   * How long start-up (and every admin command) keeps trying to reach Redis before it gives up
   * with REDIS_UNAVAILABLE (milliseconds).
   */
  REDIS_CONNECT_TIMEOUT_MS: envInt(100, 600_000).default(10_000),
  /**
   * Longest wait for one Redis command on request paths (web form, adapters' intake, /readyz,
   * admin commands): past it the form answers 503 and keeps the reader's text (milliseconds).
   * Workers are not bounded: BullMQ waits for Redis to come back.
   */
  REDIS_COMMAND_TIMEOUT_MS: envInt(100, 60_000).default(1_500),
  /** Key prefix; must contain a {hash tag} for Redis Cluster. */
  QUEUE_PREFIX: z.string().trim().default(DEFAULT_PREFIX),
  /** 32 bytes, base64 (`openssl rand -base64 32`). Unset: generated into VAR_DIR/keys/data.key. */
  DATA_KEY: optionalText,
  /**
   * Older data keys, comma-separated base64, only to open what was sealed before a rotation
   * (docs/operations.md, "Rotating the data key"). DATA_KEY (or the key file) seals.
   */
  DATA_KEYS: optionalText,
  /** Local state: keys, outbox, private Redis data. */
  VAR_DIR: z.string().trim().min(1).default("var"),
  RULES_FILE: optionalText,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Which workers this process runs: all, or a comma list of ingest, route, deliver. */
  ROLE: z.string().trim().default("all"),
  /** How long a message id is remembered to drop re-deliveries (days). */
  DEDUPE_TTL_DAYS: envInt(1, 3650).default(30),
  /** Jobs in flight per worker; defaults and why in `DEFAULT_CONCURRENCY` (src/queue/keys.ts). */
  ROUTE_CONCURRENCY: envInt(1, 256).default(DEFAULT_CONCURRENCY.inbound),
  DELIVER_CONCURRENCY: envInt(1, 256).default(DEFAULT_CONCURRENCY.deliver),
  DELIVER_ATTEMPTS: envInt(1, 100).default(12),
  /** Graceful shutdown: how long active jobs get to finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: envInt(1, 3600).default(30),
  /**
   * Per-sender flood limit, every channel: at most this many messages per sender in
   * FLOOD_WINDOW_SECONDS (all at once, or spread); the excess is held for an admin. 0: off.
   */
  FLOOD_MAX_MESSAGES: envInt(0, 100_000).default(20),
  FLOOD_WINDOW_SECONDS: envInt(1, 30 * 86_400).default(3600),
});

/** Everything `main` needs, validated. */
export interface AppConfig {
  redisUrl?: string;
  redisConnectTimeoutMs: number;
  redisCommandTimeoutMs: number;
  prefix: string;
  varDir: string;
  /** The current data key (seals). */
  dataKey: LoadedSecret;
  /** Older data keys from DATA_KEYS (open only). */
  oldDataKeys: Buffer[];
  rulesFile: string;
  logLevel: string;
  roles: string;
  dedupeTtlSeconds: number;
  concurrency: { inbound: number; deliver: number };
  deliverAttempts: number;
  shutdownTimeoutMs: number;
  /** Per-sender flood limit; null when FLOOD_MAX_MESSAGES is 0. */
  flood: { maxMessages: number; windowSeconds: number } | null;
  http: HttpConfig;
  /** The internal listener (/healthz, /readyz, /metrics) every role serves. */
  internal: InternalConfig;
  delivery: DeliveryConfig;
  /** The admin console (sessions, login limits). */
  admin: AdminConfig;
}

/**
 * Reads and validates all configuration. Throws RouterError CONFIG_INVALID whose message starts
 * with the variable's name. Creates the data key file (mode 0600) on first start without DATA_KEY.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = parseEnv(CoreEnvSchema, env);
  try {
    assertPrefix(e.QUEUE_PREFIX);
  } catch (err) {
    throw new RouterError("CONFIG_INVALID", `QUEUE_PREFIX: ${(err as Error).message}`);
  }
  const varDir = resolve(e.VAR_DIR);
  const dataKey = loadSecret({
    name: "DATA_KEY",
    ...(e.DATA_KEY ? { value: e.DATA_KEY } : {}),
    file: join(varDir, "keys", "data.key"),
  });
  const oldDataKeys = decodeKeyList(e.DATA_KEYS, "DATA_KEYS");

  const deliveryEnv: NodeJS.ProcessEnv = { OUTBOX_DIR: join(varDir, "outbox"), ...env };

  return {
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    redisConnectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    prefix: e.QUEUE_PREFIX,
    varDir,
    dataKey,
    oldDataKeys,
    rulesFile: e.RULES_FILE ?? DEFAULT_RULES_PATH,
    logLevel: e.LOG_LEVEL,
    roles: e.ROLE,
    dedupeTtlSeconds: e.DEDUPE_TTL_DAYS * 86_400,
    concurrency: { inbound: e.ROUTE_CONCURRENCY, deliver: e.DELIVER_CONCURRENCY },
    deliverAttempts: e.DELIVER_ATTEMPTS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    flood:
      e.FLOOD_MAX_MESSAGES > 0
        ? { maxMessages: e.FLOOD_MAX_MESSAGES, windowSeconds: e.FLOOD_WINDOW_SECONDS }
        : null,
    http: httpConfigFromEnv(env),
    internal: internalConfigFromEnv(env),
    delivery: deliveryConfigFromEnv(deliveryEnv),
    admin: adminConfigFromEnv(env),
  };
}

/** Parses a role list (`all`, or `ingest,route`) into the roles; throws CONFIG_INVALID naming ROLE. */
export function parseRoles(value: string): ("ingest" | "route" | "deliver")[] {
  const all = ["ingest", "route", "deliver"] as const;
  const parts = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0 || parts.includes("all")) return [...all];
  const bad = parts.filter((p) => !(all as readonly string[]).includes(p));
  if (bad.length > 0) {
    throw new RouterError(
      "CONFIG_INVALID",
      `ROLE: unknown role ${bad.join(", ")}; use all, or a comma list of ingest, route, deliver`,
    );
  }
  return [...new Set(parts)] as ("ingest" | "route" | "deliver")[];
}
