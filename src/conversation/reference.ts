import { randomInt } from "node:crypto";

/**
 * Conversation references as volunteers see them: `C-7KQ2M`. Five characters of an alphabet
 * without the look-alikes 0/O, 1/I/L and U/V, so a reference read aloud or typed from a printout
 * comes out right; about 20 million of them, and the store checks each new one for collisions.
 */
export const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";
export const REFERENCE_LENGTH = 5;

const REFERENCE_RE = new RegExp(`^C-[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}$`);

/** A new random reference (not yet checked against the store). */
export function newReference(): string {
  let s = "C-";
  for (let i = 0; i < REFERENCE_LENGTH; i++)
    s += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return s;
}

/**
 * The reference in canonical form, read the way a person might type it (`c-7kq2m`, `C 7KQ2M`,
 * `C7KQ2M`, with the look-alikes O→0 and I/L→1 never valid), or null when it is not one.
 */
export function parseReference(text: string): string | null {
  const m = /^\s*c[\s-]?([0-9a-z]{5})\s*$/i.exec(text);
  if (!m) return null;
  const ref = `C-${m[1]!.toUpperCase()}`;
  return REFERENCE_RE.test(ref) ? ref : null;
}
