import { countryFromPhone } from "./phone.js";
import {
  findPlaceSpans,
  placeFromCountry,
  resolveSpan,
  type Place,
  type PlaceSpan,
  type ResolveHints,
} from "./places.js";
import { CUE_LANGUAGES, cuesOf } from "./location-cues.js";
import { findSelfReport } from "./self-report.js";
import { foldKey, tokenize } from "./text-fold.js";

/**
 * Where an email's sign-off says the writer is (ROUTING.md, location source 3): a greeting
 * with a place ("Saludos desde Valencia"), a line that is a city or a postal address
 * ("Lyon", "12 rue des Lilas, 69001 Lyon", "Toronto, ON"), or an international phone number
 * ("+351 912 345 678"). The block itself comes from readEmailBody (email-body.ts).
 */

/** What the signature says, and which kind of line said it (for the reasons; no personal data). */
export interface SignaturePlace extends Place {
  /** "greeting" (the sign-off's words: "Saludos desde Valencia"), "city", "address" or "phone". */
  readonly kind: "greeting" | "city" | "address" | "phone";
}

const MAX_LINES = 8;
const MAX_LINE = 200;
/** A line mostly made of the place name: at least this share of its letters. */
const PLACE_SHARE = 0.55;
/** An international number: + or 00, then 8–15 digits with the usual separators. */
const PHONE_RE = /(?:\+|\b00)\d[\d\s().\-/]{6,20}\d/u;
/** A postcode-like group next to a city: "69001 Lyon", "Lyon 69001", "M1 1AE", "H2X 1Y4". */
const POSTCODE_RE =
  /\b(?:\d{4,6}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{2}-\d{3})\b/u;

/**
 * The place a signature block names, or null. `name` is the sender's display name: a line that
 * is the writer's name is skipped, so "Paris Hilton" is nobody's city.
 */
export function placeFromSignature(
  signature: string | null | undefined,
  opts: { lang?: string | null; hints?: ResolveHints; name?: string | null } = {},
): SignaturePlace | null {
  if (typeof signature !== "string" || signature.trim() === "") return null;
  const nameKey = opts.name ? foldKey(opts.name) : "";
  const lines = signature
    .split(/\r\n|\r|\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== "" && l.length <= MAX_LINE)
    .slice(0, MAX_LINES);
  let phone: SignaturePlace | null = null;
  for (const line of lines) {
    const folded = foldKey(line);
    if (nameKey && (folded === nameKey || nameKey.includes(folded))) continue;
    const place = placeOfLine(line, opts.hints ?? {}, nameKey);
    if (place) return place;
    if (!phone) {
      const m = PHONE_RE.exec(line);
      const cc = m ? countryFromPhone(m[0]) : null;
      if (cc) phone = { ...placeFromCountry(cc, ""), kind: "phone" };
    }
  }
  // "Saludos desde Valencia", "— Sinéad, Galway": the sign-off's words, read like the text's.
  const words = findSelfReport(signature, {
    lang: opts.lang ?? null,
    hints: opts.hints ?? {},
    name: opts.name ?? null,
  });
  if (words) return { ...words, kind: "greeting" };
  return phone;
}

/** A line that is a place, or an address ending (or, in Persian and Russian, starting) with one. */
function placeOfLine(line: string, hints: ResolveHints, nameKey: string): SignaturePlace | null {
  const tokens = tokenize(line, 40);
  const names = new Set(nameKey.split(" "));
  // "Best," and "Cheers" sign off; they are not Best (NL). Nor is the writer's name a place.
  const spans = findPlaceSpans(line, tokens, null).filter(
    (s) =>
      s.kind !== "none" &&
      !(
        s.end - s.start === 1 &&
        !s.code &&
        (cuesOf(tokens[s.start]!.key, CUE_LANGUAGES).length > 0 || names.has(tokens[s.start]!.key))
      ),
  );
  if (spans.length === 0) return null;
  const letters = line.replace(/[^\p{L}]/gu, "").length;
  const named = spans.filter((s) => s.kind === "country" && s.country).map((s) => s.country!);
  const address = POSTCODE_RE.test(line);
  const fields = line.split(/[,;|·\u060C]/u).map((f) => f.replace(/^[\s—–-]+|[\s.]+$/gu, ""));
  const text = (s: PlaceSpan) => line.slice(tokens[s.start]!.start, tokens[s.end - 1]!.end);
  // A place that is a whole field of the line: "— Sinéad, Galway", "تهران، خیابان ولیعصر".
  const whole = spans.find((s) => s.kind === "place" && fields.includes(text(s)));
  const settle = { ...hints, named };
  // Else a place settled by the name after it ("Sherbrooke (Québec)", "Portland, ME"), else
  // the last place of an address ("…, 69001 Lyon, France" → Lyon).
  const settled = whole
    ? null
    : spans.find(
        (s) => s.kind === "place" && (resolveSpan(line, tokens, s, settle)?.end ?? 0) > s.end,
      );
  const city =
    whole ?? settled ?? [...spans].reverse().find((s) => s.kind === "place") ?? spans.at(-1)!;
  const resolved = resolveSpan(line, tokens, city, settle);
  if (!resolved) return null;
  const covered = spans.reduce((n, s) => n + text(s).replace(/[^\p{L}]/gu, "").length, 0);
  if (!address && !whole && covered < letters * PLACE_SHARE) return null;
  return { ...resolved.place, kind: address ? "address" : "city" };
}
