import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { keyId } from "../../src/crypto/identity-hash.js";
import { createKeyring } from "../../src/crypto/keyring.js";
import { KeyUnavailableError, RouterError } from "../../src/errors.js";

/** A value in the format written before key ids: `v1.<base64url(iv | tag | ciphertext)>`. */
function sealV1(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
  c.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64url")}`;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof RouterError ? e.code : "not a RouterError";
  }
  return undefined;
}

describe("envelope (AES-256-GCM)", () => {
  const key = randomBytes(32);
  const env = createEnvelope(key);

  it("round-trips text, hides it and names its key id", () => {
    const sealed = env.seal("Grüße aus Wien", "inbound:abc");
    expect(sealed.startsWith(`v2.${keyId(key)}.`)).toBe(true);
    expect(env.keyIdOf(sealed)).toBe(keyId(key));
    expect(env.currentKid).toBe(keyId(key));
    expect(sealed).not.toContain("Wien");
    expect(env.openText(sealed, "inbound:abc")).toBe("Grüße aus Wien");
  });

  it("uses a fresh IV each time", () => {
    expect(env.seal("same")).not.toBe(env.seal("same"));
  });

  it("never repeats an IV across refills of its IV pool, and every value still opens", () => {
    // IVs are cut from a pooled CSPRNG fill (512 per fill): cross several refills.
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = env.seal(`n${i}`, "ctx");
      const raw = Buffer.from(sealed.slice(sealed.lastIndexOf(".") + 1), "base64url");
      ivs.add(raw.subarray(0, 12).toString("hex"));
      expect(env.openText(sealed, "ctx")).toBe(`n${i}`);
    }
    expect(ivs.size).toBe(2000);
  });

  it("rejects another context, tampering and garbage with DECRYPT_FAILED", () => {
    const sealed = env.seal("x", "inbound:a");
    const bad = [
      () => env.open(sealed, "deliver:a"),
      () => env.open(sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA"), "inbound:a"),
      () => env.open(`v2.${keyId(key)}.AAAA`),
      () => env.open("v2.nokid"),
      () => env.open("plain text"),
    ];
    for (const f of bad) expect(codeOf(f)).toBe("DECRYPT_FAILED");
  });

  it("a value sealed with a key it lacks is KEY_UNAVAILABLE naming that key, not bad input", () => {
    const other = randomBytes(32);
    const sealed = createEnvelope(other).seal("x", "inbound:a");
    let err: unknown;
    try {
      env.open(sealed, "inbound:a");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeyUnavailableError);
    expect((err as KeyUnavailableError).retryable).toBe(true);
    expect((err as KeyUnavailableError).kid).toBe(keyId(other));
    expect((err as Error).message).toContain(keyId(other));
    expect((err as Error).message).not.toContain(other.toString("base64"));
  });

  it("opens with any key of the keyring and seals with the current one", () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const old = createEnvelope(a).seal("vorher", "inbound:h");
    const rotated = createEnvelope(createKeyring(b, [a]));
    expect(rotated.openText(old, "inbound:h")).toBe("vorher");
    const fresh = rotated.seal("nachher", "inbound:h");
    expect(rotated.keyIdOf(fresh)).toBe(keyId(b));
    expect(codeOf(() => createEnvelope(a).open(fresh, "inbound:h"))).toBe("KEY_UNAVAILABLE");
  });

  it("opens v1 values (no key id) by trying each key; none fits: KEY_UNAVAILABLE", () => {
    const a = randomBytes(32);
    const v1 = sealV1(a, "alt", "inbound:h");
    const ring = createEnvelope(createKeyring(randomBytes(32), [a]));
    expect(ring.keyIdOf(v1)).toBe("v1");
    expect(ring.openText(v1, "inbound:h")).toBe("alt");
    expect(codeOf(() => env.open(v1, "inbound:h"))).toBe("KEY_UNAVAILABLE");
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => createEnvelope(randomBytes(16))).toThrow(/32 bytes/);
  });
});
