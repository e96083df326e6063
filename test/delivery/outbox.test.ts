import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryConfigFromEnv } from "../../src/delivery/config.js";
import { createDelivery } from "../../src/delivery/index.js";
import { outboxFileName } from "../../src/delivery/outbox.js";
import { RouterError } from "../../src/errors.js";
import { config, contact, dkimResult } from "./fixtures.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "outbox-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("outbox delivery", () => {
  it("writes one .eml per contact, named from the contact id, private to the owner", async () => {
    const d = createDelivery(config({ outboxDir: join(dir, "out") }));
    const result = await d.send(contact());
    await d.close();
    expect(result.transport).toBe("outbox");
    const files = await readdir(join(dir, "out"));
    expect(files).toEqual([outboxFileName("c:telegram:1001:77")]);
    const path = join(dir, "out", files[0]!);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "out"))).mode & 0o777).toBe(0o700);
    const mail = await simpleParser(await readFile(path));
    expect(mail.messageId).toBe(result.messageId);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : "").toBe(
      "de@leftcom.org",
    );
    expect(mail.subject).toMatch(/^\[C-7KQ2M\] Telegram · AT · de — Hallo/);
    expect(mail.text).toContain("Why this contact came to you");
  });

  it("overwrites on resend instead of duplicating, and leaves no temp files", async () => {
    const d = createDelivery(config({ outboxDir: dir }));
    const a = await d.send(contact({ text: "first version" }));
    const b = await d.send(contact({ text: "second version" }));
    await d.send(contact({ contactId: "c:other" }));
    await d.close();
    expect(b.messageId).toBe(a.messageId);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([outboxFileName("c:other"), outboxFileName("c:telegram:1001:77")].sort());
    const mail = await simpleParser(
      await readFile(join(dir, outboxFileName("c:telegram:1001:77"))),
    );
    expect(mail.text).toContain("second version");
  });

  it("signs with DKIM when configured", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const cfg = deliveryConfigFromEnv({
      OUTBOX_DIR: dir,
      MAIL_FROM: "router@example.org",
      DKIM_DOMAIN: "example.org",
      DKIM_SELECTOR: "cr1",
      DKIM_PRIVATE_KEY: pem.replace(/\n/g, "\\n"),
    });
    const d = createDelivery(cfg);
    await d.send(contact());
    await d.close();
    const raw = await readFile(join(dir, outboxFileName("c:telegram:1001:77")), "utf8");
    expect(raw).toMatch(/^DKIM-Signature: /m);
    expect(await dkimResult(raw, publicKey)).toBe("pass");
  });

  it("reports an unwritable outbox as an error, not silence", async () => {
    const file = join(dir, "not-a-dir");
    await (await import("node:fs/promises")).writeFile(file, "x");
    const d = createDelivery(config({ outboxDir: file }));
    await expect(d.send(contact())).rejects.toThrow();
    await d.close();
  });
});

describe("deliveryConfigFromEnv", () => {
  it("defaults to the outbox under var/ with no SMTP", () => {
    const c = deliveryConfigFromEnv({});
    expect(c.smtp).toBeNull();
    expect(c.outboxDir).toBe("var/outbox");
    expect(c.messageIdDomain).toBe("localhost");
    expect(c.relay).toEqual({ domain: "localhost" });
  });

  it("reads SMTP host settings and derives the Message-ID domain from MAIL_FROM", () => {
    const c = deliveryConfigFromEnv({
      SMTP_HOST: "mail.example.org",
      SMTP_PORT: "465",
      SMTP_USER: "u",
      SMTP_PASS: "p",
      MAIL_FROM: "Router <router@leftcom.org>",
    });
    expect(c.smtp).toMatchObject({
      host: "mail.example.org",
      port: 465,
      auth: { user: "u", pass: "p" },
    });
    expect(c.messageIdDomain).toBe("leftcom.org");
  });

  it.each([
    [{ SMTP_PORT: "99999", SMTP_HOST: "h" }, /SMTP_PORT/],
    [{ SMTP_USER: "u" }, /SMTP_USER and SMTP_PASS/],
    [{ RELAY_DOMAIN: "relay .example.org" }, /RELAY_DOMAIN: must be a domain name/],
    [{ DKIM_DOMAIN: "example.org" }, /DKIM_DOMAIN, DKIM_SELECTOR/],
    [
      { DKIM_DOMAIN: "e", DKIM_SELECTOR: "s", DKIM_PRIVATE_KEY_FILE: "/nonexistent/key" },
      /cannot read/,
    ],
    [{ SMTP_REQUIRE_TLS: "maybe", SMTP_HOST: "h" }, /SMTP_REQUIRE_TLS/],
    [{ MAIL_FROM: "contact router" }, /MAIL_FROM: must be one email address/],
    [{ MAIL_FROM: "a@example.org, b@example.org" }, /MAIL_FROM: must be one email address/],
  ])("rejects %o naming the variable", (env, message) => {
    const err = (() => {
      try {
        deliveryConfigFromEnv(env);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("CONFIG_INVALID");
    expect((err as RouterError).message).toMatch(message);
  });
});
