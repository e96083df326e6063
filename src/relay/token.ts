import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { KeyringEntry } from "../crypto/identity-hash.js";

/*
 * A relay token goes in the local part of a forward's Reply-To (`relay+<token>@<relay domain>`).
 * It names one conversation and one token generation and carries an HMAC over both. Each
 * generation is issued to exactly one affiliate (recorded in the conversation), so a token is
 * good for one conversation, one affiliate and one generation; a reroute starts a new generation
 * for the new affiliate and revokes the old one. The HMAC is checked before anything is looked
 * up, so a forged or altered token is told apart from one whose conversation has expired.
 *
 * Layout (33 bytes, RFC 4648 base32 in lower case: 53 characters, so `relay+<token>` is 59 of
 * the 64 octets a local part may have; case-insensitive, as some MTAs fold local parts):
 *
 *   version (1) | key id (4) | conversation id (10) | generation (2) | HMAC-SHA256, truncated (16)
 *
 * The HMAC key is derived (HKDF-SHA256) from a data key of the keyring, named by its key id, so
 * the data key can be rotated: tokens made with an older key still verify while it stays in the
 * keyring, and new tokens use the current key.
 */

const VERSION = 1;
const KID_BYTES = 4;
/** Bytes of a conversation id (printed as 16 base32 characters). */
export const CONVERSATION_ID_BYTES = 10;
const GEN_BYTES = 2;
const MAC_BYTES = 16;
const BODY_BYTES = 1 + KID_BYTES + CONVERSATION_ID_BYTES + GEN_BYTES;
const TOKEN_BYTES = BODY_BYTES + MAC_BYTES;
/** Characters of every relay token. */
export const RELAY_TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 8) / 5);
/** The highest generation a token can carry (reroutes of one conversation). */
export const MAX_GENERATION = 0xffff;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const TOKEN_RE = new RegExp(`^[a-z2-7]{${RELAY_TOKEN_LENGTH}}$`);
const CONVERSATION_ID_RE = /^[a-z2-7]{16}$/;

/** Lower-case RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes lower-case base32; null when a character is outside the alphabet. */
export function unbase32(text: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** True for a conversation id as the store makes them (16 lower-case base32 characters). */
export function isConversationId(id: string): boolean {
  return CONVERSATION_ID_RE.test(id);
}

/** What a genuine token says. */
export interface RelayTokenClaims {
  conversationId: string;
  generation: number;
  /** Id of the data key the token was made with. */
  kid: string;
}

/** Why a token is not genuine: not one of ours at all, made with a key we no longer hold, altered. */
export type TokenFailure = "malformed" | "unknown_key" | "forged";

/** Makes and checks relay tokens with the keys of one keyring. */
export interface RelayTokens {
  /** The token for a conversation's generation, made with the current key. */
  mint(conversationId: string, generation: number): string;
  /** Checks a token (any case; the HMAC in constant time) and says what it names. */
  open(token: string): { ok: true; claims: RelayTokenClaims } | { ok: false; why: TokenFailure };
}

/** The HMAC key for relay tokens, derived so it is never the encryption key itself. */
function macKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "contact-router relay token v1", 32));
}

/** Builds the token maker/checker for a keyring (current key first). */
export function createRelayTokens(keyring: readonly KeyringEntry[]): RelayTokens {
  const first = keyring[0];
  if (!first) throw new Error("relay tokens need at least one key");
  const keys = new Map<string, Buffer>();
  for (const entry of keyring) {
    if (!/^[0-9a-f]{8}$/.test(entry.kid)) throw new Error(`key id must be 8 hex digits`);
    if (!keys.has(entry.kid)) keys.set(entry.kid, macKey(entry.key));
  }
  const mac = (key: Buffer, body: Buffer): Buffer =>
    createHmac("sha256", key)
      .update("relay token v1\0")
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);

  return {
    mint(conversationId, generation) {
      if (!isConversationId(conversationId)) throw new Error("not a conversation id");
      if (!Number.isInteger(generation) || generation < 0 || generation > MAX_GENERATION)
        throw new RangeError("token generation out of range");
      const body = Buffer.alloc(BODY_BYTES);
      body[0] = VERSION;
      Buffer.from(first.kid, "hex").copy(body, 1);
      unbase32(conversationId)!.copy(body, 1 + KID_BYTES);
      body.writeUInt16BE(generation, 1 + KID_BYTES + CONVERSATION_ID_BYTES);
      return base32(Buffer.concat([body, mac(keys.get(first.kid)!, body)]));
    },
    open(token) {
      const t = token.trim().toLowerCase();
      if (!TOKEN_RE.test(t)) return { ok: false, why: "malformed" };
      const bytes = unbase32(t);
      // The last character carries 1 padding bit (53 × 5 = 265 bits for 264): it must be zero.
      if (!bytes || bytes.length !== TOKEN_BYTES || base32(bytes) !== t || bytes[0] !== VERSION)
        return { ok: false, why: "malformed" };
      const kid = bytes.subarray(1, 1 + KID_BYTES).toString("hex");
      const key = keys.get(kid);
      if (!key) return { ok: false, why: "unknown_key" };
      const body = bytes.subarray(0, BODY_BYTES);
      if (!timingSafeEqual(bytes.subarray(BODY_BYTES), mac(key, body)))
        return { ok: false, why: "forged" };
      const convStart = 1 + KID_BYTES;
      return {
        ok: true,
        claims: {
          kid,
          conversationId: base32(bytes.subarray(convStart, convStart + CONVERSATION_ID_BYTES)),
          generation: bytes.readUInt16BE(convStart + CONVERSATION_ID_BYTES),
        },
      };
    },
  };
}

/** The local part's fixed start: `relay+<token>`. */
export const RELAY_LOCAL_PREFIX = "relay+";

/** The Reply-To address for a token. */
export function relayAddress(token: string, domain: string): string {
  return `${RELAY_LOCAL_PREFIX}${token}@${domain}`;
}

/**
 * The token in a relay address (`relay+<token>@<domain>`, any case), or null when the address is
 * not one of ours: another local part, or another domain.
 */
export function tokenOfAddress(address: string, domain: string): string | null {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf("@");
  if (at < 0 || a.slice(at + 1) !== domain.toLowerCase()) return null;
  const local = a.slice(0, at);
  if (!local.startsWith(RELAY_LOCAL_PREFIX)) return null;
  const token = local.slice(RELAY_LOCAL_PREFIX.length);
  return token.length > 0 ? token : null;
}
