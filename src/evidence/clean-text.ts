/**
 * Text cleaning before detection: only the reader's own words should count, not the quoted
 * reply, the forwarded original, the signature, an echoed `Re:` subject or a URL. The body is
 * read by {@link readEmailBody}, the one reading of an email that routing and the relay share.
 * Every step is a pass over characters, lines and tokens with string operations, so the cost
 * is linear in the input whatever it contains.
 */
import { readEmailBody } from "./email-body.js";

/** The cleaned text never exceeds this many characters: detection cost stays bounded. */
export const CLEAN_TEXT_MAX_CHARS = 2000;

const MAX_SUBJECT_CHARS = 1000;
/** No word is this long: longer tokens are encoded data or links, and are dropped unexamined. */
const MAX_TOKEN = 80;

/** Reply and forward prefixes: "Re:", "Fwd:", "AW:", "WG:", "TR:", "RV:", "SV:", "Odp:", "Отв:", … */
const SUBJECT_PREFIXES = new Set([
  "re",
  "fw",
  "fwd",
  "aw",
  "wg",
  "tr",
  "r",
  "rif",
  "i",
  "rv",
  "sv",
  "vs",
  "vb",
  "odp",
  "pd",
  "antw",
  "doorst",
  "enc",
  "res",
  "отв",
  "ответ",
  "пересл",
  "رد",
  "پاسخ",
  "هدایت",
]);
const URL_STARTS = ["http://", "https://", "www.", "mailto:", "ftp://"];
const LEADING_PUNCT = new Set(["<", "(", "[", "{", '"', "'", "«", "„"]);
const TRAILING_PUNCT = new Set([">", ")", "]", "}", '"', "'", "»", ".", ",", ";", ":", "!", "?"]);

/** Text for detection and the email sign-off, read once from one message. */
export interface DetectionText {
  /** The reader's own words, cleaned: see {@link cleanForDetection}. */
  text: string;
  /** The signature block of the body (name, organisation, city, address, phone), or null. */
  signature: string | null;
}

/**
 * The reader's own words from subject and body: quoted replies, forwarded blocks, signatures,
 * mobile taglines, URLs and email addresses removed, whitespace collapsed, at most
 * {@link CLEAN_TEXT_MAX_CHARS} characters. The subject of a reply or forward (`Re:`, `AW:`, …)
 * is someone else's words echoed: it counts only when the body has none of the reader's own.
 * Never throws.
 */
export function cleanForDetection(input: { subject?: string; text: string }): string {
  return readForDetection(input).text;
}

/** {@link cleanForDetection} and the signature block, from one reading of the body. */
export function readForDetection(input: { subject?: string; text: string }): DetectionText {
  const body = readEmailBody(typeof input.text === "string" ? input.text : "");
  const subject = typeof input.subject === "string" ? readSubject(input.subject) : null;
  // The body's words are collected once: they are the whole text unless the subject leads.
  const bodyWords = new Tokens();
  if (subject === null || subject.echoed) {
    bodyWords.push(body.own);
    if (subject === null || !bodyWords.empty) {
      return { text: bodyWords.finish(), signature: body.signature };
    }
  }
  const out = new Tokens();
  out.push(subject.text);
  out.push(body.own);
  return { text: out.finish(), signature: body.signature };
}

/** Collects the words worth detecting, up to the cap. */
class Tokens {
  private readonly words: string[] = [];
  private length = 0;

  get empty(): boolean {
    return this.words.length === 0;
  }

  push(text: string): void {
    let start = -1;
    for (let i = 0; i <= text.length && this.length < CLEAN_TEXT_MAX_CHARS; i++) {
      const space = i === text.length || isSpace(text.charCodeAt(i));
      if (!space && start < 0) start = i;
      if (space && start >= 0) {
        this.add(text, start, i);
        start = -1;
      }
    }
  }

  private add(text: string, start: number, end: number): void {
    if (end - start > MAX_TOKEN) return;
    const token = text.slice(start, end);
    if (isAddressOrUrl(token)) return;
    this.words.push(token);
    this.length += token.length + 1;
  }

  finish(): string {
    const text = this.words.join(" ");
    if (text.length <= CLEAN_TEXT_MAX_CHARS) return text;
    const cut = text.slice(0, CLEAN_TEXT_MAX_CHARS);
    const space = cut.lastIndexOf(" ");
    return space > CLEAN_TEXT_MAX_CHARS / 2 ? cut.slice(0, space) : cut;
  }
}

function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The subject without its reply and forward prefixes ("Re: AW: Fwd[2]: x" → "x"), and whether
 * it had any: a prefixed subject was written by whoever wrote the mail being answered.
 */
export function readSubject(subject: string): { text: string; echoed: boolean } {
  let s = subject.slice(0, MAX_SUBJECT_CHARS).trim();
  let echoed = false;
  for (let n = 0; n < 10; n++) {
    const colon = s.indexOf(":");
    const fullColon = s.indexOf("：");
    const at = colon < 0 ? fullColon : fullColon < 0 ? colon : Math.min(colon, fullColon);
    if (at <= 0 || at > 12) break;
    let word = s.slice(0, at).trim().toLowerCase();
    // "RE[2]", "Re^2", "Fwd (3)": a counter some clients add
    const bracket = word.search(/[[(^]/u);
    if (bracket > 0) word = word.slice(0, bracket).trim();
    if (!SUBJECT_PREFIXES.has(word)) break;
    echoed = true;
    s = s.slice(at + 1).trim();
  }
  return { text: s, echoed };
}

function isAddressOrUrl(token: string): boolean {
  // Every address and link has an @, a colon or a dot: most words have none.
  if (token.indexOf("@") < 0 && token.indexOf(":") < 0 && token.indexOf(".") < 0) return false;
  let start = 0;
  let end = token.length;
  while (start < end && LEADING_PUNCT.has(token[start] ?? "")) start++;
  while (end > start && TRAILING_PUNCT.has(token[end - 1] ?? "")) end--;
  const t = token.slice(start, end);
  const lower = t.toLowerCase();
  if (URL_STARTS.some((u) => lower.startsWith(u))) return true;
  const at = t.indexOf("@");
  // someone@example.org, <someone@example.org>, but not a lone "@" or a handle like "@comrade".
  return at > 0 && t.indexOf(".", at) > at + 1;
}
