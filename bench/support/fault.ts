/**
 * What the fault scripts share (bench/fault-kill.ts with its child bench/fault-worker.ts, and
 * bench/fault-relay.ts with bench/fault-relay-worker.ts): the child process the parent SIGKILLs
 * and restarts, the environment it is started with, and, in the child, its Redis connection,
 * SMTP delivery to the parent's sink, retry policy and worker timing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import type { DeliveryConfig } from "../../src/delivery/config.js";
import { logger } from "../../src/logger.js";
import type { RetryPolicy } from "../../src/queue/jobs.js";

/** What the parent tells its child (as FAULT_* variables and DATA_KEY). */
export interface FaultChildEnv {
  redisUrl: string;
  smtpPort: number;
  prefix: string;
  outbox: string;
  key: Buffer;
  /** Only the relay child: the port its SMTP listener takes. */
  relayPort?: number;
}

/** A child process that is started, waited for (it prints READY), SIGKILLed and restarted. */
export interface FaultChild {
  /** Starts the child and resolves once it is ready. */
  start(): Promise<void>;
  /** SIGKILLs the running child and waits for its exit; false when none was running. */
  kill(): Promise<boolean>;
  /** How many times it was SIGKILLed. */
  readonly kills: number;
}

/** `env()` is read at every start (the Redis URL may change after a Redis restart). */
export function faultChild(script: string, env: () => FaultChildEnv): FaultChild {
  let child: ChildProcess | null = null;
  let kills = 0;
  return {
    get kills() {
      return kills;
    },
    async start() {
      const e = env();
      const c = spawn(process.execPath, [script], {
        stdio: ["ignore", "pipe", "ignore"],
        env: {
          ...process.env,
          LOG_LEVEL: "silent",
          FAULT_REDIS_URL: e.redisUrl,
          FAULT_SMTP_PORT: String(e.smtpPort),
          FAULT_PREFIX: e.prefix,
          FAULT_OUTBOX: e.outbox,
          ...(e.relayPort !== undefined ? { FAULT_RELAY_PORT: String(e.relayPort) } : {}),
          DATA_KEY: e.key.toString("base64"),
        },
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        c.stdout?.on("data", (d: Buffer) => d.toString().includes("READY") && resolve());
        c.once("exit", (code) => reject(new Error(`${script} exited early with ${code}`)));
      });
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null) return false;
      const exited = new Promise((r) => c.once("exit", r));
      c.kill("SIGKILL");
      kills++;
      await exited;
      return true;
    },
  };
}

/** Retries of the children's jobs: many and quick, as the children are killed on purpose. */
export const FAULT_RETRY: RetryPolicy = { attempts: 100, baseDelayMs: 100, maxDelayMs: 2000 };

/**
 * Short locks so a killed worker's jobs are recovered within seconds, and no cap on recoveries:
 * the children are killed hundreds of times on purpose.
 */
export const FAULT_WORKER_TIMING = {
  lockDurationMs: 3000,
  stalledIntervalMs: 1000,
  maxStalledCount: 100_000,
};

/** In the child: what the parent passed, its Redis connection and its delivery settings. */
export function faultChildSetup(name: string): {
  need: (variable: string) => string;
  redis: Redis;
  prefix: string;
  key: Buffer;
  /** SMTP to the parent's sink (the outbox only as the configured fallback folder). */
  delivery: DeliveryConfig;
} {
  // Per-message info lines would measure the terminal, not the pipeline.
  logger.level = process.env.LOG_LEVEL ?? "warn";
  const need = (variable: string): string => {
    const v = process.env[variable];
    if (!v) throw new Error(`${name}: ${variable} is required`);
    return v;
  };
  const redis = new Redis(need("FAULT_REDIS_URL"), { maxRetriesPerRequest: null });
  // The parent kills Redis too: errors while it is down are expected, commands wait and resume.
  redis.on("error", () => undefined);
  return {
    need,
    redis,
    prefix: need("FAULT_PREFIX"),
    key: Buffer.from(need("DATA_KEY"), "base64"),
    delivery: {
      smtp: {
        host: "127.0.0.1",
        port: Number(need("FAULT_SMTP_PORT")),
        secure: false,
        requireTls: false,
        rejectUnauthorized: false,
        poolSize: 4,
      },
      outboxDir: need("FAULT_OUTBOX"),
      from: "contact-router <fault@example.net>",
      messageIdDomain: "example.net",
      rate: { perMinute: 1e9, burst: 1e9 },
    },
  };
}
