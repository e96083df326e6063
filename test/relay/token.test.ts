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
  it("round-trips: conversation, generation and key id, verified for the affiliate it was issued to", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 3, "gik");
    expect(token).toMatch(/^[a-z2-7]+$/);
    expect(token).toHaveLength(RELAY_TOKEN_LENGTH);
    expect(t.read(token)).toEqual({
      ok: true,
      claims: { conversationId: CONV, generation: 3, kid: keyId(keyA) },
    });
    expect(t.verify(token, "gik")).toBe(true);
    expect(t.verify(token, "cwo")).toBe(false);
  });

  it("is case-insensitive, as MTAs may fold local parts", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 0, "gik");
    expect(t.verify(token.toUpperCase(), "gik")).toBe(true);
    expect(t.read(token.toUpperCase()).ok).toBe(true);
  });

  it("binds the generation: the same conversation's next generation is another token", () => {
    const t = createRelayTokens(ringA);
    expect(t.mint(CONV, 0, "gik")).not.toBe(t.mint(CONV, 1, "gik"));
    expect(t.mint(CONV, 0, "gik")).toBe(t.mint(CONV, 0, "gik"));
  });

  it("refuses altered, truncated, padded and foreign-key tokens", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 0, "gik");
    // Any single changed character breaks the HMAC (or the format).
    for (let i = 0; i < token.length; i++) {
      const other = token[i] === "a" ? "b" : "a";
      const altered = token.slice(0, i) + other + token.slice(i + 1);
      expect(t.verify(altered, "gik"), `position ${i}`).toBe(false);
    }
    expect(t.read(token.slice(0, -1))).toEqual({ ok: false, why: "malformed" });
    expect(t.read(`${token}a`)).toEqual({ ok: false, why: "malformed" });
    expect(t.read("")).toEqual({ ok: false, why: "malformed" });
    const other = createRelayTokens([{ kid: keyId(keyB), key: keyB }]);
    expect(other.read(token)).toEqual({ ok: false, why: "unknown_key" });
    expect(other.verify(token, "gik")).toBe(false);
  });

  it("keeps verifying tokens of an older key after a rotation, and mints with the new one", () => {
    const before = createRelayTokens(ringA);
    const token = before.mint(CONV, 0, "gik");
    const after = createRelayTokens([{ kid: keyId(keyB), key: keyB }, ...ringA]);
    expect(after.verify(token, "gik")).toBe(true);
    const fresh = after.mint(CONV, 0, "gik");
    expect(after.read(fresh)).toMatchObject({ ok: true, claims: { kid: keyId(keyB) } });
    expect(before.verify(fresh, "gik")).toBe(false);
  });

  it("makes an address whose local part fits the 64-octet limit, and reads it back in any case", () => {
    const t = createRelayTokens(ringA);
    const token = t.mint(CONV, 65535, "a-very-long-affiliate-id-of-forty-chars");
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
