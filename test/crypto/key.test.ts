import { readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadSecret } from "../../src/crypto/key.js";
import { testDir } from "../support/temp-dir.js";

describe("loadSecret", () => {
  const dir = () => testDir("cr-key-");

  it("takes a base64 value from the environment", () => {
    const k = randomBytes(32);
    const s = loadSecret({ name: "DATA_KEY", value: k.toString("base64"), file: join(dir(), "k") });
    expect(s.source).toBe("env");
    expect(s.key.equals(k)).toBe(true);
  });

  it("names the variable when the value is wrong", () => {
    expect(() =>
      loadSecret({ name: "DATA_KEY", value: "c2hvcnQ=", file: join(dir(), "k") }),
    ).toThrow(/DATA_KEY must be 32 bytes/);
    expect(() =>
      loadSecret({ name: "DATA_KEY", value: "not base64!", file: join(dir(), "k") }),
    ).toThrow(/DATA_KEY/);
  });

  it("generates a 0600 key file once and reuses it", () => {
    const file = join(dir(), "keys", "data.key");
    const a = loadSecret({ name: "DATA_KEY", file });
    expect(a.source).toBe("generated");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadSecret({ name: "DATA_KEY", file });
    expect(b.source).toBe("file");
    expect(b.key.equals(a.key)).toBe(true);
    expect(b.warning).toBeUndefined();
    expect(readFileSync(file, "utf8").trim()).toBe(a.key.toString("base64"));
  });

  it("warns when the key file is readable by others", () => {
    const file = join(dir(), "data.key");
    writeFileSync(file, randomBytes(32).toString("base64"));
    chmodSync(file, 0o644);
    expect(loadSecret({ name: "DATA_KEY", file }).warning).toMatch(/chmod 600/);
  });
});
