import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { ChannelAdapter } from "../adapters/types.js";
import type { Check } from "./delivery/readiness.js";
import type { HealthReport } from "./http/internal.js";
import type { LiveRules } from "./routing/live.js";

/** What the checks look at; absent parts (another role's) are not checked. */
export interface ReadinessDeps {
  /** A bounded client (fails fast while Redis is away). */
  redis: Redis;
  prefix: string;
  workers: readonly Worker[];
  roleNames: string;
  /** The route role's live rules. */
  rules: LiveRules | null;
  /** The deliver role's outbox or SMTP check. */
  delivery: (() => Promise<Check>) | null;
  /** Data keys: red while jobs wait for a key this process lacks. */
  keys: () => Promise<Check>;
  adapters: () => readonly ChannelAdapter[];
  /** The relay listener's state, when this process runs it. */
  relay: () => Check | null;
}

/** One check may take this long before it counts as failed (the endpoint's own limit is 4 s). */
const CHECK_TIMEOUT_MS = 3_000;
/** The key the Redis check writes; it expires by itself. */
const WRITE_PROBE_TTL_MS = 60_000;

/**
 * `/readyz` for every role. Ready means: Redis takes a write (a full disk, `maxmemory` under
 * noeviction or a read-only replica all refuse it), the workers run, the routing rules file loads
 * (route), the outbox is writable or the SMTP server answers (deliver), and no job waits for a
 * missing data key. Adapters and the relay listener are reported but do not make the process
 * unready: they retry on their own, and the form and the queues still work meanwhile.
 */
export function createReadiness(deps: ReadinessDeps): () => Promise<HealthReport> {
  const probeKey = `${deps.prefix}readyz`;
  return async () => {
    const checks: HealthReport["checks"] = {};
    const required: Promise<void>[] = [];
    const run = (name: string, check: () => Promise<Check> | Check) =>
      required.push(
        bounded(check).then((c) => {
          checks[name] = c;
        }),
      );

    run("redis", async () => {
      await deps.redis.set(probeKey, String(Date.now()), "PX", WRITE_PROBE_TTL_MS);
      return { ok: true, detail: "write accepted" };
    });
    run("workers", () => ({
      ok: deps.workers.every((w) => w.isRunning()),
      detail: `${deps.workers.length} running for ${deps.roleNames}`,
    }));
    if (deps.rules) {
      const rules = deps.rules;
      run("rules", () => rules.health());
    }
    if (deps.delivery) run("delivery", deps.delivery);
    run("keys", deps.keys);
    await Promise.all(required);
    const ready = Object.values(checks).every((c) => c.ok);

    for (const a of deps.adapters()) {
      const h = a.health();
      checks[`adapter.${a.channel}`] = { ok: h.state === "running", detail: h.state };
    }
    const relay = deps.relay();
    if (relay) checks.relay = relay;
    return { ready, checks };
  };
}

/** Runs a check with a deadline; a throw or a hang is a failed check that says why. */
async function bounded(check: () => Promise<Check> | Check): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<Check>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
