import { pathToFileURL } from "node:url";
import type { FastifyInstance } from "fastify";
import type { ChannelAdapter, ClosedQuestion, OutboundText } from "../adapters/types.js";
import { loadConfig, parseRoles, type AppConfig } from "./config.js";
import { consoleServices } from "./admin/services.js";
import { createKeyring } from "./crypto/keyring.js";
import { createDelivery } from "./delivery/index.js";
import type { Delivery } from "./delivery/types.js";
import { RouterError } from "./errors.js";
import { buildInternalServer, type HealthReport } from "./http/internal.js";
import { buildHttpServer } from "./http/server.js";
import { deliveryReadiness } from "./delivery/readiness.js";
import { createReadiness } from "./readiness.js";
import { ackText } from "./i18n/texts.js";
import { logger, moduleLogger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { startAdapters, type AdapterHost } from "./queue/adapter-host.js";
import { HASH_PURPOSE } from "./queue/keys.js";
import { createPipeline, type Pipeline } from "./queue/pipeline.js";
import { startConversations, type Conversations } from "./relay/start.js";
import type { Channel } from "./message/channel.js";
import type { Role, Sender } from "./queue/types.js";
import { checkEvictionPolicy, connectRedis, type RedisHandle } from "./redis/connect.js";
import { LiveRules } from "./routing/live.js";
import { routeMessage } from "./routing/route.js";
import { RedisCursorStore } from "./state/cursor-store.js";
import { createAuditLog } from "./audit/log.js";
import { retentionConfigFromEnv } from "./retention/policies.js";
import { startRetention } from "./retention/purge.js";

const log = moduleLogger("main");

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides ROLE. */
  roles?: Role[];
  /** Start the channel adapters of the ingest role (default true). */
  adapters?: boolean;
  /** The clock of conversation timers (clarifying question, escalation); tests move it. */
  now?: () => Date;
}

/** A running contact-router process. */
export interface RunningApp {
  config: AppConfig;
  roles: Role[];
  redis: RedisHandle;
  pipeline: Pipeline;
  metrics: Metrics;
  /** The web server (ingest role), listening. */
  http: FastifyInstance | null;
  /** `http://host:port` of the web server, when it listens. */
  address: string | null;
  /** `http://host:port` of the internal listener (/healthz, /readyz, /metrics), every role. */
  internalAddress: string;
  adapters: ChannelAdapter[];
  /** Conversation store and relay (its listener's address when this process runs it). */
  conversations: Conversations;
  /** The live routing rules (route role): `lastReload` says what the last reload did. */
  rules: LiveRules | null;
  health(): Promise<HealthReport>;
  /** Graceful stop: intake and web first, then workers (active jobs finish), then Redis. */
  stop(): Promise<void>;
}

/**
 * Starts the roles of this process: `ingest` (web form, adapters, reader acks), `route`, `deliver`.
 * Needs no credentials: without SMTP mail goes to the outbox folder, without Redis a private
 * redis-server is started.
 */
export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const env = opts.env ?? process.env;
  const config = loadConfig(env);
  const roles = opts.roles ?? parseRoles(config.roles);
  if (config.dataKey.source === "generated") {
    log.warn(
      { file: config.dataKey.file },
      "no DATA_KEY set: generated a data key (mode 0600); back it up, queued contacts need it",
    );
  }
  if (config.dataKey.warning) log.warn(config.dataKey.warning);
  if (
    roles.includes("ingest") &&
    config.internal.port !== 0 &&
    config.internal.port === config.http.port
  ) {
    throw new RouterError(
      "CONFIG_INVALID",
      `INTERNAL_PORT: must differ from PORT (both ${config.http.port}); the internal listener is not public`,
    );
  }

  const redis = await connectRedis({
    ...(config.redisUrl ? { url: config.redisUrl } : {}),
    dataDir: `${config.varDir}/redis`,
    connectTimeoutMs: config.redisConnectTimeoutMs,
    commandTimeoutMs: config.redisCommandTimeoutMs,
  });
  const cleanups: (() => Promise<void>)[] = [() => redis.close()];
  try {
    await checkEvictionPolicy(redis.client);
    const metrics = createMetrics({ defaults: true });
    // The route worker follows edits of the rules file (and SIGHUP); a broken edit keeps the
    // previous rules and says why.
    const rules = roles.includes("route")
      ? new LiveRules(config.rulesFile, (outcome) => {
          metrics.rulesReloads.inc({ outcome: outcome.ok ? "success" : "failure" });
          metrics.rulesLoaded.set(outcome.ok ? 1 : 0);
          if (outcome.ok)
            log.info({ file: config.rulesFile, ...outcome }, "routing rules reloaded");
          else
            log.error(
              { file: config.rulesFile, reason: outcome.error },
              "routing rules not reloaded; the previous rules stay in force",
            );
        })
      : null;
    if (rules) metrics.rulesLoaded.set(1);
    if (rules) {
      const live = rules;
      live.watch();
      const onHup = () => void live.reload();
      process.on("SIGHUP", onHup);
      cleanups.unshift(() => {
        process.off("SIGHUP", onHup);
        live.close();
        return Promise.resolve();
      });
    }
    let delivery: Delivery | null = null;
    if (roles.includes("deliver")) {
      delivery = createDelivery(config.delivery);
      const d = delivery;
      cleanups.unshift(() => d.close());
      log.info({ transport: config.delivery.smtp ? "smtp" : "outbox" }, "delivery ready");
    }

    let host: AdapterHost | null = null;
    const adaptersWanted = roles.includes("ingest") && opts.adapters !== false;
    // Resolved lazily: adapters start after the intake they feed exists.
    const sender: Sender = {
      send: (channel: Channel, m: OutboundText) => lazySender(host).send(channel, m),
      closeChoices: (channel: Channel, q: ClosedQuestion) =>
        lazySender(host).closeChoices?.(channel, q) ?? Promise.resolve(),
    };
    // One keyring for the pipeline and the conversations: the current key seals, older keys
    // (DATA_KEYS) still open what they sealed.
    const keyring = createKeyring(config.dataKey.key, config.oldDataKeys);
    const conversations = await startConversations({
      env,
      roles,
      redis: redis.client,
      prefix: config.prefix,
      keyring: keyring.entries,
      delivery: config.delivery,
      rulesFile: config.rulesFile,
      rules,
      deliveryInstance: delivery,
      sender,
      metrics: metrics.registry,
      steps: metrics,
      conversationMetrics: metrics,
      ...(opts.now ? { now: opts.now } : {}),
    });
    cleanups.unshift(() => conversations.stop());
    const pipeline = createPipeline({
      connection: redis.client,
      intakeConnection: redis.bounded,
      prefix: config.prefix,
      key: config.dataKey.key,
      oldKeys: config.oldDataKeys,
      roles,
      ...(rules
        ? {
            route: (m) => routeMessage(m, rules.current),
            affiliate: (id) => rules.current.affiliateById.get(id),
            affiliates: () => rules.current.affiliates,
          }
        : {}),
      ackText,
      conversation: conversations.step,
      askTimeout: conversations.askTimeout,
      questionSent: conversations.questionSent,
      ...(delivery ? { delivery } : {}),
      sender,
      retry: {
        deliver: { attempts: config.deliverAttempts, baseDelayMs: 2000, maxDelayMs: 10 * 60_000 },
      },
      concurrency: config.concurrency,
      dedupeTtlSeconds: config.dedupeTtlSeconds,
      flood: config.flood,
      deliverRate: config.delivery.rate,
      metrics,
    });
    cleanups.unshift(() => pipeline.close());
    log.info(
      {
        kid: pipeline.keyring.current.kid,
        readOnly: pipeline.keyring.entries.slice(1).map((k) => k.kid),
      },
      "data keyring",
    );

    if (adaptersWanted) {
      host = startAdapters(
        env,
        {
          intake: pipeline.intake,
          cursors: new RedisCursorStore(redis.client, config.prefix),
          logger,
          metrics,
        },
        log,
      );
      const h = host;
      cleanups.unshift(() => h.stop());
    }

    // One audit log for the retention purge and the admin console.
    const audit = createAuditLog({
      redis: redis.client,
      prefix: config.prefix,
      envelope: pipeline.envelope,
    });
    const retentionConfig = retentionConfigFromEnv(env);
    // Retention (src/retention): the deliver role purges what is past its period, once at start and
    // then on a timer; a Redis lock keeps two processes from purging at once.
    if (roles.includes("deliver")) {
      const retention = startRetention({
        deps: {
          redis: redis.client,
          prefix: config.prefix,
          store: conversations.store,
          queues: pipeline.queues,
          quarantine: pipeline.quarantine,
          held: pipeline.held,
          audit,
          outboxDir: config.delivery.smtp ? null : config.delivery.outboxDir,
        },
        config: retentionConfig,
        metrics: metrics.registry,
      });
      cleanups.unshift(() => retention.stop());
    }

    const depthTimer = setInterval(() => {
      pipeline.refreshDepths().catch(() => undefined);
      conversations.refreshMetrics().catch(() => undefined);
    }, 5000);
    depthTimer.unref();
    cleanups.unshift(() => Promise.resolve(clearInterval(depthTimer)));

    const health = createReadiness({
      redis: redis.bounded,
      prefix: config.prefix,
      workers: pipeline.workers,
      roleNames: roles.join(","),
      rules,
      delivery: delivery ? deliveryReadiness(config.delivery) : null,
      keys: () => pipeline.keyHealth(),
      adapters: () => host?.adapters ?? [],
      relay: () => conversations.health(),
    });

    // Every role: health checks and Prometheus, on a listener that is not the public one.
    const internal = buildInternalServer({
      health,
      registry: metrics.registry,
      logger,
      beforeScrape: () => pipeline.refreshDepths(),
    });
    const internalAddress = await internal.listen({
      port: config.internal.port,
      host: config.internal.host,
    });
    cleanups.unshift(() => internal.close());
    log.info({ url: internalAddress }, "internal listener: /healthz, /readyz, /metrics");

    let http: FastifyInstance | null = null;
    let address: string | null = null;
    if (roles.includes("ingest")) {
      http = buildHttpServer({
        intake: pipeline.intake,
        metricsRegistry: metrics.registry,
        logger,
        config: config.http,
        // Every web process counts one per-IP form limit in Redis, keyed by a keyed hash of the
        // IP (no address is stored). The bounded client: a request must not wait for Redis.
        rateLimitStore: {
          redis: redis.bounded,
          prefix: `${config.prefix}:`,
          hashKey: (ip) => pipeline.hasher.hash(HASH_PURPOSE.formIp, ip),
        },
        console: {
          redis: redis.client,
          prefix: config.prefix,
          config: config.admin,
          hash: (purpose, value) => pipeline.hasher.hash(purpose, value),
          rulesFile: config.rulesFile,
          liveRules: rules,
          store: conversations.store,
          reroute: conversations.reroute,
          queues: pipeline,
          services: consoleServices({
            redis: redis.client,
            prefix: config.prefix,
            pipeline,
            store: conversations.store,
            audit,
            retention: retentionConfig,
            // Also with SMTP: files written before SMTP was set up may still be there.
            outboxDir: config.delivery.outboxDir,
            smtp: config.delivery.smtp !== null,
          }),
        },
      });
      const server = http;
      address = await server.listen({ port: config.http.port, host: config.http.host });
      cleanups.unshift(() => server.close());
      log.info({ url: address }, "web form listening on /contact, admin console on /admin");
    }
    log.info(
      { roles, prefix: config.prefix, privateRedis: redis.private?.port ?? null },
      "contact-router started",
    );

    let stopped: Promise<void> | null = null;
    return {
      config,
      roles,
      redis,
      pipeline,
      metrics,
      http,
      address,
      internalAddress,
      adapters: host?.adapters ?? [],
      conversations,
      rules,
      health,
      stop() {
        stopped ??= runCleanups(cleanups);
        return stopped;
      },
    };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

function lazySender(host: AdapterHost | null): Sender {
  if (host) return host.sender;
  const none = () =>
    Promise.reject(
      new RouterError("ADAPTER_NETWORK", "no adapters run in this process", { retryable: true }),
    );
  return { send: none, closeChoices: none };
}

/** Runs cleanups in order; one failing does not stop the rest. */
async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const c of cleanups) {
    try {
      await c();
    } catch (err) {
      log.error(
        { err: { name: (err as Error).name, message: (err as Error).message } },
        "shutdown step failed",
      );
    }
  }
}

/**
 * Stops the app on SIGTERM/SIGINT; a second signal, or the timeout, exits at once (active jobs
 * are then recovered by another worker as stalled, nothing is lost).
 */
export function stopOnSignals(app: RunningApp, timeoutMs = app.config.shutdownTimeoutMs): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    log.info({ signal }, "shutting down: finishing active jobs");
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, "shutdown timed out; exiting");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

/** `npm start`: every role in one process (or ROLE=…), stopped by SIGTERM/SIGINT. */
export async function main(opts: StartOptions = {}): Promise<RunningApp> {
  try {
    const app = await startApp(opts);
    stopOnSignals(app);
    return app;
  } catch (err) {
    if (err instanceof RouterError && err.code === "CONFIG_INVALID") {
      console.error(`contact-router: ${err.message}`);
      process.exit(2);
    }
    if (err instanceof RouterError && err.code === "REDIS_UNAVAILABLE") {
      // One line, no stack: a supervisor restarts the process and the log says why.
      console.error(`contact-router: ${err.code}: ${err.message}`);
      process.exit(3);
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error("contact-router failed to start:", err);
    process.exit(1);
  });
}
