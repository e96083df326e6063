import { describe, expect, it } from "vitest";
import { createEmailAdapter, loadEmailConfig } from "../../../adapters/email/index.js";
import { RouterError } from "../../../src/errors.js";

const BASE = {
  EMAIL_IMAP_HOST: "imap.example.org",
  EMAIL_IMAP_USER: "contact@example.org",
  EMAIL_IMAP_PASSWORD: "secret",
  SMTP_HOST: "smtp.example.org",
  EMAIL_FROM: "Contact <contact@example.org>",
};

function configError(env: NodeJS.ProcessEnv): RouterError {
  try {
    loadEmailConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("CONFIG_INVALID");
    return err as RouterError;
  }
  throw new Error("expected CONFIG_INVALID");
}

describe("email config", () => {
  it("is off (null) when EMAIL_IMAP_HOST is unset", () => {
    expect(loadEmailConfig({})).toBeNull();
    expect(createEmailAdapter({ SMTP_HOST: "smtp.example.org" })).toBeNull();
  });

  it("applies defaults: port 993 with TLS, INBOX, SMTP 587 with STARTTLS", () => {
    const c = loadEmailConfig(BASE);
    expect(c?.imap).toMatchObject({ port: 993, secure: true, mailbox: "INBOX", tlsVerify: true });
    expect(c?.smtp).toMatchObject({ port: 587, secure: false });
    expect(c?.authDns).toBe("system");
    expect(createEmailAdapter(BASE)?.channel).toBe("email");
  });

  it("names the variable that is wrong or missing", () => {
    expect(configError({ ...BASE, EMAIL_IMAP_PORT: "imap" }).message).toMatch(/EMAIL_IMAP_PORT/);
    const { SMTP_HOST: _, ...noSmtp } = BASE;
    expect(configError(noSmtp).message).toMatch(/SMTP_HOST/);
    expect(configError({ ...BASE, EMAIL_FROM: "nobody" }).message).toMatch(/EMAIL_FROM/);
    expect(configError({ ...BASE, EMAIL_IMAP_SECURE: "maybe" }).message).toMatch(
      /EMAIL_IMAP_SECURE/,
    );
    expect(configError({ ...BASE, SMTP_USER: "u" }).message).toMatch(/SMTP_PASS/);
  });

  it("never puts the password in an error", () => {
    const err = configError({ ...BASE, EMAIL_IMAP_PORT: "x" });
    expect(err.message).not.toContain("secret");
  });

  it("accepts SMTP_URL, the same variable the affiliate delivery reads", () => {
    const { SMTP_HOST: _, ...noHost } = BASE;
    const plain = loadEmailConfig({
      ...noHost,
      SMTP_URL: "smtp://bot%40example.org:p%3Ass@mx.example.org:2525",
    });
    expect(plain?.smtp).toEqual({
      host: "mx.example.org",
      port: 2525,
      secure: false,
      user: "bot@example.org",
      password: "p:ss",
      tlsVerify: true,
    });
    const tls = loadEmailConfig({ ...noHost, SMTP_URL: "smtps://mx.example.org" });
    expect(tls?.smtp).toMatchObject({ host: "mx.example.org", port: 465, secure: true });
    expect(tls?.smtp.user).toBeUndefined();
  });

  it("lets explicit SMTP_* variables win over what SMTP_URL implies", () => {
    const c = loadEmailConfig({
      ...BASE,
      SMTP_URL: "smtp://old:pw@old.example.org:25",
      SMTP_PORT: "587",
      SMTP_USER: "new",
      SMTP_PASS: "newpw",
    });
    expect(c?.smtp).toMatchObject({
      host: "smtp.example.org",
      port: 587,
      user: "new",
      password: "newpw",
    });
  });

  it("names SMTP_URL when it is not an smtp URL, without echoing its password", () => {
    const { SMTP_HOST: _, ...noHost } = BASE;
    const err = configError({ ...noHost, SMTP_URL: "http://u:hunter2@mx.example.org" });
    expect(err.message).toMatch(/SMTP_URL/);
    expect(err.message).not.toContain("hunter2");
    expect(configError(noHost).message).toMatch(/SMTP_URL or SMTP_HOST/);
  });
});
