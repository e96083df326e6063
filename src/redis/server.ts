import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** A redis-server this process started. */
export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** SIGTERM (Redis flushes the AOF and exits), SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Data folder: the AOF and any snapshot live here. */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** `everysec` (default) or `always` (fault tests: nothing acknowledged is lost on a kill). */
  appendfsync?: "always" | "everysec";
  binary?: string;
  /** How long to wait for it to answer PING. */
  startTimeoutMs?: number;
}

/** Name of the file in the data folder that holds a running private server's URL. */
export const URL_FILE = "contact-router.url";

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a private redis-server bound to 127.0.0.1 with AOF on and `noeviction`, and waits until
 * it answers. Rejects with the server's own words when it cannot start (e.g. the binary is missing).
 */
export async function startPrivateRedis(opts: PrivateRedisOptions): Promise<PrivateRedis> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const port = opts.port ?? (await freePort());
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    opts.dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    opts.appendfsync ?? "everysec",
    "--maxmemory-policy",
    "noeviction",
    "--save",
    "",
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
    "--logfile",
    "redis.log",
  ];
  const child = spawn(opts.binary ?? "redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")).slice(-2000));
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  for (;;) {
    const early = await Promise.race([
      spawnError.then((e) => e.message),
      exited.then((c) => `redis-server exited with code ${c}: ${stderr.trim()}`),
      new Promise<null>((r) => setTimeout(() => r(null), 100)),
    ]);
    if (early !== null) throw new Error(`cannot start redis-server: ${early}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server on port ${port} did not answer within the start timeout`);
    }
  }
  // The CLI (dlq, quarantine) finds this server through this file while it runs.
  const urlFile = join(opts.dir, URL_FILE);
  writeFileSync(urlFile, `${url}\n`, { mode: 0o600 });
  return {
    url,
    port,
    dir: opts.dir,
    process: child,
    async stop(graceMs = 10_000) {
      rmSync(urlFile, { force: true });
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** True when something at `url` answers PING within a second. */
export async function answers(url: string, timeoutMs = 1000): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
