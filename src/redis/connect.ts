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
}

/** A connected client, and the private server behind it when we started one. */
export interface RedisHandle {
  url: string;
  /** A client with `maxRetriesPerRequest: null`, as BullMQ requires. */
  client: Redis;
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
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on("error", (err) =>
    log.error({ err: { name: err.name, code: (err as { code?: unknown }).code } }, "redis error"),
  );
  try {
    await client.ping();
  } catch (cause) {
    client.disconnect();
    await server?.stop();
    throw new RouterError("CONFIG_INVALID", `REDIS_URL: cannot reach Redis at ${redactUrl(url)}`, {
      cause,
    });
  }
  const finalUrl = url;
  return {
    url: finalUrl,
    client,
    private: server,
    duplicate: () => new Redis(finalUrl, { maxRetriesPerRequest: null }),
    async close() {
      await client.quit().catch(() => client.disconnect());
      await server?.stop();
    },
  };
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
