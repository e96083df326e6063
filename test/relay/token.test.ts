import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyId } from "../../src/crypto/identity-hash.js";
import {
  RELAY_TOKEN_LENGTH,
  base32,
  createRelayTokens,
  relayAddress,
  tokenOfAddress,
  unbase32,
} from "../../src/relay/token.js";

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ringA = [{ kid: keyId(keyA), key: keyA }];
const CONV = "abcdefghijklmnop";

describe("relay tokens", () => {
  it("round-trips the conversation, the generation and the key id", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 3);
    expect(token).toMatch(/^[a-z2-7]+$/);
    expect(token).toHaveLength(RELAY_TOKEN_LENGTH);
    expect(t.open(token)).toEqual({
      ok: true,
      claims: { conversationId: CONV, generation: 3, kid: keyId(keyA) },
    });
  });

  it("is case-insensitive, as MTAs may fold local parts", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 0);
    expect(t.open(token.toUpperCase()).ok).toBe(true);
  });

  it("gives each generation of a conversation its own token", () => {
    const t = createRelayTokens(ringA);
    expect(t.mint(CONV, 0)).not.toBe(t.mint(CONV, 1));
    expect(t.mint(CONV, 0)).toBe(t.mint(CONV, 0));
  });

  it("tells altered tokens from malformed ones and from tokens of a key it does not hold", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 0);
    // Any single changed character is caught: as forged, or (version byte, padding) as malformed.
    for (let i = 0; i < token.length; i++) {
      const other = token[i] === "a" ? "b" : "a";
      const altered = token.slice(0, i) + other + token.slice(i + 1);
      const opened = t.open(altered);
      expect(opened.ok, `position ${i}`).toBe(false);
      if (i >= 8 && i < token.length - 1) expect(opened).toEqual({ ok: false, why: "forged" });
    }
    expect(t.open(token.slice(0, -1))).toEqual({ ok: false, why: "malformed" });
    expect(t.open(`${token}a`)).toEqual({ ok: false, why: "malformed" });
    expect(t.open("")).toEqual({ ok: false, why: "malformed" });
    const other = createRelayTokens([{ kid: keyId(keyB), key: keyB }]);
    expect(other.open(token)).toEqual({ ok: false, why: "unknown_key" });
  });

  it("keeps opening tokens of an older key after a rotation, and mints with the new one", () => {
    const before = createRelayTokens(ringA);
    const token = before.mint(CONV, 0);
    const after = createRelayTokens([{ kid: keyId(keyB), key: keyB }, ...ringA]);
    expect(after.open(token).ok).toBe(true);
    const fresh = after.mint(CONV, 0);
    expect(after.open(fresh)).toMatchObject({ ok: true, claims: { kid: keyId(keyB) } });
    expect(before.open(fresh)).toEqual({ ok: false, why: "unknown_key" });
  });

  it("makes an address whose local part fits the 64-octet limit, and reads it back in any case", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 65535);
    const address = relayAddress(token, "relay.example.org");
    expect(address.split("@")[0]!.length).toBeLessThanOrEqual(64);
    expect(tokenOfAddress(address.toUpperCase(), "relay.example.org")).toBe(token);
    expect(tokenOfAddress(address, "other.example.org")).toBeNull();
    expect(tokenOfAddress(`someone@relay.example.org`, "relay.example.org")).toBeNull();
  });

  it("base32 round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const back = unbase32(base32(bytes));
        expect(back && Buffer.compare(back.subarray(0, bytes.length), Buffer.from(bytes))).toBe(0);
      }),
    );
  });
});
