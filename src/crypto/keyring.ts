import { keyId, type KeyringEntry } from "./identity-hash.js";

export type { KeyringEntry } from "./identity-hash.js";

/**
 * The data keys a process holds: one current key that seals everything written, and older keys
 * (DATA_KEYS) kept only to open what was sealed before a rotation. Keys are named by `keyId`, a
 * fingerprint, so they need no names and every process agrees on them.
 */
export interface Keyring {
  readonly current: KeyringEntry;
  /** Current first, then the older keys, without duplicates. */
  readonly entries: readonly KeyringEntry[];
  /** The key with this id, if the keyring holds it. */
  get(kid: string): KeyringEntry | undefined;
}

/** Builds a keyring from the current key and the older ones (a repeat of the current key is ignored). */
export function createKeyring(current: Buffer, older: readonly Buffer[] = []): Keyring {
  const entries: KeyringEntry[] = [];
  const byKid = new Map<string, KeyringEntry>();
  for (const key of [current, ...older]) {
    if (key.length !== 32) throw new RangeError(`data key must be 32 bytes, got ${key.length}`);
    const entry = { kid: keyId(key), key: Buffer.from(key) };
    if (byKid.has(entry.kid)) continue;
    byKid.set(entry.kid, entry);
    entries.push(entry);
  }
  return { current: entries[0]!, entries, get: (kid) => byKid.get(kid) };
}

/** A keyring, or one key taken as a keyring of one. */
export function asKeyring(keys: Buffer | Keyring): Keyring {
  return Buffer.isBuffer(keys) ? createKeyring(keys) : keys;
}
