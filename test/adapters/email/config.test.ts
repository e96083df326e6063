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
});
