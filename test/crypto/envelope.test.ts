import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { RouterError } from "../../src/errors.js";

describe("envelope (AES-256-GCM)", () => {
  const env = createEnvelope(randomBytes(32));

  it("round-trips text and hides it", () => {
    const sealed = env.seal("Grüße aus Wien", "inbound:abc");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(sealed).not.toContain("Wien");
    expect(env.openText(sealed, "inbound:abc")).toBe("Grüße aus Wien");
  });

  it("uses a fresh IV each time", () => {
    expect(env.seal("same")).not.toBe(env.seal("same"));
  });

  it("rejects another context, another key, tampering and garbage with DECRYPT_FAILED", () => {
    const sealed = env.seal("x", "inbound:a");
    const bad = [
      () => env.open(sealed, "deliver:a"),
      () => createEnvelope(randomBytes(32)).open(sealed, "inbound:a"),
      () => env.open(sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA"), "inbound:a"),
      () => env.open("v1.AAAA"),
      () => env.open("plain text"),
    ];
    for (const f of bad) {
      expect(f).toThrow(RouterError);
      try {
        f();
      } catch (e) {
        expect((e as RouterError).code).toBe("DECRYPT_FAILED");
      }
    }
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => createEnvelope(randomBytes(16))).toThrow(/32 bytes/);
  });
});
