import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";

/** English display names for explanations; admins read reasons in English. */

// Creating the ICU formatters loads locale data (about 15 ms of a cold start): only when a
// code is missing from generated/display-names.json (scripts/build-display-names.mjs).
let languages: Intl.DisplayNames | null = null;
let regions: Intl.DisplayNames | null = null;

interface Table {
  readonly languages: Readonly<Record<string, string>>;
  readonly regions: Readonly<Record<string, string>>;
}
let table: Table | null | undefined;

/** ICU's names of the two-letter codes, precomputed under this ICU version; null without it. */
function precomputed(): Table | null {
  if (table !== undefined) return table;
  try {
    const data = JSON.parse(
      readFileSync(join(projectRoot(), "generated", "display-names.json"), "utf8"),
    ) as Table & { icu: string };
    table = data.icu === process.versions.icu ? data : null;
  } catch {
    table = null;
  }
  return table;
}

// ICU look-ups cost more than the rest of a decision's reasons: remember each answer.
const languageCache = new Map<string, string>();
const countryCache = new Map<string, string>();

function cached(
  cache: Map<string, string>,
  known: Readonly<Record<string, string>> | undefined,
  names: () => Intl.DisplayNames,
  code: string,
): string {
  let name = cache.get(code);
  if (name === undefined) {
    name = known && Object.hasOwn(known, code) ? known[code] : undefined;
    if (name === undefined) {
      try {
        name = names().of(code) ?? code;
      } catch {
        name = code;
      }
    }
    if (cache.size < 1000) cache.set(code, name);
  }
  return name;
}

const languageNames = () =>
  (languages ??= new Intl.DisplayNames(["en"], { type: "language", fallback: "code" }));
const regionNames = () =>
  (regions ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "code" }));

/** "de" → "German"; unknown codes come back as given. */
export function languageName(code: string): string {
  return cached(languageCache, precomputed()?.languages, languageNames, code);
}

/** "AT" → "Austria"; unknown codes come back as given. */
export function countryName(code: string): string {
  return cached(countryCache, precomputed()?.regions, regionNames, code);
}

/** 1234.5 → "1,235": a whole number with thousands separators, without ICU's cost. */
export function groupThousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A distance for people: "1,235 km". */
export function formatKm(km: number): string {
  return `${groupThousands(km)} km`;
}
