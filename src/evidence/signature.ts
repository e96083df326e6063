import { createRequire } from "node:module";
import { geoPlace } from "./gazetteer.js";
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
import { foldKey, looksLikeName, tokenize, type Token } from "./text-fold.js";

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
  opts: SignatureOptions = {},
): SignaturePlace | null {
  if (typeof signature !== "string" || signature.trim() === "") return null;
  const nameKey = opts.name ? foldKey(opts.name) : "";
  // The writer's names: the display name's words and the mailbox's ("luc.morel" → luc, morel).
  const names = new Set([...nameKey.split(" ").filter(Boolean), ...mailboxWords(opts.mailbox)]);
  const lines = signature
    .split(/\r\n|\r|\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== "" && l.length <= MAX_LINE)
    .slice(0, MAX_LINES);
  let phone: SignaturePlace | null = null;
  // "Calle Mayor 34, 2º B": how the block writes an address says which country's it is.
  const styled = addressStyle(lines);
  // The sign-off's words without the name under the closing, for the greeting reading below.
  const words: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const folded = foldKey(line);
    // "Bien à vous,\nLuc": the line under a closing starts with the writer's name, and so
    // does a block's first line when it looks like one ("Karl Weber\n04105 Leipzig").
    const underClosing = n > 0 && isClosing(lines[n - 1]!);
    const opening = n === 0 && lines.length > 1 && !isClosing(line) && looksLikeNameLine(line);
    const named = underClosing || opening ? nameFieldEnd(line) : 0;
    words.push(withoutStreets(line, named));
    if (nameKey && (folded === nameKey || nameKey.includes(folded))) continue;
    if (folded !== "" && folded.split(" ").every((w) => names.has(w))) continue;
    const place = placeOfLine(line, opts.hints ?? {}, names, named, styled);
    if (place) return place;
    if (!phone) {
      const m = PHONE_RE.exec(line);
      const cc = m ? countryFromPhone(m[0]) : null;
      if (cc) phone = { ...placeFromCountry(cc, ""), kind: "phone" };
    }
  }
  // "Saludos desde Valencia", "— Sinéad, Galway": the sign-off's words, read like the text's.
  const greeting = findSelfReport(words.join("\n"), {
    lang: opts.lang ?? null,
    hints: opts.hints ?? {},
    name: [opts.name ?? "", ...mailboxWords(opts.mailbox)].join(" "),
  });
  if (greeting) return { ...greeting, kind: "greeting" };
  return phone;
}

/** The line less the name before `from` and its streets, for the reading of its words. */
function withoutStreets(line: string, from: number): string {
  let out = line;
  const streets = streetRanges(line, tokenize(line, 40));
  for (const [a, b] of streets.reverse())
    out = `${out.slice(0, a)}${" ".repeat(b - a)}${out.slice(b)}`;
  return out.slice(from);
}

/** Options of {@link placeFromSignature}. */
export interface SignatureOptions {
  /** The text's language. */
  lang?: string | null;
  /** The reader's other evidence, to settle ambiguous names. */
  hints?: ResolveHints;
  /** The sender's display name: a line that is the writer's name is skipped. */
  name?: string | null;
  /** The sender's email address: the words of its mailbox are the writer's names too. */
  mailbox?: string | null;
}

/** The words of an address's mailbox, "luc.morel@…" → luc, morel (three letters or more). */
function mailboxWords(address: string | null | undefined): string[] {
  if (typeof address !== "string") return [];
  const at = address.indexOf("@");
  const local = at > 0 ? address.slice(0, at) : "";
  return tokenize(local.replace(/[._+\-\d]+/gu, " "), 6)
    .map((t) => t.key)
    .filter((w) => w.length >= 3);
}

/** Longest closing line: "Bien à vous,", "Un saludo,", "Cheers,", "Mit solidarischen Grüßen,". */
const MAX_CLOSING_WORDS = 5;

/**
 * A closing: a short line with no digit that ends in a comma or holds a greeting word
 * ("Bien à vous,", "Cumprimentos,", "Mit solidarischen Grüßen", "Hälsningar").
 */
function isClosing(line: string): boolean {
  if (/\d/u.test(line)) return false;
  const words = tokenize(line, MAX_CLOSING_WORDS + 1);
  if (words.length === 0 || words.length > MAX_CLOSING_WORDS) return false;
  return /,\s*$/u.test(line) || words.some((w) => cuesOf(w.key, CUE_LANGUAGES).includes("greet"));
}

/** Longest name line: "Ana María Ruiz García". */
const MAX_NAME_WORDS = 4;

/** One to four capitalised words and no digit before any comma: "Karl Weber", "Sinéad, Galway". */
function looksLikeNameLine(line: string): boolean {
  const first = line.slice(0, nameFieldEnd(line));
  if (first === "" || /\d/u.test(line)) return false;
  const words = tokenize(first, MAX_NAME_WORDS + 1);
  return (
    words.length > 0 &&
    words.length <= MAX_NAME_WORDS &&
    words.every((w) => looksLikeName(first.slice(w.start, w.end)))
  );
}

/**
 * Where the name under a closing ends: the whole line ("Luc", "Ana María Ruiz"), or its first
 * field ("Sinéad, Galway" → after "Sinéad"). A line with a digit is no name (an address).
 */
function nameFieldEnd(line: string): number {
  if (/\d/u.test(line)) return 0;
  const comma = line.search(/[,;|·\u060C]/u);
  return comma < 0 ? line.length : comma;
}

/**
 * A line that is a place, or an address ending (or, in Persian and Russian, starting) with one.
 * `nameEnd`: the line's first characters are the writer's name (under a closing). A street
 * ("Avda. de la Constitución 20", "Rua de Santa Catarina 100", "ul. Długa 3") names no city:
 * its words are skipped, and the postcode line's city is read instead.
 */
function placeOfLine(
  line: string,
  hints: ResolveHints,
  names: ReadonlySet<string>,
  nameEnd: number,
  styled: readonly string[] = [],
): SignaturePlace | null {
  const tokens = tokenize(line, 40);
  const streets = streetRanges(line, tokens);
  // A postcode's letters are no place: "2011 RD Haarlem" (RD is not the Dominican Republic),
  // "SW1A 1AA", "M5V 2T6".
  const codes = postcodeRanges(line);
  const skipped = (at: number) =>
    at < nameEnd ||
    streets.some(([a, b]) => at >= a && at < b) ||
    codes.some(([a, b]) => at >= a && at < b);
  // "Best," and "Cheers" sign off; they are not Best (NL). Nor is the writer's name a place.
  const spans = findPlaceSpans(line, tokens, null).filter(
    (s) =>
      s.kind !== "none" &&
      !skipped(tokens[s.start]!.start) &&
      !(
        s.end - s.start === 1 &&
        !s.code &&
        (cuesOf(tokens[s.start]!.key, CUE_LANGUAGES).length > 0 || names.has(tokens[s.start]!.key))
      ),
  );
  if (spans.length === 0) return null;
  let letters = line.replace(/[^\p{L}]/gu, "").length;
  for (const [a, b] of streets) letters -= line.slice(a, b).replace(/[^\p{L}]/gu, "").length;
  const postcodes = postcodesOf(line);
  const named = spans.filter((s) => s.kind === "country" && s.country).map((s) => s.country!);
  const address = POSTCODE_RE.test(line) || postcodes.length > 0;
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
  const fitted = fitPostcode(city, postcodes);
  // Namesakes whose countries all use the postcode's format ("37002 Salamanca": Spain and
  // Mexico): the address's style, when it is one country's ("2º B" is a Spanish floor and door).
  const byStyle = address ? fitCountries(fitted ?? city, styled) : null;
  const resolved = resolveSpan(line, tokens, byStyle ?? fitted ?? city, settle);
  if (!resolved) return null;
  const covered = spans.reduce((n, s) => n + text(s).replace(/[^\p{L}]/gu, "").length, 0);
  if (!address && !whole && covered < letters * PLACE_SHARE) return null;
  const place = resolved.place;
  if (byStyle) place.settledBy = place.settledBy ?? "the address's style";
  else if (fitted) place.settledBy = place.settledBy ?? "the postcode's format";
  return { ...place, kind: address ? "address" : "city" };
}

/**
 * Words that open a street in the eleven languages and beyond, folded: a field starting with
 * one is a street whatever follows ("Rua de Santa Catarina", "ул. Тверская", "خیابان ولیعصر";
 * Mexico's "Col. Centro", a colonia, is no more a city than a street is).
 */
const STREET_LEAD: ReadonlySet<string> = new Set(
  "via viale piazza piazzale corso vicolo calle avda avenida col rua praca travessa alameda rue boulevard chemin allee impasse quai ul ulica aleja улица ул проспект переулок бульвар шоссе набережная خیابان کوچه بلوار".split(
    " ",
  ),
);
/**
 * Words that name a street when a house number stands in the same field ("12 rue des Lilas",
 * "17 Roeland Street", "C/ Mayor 5", "Via Roma 12"): alone they may be other words ("St", "Way").
 */
const STREET_WORDS: ReadonlySet<string> = new Set(
  "street st road rd avenue ave av lane ln drive dr blvd boulevard way close court ct crescent terrace square sq place pl plaza largo strada contrada paseo camino carrera carretera ronda c r d al os plac pr пр пер д дом str strasse weg platz allee gasse damm ring straat laan plein gracht kade singel gata gatan vagen torget gade vej".split(
    " ",
  ),
);
/** Endings of compound street names: Hauptstraße, Kalverstraat, Storgatan, Bredgade. */
const STREET_ENDINGS = [
  "strasse",
  "str",
  "weg",
  "platz",
  "allee",
  "gasse",
  "damm",
  "straat",
  "laan",
  "gracht",
  "plein",
  "kade",
  "gatan",
  "vagen",
  "gata",
  "gade",
  "vej",
];
const HOUSE_NUMBER_RE = /^\p{Nd}{1,4}\p{L}?$/u;

/**
 * The character ranges of a line that are streets: a field (between commas) that starts with a
 * street word, or holds a street word (or a compound street name) and a house number. A
 * postcode in the same field ends the street: "12 rue des Lilas 69001 Lyon" keeps Lyon.
 */
function streetRanges(line: string, tokens: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  const sep = /[,;|·\u060C]/gu;
  let from = 0;
  const ends = [...line.matchAll(sep)].map((m) => m.index).concat(line.length);
  // A postcode's digits and letters are no house number or street word ("2011 RD Haarlem").
  const codes = postcodeRanges(line);
  const inCode = (t: Token) => codes.some(([a, b]) => t.start >= a && t.start < b);
  for (const to of ends) {
    const words = tokens.filter((t) => t.start >= from && t.end <= to && !inCode(t));
    if (words.length > 0) {
      const numbered = words.some((t) => HOUSE_NUMBER_RE.test(line.slice(t.start, t.end)));
      const street =
        STREET_LEAD.has(words[0]!.key) ||
        (numbered &&
          words.some(
            (t) =>
              STREET_WORDS.has(t.key) ||
              STREET_ENDINGS.some((e) => t.key.length > e.length + 2 && t.key.endsWith(e)),
          ));
      if (street) {
        const field = line.slice(from, to);
        const code = POSTCODE_AFTER_STREET_RE.exec(field);
        out.push([from, code && code.index > 0 ? from + code.index : to]);
      }
    }
    from = to + 1;
  }
  return out;
}

/** A postcode inside a street's field, after the house number ("12 rue des Lilas 69001 Lyon"). */
const POSTCODE_AFTER_STREET_RE =
  /(?<=\s)(?:\d{4}-\d{3}|\d{2}-\d{3}|\d{5}(?:-\d{3,4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)(?=\s+\p{L})/u;

/** Country letters written before a postcode ("D-10115 Berlin", "CH-1201 Genève"). */
const PREFIX_COUNTRY: Readonly<Record<string, string>> = {
  D: "DE",
  A: "AT",
  CH: "CH",
  F: "FR",
  I: "IT",
  E: "ES",
  P: "PT",
  B: "BE",
  NL: "NL",
  L: "LU",
  S: "SE",
  PL: "PL",
  DK: "DK",
  N: "NO",
  FIN: "FI",
  H: "HU",
  CZ: "CZ",
  SK: "SK",
  GR: "GR",
};

/**
 * The postcodes a line may hold, most specific shape first: "4000-450", "00-950", "M5V 2T6",
 * "SW1A 1AA", "2012 AB", "802 67", "CH-1201", "46001". No nested quantifiers.
 */
const POSTCODE_TOKEN_RE =
  /(?<![\p{L}\p{N}-])(?:([A-Z]{1,3})-)?(\d{4}-\d{3}|\d{5}-\d{3,4}|\d{2}-\d{3}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{4} ?[A-Z]{2}|\d{3} \d{2}|\d{4,6})(?![\p{L}\p{N}-])/gu;

type PostcodeCheck = (code: string, country: string) => boolean;
let postcodeCheck: PostcodeCheck | null = null;

/** postcode-validator's per-country formats, loaded on first use (most messages have no address). */
function postcodeFits(code: string, country: string): boolean {
  if (!postcodeCheck) {
    const lib = createRequire(import.meta.url)("postcode-validator") as {
      postcodeValidator: (code: string, country: string) => boolean;
      postcodeValidatorExistsForCountry: (country: string) => boolean;
    };
    postcodeCheck = (c, cc) => {
      try {
        return lib.postcodeValidatorExistsForCountry(cc) && lib.postcodeValidator(c, cc);
      } catch {
        return false;
      }
    };
  }
  return postcodeCheck(code, country);
}

/** Where the postcodes of a line stand (character ranges), country letters included. */
function postcodeRanges(line: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of line.matchAll(POSTCODE_TOKEN_RE)) {
    if (out.length >= 3) break;
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** The postcodes written in a line, with the country letters before one, if any. */
function postcodesOf(line: string): { code: string; country: string | null }[] {
  const out: { code: string; country: string | null }[] = [];
  for (const m of line.matchAll(POSTCODE_TOKEN_RE)) {
    if (out.length >= 3) break;
    const prefix = m[1] ? (PREFIX_COUNTRY[m[1]] ?? null) : null;
    if (m[1] && !prefix) continue;
    out.push({ code: m[2]!, country: prefix });
  }
  return out;
}

/**
 * How addresses are written in one country only (not the postcode, which fitPostcode reads):
 * Spain's floor and door after the house number ("Calle Mayor 34, 2º B", "3º izda") and "C/"
 * for calle; Mexico's colonia and "C.P." before the postcode. A signature that writes its
 * address so is from that country's namesake of the city.
 */
const ADDRESS_STYLES: readonly (readonly [string, RegExp])[] = [
  ["ES", /\d\s?[º°ª]\s?(?:[A-Z]\b|izq|izda|dcha|der|dr|centro|int)|(?:^|\s)C\/\s?\p{Lu}/u],
  ["MX", /\b(?:Col\.|Colonia\s+\p{Lu}|C\.\s?P\.\s?\d{5}|Alcald[íi]a\s+\p{Lu})/u],
];

/** The countries whose address style a signature's lines show. */
function addressStyle(lines: readonly string[]): string[] {
  return ADDRESS_STYLES.filter(([, re]) => lines.some((l) => re.test(l))).map(([cc]) => cc);
}

/** The name's places in `countries`, when that keeps some and drops others; else null. */
function fitCountries(span: PlaceSpan, countries: readonly string[]): PlaceSpan | null {
  if (span.kind !== "place" || countries.length !== 1 || span.refs.length < 2) return null;
  const refs = span.refs.filter((r) => countries.includes(geoPlace(r.place).country));
  if (refs.length === 0 || refs.length === span.refs.length) return null;
  return { ...spanFields(span), refs };
}

function spanFields(span: PlaceSpan): PlaceSpan {
  return {
    start: span.start,
    end: span.end,
    kind: span.kind,
    country: span.country,
    refs: span.refs,
    inflected: span.inflected,
    code: span.code,
  };
}

/**
 * The name's places whose country uses the line's postcode ("46001 Valencia" is Valencia,
 * Spain: Venezuela's postcodes have four digits; "4000-450 Porto" is in Portugal), when that
 * keeps some and drops others; else null. The format is the disambiguator next to the name.
 */
function fitPostcode(
  span: PlaceSpan,
  postcodes: readonly { code: string; country: string | null }[],
): PlaceSpan | null {
  if (span.kind !== "place" || postcodes.length === 0 || span.refs.length < 2) return null;
  const fits = (cc: string) =>
    postcodes.some((p) => (p.country === null || p.country === cc) && postcodeFits(p.code, cc));
  const refs = span.refs.filter((r) => fits(geoPlace(r.place).country));
  if (refs.length === 0 || refs.length === span.refs.length) return null;
  return {
    start: span.start,
    end: span.end,
    kind: span.kind,
    country: span.country && fits(span.country) ? span.country : null,
    refs,
    inflected: span.inflected,
    code: span.code,
  };
}
