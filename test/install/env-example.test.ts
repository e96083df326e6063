import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { DiscordEnvSchema } from "../../adapters/discord/config.js";
import { EmailEnvSchema } from "../../adapters/email/config.js";
import { TelegramEnvSchema } from "../../adapters/telegram/config.js";
import { TwitterEnvSchema } from "../../adapters/twitter/config.js";
import { AdminEnvSchema } from "../../src/admin/config.js";
import { CoreEnvSchema } from "../../src/config.js";
import { DeliveryEnvSchema } from "../../src/delivery/config.js";
import { HttpEnvSchema } from "../../src/http/config.js";
import { InternalEnvSchema } from "../../src/http/internal.js";
import { RelayEnvSchema } from "../../src/relay/config.js";
import { RetentionEnvSchema } from "../../src/retention/policies.js";

// .env.example is the operator's list of settings. It is checked against the zod schemas that
// read the environment, so a variable added to a schema without a line there (or a line left
// behind for a variable no schema reads) fails here.

const SCHEMAS: Record<string, z.ZodObject> = {
  "src/config.ts": CoreEnvSchema,
  "src/http/config.ts": HttpEnvSchema,
  "src/http/internal.ts": InternalEnvSchema,
  "src/delivery/config.ts": DeliveryEnvSchema,
  "src/relay/config.ts": RelayEnvSchema,
  "src/retention/policies.ts": RetentionEnvSchema,
  "src/admin/config.ts": AdminEnvSchema,
  "adapters/email/config.ts": EmailEnvSchema,
  "adapters/telegram/config.ts": TelegramEnvSchema,
  "adapters/discord/config.ts": DiscordEnvSchema,
  "adapters/twitter/config.ts": TwitterEnvSchema,
};

/**
 * Variables read without a zod schema, by the file that reads them. Each name must still occur
 * in that file (checked below), so the list cannot outlive the code.
 */
const READ_BY_HAND: Record<string, string[]> = {
  "src/conversation/ask.ts": ["ASK_LOCATION", "ASK_TIMEOUT_CHAT", "ASK_TIMEOUT_EMAIL"],
};

interface Entry {
  name: string;
  line: number;
  /** An inline `# …` after the value, or a prose comment line right above it. */
  explained: boolean;
}

// `# NAME=value   # why` (commented out, the usual form) or `NAME=value`.
const VARIABLE = /^#?\s?([A-Z][A-Z0-9_]*)=(.*)$/;

/** The variables .env.example lists, in order, and whether each has a comment. */
export function parseEnvExample(text: string): Entry[] {
  const lines = text.split("\n");
  const entries: Entry[] = [];
  lines.forEach((raw, i) => {
    const m = VARIABLE.exec(raw.trim());
    if (!m?.[1]) return;
    const inline = /\s#\s*\S/.test(m[2] ?? "");
    // Or prose right above it (not a section rule, not another variable).
    const prev = (lines[i - 1] ?? "").trim();
    const above = /^#\s*\S/.test(prev) && !/^#\s*---/.test(prev) && !VARIABLE.test(prev);
    entries.push({ name: m[1], line: i + 1, explained: inline || above });
  });
  return entries;
}

const schemaVariables = new Set([
  ...Object.values(SCHEMAS).flatMap((s) => Object.keys(s.shape)),
  ...Object.values(READ_BY_HAND).flat(),
]);
const example = parseEnvExample(readFileSync(".env.example", "utf8"));
const listed = new Set(example.map((e) => e.name));

describe(".env.example", () => {
  it("lists every variable the config schemas read", () => {
    const missing = Object.entries(SCHEMAS).flatMap(([file, schema]) =>
      Object.keys(schema.shape)
        .filter((name) => !listed.has(name))
        .map((name) => `${name} (${file})`),
    );
    expect(missing).toEqual([]);
  });

  it("lists the variables read without a schema, and each is still read where it says", () => {
    for (const [file, names] of Object.entries(READ_BY_HAND)) {
      const source = readFileSync(file, "utf8");
      for (const name of names) {
        expect(source, `${name} in ${file}`).toContain(name);
        expect(listed.has(name), `${name} in .env.example`).toBe(true);
      }
    }
  });

  it("lists no variable that no schema reads", () => {
    expect(example.filter((e) => !schemaVariables.has(e.name)).map((e) => e.name)).toEqual([]);
  });

  it("explains every variable with a comment", () => {
    const bare = example.filter((e) => !e.explained).map((e) => `${e.name} (line ${e.line})`);
    expect(bare).toEqual([]);
  });

  it("lists each variable once", () => {
    const seen = new Set<string>();
    const twice = example.filter((e) => (seen.has(e.name) ? true : (seen.add(e.name), false)));
    expect(twice.map((e) => e.name)).toEqual([]);
  });

  it("the parser tells explained, bare and unknown variables apart", () => {
    const parsed = parseEnvExample(
      [
        "# --- x ---",
        "# Where it goes.",
        "# A_ONE=1",
        "# A_TWO=2",
        "",
        "# B_BARE=3",
        "# C_INLINE=4   # why",
      ].join("\n"),
    );
    expect(parsed.map((e) => [e.name, e.explained])).toEqual([
      ["A_ONE", true],
      ["A_TWO", false],
      ["B_BARE", false],
      ["C_INLINE", true],
    ]);
    expect(schemaVariables.has("B_BARE")).toBe(false);
    expect(schemaVariables.has("PORT")).toBe(true);
  });
});
