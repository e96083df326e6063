import { isCountryCode } from "./countries.js";

/** A BCP 47 tag reduced to what routing uses. */
export interface LanguageTagParts {
  /** ISO 639-1 code, lower case; null for garbage, `und` and languages without a two-letter code. */
  language: string | null;
  /** Region subtag as written in the tag (upper-case alpha-2, or UN M49 digits such as "419"). */
  region: string | null;
}

const NONE: LanguageTagParts = Object.freeze({ language: null, region: null });
/** Real tags are short; anything longer is not worth canonicalising. */
const MAX_TAG = 100;
/**
 * Parsed tags by input: `Intl` canonicalisation costs tens of µs a call and every message parses
 * its tag twice, while the tags seen are few (Accept-Language headers, platform locales).
 * Bounded: cleared when full, so odd inputs cannot grow it.
 */
const parsed = new Map<string, LanguageTagParts>();
const PARSED_MAX = 1000;

/**
 * Parses a platform language tag (Telegram `language_code`, Discord `locale`, `Content-Language`,
 * the first entry of an `Accept-Language` header). Case-insensitive; "pt_BR" is tolerated;
 * "zh-Hant-TW" gives zh/TW; "deu" is canonicalised to "de". Garbage gives nulls, never a throw.
 */
export function parseLanguageTag(tag: string | undefined): LanguageTagParts {
  if (typeof tag !== "string") return NONE;
  const known = parsed.get(tag);
  if (known) return known;
  const parts = parseUncached(tag);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(tag, parts);
  return parts;
}

function parseUncached(tag: string): LanguageTagParts {
  // Accept-Language: "fr-CA,fr;q=0.9,en;q=0.8" → "fr-CA".
  const first = (tag.slice(0, MAX_TAG).split(",")[0] ?? "").split(";")[0] ?? "";
  const candidate = first.trim().replace(/_/gu, "-");
  if (candidate === "" || candidate === "*") return NONE;
  let locale: Intl.Locale;
  try {
    const [canonical] = Intl.getCanonicalLocales(candidate);
    if (canonical === undefined) return NONE;
    locale = new Intl.Locale(canonical);
  } catch {
    return NONE; // RangeError: not a well-formed BCP 47 tag
  }
  const language = /^[a-z]{2}$/u.test(locale.language ?? "") ? (locale.language ?? null) : null;
  const region = locale.region ?? null;
  return Object.freeze({ language, region });
}

/**
 * The country a language tag points to: its region subtag as ISO 3166-1 alpha-2. Null for
 * English tags (clients default to en-US whatever the reader's country), for regions that are
 * not countries ("419", "EU") and for tags without a region.
 */
export function countryFromLanguageTag(tag: string | undefined): string | null {
  const { language, region } = parseLanguageTag(tag);
  if (region === null || language === "en") return null;
  if (!/^[A-Z]{2}$/u.test(region) || !isCountryCode(region)) return null;
  return region;
}
