import { generateKeyPairSync } from "node:crypto";
import type { DNSResolver } from "mailauth";
import MailComposer from "nodemailer/lib/mail-composer";
import DKIM from "nodemailer/lib/dkim";
import { describe, expect, it } from "vitest";
import { RouterError } from "../../src/errors.js";
import { relayConfigFromEnv } from "../../src/relay/config.js";
import { AuthenticationFailedError } from "../../src/relay/errors.js";
import { aligned, isPublicDomain, mailauthSenderCheck } from "../../src/relay/sender-auth.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const spki = publicKey.export({ type: "spki", format: "der" }).toString("base64");

/** DNS as a test world: leftcom.org publishes DKIM and DMARC (p=reject) and an SPF for 192.0.2.10. */
function resolver(records: Record<string, string[]>): DNSResolver {
  return (name, rrtype) => {
    const found = rrtype === "TXT" ? records[name.toLowerCase()] : undefined;
    if (found) return Promise.resolve(found.map((r) => [r]));
    return Promise.reject(Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" }));
  };
}
const WORLD = {
  "cr1._domainkey.leftcom.org": [`v=DKIM1; k=rsa; p=${spki}`],
  "_dmarc.leftcom.org": ["v=DMARC1; p=reject"],
  "leftcom.org": ["v=spf1 ip4:192.0.2.10 -all"],
  "nodmarc.example.net": ["v=spf1 ip4:192.0.2.20 -all"],
};

async function message(from: string, sign: boolean): Promise<Buffer> {
  const raw = await new MailComposer({
    from,
    to: "relay+token@relay.leftcom.org",
    subject: "Re: [C-7KQ2M] Telegram",
    text: "Hallo Anna!",
    messageId: "<reply-1@leftcom.org>",
  })
    .compile()
    .build();
  if (!sign) return raw;
  const dkim = new DKIM({
    domainName: "leftcom.org",
    keySelector: "cr1",
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  });
  const chunks: Buffer[] = [];
  for await (const c of dkim.sign(raw))
    chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

describe("sender authentication (mailauth, DMARC-aligned)", () => {
  const check = mailauthSenderCheck({ mta: "relay.leftcom.org", resolver: resolver(WORLD) });
  const elsewhere = {
    ip: "198.51.100.7",
    helo: "mail.elsewhere.example",
    mailFrom: "de@leftcom.org",
  };

  it("accepts a reply DKIM-signed by the sender's domain, sent from anywhere", async () => {
    await expect(
      check(await message("de@leftcom.org", true), elsewhere, "de@leftcom.org"),
    ).resolves.toBeUndefined();
  });

  it("accepts an unsigned reply from a server the domain's SPF names", async () => {
    const origin = { ip: "192.0.2.10", helo: "mail.leftcom.org", mailFrom: "de@leftcom.org" };
    await expect(
      check(await message("de@leftcom.org", false), origin, "de@leftcom.org"),
    ).resolves.toBeUndefined();
  });

  it("refuses a forged From: unsigned and from a server the domain does not name", async () => {
    const err = await check(
      await message("de@leftcom.org", false),
      elsewhere,
      "de@leftcom.org",
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect((err as AuthenticationFailedError).verdict).toBe("fail");
  });

  it("without a DMARC record, needs SPF or DKIM aligned with the From domain", async () => {
    const origin = {
      ip: "192.0.2.20",
      helo: "mx.nodmarc.example.net",
      mailFrom: "v@nodmarc.example.net",
    };
    await expect(
      check(await message("v@nodmarc.example.net", false), origin, "v@nodmarc.example.net"),
    ).resolves.toBeUndefined();
    const bad = { ...origin, ip: "198.51.100.9" };
    await expect(
      check(await message("v@nodmarc.example.net", false), bad, "v@nodmarc.example.net"),
    ).rejects.toBeInstanceOf(AuthenticationFailedError);
  });

  it("asks for a retry when DNS fails temporarily", async () => {
    const broken = mailauthSenderCheck({
      mta: "relay.leftcom.org",
      resolver: () => Promise.reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })),
    });
    const err = await broken(
      await message("de@leftcom.org", true),
      elsewhere,
      "de@leftcom.org",
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).retryable).toBe(true);
  });

  it("is on for a public relay domain and off (said in the start log) for localhost", () => {
    expect(isPublicDomain("relay.leftcom.org")).toBe(true);
    for (const d of [
      "localhost",
      "relay.localhost",
      "relay.test",
      "relay.example.org",
      "10.0.0.1",
      "mail",
    ])
      expect(isPublicDomain(d), d).toBe(false);
    expect(relayConfigFromEnv({}, "localhost").senderAuth).toEqual({
      on: false,
      why: "localhost is not a public domain",
    });
    expect(relayConfigFromEnv({}, "relay.leftcom.org").senderAuth.on).toBe(true);
    expect(relayConfigFromEnv({ RELAY_SENDER_AUTH: "on" }, "localhost").senderAuth.on).toBe(true);
    expect(aligned("mail.leftcom.org", "leftcom.org")).toBe(true);
    expect(aligned("leftcom.org.evil.example", "leftcom.org")).toBe(false);
  });
});
