import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createIdentityHasher, keyId } from "../../src/crypto/identity-hash.js";

describe("identity hasher", () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it("names the key, is stable for one key and differs by purpose and by key", () => {
    const h = createIdentityHasher([{ kid: keyId(a), key: a }]);
    const x = h.hash("seen", "telegram:12345");
    expect(x).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{32}$/);
    expect(x.startsWith(`${keyId(a)}.`)).toBe(true);
    expect(h.hash("seen", "telegram:12345")).toBe(x);
    expect(h.hash("conversation", "telegram:12345")).not.toBe(x);
    const other = createIdentityHasher([{ kid: keyId(b), key: b }]);
    expect(other.hash("seen", "telegram:12345")).not.toBe(x);
  });

  it("is not a plain hash of the value", () => {
    const h = createIdentityHasher([{ kid: keyId(a), key: a }]);

    const plain = createHash("sha256").update("reader@example.org").digest("hex").slice(0, 32);
    expect(h.hash("seen", "reader@example.org")).not.toContain(plain);
  });

  it("offers a candidate per key, current first, so records made before a rotation are found", () => {
    const before = createIdentityHasher([{ kid: keyId(a), key: a }]);
    const after = createIdentityHasher([
      { kid: keyId(b), key: b },
      { kid: keyId(a), key: a },
    ]);
    const old = before.hash("seen", "x");
    expect(after.candidates("seen", "x")).toEqual([after.hash("seen", "x"), old]);
    expect(after.currentKid).toBe(keyId(b));
  });

  it("key ids are short fingerprints that differ between keys", () => {
    expect(keyId(a)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyId(a)).not.toBe(keyId(b));
    expect(keyId(Buffer.from(a))).toBe(keyId(a));
  });
});
