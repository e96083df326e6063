import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { RouterError } from "../errors.js";
import { moduleLogger } from "../logger.js";
import { URL_FILE, answers, startPrivateRedis, type PrivateRedis } from "./server.js";

const log = moduleLogger("redis");

/** The default local Redis that is tried when REDIS_URL is unset. */
export const LOCAL_REDIS_URL = "redis://127.0.0.1:6379";

export interface ConnectOptions {
  /** REDIS_URL; when set it is used and nothing else is tried. */
  url?: string;
  /** Folder for a private redis-server's data and AOF (default `var/redis`). */
  dataDir?: string;
  /** The local server to try first (default 127.0.0.1:6379). */
  localUrl?: string;
  binary?: string;
  /** Never start a server: for the admin CLI, which must talk to the running service's Redis. */
  existingOnly?: boolean;
  /** How long to keep trying before REDIS_UNAVAILABLE (REDIS_CONNECT_TIMEOUT_MS; default 10 s). */
  connectTimeoutMs?: number;
  /** Longest wait for one command on the `bounded` client (REDIS_COMMAND_TIMEOUT_MS; default 1.5 s). */
  commandTimeoutMs?: number;
}

/** A connected client, and the private server behind it when we started one. */
export interface RedisHandle {
  url: string;
  /**
   * A client with `maxRetriesPerRequest: null`, as BullMQ requires: its commands wait for Redis
   * to come back. For workers and their queues.
   */
  client: Redis;
  /**
   * A client whose commands fail fast while Redis is away (no offline queue, one retry, a command
   * timeout): for request paths (the web form's intake, /readyz, admin commands) that must answer
   * instead of waiting. Never for a BullMQ Worker.
   */
  bounded: Redis;
  private: PrivateRedis | null;
  /** Another client on the same server (BullMQ workers and the CLI use their own). */
  duplicate(): Redis;
  /** Closes the client and stops the private server, if any. */
  close(): Promise<void>;
}

/**
 * REDIS_URL if set; else 127.0.0.1:6379 if it answers; else a private redis-server (AOF under
 * `dataDir`) on a free port. When none works, throws CONFIG_INVALID naming both ways to get Redis.
 */
export async function connectRedis(opts: ConnectOptions = {}): Promise<RedisHandle> {
  let url = opts.url?.trim() || undefined;
  let server: PrivateRedis | null = null;
  if (!url) {
    const local = opts.localUrl ?? LOCAL_REDIS_URL;
    const running = readRunningUrl(opts.dataDir ?? join("var", "redis"));
    if (await answers(local)) {
      url = local;
    } else if (running && (await answers(running))) {
      url = running;
    } else if (opts.existingOnly) {
      throw new RouterError(
        "CONFIG_INVALID",
        "no Redis: nothing answers on 127.0.0.1:6379 and no private redis-server of contact-router is running. " +
          "Set REDIS_URL=redis://host:port to the service's Redis, or start the service (`npm start`) first.",
      );
    } else {
      const dir = opts.dataDir ?? join("var", "redis");
      try {
        server = await startPrivateRedis({ dir, ...(opts.binary ? { binary: opts.binary } : {}) });
      } catch (cause) {
        throw new RouterError(
          "CONFIG_INVALID",
          "no Redis: nothing answers on 127.0.0.1:6379 and a private redis-server could not be started " +
            `(${(cause as Error).message}). Either set REDIS_URL=redis://host:port to an existing Redis, ` +
            "or install redis-server (e.g. `apt install redis-server`) so contact-router can run a private one.",
          { cause },
        );
      }
      url = server.url;
      log.warn(
        { port: server.port, dir },
        "started a private redis-server (AOF on); it stops when contact-router exits",
      );
    }
  }
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  const bounded = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
  });
  try {
    await Promise.all([
      untilReady(client, url, connectTimeoutMs),
      untilReady(bounded, url, connectTimeoutMs),
    ]);
  } catch (err) {
    client.disconnect();
    bounded.disconnect();
    await server?.stop();
    throw err;
  }
  for (const c of [client, bounded]) {
    // While Redis is away ioredis reconnects and emits an error per try: logged, never thrown.
    c.on("error", (err) =>
      log.error({ err: { name: err.name, code: (err as { code?: unknown }).code } }, "redis error"),
    );
  }
  const finalUrl = url;
  return {
    url: finalUrl,
    client,
    bounded,
    private: server,
    duplicate: () => new Redis(finalUrl, { maxRetriesPerRequest: null }),
    async close() {
      await Promise.all([
        client.quit().catch(() => client.disconnect()),
        bounded.quit().catch(() => bounded.disconnect()),
      ]);
      await server?.stop();
    },
  };
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 1_500;

/**
 * Connects a lazy client, letting ioredis retry until `timeoutMs` has passed (Redis may still be
 * starting); then gives up with REDIS_UNAVAILABLE naming the last error code. The retries' errors
 * are not logged: one clear failure, not a line per try.
 */
async function untilReady(client: Redis, url: string, timeoutMs: number): Promise<void> {
  let last = "no answer";
  const onError = (err: Error) => {
    const code = (err as { code?: unknown }).code;
    last = typeof code === "string" ? code : err.message;
  };
  client.on("error", onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // connect() rejects when the first try fails; "ready" comes on whichever try succeeds.
      new Promise<void>((resolve) => {
        client.once("ready", () => resolve());
        client.connect().catch(() => undefined);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Timers run before I/O in each turn of the event loop: after a busy stretch (a slow
          // start-up) the deadline can fire before an already-received refusal is read. One
          // setImmediate lets the poll phase deliver it, so the message names the real cause.
          setImmediate(() => {
            const seconds = Math.round(timeoutMs / 100) / 10;
            reject(
              new RouterError(
                "REDIS_UNAVAILABLE",
                `cannot reach Redis at ${redactUrl(url)} within ${seconds} s (${last}); ` +
                  "check REDIS_URL and that Redis is running (REDIS_CONNECT_TIMEOUT_MS sets the wait)",
                { retryable: true },
              ),
            );
          });
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    client.off("error", onError);
  }
}

/**
 * Warns loudly unless `maxmemory-policy` is `noeviction`: under any other policy Redis may drop
 * queued contacts when memory runs out. Returns the policy (null when CONFIG is not allowed).
 */
export async function checkEvictionPolicy(client: Redis): Promise<string | null> {
  let policy: string | null;
  try {
    const res = await client.config("GET", "maxmemory-policy");
    policy = res[1] ?? null;
  } catch {
    log.warn("could not read maxmemory-policy (CONFIG disabled?); make sure it is noeviction");
    return null;
  }
  if (policy !== "noeviction") {
    log.error(
      { policy },
      "REDIS MISCONFIGURED: maxmemory-policy is not noeviction; Redis may silently evict queued contacts. Set `maxmemory-policy noeviction`.",
    );
  }
  return policy;
}

function readRunningUrl(dir: string): string | null {
  try {
    return readFileSync(join(dir, URL_FILE), "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}
