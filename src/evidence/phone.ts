import { createRequire } from "node:module";
import type { parsePhoneNumberFromString as Parse } from "libphonenumber-js";
import { cuesOf, wordsFor } from "./location-cues.js";
import { stopwordsOf } from "./stopwords.js";
import { tokenize } from "./text-fold.js";

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

/** A phone number the reader wrote in the message, by its country only (no digits kept). */
export interface TextPhone {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** The country calling code as written, "+61". */
  readonly callingCode: string;
}

/**
 * An international number: "+" or "00", then digits with the usual separators. No nested
 * quantifiers: one linear pass over the text.
 */
const TEXT_PHONE_RE = /(?:\+|\b00)\d[\d \u00a0().\-/]{6,20}\d/gu;
/** A digit group right before: an IBAN or a longer number ("DE89 3704 0044 …"), not a phone. */
const DIGITS_BEFORE_RE = /\p{N}[ .\-/]?$|\p{L}$/u;
/** How many words before a number may say whose it is ("my brother's number is …"). */
const OWNER_WORDS = 6;
/** At most this many numbers are tried in one text. */
const MAX_TEXT_PHONES = 5;

/**
 * The country of the first international phone number in the reader's own words ("Please call
 * me on +61 412 555 019", "Mi número es +34 612 345 678", "Bel me: 0031 6 12345678"), as
 * ROUTING.md's location source 5 (a phone number the reader shared). A number written without
 * its country code ("0176 12345678") says nothing: its country would be a guess. A number whose
 * owner the words before it name as someone else ("my brother's number", "your office on") is
 * skipped. `isOther` says whether a folded word names someone else; the text must be the
 * reader's own words (quotes, forwards and the signature already removed).
 */
export function phoneInText(
  text: string,
  isOther: (word: string) => boolean = () => false,
): TextPhone | null {
  if (typeof text !== "string" || (!text.includes("+") && !text.includes("00"))) return null;
  let tried = 0;
  for (const m of text.matchAll(TEXT_PHONE_RE)) {
    if (++tried > MAX_TEXT_PHONES) break;
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    if (DIGITS_BEFORE_RE.test(before)) continue;
    const phone = parseInternational(m[0]);
    if (!phone) continue;
    if (ownedBySomeoneElse(text, m.index, isOther)) continue;
    return phone;
  }
  return null;
}

function parseInternational(written: string): TextPhone | null {
  const compact = written.replace(/[\s().\-/]/gu, "");
  const international = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  if (!international.startsWith("+") || international.length > MAX_PHONE) return null;
  try {
    const parsed = parsePhone(international);
    if (parsed === undefined || !parsed.isValid() || !parsed.country) return null;
    return { country: parsed.country, callingCode: `+${parsed.countryCallingCode}` };
  } catch {
    return null;
  }
}

/**
 * True when, among the few words before the number in its sentence, someone else ("my
 * brother", "your office", "er", "ваш") is named nearer than the writer ("me", "mi", "mein"):
 * the cue lexicon's "first" and "second" roles (location-cues.ts), in all eleven languages.
 */
let owners: { first: ReadonlySet<string>; second: ReadonlySet<string> } | undefined;

/**
 * The writer's and the addressee's words of every language, less those that are English words
 * of another kind (French "on" is "we", English "on" a preposition): English runs through
 * messages in every language.
 */
function ownerWords(): { first: ReadonlySet<string>; second: ReadonlySet<string> } {
  if (!owners) {
    const english = stopwordsOf("en");
    const ownIn = (role: "first" | "second") =>
      new Set(
        [...wordsFor(role)].filter((w) => !english.has(w) || cuesOf(w, ["en"]).includes(role)),
      );
    owners = { first: ownIn("first"), second: ownIn("second") };
  }
  return owners;
}

function ownedBySomeoneElse(text: string, at: number, isOther: (word: string) => boolean): boolean {
  const head = text.slice(Math.max(0, at - 120), at);
  const cut = Math.max(...[".", "!", "?", ";", "\n"].map((c) => head.lastIndexOf(c)));
  const words = tokenize(head.slice(cut + 1)).slice(-OWNER_WORDS);
  // The writer's and the addressee's words in every language, not only the text's: a number
  // is short and its sentence may be in another language than the message.
  const { first, second } = ownerWords();
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!.key;
    if (first.has(w)) return false;
    if (second.has(w) || isOther(w)) return true;
  }
  return false;
}
