import { createHash, createHmac, hkdfSync } from "node:crypto";

/**
 * Keyed hashes of personal identifiers (sender ids, email addresses, platform message ids) for
 * Redis key names. A plain SHA-256 of an address can be confirmed by anyone holding a Redis dump
 * and a guess; an HMAC under a key derived from the data key cannot.
 *
 * Each hash names the data key it was made with (`<kid>.<hex>`), so records written before a key
 * rotation are still found: lookups try every key of the keyring, current first.
 */
export interface IdentityHasher {
  /** Key id of the current (writing) key. */
  readonly currentKid: string;
  /** The hash to write under: `<kid>.<32 hex>` with the current key. */
  hash(purpose: string, value: string): string;
  /** The hashes to look up, one per key of the keyring, current first. */
  candidates(purpose: string, value: string): string[];
}

/** One data key and its id. */
export interface KeyringEntry {
  kid: string;
  key: Buffer;
}

/**
 * A key's id: a short fingerprint of the key itself, so a keyring needs no names and two
 * processes given the same key agree on its id without coordination. Reveals nothing of the key.
 */
export function keyId(key: Buffer): string {
  return createHash("sha256")
    .update("contact-router key id v1\0")
    .update(key)
    .digest("hex")
    .slice(0, 8);
}

/** The HMAC key for identity hashes, derived (HKDF-SHA256) so it is never the encryption key itself. */
function hashKey(key: Buffer): Buffer {
  return Buffer.from(
    hkdfSync("sha256", key, Buffer.alloc(0), "contact-router identity hash v1", 32),
  );
}

/**
 * Builds the hasher for a keyring (current key first). `purpose` separates uses (`seen`,
 * `conversation`, …) so the same identifier hashes differently in each.
 */
export function createIdentityHasher(keyring: readonly KeyringEntry[]): IdentityHasher {
  const first = keyring[0];
  if (!first) throw new Error("identity hasher needs at least one key");
  const macs = keyring.map((k) => ({ kid: k.kid, key: hashKey(k.key) }));
  const one = (m: { kid: string; key: Buffer }, purpose: string, value: string) =>
    `${m.kid}.${createHmac("sha256", m.key).update(`${purpose}\0${value}`, "utf8").digest("hex").slice(0, 32)}`;
  return {
    currentKid: first.kid,
    hash: (purpose, value) => one(macs[0]!, purpose, value),
    candidates: (purpose, value) => macs.map((m) => one(m, purpose, value)),
  };
}
