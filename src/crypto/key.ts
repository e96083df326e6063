import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { RouterError } from "../errors.js";

/** Where a secret came from, for the startup log (never the secret itself). */
export type SecretSource = "env" | "file" | "generated";

export interface LoadedSecret {
  key: Buffer;
  source: SecretSource;
  /** The key file, when the key came from or went to one. */
  file?: string;
  /** Set when the key file is readable by group or others. */
  warning?: string;
}

/**
 * Loads a 32-byte secret: from `value` (base64, normally an environment variable named `name`),
 * else from `file`, else generates one into `file` with mode 0600 so a restart finds the same key.
 * Throws RouterError CONFIG_INVALID naming the variable when the value is not 32 bytes of base64.
 */
export function loadSecret(opts: { name: string; value?: string; file: string }): LoadedSecret {
  if (opts.value !== undefined && opts.value.trim() !== "") {
    return { key: decode(opts.value.trim(), opts.name), source: "env" };
  }
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  const generated = randomBytes(32);
  try {
    // "wx": two processes starting together must not each write a different key.
    writeFileSync(opts.file, `${generated.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return { key: generated, source: "generated", file: opts.file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new RouterError("CONFIG_INVALID", `${opts.name}: cannot create key file ${opts.file}`, {
        cause: err,
      });
    }
  }
  const key = decode(readFileSync(opts.file, "utf8").trim(), `${opts.name} (file ${opts.file})`);
  const mode = statSync(opts.file).mode & 0o777;
  const loaded: LoadedSecret = { key, source: "file", file: opts.file };
  if ((mode & 0o077) !== 0) {
    loaded.warning = `key file ${opts.file} has mode ${mode.toString(8)}; run chmod 600 on it`;
  }
  return loaded;
}

/**
 * Several 32-byte keys, comma-separated base64 (DATA_KEYS). Throws CONFIG_INVALID naming the
 * variable and the key's position, never the key.
 */
export function decodeKeyList(value: string | undefined, name: string): Buffer[] {
  const parts = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.map((p, i) => decode(p, `${name} (key ${i + 1} of ${parts.length})`));
}

function decode(text: string, name: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new RouterError("CONFIG_INVALID", `${name} must be 32 bytes encoded as base64`);
  }
  const key = Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new RouterError(
      "CONFIG_INVALID",
      `${name} must be 32 bytes encoded as base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}
