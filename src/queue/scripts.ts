import type { Redis } from "ioredis";

/*
 * The pipeline's own Redis scripts: each folds a lookup and its follow-up write into one round
 * trip, which dominates the pipeline's cost (docs/pipeline.md). Keys are passed in KEYS (one hash
 * slot under the prefix's hash tag, as Redis Cluster requires).
 *
 * Rate limits are GCRA ("generic cell rate algorithm"): a key holds the theoretical arrival time
 * (TAT) of the next send; a send is allowed while TAT - tau <= now, and moves TAT on by one
 * interval T. burst = tau / T + 1. Server time (TIME) is used so every process shares one clock.
 */

const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** GCRA take without reservation: 0 when allowed (and counted), else ms until allowed. */
const GCRA = `
local function gcra(key, T, tau, now)
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  local allow = tat - tau
  if now < allow then return math.ceil(allow - now) end
  local new = tat + T
  redis.call('SET', key, tostring(new), 'PX', math.max(1, math.ceil(new - now)))
  return 0
end
`;

/**
 * Intake: is the message id seen (under any key of the keyring, or its legacy name, which is
 * renamed to the current keyed name), and if not, may its sender send another (flood limit)?
 * KEYS: seen candidates, current first, legacy last; then the flood key.
 * ARGV: number of seen candidates, flood interval T ms (0: off), flood tau ms.
 * Returns [job id of the earlier message or "", ms the sender must wait (0: not flooding)].
 */
const INTAKE_CHECK =
  NOW +
  GCRA +
  `
local m = tonumber(ARGV[1])
for i = 1, m do
  local v = redis.call('GET', KEYS[i])
  if v then
    if i > 1 then redis.call('RENAME', KEYS[i], KEYS[1]) end
    return {v, 0}
  end
end
local T = tonumber(ARGV[2])
if T <= 0 then return {'', 0} end
return {'', gcra(KEYS[m + 1], T, tonumber(ARGV[3]), now_ms())}
`;

/**
 * Deliver: was this contact delivered already, and if not, may it be sent now under its
 * affiliate's limit? A job that must wait reserves its own send slot (a sorted set of job id →
 * slot time), so a backlog wakes one job per slot instead of all at once; a job coming back at
 * its slot sends without taking another.
 * KEYS: delivered record, limit TAT key, slots key. ARGV: job id, T ms (0: no limit), tau ms.
 * Returns [Message-ID of the earlier delivery or "", ms to wait (0: send now)].
 */
const DELIVER_CHECK =
  NOW +
  `
local done = redis.call('GET', KEYS[1])
if done then return {done, 0} end
local T = tonumber(ARGV[2])
if T <= 0 then return {'', 0} end
local now = now_ms()
local slot = redis.call('ZSCORE', KEYS[3], ARGV[1])
if slot then
  slot = tonumber(slot)
  if slot - now > T / 2 then return {'', math.ceil(slot - now)} end
  redis.call('ZREM', KEYS[3], ARGV[1])
  return {'', 0}
end
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if tat < now then tat = now end
local allow = tat - tonumber(ARGV[3])
local new = tat + T
redis.call('SET', KEYS[2], tostring(new), 'PX', math.max(1, math.ceil(new - now)))
if now >= allow then return {'', 0} end
-- Reservations of jobs that never came back (removed by an admin) are dropped after an hour.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 3600000)
redis.call('ZADD', KEYS[3], allow, ARGV[1])
redis.call('PEXPIRE', KEYS[3], math.ceil(allow - now) + 3600000)
return {'', math.ceil(allow - now)}
`;

/** HSET field to ARGV[3] only if it still holds ARGV[2]: 1 when replaced, 0 when it changed or went. */
const HSET_IF_EQUAL = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
`;

interface ScriptCommands {
  crIntakeCheck(numKeys: number, ...args: (string | number)[]): Promise<[string, number]>;
  crDeliverCheck(numKeys: number, ...args: (string | number)[]): Promise<[string, number]>;
  crHsetIfEqual(numKeys: number, ...args: (string | number)[]): Promise<number>;
}

/** A GCRA limit: `perWindow` sends at once, then one every `windowMs / perWindow`. */
export interface Limit {
  /** Interval between sends, ms. */
  T: number;
  /** Burst tolerance, ms: (burst - 1) × T. */
  tau: number;
}

/** A limit of `rate` per `windowMs` with the given burst; null when `rate` is 0 (off). */
export function limitOf(rate: number, windowMs: number, burst: number): Limit | null {
  if (!(rate > 0)) return null;
  const T = windowMs / rate;
  return { T, tau: Math.max(0, burst - 1) * T };
}

/** The pipeline's scripts on one connection (ioredis sends EVALSHA and falls back to EVAL). */
export class PipelineScripts {
  private readonly r: ScriptCommands;

  constructor(redis: Redis) {
    const defined = redis as unknown as Partial<ScriptCommands>;
    if (typeof defined.crIntakeCheck !== "function") {
      redis.defineCommand("crIntakeCheck", { lua: INTAKE_CHECK });
      redis.defineCommand("crDeliverCheck", { lua: DELIVER_CHECK });
      redis.defineCommand("crHsetIfEqual", { lua: HSET_IF_EQUAL });
    }
    this.r = redis as unknown as ScriptCommands;
  }

  /** See INTAKE_CHECK. `seen`: candidate keys, current first, legacy last. */
  async intakeCheck(
    seen: readonly string[],
    floodKey: string,
    flood: Limit | null,
  ): Promise<{ earlierJobId: string | null; floodWaitMs: number }> {
    const [earlier, wait] = await this.r.crIntakeCheck(
      seen.length + 1,
      ...seen,
      floodKey,
      seen.length,
      flood?.T ?? 0,
      flood?.tau ?? 0,
    );
    return { earlierJobId: earlier === "" ? null : earlier, floodWaitMs: Number(wait) };
  }

  /** See DELIVER_CHECK. */
  async deliverCheck(
    keys: { delivered: string; limit: string; slots: string },
    jobId: string,
    limit: Limit | null,
  ): Promise<{ deliveredAs: string | null; waitMs: number }> {
    const [done, wait] = await this.r.crDeliverCheck(
      3,
      keys.delivered,
      keys.limit,
      keys.slots,
      jobId,
      limit?.T ?? 0,
      limit?.tau ?? 0,
    );
    return { deliveredAs: done === "" ? null : done, waitMs: Number(wait) };
  }

  /** Replaces a hash field only if it still holds `expected`; false when it changed or went. */
  async hsetIfEqual(key: string, field: string, expected: string, value: string): Promise<boolean> {
    return (await this.r.crHsetIfEqual(1, key, field, expected, value)) === 1;
  }
}
