import { createRequire } from "node:module";
import type { parsePhoneNumberFromString as Parse } from "libphonenumber-js";

// Loaded on first use: most messages carry no phone number, and the metadata costs ~60 ms of
// every cold start of `contact-router route`.
let parser: typeof Parse | null = null;
function parsePhone(number: string) {
  parser ??= (
    createRequire(import.meta.url)("libphonenumber-js") as {
      parsePhoneNumberFromString: typeof Parse;
    }
  ).parsePhoneNumberFromString;
  return parser(number);
}

/** Longer than any phone number with its formatting; longer input is not parsed. */
const MAX_PHONE = 64;

/**
 * The country of a phone number the reader shared (Telegram contact), as ISO 3166-1 alpha-2.
 * Telegram sends numbers with or without "+"; a number without "+" (or "00") is read as
 * international, since there is no national context to read it in. Null when the number is not
 * a possible number or its country cannot be told (e.g. a shared calling code with a bad area).
 */
export function countryFromPhone(phone: string | undefined): string | null {
  if (typeof phone !== "string") return null;
  if (phone.length > MAX_PHONE) return null;
  // "(+351) 912-345-678": the formatting must go before the "+" can be found.
  const compact = phone.replace(/[\s().\-/]/gu, "");
  if (compact === "") return null;
  let international = compact;
  if (compact.startsWith("00")) international = `+${compact.slice(2)}`;
  else if (!compact.startsWith("+")) international = `+${compact}`;
  try {
    const parsed = parsePhone(international);
    if (parsed === undefined || !parsed.isPossible()) return null;
    return parsed.country ?? null;
  } catch {
    return null; // the parser reports bad input by returning undefined; this is only a safety net
  }
}
