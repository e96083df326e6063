import { describe, expect, it } from "vitest";
import { relayConfigFromEnv } from "../../src/relay/config.js";

describe("relay settings", () => {
  it("listens on 127.0.0.1:2525 with a 5 MiB limit by default", () => {
    expect(relayConfigFromEnv({}, "localhost")).toMatchObject({
      host: "127.0.0.1",
      port: 2525,
      maxBytes: 5 * 1024 * 1024,
      concurrency: 4,
    });
    expect(relayConfigFromEnv({ RELAY_SMTP_PORT: "off" }, "localhost").port).toBeNull();
    expect(relayConfigFromEnv({ RELAY_SMTP_PORT: "0" }, "localhost").port).toBe(0);
    expect(relayConfigFromEnv({}, "localhost").imap).toBeNull();
  });

  it("fetches from an IMAP relay mailbox when host, user and password are set", () => {
    const imap = {
      RELAY_IMAP_HOST: "imap.example.org",
      RELAY_IMAP_USER: "relay",
      RELAY_IMAP_PASSWORD: "pw",
    };
    expect(relayConfigFromEnv(imap, "localhost").imap).toEqual({
      host: "imap.example.org",
      port: 993,
      secure: true,
      user: "relay",
      password: "pw",
      mailbox: "INBOX",
      tlsVerify: true,
    });
    expect(
      relayConfigFromEnv(
        { ...imap, RELAY_IMAP_PORT: "143", RELAY_IMAP_TLS_VERIFY: "false" },
        "localhost",
      ).imap,
    ).toMatchObject({ port: 143, secure: false, tlsVerify: false });
  });

  it("refuses a wrong value with the variable's name", () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ RELAY_SMTP_PORT: "smtp" }, /^RELAY_SMTP_PORT: /],
      [{ RELAY_SMTP_PORT: "70000" }, /^RELAY_SMTP_PORT: /],
      [{ RELAY_MAX_BYTES: "10" }, /^RELAY_MAX_BYTES: /],
      [{ RELAY_SENDER_AUTH: "maybe" }, /^RELAY_SENDER_AUTH: /],
      [
        { RELAY_IMAP_HOST: "imap.example.org" },
        /RELAY_IMAP_HOST needs RELAY_IMAP_USER and RELAY_IMAP_PASSWORD/,
      ],
      [{ RELAY_IMAP_USER: "relay" }, /need RELAY_IMAP_HOST/],
      [{ RELAY_IMAP_PORT: "imap" }, /^RELAY_IMAP_PORT: /],
      [{ RELAY_IMAP_TLS_VERIFY: "maybe" }, /^RELAY_IMAP_TLS_VERIFY: /],
      [{ RELAY_TLS_KEY_FILE: "/x.pem" }, /RELAY_TLS_KEY_FILE and RELAY_TLS_CERT_FILE/],
      [
        { RELAY_TLS_KEY_FILE: "/nonexistent.pem", RELAY_TLS_CERT_FILE: "/nonexistent.crt" },
        /^RELAY_TLS_KEY_FILE: cannot read/,
      ],
    ];
    for (const [env, re] of cases)
      expect(() => relayConfigFromEnv(env, "localhost"), JSON.stringify(env)).toThrow(re);
  });
});
