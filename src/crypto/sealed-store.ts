import { RouterError } from "../errors.js";
import type { Envelope } from "./envelope.js";

/**
 * A place that keeps values sealed with the data keyring (queue jobs, quarantine, held messages,
 * …). `contact-router keys status` and `keys rotate` walk every registered store, so a store
 * added later only has to implement this and be listed in `Pipeline.sealedStores`.
 *
 * Both methods must be safe while the service runs: `reseal` replaces a value only if it is
 * still the one it opened (compare-and-set), so a concurrent write is never overwritten.
 */
export interface SealedStore {
  /** Short name for reports, e.g. `queue inbound`, `quarantine`. */
  readonly name: string;
  /** Counts the store's sealed values by the key id they name (`v1`: sealed before key ids). */
  census(envelope: Envelope): Promise<KeyCensus>;
  /**
   * Re-seals every value that is not under the envelope's current key. A value that does not
   * open is left exactly as it is and reported with its reference and reason.
   */
  reseal(envelope: Envelope): Promise<ResealReport>;
}

/** Sealed values of one store by key id. */
export interface KeyCensus {
  store: string;
  total: number;
  byKid: Record<string, number>;
}

/** What re-sealing did to one store. References and reasons carry no personal data. */
export interface ResealReport {
  store: string;
  /** Values looked at. */
  total: number;
  /** Re-sealed under the current key. */
  resealed: number;
  /** Already under the current key. */
  current: number;
  /** Gone or rewritten by the service while this ran (what it wrote is under the current key). */
  changed: number;
  /** Left as they were because they do not open: reference and reason. */
  unreadable: { ref: string; reason: string }[];
}

/** Builds a store's census and report while it walks its values. */
export class SealedTally {
  readonly census: KeyCensus;
  readonly report: ResealReport;
  constructor(store: string) {
    this.census = { store, total: 0, byKid: {} };
    this.report = { store, total: 0, resealed: 0, current: 0, changed: 0, unreadable: [] };
  }

  /** Counts one sealed value under the key id it names. */
  count(envelope: Envelope, sealed: string): void {
    const kid = envelope.keyIdOf(sealed) ?? "unknown";
    this.census.total++;
    this.census.byKid[kid] = (this.census.byKid[kid] ?? 0) + 1;
  }

  unreadable(ref: string, err: unknown): void {
    this.report.unreadable.push({ ref, reason: reasonOf(err) });
  }
}

/**
 * The re-sealed form of `sealed` under the current key, or `null` when it already is under it.
 * Throws what `open` throws (KEY_UNAVAILABLE, DECRYPT_FAILED).
 */
export function resealValue(envelope: Envelope, sealed: string, context: string): string | null {
  if (envelope.keyIdOf(sealed) === envelope.currentKid) return null;
  return envelope.seal(envelope.open(sealed, context), context);
}

/** Re-seals every store; one store failing is reported and does not stop the others. */
export async function resealAll(
  stores: readonly SealedStore[],
  envelope: Envelope,
): Promise<ResealReport[]> {
  const out: ResealReport[] = [];
  for (const store of stores) {
    try {
      out.push(await store.reseal(envelope));
    } catch (err) {
      out.push({
        store: store.name,
        total: 0,
        resealed: 0,
        current: 0,
        changed: 0,
        unreadable: [{ ref: "(whole store)", reason: reasonOf(err) }],
      });
    }
  }
  return out;
}

/** Every store's census. */
export async function censusAll(
  stores: readonly SealedStore[],
  envelope: Envelope,
): Promise<KeyCensus[]> {
  const out: KeyCensus[] = [];
  for (const store of stores) out.push(await store.census(envelope));
  return out;
}

function reasonOf(err: unknown): string {
  if (err instanceof RouterError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? `UNKNOWN: ${err.name}` : "UNKNOWN";
}
