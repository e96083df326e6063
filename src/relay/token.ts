import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/*
 * A relay token goes in the local part of the Reply-To address (`relay+<token>@<domain>`), so it
 * must be short (local parts stop at 64 octets) and survive MTAs that fold case: lowercase hex.
 * It carries a reference to the contact, not the contact id itself (ids can be hundreds of
 * characters and may name the reader's mail server), plus an HMAC that makes refs unforgeable.
 */

const REF_HEX = 16; // 64 bits: a lookup key, collisions among contacts are negligible
const MAC_HEX = 32; // 128-bit truncated HMAC-SHA256
/** Length of every relay token. */
export const RELAY_TOKEN_LENGTH = REF_HEX + MAC_HEX;
const TOKEN_RE = new RegExp(`^[0-9a-f]{${RELAY_TOKEN_LENGTH}}$`);

/** Minimum secret length: shorter secrets are refused rather than used weakly. */
export const RELAY_SECRET_MIN_LENGTH = 32;

function checkSecret(secret: string): void {
  if (secret.length < RELAY_SECRET_MIN_LENGTH) {
    throw new RangeError(`relay secret must be at least ${RELAY_SECRET_MIN_LENGTH} characters`);
  }
}

/** The lookup reference a token carries for a contact id (what the relay stores it under). */
export function relayRef(contactId: string): string {
  return createHash("sha256").update(contactId, "utf8").digest("hex").slice(0, REF_HEX);
}

function mac(ref: string, secret: string): string {
  return createHmac("sha256", secret).update(`relay:v1:${ref}`).digest("hex").slice(0, MAC_HEX);
}

/** Builds the token for a contact: 48 lowercase hex characters. */
export function createRelayToken(contactId: string, secret: string): string {
  checkSecret(secret);
  const ref = relayRef(contactId);
  return ref + mac(ref, secret);
}

/**
 * Checks a token (case-insensitively, in constant time for well-formed input).
 * Returns the contact reference it carries, or null when it is malformed or forged.
 */
export function verifyRelayToken(token: string, secret: string): { ref: string } | null {
  checkSecret(secret);
  const t = token.toLowerCase();
  if (!TOKEN_RE.test(t)) return null;
  const ref = t.slice(0, REF_HEX);
  const given = Buffer.from(t.slice(REF_HEX), "utf8");
  const expected = Buffer.from(mac(ref, secret), "utf8");
  return timingSafeEqual(given, expected) ? { ref } : null;
}

/** The Reply-To address for a contact. */
export function relayAddress(contactId: string, secret: string, domain: string): string {
  return `relay+${createRelayToken(contactId, secret)}@${domain}`;
}
