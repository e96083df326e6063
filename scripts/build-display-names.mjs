#!/usr/bin/env node
// Writes generated/display-names.json: the English names ICU gives every two-letter language
// and region code ("de" → "German", "AT" → "Austria"), for decision reasons.
//
// Creating Intl.DisplayNames loads ICU's locale data, about 15 ms of every cold `route`; with
// this table src/routing/names.ts asks ICU only for a code the table lacks (a three-letter
// language, a numeric region). The table records the ICU version it came from and is ignored
// under another one, so a name never differs from what ICU would say.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Every two-letter code ICU names (it gives the code back for one it does not know). */
function table(type, upper) {
  const names = new Intl.DisplayNames(["en"], { type, fallback: "code" });
  const out = {};
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      const code = upper ? `${a}${b}`.toUpperCase() : `${a}${b}`;
      const name = names.of(code);
      if (name !== undefined && name !== code) out[code] = name;
    }
  }
  return out;
}

const data = {
  icu: process.versions.icu,
  languages: table("language", false),
  regions: table("region", true),
};
mkdirSync(join(root, "generated"), { recursive: true });
writeFileSync(join(root, "generated", "display-names.json"), `${JSON.stringify(data)}\n`);
