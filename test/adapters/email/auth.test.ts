import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DNSResolver } from "mailauth";
import { dkimSign } from "mailauth/lib/dkim/sign.js";
import { checkEmailAuth, offlineResolver } from "../../../adapters/email/auth.js";

const MAIL =
  "Received: from mx.example.de ([192.0.2.10]) by imap.contact.test; Mon, 3 Mar 2025 09:15:02 +0000\r\n" +
  "From: Reader <reader@example.de>\r\nTo: contact@leftcom.test\r\nSubject: Hallo\r\n" +
  "Date: Mon, 3 Mar 2025 09:14:55 +0000\r\nMessage-ID: <auth-1@example.de>\r\n\r\nHallo!\r\n";

describe("email authentication verdicts (mailauth)", () => {
  it("records none/neutral verdicts offline, without waiting for DNS", async () => {
    const verdict = await checkEmailAuth(Buffer.from(MAIL), { resolver: offlineResolver });
    expect(verdict.dkim).toBe("none");
    expect(["none", "neutral", "temperror"]).toContain(verdict.spf);
    expect(["none", "temperror"]).toContain(verdict.dmarc);
  });

  it("verifies a real DKIM signature against a key the resolver serves", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const der = publicKey.export({ type: "spki", format: "der" }).toString("base64");
    const key = { signingDomain: "example.de", selector: "s1", privateKey: pem };
    // The typings want the top-level fields; the signer reads `signatureData`.
    const signed = await dkimSign(MAIL, { ...key, signatureData: [key] });
    expect(signed.errors).toEqual([]);
    const raw = Buffer.from(signed.signatures + MAIL);
    const resolver: DNSResolver = (name, type) =>
      name === "s1._domainkey.example.de" && type === "TXT"
        ? Promise.resolve([[`v=DKIM1; k=rsa; p=${der}`]])
        : offlineResolver(name, type);
    expect((await checkEmailAuth(raw, { resolver })).dkim).toBe("pass");

    const tampered = Buffer.from(signed.signatures + MAIL.replace("Hallo!", "Hallo?"));
    // mailauth reports a body-hash mismatch as "neutral" (RFC 6376 §3.9 leaves it to the verifier).
    expect((await checkEmailAuth(tampered, { resolver })).dkim).toMatch(/^(fail|neutral)$/);
  });

  it("gives temperror for every check when DNS hangs past the bound", async () => {
    const hanging: DNSResolver = () => new Promise(() => undefined);
    const verdict = await checkEmailAuth(Buffer.from(MAIL), { resolver: hanging, timeoutMs: 200 });
    expect(verdict).toEqual({ spf: "temperror", dkim: "temperror", dmarc: "temperror" });
  });
});
