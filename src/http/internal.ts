import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { z } from "zod";
import { envInt, parseEnv } from "./config.js";

/** What `/readyz` reports. No personal data: component names, states and codes only. */
export interface HealthReport {
  /** True when the service can take in and process messages. */
  ready: boolean;
  /** Per component, e.g. `redis`, `workers`, `rules`, `delivery`, `keys`, `adapter.telegram`. */
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * The internal listener's environment variables (names as in `.env.example`). Every role serves
 * it; it is meant for health checks and Prometheus, never for the internet.
 */
export const InternalEnvSchema = z.object({
  /** Address of the internal listener (/healthz, /readyz, /metrics). Loopback by default. */
  INTERNAL_HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  /** Its port; 0 picks a free one (tests). Must differ from PORT when both listen. */
  INTERNAL_PORT: envInt(0, 65535).default(9464),
});

export interface InternalConfig {
  host: string;
  port: number;
}

/** Reads and validates INTERNAL_HOST and INTERNAL_PORT; throws CONFIG_INVALID naming the variable. */
export function internalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): InternalConfig {
  const e = parseEnv(InternalEnvSchema, env);
  return { host: e.INTERNAL_HOST, port: e.INTERNAL_PORT };
}

export interface InternalDeps {
  health: () => Promise<HealthReport>;
  registry: Registry;
  logger: Logger;
  /** Called before each scrape, e.g. to refresh queue-depth gauges; its failure is ignored. */
  beforeScrape?: () => Promise<unknown>;
}

/** `/readyz` answers within this, red, even when a check hangs. */
const HEALTH_TIMEOUT_MS = 4_000;

/**
 * The operations endpoints every role serves on INTERNAL_HOST:INTERNAL_PORT: `/healthz`
 * (liveness: the process answers), `/readyz` (200 or 503 with every check named) and `/metrics`
 * (Prometheus text). Kept off the public form port so that nothing about the service's state or
 * volume is visible from the internet.
 */
export function buildInternalServer(deps: InternalDeps): FastifyInstance {
  const logger: FastifyBaseLogger = deps.logger.child({ module: "http.internal" });
  const app = Fastify({
    loggerInstance: logger,
    // Probes every few seconds would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.get("/healthz", () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const report = await readiness(deps.health);
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  app.get("/metrics", async (_req, reply) => {
    await deps.beforeScrape?.().catch(() => undefined);
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return app;
}

/** Runs `health()` with a deadline; a throw or a hang is a red report that says so. */
async function readiness(health: () => Promise<HealthReport>): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      health(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("health check timed out")), HEALTH_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    return { ready: false, checks: { health: { ok: false, detail: (err as Error).message } } };
  } finally {
    clearTimeout(timer);
  }
}
