import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { SealedTally, type KeyCensus, type ResealReport } from "../crypto/sealed-store.js";
import type { PipelineScripts } from "./scripts.js";

/** One Redis hash whose values are sealed (quarantine, held messages), for `SealedStore`s. */
export interface SealedHash {
  redis: Redis;
  scripts: PipelineScripts;
  /** The hash key. */
  key: string;
  /** Store name for reports. */
  name: string;
  /** The sealed text a stored value carries (the value itself, or a field of its JSON). */
  sealedOf(value: string): string;
  /**
   * The value re-sealed under the envelope's current key, or null when it already is. Throws
   * when it does not open.
   */
  reseal(field: string, value: string, envelope: Envelope): string | null;
}

async function scan(h: SealedHash, visit: (field: string, value: string) => Promise<void>) {
  let cursor = "0";
  do {
    const [next, flat] = await h.redis.hscan(h.key, cursor, "COUNT", 500);
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) await visit(flat[i]!, flat[i + 1]!);
  } while (cursor !== "0");
}

/** Counts the hash's values by the key id their sealed text names. */
export async function censusHash(h: SealedHash, envelope: Envelope): Promise<KeyCensus> {
  const tally = new SealedTally(h.name);
  await scan(h, (_field, value) => {
    try {
      tally.count(envelope, h.sealedOf(value));
    } catch {
      tally.census.total++;
      tally.census.byKid.unknown = (tally.census.byKid.unknown ?? 0) + 1;
    }
    return Promise.resolve();
  });
  return tally.census;
}

/** Re-seals the hash's values; a value changed meanwhile by the service is left to the service. */
export async function resealHash(h: SealedHash, envelope: Envelope): Promise<ResealReport> {
  const tally = new SealedTally(h.name);
  const r = tally.report;
  await scan(h, async (field, value) => {
    r.total++;
    let next: string | null;
    try {
      next = h.reseal(field, value, envelope);
    } catch (err) {
      tally.unreadable(field, err);
      return;
    }
    if (next === null) r.current++;
    else if (await h.scripts.hsetIfEqual(h.key, field, value, next)) r.resealed++;
    else r.changed++;
  });
  return r;
}
