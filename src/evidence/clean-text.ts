/**
 * Text cleaning before language detection: only the reader's own words should count, not the
 * quoted reply, the mail client's signature or a URL. Every step is a single pass over lines and
 * tokens with regular expressions anchored on short lines, so the cost is linear in the input.
 */

/** The cleaned text never exceeds this many characters: detection cost stays bounded. */
export const CLEAN_TEXT_MAX_CHARS = 2000;

/** Header-like lines are short; longer lines are never tested against the line patterns. */
const MAX_HEADER_LINE = 400;
const MAX_SUBJECT_CHARS = 1000;
/** No word is this long: longer tokens are encoded data or links, and are dropped unexamined. */
const MAX_TOKEN = 80;
/** Direction marks that RTL mail clients put around Persian reply headers. */
const BIDI_MARKS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** "On … wrote:" in the eleven languages (and the common Gmail/Outlook/Apple variants). */
const WROTE =
  /(?:wrote|schrieb|a écrit|ha scritto|escribió|escreveu|schreef|skrev|napisał(?:\(a\)|a)?|pisze|пишет|написал(?:\(а\)|а)?|نوشت)\s*:\s*$/iu;
/** How reply headers open: "On", "Le", "Am", "Il", "El", "Em", "Op", "Den", "W dniu", "в", "در". */
const HEADER_INTRO = /^(?:on|le|am|il|el|em|às|op|den|w dniu|dnia|в|در)\s/iu;
/** A header naming the sender: `Name <someone@example.org>:` (Gmail in languages without a verb). */
const ADDRESS_HEADER = /<[^<>\s@]+@[^<>\s@]+>\s*:\s*$/u;
/** Outlook's plain-text reply block starts with From:, followed by Sent:/Date: within a few lines. */
const FROM_LINE =
  /^\*?(?:from|de|von|da|van|från|od|от|از|expéditeur|absender|remitente|mittente)\s*:/iu;
const SENT_LINE =
  /^\*?(?:sent|date|envoyé|gesendet|datum|inviato|data|enviado|fecha|verzonden|skickat|wysłano|wysłane|отправлено|дата|تاریخ|ارسال)\s*:/iu;
/** "-----Original Message-----", "---------- Forwarded message ---------" and translations. */
const BANNER = /^\s*-{3,}\s*[\p{L}' ]{3,60}\s*-{3,}\s*$/u;
/** Mobile and webmail taglines: "Sent from my iPhone", "Von meinem iPhone gesendet", … */
const TAGLINE =
  /^(?:sent from|sent with|sent via|get outlook for|envoyé de|envoyé depuis|envoyé avec|obtenir outlook|von meinem|gesendet von|gesendet mit|gesendet vom|inviato da|inviato dal|inviato con|scarica outlook|enviado desde|enviado do|enviado de|enviado con|obtener outlook|obter o outlook|obtenha o outlook|verstuurd vanaf|verzonden vanaf|verzonden met|verstuurd met|download outlook|skickat från|hämta outlook|wysłane z|wysłano z|pobierz outlook|pobierz aplikację outlook|отправлено с|отправлено из|получить outlook|ارسال شده از|ارسال از)/iu;
/** A tagline names the device or the app; "Von meinem Lohn kann ich kaum leben." is no tagline. */
const DEVICE =
  /iphone|ipad|android|samsung|galaxy|huawei|xiaomi|pixel|smartphone|phone|handy|mobil|móvil|celular|telemóvel|telefon|teléfono|telefone|telefoon|телефон|айфон|outlook|mail|yahoo|proton|tuta|blackberry|windows|\bapp\b|aplikac|приложени|آیفون|موبایل|گوشی|تلفن/iu;
const MAX_TAGLINE = 100;
/** "Re:", "Fwd:", "AW:", "WG:", "TR:", "R:", "RV:", "SV:", "VS:", "Odp:", "Отв:", "Пересл:", … */
const SUBJECT_PREFIX =
  /^\s*(?:re|fwd?|aw|wg|tr|r|rif|rv|sv|vs|odp|pd|antw|doorst|enc|res|отв|пересл|fw)\s*(?:\[\d{1,4}\])?\s*:\s*/iu;
const URL_START = /^(?:https?:\/\/|www\.|mailto:|ftp:\/\/)/i;
const EDGE_PUNCT = /^[<([{"'«„]+|[>)\]}"'».,;:!?]+$/gu;

/**
 * The reader's own words from subject and body: quoted replies and everything after a reply
 * header, signatures ("-- " and mobile taglines), URLs and email addresses removed, whitespace
 * collapsed, at most {@link CLEAN_TEXT_MAX_CHARS} characters. Never throws.
 */
export function cleanForDetection(input: { subject?: string; text: string }): string {
  const out: string[] = [];
  let length = 0;
  const push = (line: string): boolean => {
    for (const token of line.split(/\s+/u)) {
      if (token === "" || token.length > MAX_TOKEN || isAddressOrUrl(token)) continue;
      out.push(token);
      length += token.length + 1;
      if (length >= CLEAN_TEXT_MAX_CHARS) return false;
    }
    return true;
  };
  const subject = typeof input.subject === "string" ? stripSubjectPrefixes(input.subject) : "";
  if (subject !== "" && !push(subject)) return finish(out);
  const body = typeof input.text === "string" ? input.text : "";
  const lines = body.split(/\r\n|\r|\n/u);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const raw = line.trim();
    const trimmed = raw.length <= MAX_HEADER_LINE ? raw.replace(BIDI_MARKS, "").trim() : raw;
    if (trimmed.startsWith(">") || trimmed.startsWith("|>")) continue;
    if (line === "-- " || line === "--") break; // the signature delimiter of RFC 3676
    if (trimmed.length <= MAX_HEADER_LINE && endsQuotedPart(trimmed, lines, i)) break;
    if (trimmed.length <= MAX_TAGLINE && TAGLINE.test(trimmed) && DEVICE.test(trimmed)) break;
    if (/^_{8,}$/u.test(trimmed)) continue; // Outlook's separator before a From: block
    if (!push(trimmed)) break;
  }
  return finish(out);
}

/** True when this line starts the quoted or forwarded part of a message. */
function endsQuotedPart(line: string, lines: readonly string[], i: number): boolean {
  if (line === "") return false;
  if (BANNER.test(line)) return true;
  if (isReplyHeader(line)) return true;
  // Gmail wraps long headers: "On Mon, 3 Mar 2025 at 10:00, Jane Doe <" / "jane@x.org> wrote:".
  // A sentence ("On 1 May we march.") is not the first half of a header, even before one.
  if (HEADER_INTRO.test(line) && /\d/u.test(line) && !/[.!?]$/u.test(line)) {
    const next = (lines[i + 1] ?? "")
      .slice(0, MAX_HEADER_LINE + 1)
      .replace(BIDI_MARKS, "")
      .trim();
    if (next.length <= MAX_HEADER_LINE && isReplyHeader(`${line} ${next}`)) return true;
  }
  if (FROM_LINE.test(line)) {
    for (let j = i + 1; j <= i + 3 && j < lines.length; j++) {
      const l = (lines[j] ?? "")
        .slice(0, MAX_HEADER_LINE + 1)
        .replace(BIDI_MARKS, "")
        .trim();
      if (l.length <= MAX_HEADER_LINE && SENT_LINE.test(l)) return true;
    }
  }
  return false;
}

function isReplyHeader(line: string): boolean {
  if (ADDRESS_HEADER.test(line)) return true;
  if (!WROTE.test(line)) return false;
  // "My comrade wrote:" is the reader's own sentence; a client header has an intro, a date or an address.
  return HEADER_INTRO.test(line) || /\d|@/u.test(line);
}

function stripSubjectPrefixes(subject: string): string {
  let s = subject.slice(0, MAX_SUBJECT_CHARS);
  for (let n = 0; n < 10; n++) {
    const stripped = s.replace(SUBJECT_PREFIX, "");
    if (stripped === s) break;
    s = stripped;
  }
  return s.trim();
}

function isAddressOrUrl(token: string): boolean {
  const t = token.replace(EDGE_PUNCT, "");
  if (URL_START.test(t)) return true;
  const at = t.indexOf("@");
  // someone@example.org, <someone@example.org>, but not a lone "@" or a handle like "@comrade".
  return at > 0 && t.indexOf(".", at) > at + 1;
}

function finish(tokens: readonly string[]): string {
  const text = tokens.join(" ");
  if (text.length <= CLEAN_TEXT_MAX_CHARS) return text;
  const cut = text.slice(0, CLEAN_TEXT_MAX_CHARS);
  const space = cut.lastIndexOf(" ");
  return space > CLEAN_TEXT_MAX_CHARS / 2 ? cut.slice(0, space) : cut;
}
