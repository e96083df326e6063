import {
  bare,
  cannotStartHeader,
  isBanner,
  isDateLabel,
  isFromLabel,
  isListFooter,
  isMailmanTrailer,
  isOtherLabel,
  isQuoteLine,
  isReplyHeader,
  isSignatureLine,
  isSignOff,
  isTagline,
  isUnderscoreRule,
  isWrappedReplyHeader,
  markerCore,
  MAX_LINE,
  withoutControls,
} from "./email-lines.js";

/** What a plain-text email body says in the writer's own words, and how they signed it. */
export interface EmailBody {
  /** The writer's own words: quoted replies, forwarded blocks, signature and mobile taglines removed; inline replies (written between quotes) kept. */
  own: string;
  /** The signature block (sign-off lines: name, role, organisation, city, postal address, phone), taglines excluded; null when none. */
  signature: string | null;
  /** True when quoted or forwarded material was removed. */
  hadQuote: boolean;
}

/** Options for {@link readEmailBody}. */
export interface ReadEmailBodyOptions {
  /** Lines such as "—— reply above this line ——": everything from the first marker line on is dropped. */
  cutMarkers?: readonly string[];
}

/** A signature has at most this many lines; a longer tail is prose, not a sign-off. */
const MAX_SIGNATURE_LINES = 8;
/** How far below a From: line Outlook puts its Sent:/Date:/To: line. */
const OUTLOOK_BLOCK_REACH = 4;
/** How far below Mailman's underscore rule its "… mailing list" line comes. */
const MAILMAN_REACH = 3;

/**
 * Reads a plain-text email body the way a person does: the writer's own words (above, below or
 * between the quoted original), their signature, and whether anything was quoted or forwarded.
 * Handles the reply headers, forward banners and Outlook header blocks of the mail clients of
 * the eleven languages, `> ` quoting, `-- ` signatures, sign-offs without a delimiter, mobile
 * taglines and mailing-list footers. Linear in the length of the text; never throws.
 */
export function readEmailBody(text: string, opts: ReadEmailBodyOptions = {}): EmailBody {
  const input = typeof text === "string" ? text : "";
  // Lines end in CRLF, CR or LF. CRLF made LF first, a plain split on LF is the same split and
  // several times cheaper than a regular expression; only a lone CR left needs one.
  const clean = withoutControls(input).replaceAll("\r\n", "\n");
  const lines = clean.includes("\r") ? clean.split(/\r\n|\r|\n/u) : clean.split("\n");
  const cut = firstMarkerLine(lines, opts.cutMarkers ?? []);
  const scan = new Scan(lines.slice(0, cut));
  scan.run();
  return scan.result(cut < lines.length);
}

/** Index of the first line that carries one of the markers (also when quoted), else lines.length. */
function firstMarkerLine(lines: readonly string[], markers: readonly string[]): number {
  const cores = markers.map(markerCore).filter((m) => m.length >= 3);
  if (cores.length === 0) return lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.length > MAX_LINE) continue;
    const lower = line.toLowerCase();
    if (cores.some((c) => lower.includes(c))) return i;
  }
  return lines.length;
}

interface OwnLine {
  text: string;
  /** Own lines separated by removed quotes or headers belong to different blocks. */
  block: number;
}

class Scan {
  private readonly bare: string[];
  /** nextFilled[i]: the first index ≥ i whose line is not blank (lines.length when none). */
  private readonly nextFilled: number[];
  private readonly own: OwnLine[] = [];
  private signature: string[] | null = null;
  private block = 0;
  private removedSinceOwn = false;
  private hadQuote = false;

  constructor(private readonly lines: readonly string[]) {
    this.bare = lines.map((l) => (l.length > MAX_LINE ? l.trim() : bare(l)));
    this.nextFilled = new Array<number>(lines.length + 1);
    this.nextFilled[lines.length] = lines.length;
    for (let i = lines.length - 1; i >= 0; i--) {
      this.nextFilled[i] = this.bare[i] === "" ? (this.nextFilled[i + 1] ?? lines.length) : i;
    }
  }

  private line(i: number): string {
    return this.bare[i] ?? "";
  }

  run(): void {
    const n = this.lines.length;
    let i = 0;
    while (i < n) {
      const line = this.line(i);
      const raw = this.lines[i] ?? "";
      if (line === "") {
        this.keep("");
        i++;
        continue;
      }
      if (isQuoteLine(line)) {
        this.remove(true);
        i++;
        continue;
      }
      if (raw === "-- " || raw === "--" || line === "--") {
        i = this.readSignature(i + 1);
        continue;
      }
      if (isListFooter(line) || this.isMailmanFooter(i)) return; // the list's text, not the writer's
      const header = this.headerLength(i);
      if (header > 0) {
        const after = this.nextFilled[i + header] ?? n;
        this.hadQuote = true;
        // An unquoted original follows (Outlook, forwards): nothing below is the writer's.
        if (after >= n || !isQuoteLine(this.line(after))) return;
        this.remove(true);
        i += header;
        continue;
      }
      if (isTagline(line)) {
        this.remove(false);
        i++;
        continue;
      }
      this.keep(raw.trimEnd());
      i++;
    }
  }

  /** How many lines the quote header, banner or Outlook block at i spans; 0 when none starts here. */
  private headerLength(i: number): number {
    const line = this.line(i);
    if (line.length > MAX_LINE || cannotStartHeader(line, this.line(i + 1))) return 0;
    if (isBanner(line) || isReplyHeader(line)) return 1;
    if (isWrappedReplyHeader(line, this.line(i + 1))) return 2;
    if (isUnderscoreRule(line)) {
      const next = this.nextFilled[i + 1] ?? this.lines.length;
      const block = this.outlookBlockLength(next);
      return block > 0 ? next - i + block : 0;
    }
    return this.outlookBlockLength(i);
  }

  /**
   * From: followed within a few lines by Sent:/Date: (or by To:/Subject: when From: names an
   * address): the block runs to a blank line. "From: the heart / To: the people" is no block.
   */
  private outlookBlockLength(i: number): number {
    const from = this.line(i);
    if (!isFromLabel(from)) return 0;
    const address = from.includes("@");
    let found = false;
    for (let j = i + 1; j <= i + OUTLOOK_BLOCK_REACH && j < this.lines.length; j++) {
      const l = this.line(j);
      if (isDateLabel(l) || (address && isOtherLabel(l))) {
        found = true;
        break;
      }
    }
    if (!found) return 0;
    let end = i + 1;
    while (end < this.lines.length && this.line(end) !== "") end++;
    return end - i;
  }

  private isMailmanFooter(i: number): boolean {
    const line = this.line(i);
    if (line.length < 30 || !isUnderscoreRule(line)) return false;
    for (let j = i + 1; j <= i + MAILMAN_REACH && j < this.lines.length; j++) {
      if (isMailmanTrailer(this.line(j))) return true;
    }
    return false;
  }

  /** Lines after a `-- ` delimiter up to a quote, header or footer; returns where reading resumes. */
  private readSignature(start: number): number {
    const n = this.lines.length;
    const first = this.nextFilled[start] ?? n;
    if (first < n && isListFooter(this.line(first))) return n; // Google Groups puts "-- " first
    const block: string[] = [];
    let i = start;
    for (; i < n; i++) {
      const line = this.line(i);
      if (line !== "" && (isQuoteLine(line) || isListFooter(line) || this.headerLength(i) > 0)) {
        break;
      }
      if (line === "" || isTagline(line)) continue;
      if (block.length < MAX_SIGNATURE_LINES * 2) block.push(line);
    }
    if (this.signature === null && block.length > 0) this.signature = block;
    this.removedSinceOwn = true;
    return i;
  }

  private keep(text: string): void {
    if (text !== "" && this.removedSinceOwn) {
      this.block++;
      this.removedSinceOwn = false;
    }
    this.own.push({ text, block: this.block });
  }

  private remove(quoted: boolean): void {
    if (quoted) this.hadQuote = true;
    this.removedSinceOwn = true;
  }

  result(markerCut: boolean): EmailBody {
    let own = this.own;
    let signature = this.signature;
    if (signature === null) {
      const split = signOffSplit(own) ?? contactBlockSplit(own);
      if (split !== null) {
        signature = own
          .slice(split)
          .map((l) => bare(l.text))
          .filter((l) => l !== "" && !isTagline(l));
        own = own.slice(0, split);
      }
    }
    return {
      own: joinOwn(own),
      signature: signature === null || signature.length === 0 ? null : signature.join("\n"),
      hadQuote: this.hadQuote || markerCut,
    };
  }
}

/** Indexes of the non-blank own lines of the last block that has any. */
function lastBlockLines(own: readonly OwnLine[]): number[] {
  let last = -1;
  for (let k = own.length - 1; k >= 0; k--) {
    if ((own[k]?.text ?? "") !== "") {
      last = own[k]?.block ?? -1;
      break;
    }
  }
  const out: number[] = [];
  for (let k = 0; k < own.length; k++) {
    const l = own[k];
    if (l !== undefined && l.block === last && l.text !== "") out.push(k);
  }
  return out;
}

function hasOwnTextBefore(own: readonly OwnLine[], k: number): boolean {
  for (let j = 0; j < k; j++) if ((own[j]?.text ?? "").trim() !== "") return true;
  return false;
}

/**
 * Where a sign-off opens the signature of the last block: a known one ("Best,", "Grüße",
 * "С уважением"), or any short line ending in a comma below the writer's text and followed
 * only by short lines ("Ngā mihi,", "Merci à l'avance,"), the way letters are signed in every
 * language. A trailing disclaimer paragraph does not stop it.
 */
function signOffSplit(own: readonly OwnLine[]): number | null {
  const filled = lastBlockLines(own);
  const end = disclaimerStart(own, filled);
  const from = Math.max(0, end - (MAX_SIGNATURE_LINES + 1));
  for (let f = from; f < end; f++) {
    const k = filled[f] ?? 0;
    const line = bare(own[k]?.text ?? "");
    const tail = filled.slice(f + 1, end).map((t) => bare(own[t]?.text ?? ""));
    if (!isSignOff(line) && !(isCommaSignOff(line) && tail.length > 0 && tail.length <= 6)) {
      continue;
    }
    if (tail.every(isSignatureLine) && hasOwnTextBefore(own, k)) return k;
  }
  return null;
}

/** A short line ending in a comma: "Ngā mihi,", "Un abrazo fuerte,", "Merci à l'avance,". */
function isCommaSignOff(line: string): boolean {
  return line.length <= 40 && line.endsWith(",") && line.split(" ").length <= 4;
}

/** Words of the confidentiality notices mail systems append after a signature. */
const DISCLAIMER_WORDS = [
  "confiden",
  "vertraulich",
  "riservat",
  "vertrouwelijk",
  "konfidentiell",
  "poufn",
  "конфиденц",
  "محرمانه",
  "disclaimer",
  "intended for",
  "intended only for",
  "destinatario",
  "destinataire",
  "empfänger",
];

function isDisclaimer(line: string): boolean {
  const lower = line.toLowerCase();
  return DISCLAIMER_WORDS.some((w) => lower.includes(w));
}

/** Index (in `filled`) of a trailing disclaimer paragraph's first line, else filled.length. */
function disclaimerStart(own: readonly OwnLine[], filled: readonly number[]): number {
  for (let f = Math.max(1, filled.length - 3); f < filled.length; f++) {
    const k = filled[f] ?? 0;
    const line = own[k]?.text ?? "";
    // A paragraph of its own (blank line before) that reads as a notice.
    if ((own[k - 1]?.text ?? "") === "" && line.length > 60 && isDisclaimer(line)) return f;
  }
  return filled.length;
}

/** True when a line carries contact data: a phone number (7+ digits), an address or a link. */
function isContactLine(line: string): boolean {
  let digits = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x6f0 && c <= 0x6f9)) digits++;
  }
  return digits >= 7 || line.includes("@") || line.toLowerCase().includes("www.");
}

/**
 * A signature without sign-off or delimiter: the last paragraph is two to six short lines that
 * are not sentences, one of them a phone number, an address or a link ("Anna Berg / Malmö /
 * +46 70 123 45 67"), below text of the writer's own.
 */
function contactBlockSplit(own: readonly OwnLine[]): number | null {
  let end = own.length;
  while (end > 0 && (own[end - 1]?.text ?? "") === "") end--;
  let start = end;
  while (start > 0 && (own[start - 1]?.text ?? "") !== "") start--;
  const para = own.slice(start, end).map((l) => bare(l.text));
  if (para.length < 2 || para.length > 6) return null;
  if (!para.every(isSignatureLine) || !para.some(isContactLine)) return null;
  return hasOwnTextBefore(own, start) ? start : null;
}

/** The own lines as text: one blank line at most between paragraphs and between blocks. */
function joinOwn(own: readonly OwnLine[]): string {
  const out: string[] = [];
  let block = own[0]?.block ?? 0;
  for (const l of own) {
    if (l.text === "" || (l.block !== block && out.length > 0)) {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
    }
    block = l.block;
    if (l.text !== "") out.push(l.text);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.join("\n").trim();
}
