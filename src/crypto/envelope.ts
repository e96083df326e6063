import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { RouterError } from "../errors.js";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens small payloads with AES-256-GCM. */
export interface Envelope {
  /**
   * Encrypts `plain`. `context` is authenticated but not stored (GCM additional data): a sealed
   * value only opens under the same context, so a payload cannot be moved to another job.
   */
  seal(plain: string | Buffer, context?: string): string;
  /** Decrypts a value from `seal`; throws RouterError DECRYPT_FAILED when it was altered or the key differs. */
  open(sealed: string, context?: string): Buffer;
  /** `open` decoded as UTF-8. */
  openText(sealed: string, context?: string): string;
}

/** An AES-256-GCM envelope with a 32-byte key. Output: `v1.<base64url(iv | tag | ciphertext)>`. */
export function createEnvelope(key: Buffer): Envelope {
  if (key.length !== 32) {
    throw new RouterError("CONFIG_INVALID", `data key must be 32 bytes, got ${key.length}`);
  }
  const k = Buffer.from(key);

  function seal(plain: string | Buffer, context?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", k, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([
      cipher.update(typeof plain === "string" ? Buffer.from(plain, "utf8") : plain),
      cipher.final(),
    ]);
    const out = Buffer.concat([iv, cipher.getAuthTag(), body]);
    return `${VERSION}.${out.toString("base64url")}`;
  }

  function open(sealed: string, context?: string): Buffer {
    if (typeof sealed !== "string" || !sealed.startsWith(`${VERSION}.`)) {
      throw new RouterError("DECRYPT_FAILED", "sealed value has an unknown format");
    }
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw new RouterError("DECRYPT_FAILED", "sealed value is truncated");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", k, raw.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      if (context !== undefined) decipher.setAAD(Buffer.from(context, "utf8"));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (cause) {
      throw new RouterError("DECRYPT_FAILED", "sealed value failed authentication", { cause });
    }
  }

  return { seal, open, openText: (s, c) => open(s, c).toString("utf8") };
}
