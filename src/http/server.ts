import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Intake } from "../queue/intake.js";
import { registerConsole, type ConsoleDeps } from "../admin/console.js";
import type { HttpConfig } from "./config.js";
import {
  isJsonRequest,
  registerContactRoutes,
  requestLanguage,
  sendFormProblem,
} from "./contact.js";
import { webFormMetrics, type WebFormMetrics } from "./metrics.js";
import { registerTemplates } from "./templates.js";

export { httpConfigFromEnv, type HttpConfig } from "./config.js";

export type { HealthReport } from "./internal.js";

/** Everything the HTTP surface needs; built by main, faked in tests. */
export interface HttpDeps {
  intake: Intake;
  /** Where the web form counts its outcomes (served on the internal listener, not here). */
  metricsRegistry: Registry;
  logger: Logger;
  config: HttpConfig;
  /**
   * Shares the per-IP form limit between web servers through Redis (several ingest processes);
   * without it each process counts on its own. `prefix` namespaces the keys; `hashKey` turns the
   * client IP into the key name (a keyed hash, `IdentityHasher.hash(HASH_PURPOSE.formIp, ip)`),
   * so no IP address is stored in Redis.
   */
  rateLimitStore?: { redis: Redis; prefix: string; hashKey: (ip: string) => string };
  /** The admin console at /admin (docs/administration.md); without it there is no /admin. */
  console?: ConsoleDeps;
}

const SECURITY_HEADERS = {
  // No scripts at all; styles only from our own /contact.css.
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * The public HTTP surface: the contact form (`GET`/`POST /contact`) and `/healthz` (liveness, a
 * constant answer for a load balancer). `/readyz` and `/metrics` are on the internal listener
 * (src/http/internal.ts). Request bodies are never logged.
 */
export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const { config } = deps;
  const httpLogger: FastifyBaseLogger = deps.logger.child({ module: "http" });
  const app = Fastify({
    loggerInstance: httpLogger,
    // Fastify's own request lines carry the client IP; ours (below) carry route and status only.
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count becomes "trust the n nearest proxies".
    trustProxy:
      typeof config.trustProxy === "number"
        ? (() => {
            const hops = config.trustProxy;
            return (_address: string, hop: number) => hop < hops;
          })()
        : config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
  });
  const metrics = webFormMetrics(deps.metricsRegistry);

  app.addHook("onRequest", (_req, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  app.addHook("onResponse", (req, reply, done) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? "(none)",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
    done();
  });

  // Plugins load in order on ready(); routes go in a plugin after them, so the form can create
  // its limiter (`createRateLimit`, src/http/contact.ts), which counts only posts it thanks for.
  void app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  registerTemplates(app);
  const store = deps.rateLimitStore;
  void app.register(rateLimit, {
    global: false,
    ...(store
      ? {
          redis: store.redis,
          nameSpace: `${store.prefix}form-rate:`,
          keyGenerator: (req) => store.hashKey(req.ip),
          // Redis trouble must not turn readers away; the intake reports its own outage.
          skipOnError: true,
        }
      : {}),
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const onForm = req.routeOptions.url === "/contact";
    if (status >= 500) {
      req.log.error(
        { code: err.code ?? "UNKNOWN", err: { message: err.message } },
        "request failed",
      );
    }
    if (!onForm) {
      return reply.code(status).send({ error: err.code ?? "ERROR" });
    }
    const lang = requestLanguage(req);
    if (status === 413) {
      metrics.outcome("too_large");
      return sendFormProblem(reply, req, 413, lang, [{ field: "form", key: "err.tooLarge" }]);
    }
    if (status < 500) {
      metrics.outcome("invalid");
      if (isJsonRequest(req) || status === 415) {
        return reply.code(status).send({ error: err.code ?? "BAD_REQUEST" });
      }
      return sendFormProblem(reply, req, status, lang, [
        { field: "form", key: "err.invalidChars" },
      ]);
    }
    return sendFormProblem(reply, req, 500, lang, [{ field: "form", key: "err.unavailable" }]);
  });

  void app.register((routes, _opts, done) => {
    registerRoutes(routes, deps, metrics);
    done();
  });
  return app;
}

function registerRoutes(app: FastifyInstance, deps: HttpDeps, metrics: WebFormMetrics): void {
  app.get("/", (_req, reply) => reply.redirect("/contact"));
  // Says only that the process answers: harmless in public, and what load balancers probe.
  app.get("/healthz", () => ({ status: "ok" }));

  registerContactRoutes(app, { intake: deps.intake, config: deps.config, metrics });
  if (deps.console) registerConsole(app, deps.console);
}
