import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseRoles } from "../../src/config.js";
import { testDir } from "../support/temp-dir.js";

const varDir = () => testDir("cr-config-");

describe("loadConfig", () => {
  it("runs with no variables at all: defaults, generated key, outbox under VAR_DIR", () => {
    const dir = varDir();
    const c = loadConfig({ VAR_DIR: dir });
    expect(c.http.port).toBe(8080);
    expect(c.prefix).toBe("{contact-router}");
    expect(c.delivery.smtp).toBeNull();
    expect(c.delivery.outboxDir).toBe(join(dir, "outbox"));
    expect(c.dataKey.source).toBe("generated");
    expect(statSync(join(dir, "keys", "data.key")).mode & 0o777).toBe(0o600);
    expect(c.redisUrl).toBeUndefined();
    expect(c.rulesFile).toMatch(/routing-rules\.yaml$/);
    expect(loadConfig({ VAR_DIR: dir }).dataKey.key.equals(c.dataKey.key)).toBe(true);
  });

  it("names the variable in every error", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: "99999" }, /^PORT: /],
      [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL: /],
      [{ QUEUE_PREFIX: "no-tag" }, /^QUEUE_PREFIX: .*hash tag/],
      [{ DATA_KEY: "abc" }, /DATA_KEY must be 32 bytes/],
      [
        { DATA_KEYS: `${Buffer.alloc(32, 1).toString("base64")}, abc` },
        /^DATA_KEYS \(key 2 of 2\) must be 32 bytes/,
      ],
      [{ FLOOD_MAX_MESSAGES: "-1" }, /^FLOOD_MAX_MESSAGES: /],
      [{ FLOOD_WINDOW_SECONDS: "0" }, /^FLOOD_WINDOW_SECONDS: /],
      [{ DELIVER_ATTEMPTS: "0" }, /^DELIVER_ATTEMPTS: /],
      [{ SMTP_USER: "u" }, /SMTP_USER and SMTP_PASS/],
    ];
    for (const [env, re] of cases) {
      expect(() => loadConfig({ VAR_DIR: varDir(), ...env }), JSON.stringify(env)).toThrow(re);
    }
  });

  it("reads older data keys from DATA_KEYS and the flood limit, with defaults", () => {
    const old = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const c = loadConfig({
      VAR_DIR: varDir(),
      DATA_KEYS: old.map((k) => k.toString("base64")).join(" , "),
      FLOOD_MAX_MESSAGES: "5",
      FLOOD_WINDOW_SECONDS: "60",
    });
    expect(c.oldDataKeys).toEqual(old);
    expect(c.flood).toEqual({ maxMessages: 5, windowSeconds: 60 });
    const d = loadConfig({ VAR_DIR: varDir() });
    expect(d.oldDataKeys).toEqual([]);
    expect(d.flood).toEqual({ maxMessages: 20, windowSeconds: 3600 });
    expect(loadConfig({ VAR_DIR: varDir(), FLOOD_MAX_MESSAGES: "0" }).flood).toBeNull();
  });

  it("relays replies at RELAY_DOMAIN, localhost by default, and refuses a domain that is not one", () => {
    expect(loadConfig({ VAR_DIR: varDir() }).delivery.relay).toEqual({ domain: "localhost" });
    expect(
      loadConfig({ VAR_DIR: varDir(), RELAY_DOMAIN: "Relay.Example.org" }).delivery.relay,
    ).toEqual({ domain: "relay.example.org" });
    expect(() => loadConfig({ VAR_DIR: varDir(), RELAY_DOMAIN: "relay+x@example.org" })).toThrow(
      /^RELAY_DOMAIN: must be a domain name/,
    );
  });

  it("parses roles", () => {
    expect(parseRoles("all")).toEqual(["ingest", "route", "deliver"]);
    expect(parseRoles("route, deliver,route")).toEqual(["route", "deliver"]);
    expect(() => parseRoles("ingest,web")).toThrow(/^ROLE: unknown role web/);
  });
});
