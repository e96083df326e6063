import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";
import { KeyUnavailableError, RouterError } from "../errors.js";
import { asKeyring, type Keyring, type KeyringEntry } from "./keyring.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Before key ids: `v1.<base64url>`, opened by trying every key of the keyring. */
const V1 = "v1.";
/** `v2.<kid>.<base64url(iv | tag | ciphertext)>`: the key id says which key opens it. */
const V2 = "v2.";

/**
 * Random IVs are cut from a pool that one CSPRNG call fills: a `randomBytes(12)` per seal cost more
 * than the encryption itself (docs/pipeline.md). Each IV is used once; the pool is refilled when spent.
 */
const ivPool = Buffer.alloc(IV_BYTES * 512);
let ivOffset = ivPool.length;
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPool.subarray(ivOffset - IV_BYTES, ivOffset);
}

/** Seals and opens small payloads with AES-256-GCM under a keyring. */
export interface Envelope {
  /** Id of the key `seal` uses. */
  readonly currentKid: string;
  /**
   * Encrypts `plain` with the current key. `context` is authenticated but not stored (GCM
   * additional data): a sealed value only opens under the same context, so a payload cannot be
   * moved to another job.
   */
  seal(plain: string | Buffer, context?: string): string;
  /**
   * Decrypts a value from `seal`. Throws KeyUnavailableError (KEY_UNAVAILABLE, retryable) when it
   * was sealed with a key the keyring lacks, RouterError DECRYPT_FAILED when it was altered.
   */
  open(sealed: string, context?: string): Buffer;
  /** `open` decoded as UTF-8. */
  openText(sealed: string, context?: string): string;
  /** The key id a sealed value names; `v1` for values sealed before envelopes named their key. */
  keyIdOf(sealed: string): string | undefined;
}

/**
 * An AES-256-GCM envelope over a keyring (or a single 32-byte key). Seals as
 * `v2.<kid>.<base64url(iv | tag | ciphertext)>` with the current key; opens v2 by key id and
 * v1 (no key id) by trying each key.
 */
export function createEnvelope(keys: Buffer | Keyring): Envelope {
  if (Buffer.isBuffer(keys) && keys.length !== 32) {
    throw new RouterError("CONFIG_INVALID", `data key must be 32 bytes, got ${keys.length}`);
  }
  const keyring = asKeyring(keys);
  const current = keyring.current;

  function seal(plain: string | Buffer, context?: string): string {
    const iv = nextIv();
    const cipher = createCipheriv("aes-256-gcm", current.key, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, "utf8"));
    const body = cipher.update(typeof plain === "string" ? Buffer.from(plain, "utf8") : plain);
    const last = cipher.final();
    const out = Buffer.concat([iv, cipher.getAuthTag(), body, last]);
    return `${V2}${current.kid}.${out.toString("base64url")}`;
  }

  function open(sealed: string, context?: string): Buffer {
    if (typeof sealed === "string" && sealed.startsWith(V2)) {
      const dot = sealed.indexOf(".", V2.length);
      const kid = dot < 0 ? "" : sealed.slice(V2.length, dot);
      if (!/^[0-9a-f]{8}$/.test(kid)) {
        throw new RouterError("DECRYPT_FAILED", "sealed value has no valid key id");
      }
      const entry = keyring.get(kid);
      if (!entry) {
        throw new KeyUnavailableError(
          kid,
          `sealed with data key ${kid}, which is neither DATA_KEY nor in DATA_KEYS; add that key to DATA_KEYS`,
        );
      }
      const raw = decode(sealed.slice(dot + 1));
      try {
        return decrypt(entry, raw, context);
      } catch (cause) {
        throw new RouterError("DECRYPT_FAILED", "sealed value failed authentication", { cause });
      }
    }
    if (typeof sealed === "string" && sealed.startsWith(V1)) {
      const raw = decode(sealed.slice(V1.length));
      for (const entry of keyring.entries) {
        try {
          return decrypt(entry, raw, context);
        } catch {
          // Not this key; try the next.
        }
      }
      // Without a key id a wrong key and an altered value look the same. Treat it as a missing
      // key: the value is kept and retried, never thrown away as bad input.
      throw new KeyUnavailableError(
        undefined,
        `sealed before key ids (v1) and opens with none of the ${keyring.entries.length} key(s) of DATA_KEY and DATA_KEYS; add the key it was sealed with to DATA_KEYS`,
      );
    }
    throw new RouterError("DECRYPT_FAILED", "sealed value has an unknown format");
  }

  return {
    currentKid: current.kid,
    seal,
    open,
    openText: (s, c) => open(s, c).toString("utf8"),
    keyIdOf,
  };
}

function keyIdOf(sealed: string): string | undefined {
  if (sealed.startsWith(V1)) return "v1";
  if (!sealed.startsWith(V2)) return undefined;
  const dot = sealed.indexOf(".", V2.length);
  return dot < 0 ? undefined : sealed.slice(V2.length, dot);
}

function decode(body: string): Buffer {
  const raw = Buffer.from(body, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) {
    throw new RouterError("DECRYPT_FAILED", "sealed value is truncated");
  }
  return raw;
}

function decrypt(entry: KeyringEntry, raw: Buffer, context: string | undefined): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", entry.key, raw.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  if (context !== undefined) decipher.setAAD(Buffer.from(context, "utf8"));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
