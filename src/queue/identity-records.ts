import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Keyring } from "../crypto/keyring.js";
import { IDENTITY_RECORDS, STAGE_QUEUES, isLegacyHash, type QueueName } from "./keys.js";

type RecordKind = (typeof IDENTITY_RECORDS)[number];

/** Identity-named records of one kind, by the key id their name carries. */
export interface IdentityRecordCount {
  kind: RecordKind;
  total: number;
  /** Key id → count; `legacy`: unkeyed names from before keyed hashes. */
  byKid: Record<string, number>;
  /** Legacy names, and names under key ids the keyring no longer holds: nothing can find them. */
  unfindable: number;
}

/** Jobs whose ids still carry an unkeyed hash, per queue and state. */
export interface LegacyJobCount {
  queue: QueueName;
  state: string;
  count: number;
}

async function scanKeys(redis: Redis, match: string, visit: (key: string) => Promise<void>) {
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
    cursor = next;
    for (const key of batch) await visit(key);
  } while (cursor !== "0");
}

/** Whether a record name's hash can still be looked up with this keyring. */
function kidOfName(hash: string): string {
  return isLegacyHash(hash) ? "legacy" : hash.slice(0, hash.indexOf("."));
}

/**
 * Counts seen, thread, delivered and flood records by the key id in their names. With `purge`,
 * deletes the unfindable ones: legacy unkeyed names (a lookup renames the ones still in use; the
 * rest only wait for their TTL) and names under key ids no longer in the keyring.
 */
export async function countIdentityRecords(
  redis: Redis,
  prefix: string,
  keyring: Keyring,
  opts: { purge?: boolean } = {},
): Promise<{ records: IdentityRecordCount[]; purged: number }> {
  const records: IdentityRecordCount[] = [];
  let purged = 0;
  for (const kind of IDENTITY_RECORDS) {
    const head = `${prefix}:${kind}:`;
    const count: IdentityRecordCount = { kind, total: 0, byKid: {}, unfindable: 0 };
    const doomed: string[] = [];
    await scanKeys(redis, `${head}*`, (key) => {
      const hash = key.slice(head.length);
      const kid = kidOfName(hash);
      count.total++;
      count.byKid[kid] = (count.byKid[kid] ?? 0) + 1;
      if (kid === "legacy" || !keyring.get(kid)) {
        count.unfindable++;
        if (opts.purge) doomed.push(key);
      }
      return Promise.resolve();
    });
    for (let i = 0; i < doomed.length; i += 500) {
      purged += await redis.unlink(...doomed.slice(i, i + 500));
    }
    records.push(count);
  }
  return { records, purged };
}

/**
 * Jobs taken in before keyed hashes: their ids (`<queue>-<32 hex>`) are unkeyed hashes of the
 * message id. Waiting ones finish under their ids and are cleaned up with the completed jobs; dead
 * letters keep theirs until retried or discarded.
 */
export async function countLegacyJobs(
  redis: Redis,
  prefix: string,
  queues: Record<QueueName, Queue>,
): Promise<LegacyJobCount[]> {
  const out = new Map<string, LegacyJobCount>();
  for (const queue of STAGE_QUEUES) {
    const head = `${prefix}:${queue}:${queue}-`;
    await scanKeys(redis, `${head}*`, async (key) => {
      const hash = key.slice(head.length);
      if (!isLegacyHash(hash)) return; // keyed, or a job's :lock / :logs key
      const state = await queues[queue].getJobState(`${queue}-${hash}`);
      const k = `${queue}/${state}`;
      const c = out.get(k) ?? { queue, state, count: 0 };
      c.count++;
      out.set(k, c);
    });
  }
  return [...out.values()];
}
