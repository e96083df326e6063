/**
 * What one line of a plain-text email is: a reply header, a forward banner, an Outlook header
 * block, a mobile tagline, a sign-off, a mailing-list footer. The tables cover the mail clients
 * of the eleven languages the network reads (en, de, fr, it, es, pt, nl, sv, pl, ru, fa).
 *
 * Every test is a bounded string operation (prefix, suffix, set lookup) on one line of at most
 * {@link MAX_LINE} characters; the one regular expression is a single character class. Reading a
 * message costs time linear in its length whatever the text is.
 */

/** Lines longer than this are prose or data, never a header, banner, tagline or sign-off. */
export const MAX_LINE = 400;

const INVISIBLE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/**
 * The line without direction marks and surrounding whitespace (NBSP counts as a space). The
 * pattern is one character class: each character is looked at once.
 */
export function bare(line: string): string {
  // Plain ASCII has neither NBSP nor direction marks: trimming is all there is to do.
  if (isAscii(line)) return line.trim();
  return line.replaceAll("\u00a0", " ").replace(INVISIBLE, "").trim();
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
}

/**
 * The text without NUL, the other C0 controls and DEL (tab, CR and LF stay): a decoder's
 * leftovers, never part of what a person wrote.
 */
export function withoutControls(text: string): string {
  let i = 0;
  while (i < text.length && !isControl(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    if (!isControl(text.charCodeAt(i))) out += text[i];
  }
  return out;
}

/** True for a line of the quoted original: `> text`, `>> text`, `|> text`. */
export function isQuoteLine(trimmed: string): boolean {
  return trimmed.startsWith(">") || trimmed.startsWith("|>");
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII, Persian and Arabic-Indic digits
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x6f0 && c <= 0x6f9) || (c >= 0x660 && c <= 0x669)) {
      return true;
    }
  }
  return false;
}

/** Drops trailing `:`/`：` and spaces; returns null when the line does not end with a colon. */
function beforeFinalColon(line: string): string | null {
  let end = line.length;
  while (end > 0 && line[end - 1] === " ") end--;
  const last = line[end - 1];
  if (last !== ":" && last !== "：") return null;
  end--;
  while (end > 0 && line[end - 1] === " ") end--;
  return line.slice(0, end);
}

/** The verb that ends a reply header ("On …, Jane <j@x.org> wrote:"), in each language. */
const WROTE = [
  "wrote",
  "writes",
  "schrieb",
  "schreibt",
  "a écrit",
  "écrit",
  "ha scritto",
  "scritto",
  "escribió",
  "escreveu",
  "schreef",
  "heeft geschreven",
  "skrev",
  "skrev följande",
  "napisał",
  "napisała",
  "napisał(a)",
  "pisze",
  "пишет",
  "написал",
  "написала",
  "написал(а)",
  "نوشت",
  "نوشته است",
];

/** How reply headers open: "On", "Le", "Am", "Il", "El", "Em", "Op", "Den", "W dniu", "в", "در". */
const HEADER_INTRO = [
  "on ",
  "le ",
  "am ",
  "il ",
  "in data ",
  "el ",
  "em ",
  "às ",
  "op ",
  "den ",
  "w dniu ",
  "dnia ",
  "в ",
  "در ",
];

function startsWithAny(lower: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => lower.startsWith(p));
}

function endsWithWord(lower: string, words: readonly string[]): boolean {
  return words.some((w) => {
    if (!lower.endsWith(w)) return false;
    const before = lower[lower.length - w.length - 1];
    return before === undefined || before === " " || before === "," || before === ">";
  });
}

/** `Name <someone@example.org>:` — Gmail's reply header in languages it writes without a verb. */
function endsWithAddressColon(head: string): boolean {
  if (!head.endsWith(">")) return false;
  const open = head.lastIndexOf("<");
  if (open < 0) return false;
  const inner = head.slice(open + 1, -1);
  const at = inner.indexOf("@");
  return at > 0 && at < inner.length - 1 && !inner.includes(" ") && !inner.includes("<");
}

/**
 * True for a mail client's reply header: "On Mon, 3 Mar 2025, Jane <j@x.org> wrote:" and its
 * translations, Thunderbird's "03.03.2025 10:00, Jane пишет:", Gmail's verb-less
 * "3 mar 2025 г., Jane <j@x.org>:". The reader's own "My comrade wrote:" is not one: a client
 * header has an opening word, a date or an address.
 */
export function isReplyHeader(line: string): boolean {
  if (line.length > MAX_LINE) return false;
  const head = beforeFinalColon(line);
  if (head === null) return false;
  if (endsWithAddressColon(head)) return true;
  const lower = head.toLowerCase();
  // A client writes an address, a time or a year; "On 5 May I wrote:" is the reader's sentence.
  const dated = head.includes("@") || hasTimeOrYear(head);
  if (endsWithWord(lower, WROTE)) return dated;
  // "Am 03.03.2025 um 10:00 schrieb Max Muster:", "Den 3 mars 2025 skrev Elsa:": verb, then name.
  return dated && startsWithAny(lower, HEADER_INTRO) && containsWord(lower, WROTE);
}

function digitValue(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x6f0 && c <= 0x6f9) || (c >= 0x660 && c <= 0x669);
}

/** True when the text has a time ("10:00", "۱۰:۰۰") or a run of four digits (a year). */
function hasTimeOrYear(s: string): boolean {
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (digitValue(c)) {
      run++;
      if (run >= 4) return true;
    } else {
      if (
        c === 0x3a &&
        run > 0 &&
        digitValue(s.charCodeAt(i + 1)) &&
        digitValue(s.charCodeAt(i + 2))
      ) {
        return true;
      }
      run = 0;
    }
  }
  return false;
}

function containsWord(lower: string, words: readonly string[]): boolean {
  return words.some((w) => lower.includes(` ${w} `));
}

/**
 * True when this line and the next together are a reply header that the client wrapped:
 * "On Mon, 3 Mar 2025 at 10:00, Jane Doe <" / "jane@x.org> wrote:". A sentence such as
 * "On 1 May we march." is never the first half.
 */
export function isWrappedReplyHeader(line: string, next: string): boolean {
  if (line.length > MAX_LINE || next.length > MAX_LINE || beforeFinalColon(next) === null) {
    return false;
  }
  const last = line[line.length - 1];
  if (last === "." || last === "!" || last === "?" || !hasDigit(line)) return false;
  return isReplyHeader(`${line} ${next}`);
}

/**
 * Cheap test that no header, banner or Outlook block can start at this line: it does not end
 * with a colon (nor does the next line), does not open with a rule, and has no `Label:` colon.
 */
export function cannotStartHeader(line: string, next: string): boolean {
  const first = line[0];
  if (isDashLike(first)) return false;
  const colon = line.indexOf(":");
  if (colon > 0 && colon <= 26) return false;
  return beforeFinalColon(line) === null && beforeFinalColon(next) === null;
}

/** What the dashes of `-----Original Message-----` and `---- Forwarded message ----` enclose. */
const BANNER_WORDS = [
  "message",
  "nachricht",
  "messaggio",
  "mensaje",
  "mensagem",
  "bericht",
  "meddelande",
  "wiadomość",
  "wiadomosc",
  "сообщение",
  "письмо",
  "پیام",
  "نامه",
  "mail",
  "e-mail",
  "email",
];

/** Apple Mail's "Begin forwarded message:" and the other clients' colon-ended forward openers. */
const FORWARD_OPENERS = [
  "begin forwarded message",
  "forwarded message",
  "anfang der weitergeleiteten nachricht",
  "début du message réexpédié",
  "début du message transféré",
  "inizio messaggio inoltrato",
  "inicio del mensaje reenviado",
  "início da mensagem reencaminhada",
  "início da mensagem encaminhada",
  "begin doorgestuurd bericht",
  "vidarebefordrat mejl",
  "vidarebefordrat meddelande",
  "początek przekazywanej wiadomości",
  "начало переадресованного сообщения",
  "пересылаемое сообщение",
  "آغاز پیام هدایت‌شده",
  "شروع پیام بازارسال شده",
  "پیام بازارسال شده",
  "پیام هدایت شده",
];

function isDashLike(c: string | undefined): boolean {
  return c === "-" || c === "—" || c === "–" || c === "=" || c === "_";
}

/**
 * True for a banner that opens a quoted or forwarded original: Outlook's
 * "-----Original Message-----", Gmail's "---------- Forwarded message ---------", Thunderbird's
 * "-------- Message transféré --------", Yahoo's "----- Пересылаемое сообщение -----" and the
 * like in any language (dashes on both sides around a few words naming a message), and Apple
 * Mail's "Begin forwarded message:" with its translations.
 */
export function isBanner(line: string): boolean {
  if (line.length > 120) return false;
  const opener = beforeFinalColon(line.startsWith(">") ? line.slice(1).trim() : line);
  if (opener !== null && FORWARD_OPENERS.includes(opener.toLowerCase())) return true;
  let start = 0;
  while (isDashLike(line[start])) start++;
  let end = line.length;
  while (end > start && isDashLike(line[end - 1])) end--;
  if (start < 2 || line.length - end < 2) return false;
  const core = line.slice(start, end).trim().toLowerCase();
  if (core.length < 3 || core.length > 60) return false;
  return BANNER_WORDS.some((w) => core.includes(w));
}

/** Labels of the first line of an Outlook/Exchange header block ("From:", "De :", "Von:"). */
const FROM_LABELS = new Set([
  "from",
  "de",
  "von",
  "da",
  "van",
  "från",
  "od",
  "от",
  "از",
  "expéditeur",
  "absender",
  "remitente",
  "mittente",
  "afzender",
  "avsändare",
  "nadawca",
  "отправитель",
  "فرستنده",
]);

/** Labels of the Sent:/Date: line that follows From: in an Outlook block. */
const DATE_LABELS = new Set([
  "sent",
  "date",
  "envoyé",
  "gesendet",
  "datum",
  "inviato",
  "data",
  "enviado",
  "enviada",
  "fecha",
  "verzonden",
  "skickat",
  "wysłano",
  "wysłane",
  "отправлено",
  "дата",
  "تاریخ",
  "ارسال",
  "ارسال شده",
]);

/** Labels of the other lines of an Outlook block (To, Cc, Subject). */
const OTHER_LABELS = new Set([
  "to",
  "à",
  "a",
  "an",
  "para",
  "aan",
  "till",
  "do",
  "кому",
  "به",
  "cc",
  "kopie",
  "копия",
  "dw",
  "رونوشت",
  // subject
  "subject",
  "objet",
  "betreff",
  "oggetto",
  "asunto",
  "assunto",
  "onderwerp",
  "ämne",
  "temat",
  "тема",
  "موضوع",
]);

/** The label of a `Label: value` line (Outlook may bold it: `*From:*`), lowercased; else null. */
export function headerLabel(line: string): string | null {
  if (line.length > MAX_LINE) return null;
  let s = line;
  if (s.startsWith(">")) s = s.slice(1).trim();
  if (s.startsWith("*")) s = s.slice(1);
  const colon = s.indexOf(":");
  if (colon <= 0 || colon > 24) return null;
  let label = s.slice(0, colon).trim();
  if (label.endsWith("*")) label = label.slice(0, -1).trim();
  return label.toLowerCase();
}

/** True for the first line of an Outlook header block: From: in one of the eleven languages. */
export function isFromLabel(line: string): boolean {
  const label = headerLabel(line);
  return label !== null && FROM_LABELS.has(label);
}

/** True for a Sent:/Date: line (and translations) of an Outlook block. */
export function isDateLabel(line: string): boolean {
  const label = headerLabel(line);
  return label !== null && DATE_LABELS.has(label);
}

/** True for a To:/Cc:/Subject: line (and translations) of an Outlook block. */
export function isOtherLabel(line: string): boolean {
  const label = headerLabel(line);
  return label !== null && OTHER_LABELS.has(label);
}

/** True for Outlook's underscore rule that precedes its header block. */
export function isUnderscoreRule(line: string): boolean {
  if (line.length < 8) return false;
  for (let i = 0; i < line.length; i++) if (line[i] !== "_") return false;
  return true;
}

/** Mobile and webmail taglines: "Sent from my iPhone", "Von meinem iPhone gesendet", … */
const TAGLINE_OPENERS = [
  "sent from",
  "sent with",
  "sent via",
  "sent using",
  "get outlook for",
  "envoyé de",
  "envoyé depuis",
  "envoyé avec",
  "envoyé à partir de",
  "obtenir outlook",
  "télécharger outlook",
  "von meinem",
  "gesendet von",
  "gesendet mit",
  "gesendet vom",
  "inviato da",
  "inviato dal",
  "inviato con",
  "scarica outlook",
  "enviado desde",
  "enviado do",
  "enviado de",
  "enviado con",
  "enviado a partir do",
  "obtener outlook",
  "obter o outlook",
  "obtenha o outlook",
  "verstuurd vanaf",
  "verzonden vanaf",
  "verzonden met",
  "verstuurd met",
  "download outlook",
  "skickat från",
  "skickat med",
  "hämta outlook",
  "wysłane z",
  "wysłano z",
  "pobierz outlook",
  "pobierz aplikację outlook",
  "отправлено с",
  "отправлено из",
  "получить outlook",
  "ارسال شده از",
  "ارسال از",
  "فرستاده شده از",
];
/** A tagline names the device or the app; "Von meinem Lohn kann ich kaum leben." is no tagline. */
const DEVICES = [
  "iphone",
  "ipad",
  "android",
  "samsung",
  "galaxy",
  "huawei",
  "xiaomi",
  "pixel",
  "smartphone",
  "phone",
  "handy",
  "mobil",
  "móvil",
  "celular",
  "telemóvel",
  "telefon",
  "teléfono",
  "telefone",
  "telefoon",
  "телефон",
  "айфон",
  "outlook",
  "mail",
  "почты",
  "yahoo",
  "proton",
  "tuta",
  "blackberry",
  "windows",
  " app",
  "aplikac",
  "приложени",
  "آیفون",
  "موبایل",
  "گوشی",
  "تلفن",
];
const MAX_TAGLINE = 100;

/** True for a mobile or webmail tagline ("Sent from my iPhone", "Inviato da iPhone"). */
export function isTagline(line: string): boolean {
  if (line.length > MAX_TAGLINE || line.length < 8) return false;
  const lower = line.toLowerCase();
  return startsWithAny(lower, TAGLINE_OPENERS) && DEVICES.some((d) => lower.includes(d));
}

/** Sign-offs that open a signature block without a `-- ` delimiter, in the eleven languages. */
const SIGN_OFFS = [
  // en
  "best",
  "best regards",
  "best wishes",
  "kind regards",
  "kindest regards",
  "warm regards",
  "warmest regards",
  "regards",
  "many thanks",
  "thanks",
  "thank you",
  "thanks again",
  "cheers",
  "sincerely",
  "yours sincerely",
  "yours faithfully",
  "yours",
  "all the best",
  "take care",
  "in solidarity",
  "solidarity",
  "comradely",
  "comradely greetings",
  "fraternally",
  // de
  "grüße",
  "gruß",
  "viele grüße",
  "liebe grüße",
  "beste grüße",
  "herzliche grüße",
  "freundliche grüße",
  "mit freundlichen grüßen",
  "mit besten grüßen",
  "solidarische grüße",
  "mit solidarischen grüßen",
  "schöne grüße",
  "lg",
  "vg",
  "mfg",
  "danke",
  "vielen dank",
  "tschüss",
  "servus",
  // fr
  "cordialement",
  "bien cordialement",
  "bien à vous",
  "salutations",
  "sincères salutations",
  "salutations fraternelles",
  "salutations communistes",
  "fraternellement",
  "amicalement",
  "bien amicalement",
  "amitiés",
  "bises",
  "à bientôt",
  "merci",
  "merci d'avance",
  // it
  "saluti",
  "cordiali saluti",
  "distinti saluti",
  "un saluto",
  "un caro saluto",
  "saluti comunisti",
  "un abbraccio",
  "grazie",
  "grazie mille",
  "a presto",
  "ciao",
  // es
  "saludos",
  "un saludo",
  "saludos cordiales",
  "un cordial saludo",
  "saludos fraternales",
  "atentamente",
  "un abrazo",
  "abrazos",
  "gracias",
  "muchas gracias",
  "hasta pronto",
  // pt
  "abraços",
  "abraço",
  "um abraço",
  "atenciosamente",
  "cumprimentos",
  "melhores cumprimentos",
  "saudações",
  "obrigado",
  "obrigada",
  "muito obrigado",
  "muito obrigada",
  "até breve",
  "beijos",
  // nl
  "groet",
  "groeten",
  "met vriendelijke groet",
  "met vriendelijke groeten",
  "vriendelijke groet",
  "hartelijke groet",
  "hartelijke groeten",
  "groetjes",
  "mvg",
  "bedankt",
  "dank je wel",
  "dank u wel",
  "tot ziens",
  // sv
  "hälsningar",
  "hälsning",
  "med vänliga hälsningar",
  "vänliga hälsningar",
  "bästa hälsningar",
  "vänlig hälsning",
  "mvh",
  "tack",
  "tack så mycket",
  "kram",
  "kramar",
  "ha det bra",
  // pl
  "pozdrawiam",
  "pozdrawiam serdecznie",
  "serdecznie pozdrawiam",
  "pozdrowienia",
  "serdeczne pozdrowienia",
  "z poważaniem",
  "z pozdrowieniami",
  "dziękuję",
  "dzięki",
  // ru
  "с уважением",
  "с наилучшими пожеланиями",
  "с товарищеским приветом",
  "всего доброго",
  "всего хорошего",
  "спасибо",
  "заранее спасибо",
  "с приветом",
  // fa
  "با احترام",
  "با سپاس",
  "سپاس",
  "با تشکر",
  "ممنون",
  "با سلام و احترام",
  "ارادتمند",
  "قربان شما",
];
const SIGN_OFF_SET = new Set(SIGN_OFFS);
/** Trailing punctuation a sign-off may carry: "Best,", "Grüße!", "Thanks -". */
const SIGN_OFF_PUNCT = new Set([",", "!", ".", ";", "-", "–", "—", "،", "！", " "]);

function stripTrailing(s: string, set: ReadonlySet<string>): string {
  let end = s.length;
  while (end > 0 && set.has(s[end - 1] ?? "")) end--;
  return s.slice(0, end);
}

/**
 * True for a sign-off line: "Best,", "Grüße", "Saluti", "Cordialement", "С уважением,",
 * "با احترام" — alone or followed by a short name on the same line ("Cheers, Anna").
 */
export function isSignOff(line: string): boolean {
  if (line.length > 60) return false;
  const lower = stripTrailing(line.toLowerCase(), SIGN_OFF_PUNCT);
  if (SIGN_OFF_SET.has(lower)) return true;
  // "Cheers, Anna" / "Pozdrawiam, Kasia": a sign-off, a comma, and a name of up to three words.
  const comma = lower.indexOf(",");
  if (comma < 0) return false;
  const rest = lower.slice(comma + 1).trim();
  return (
    SIGN_OFF_SET.has(lower.slice(0, comma).trim()) &&
    rest.length > 0 &&
    rest.split(" ").length <= 3 &&
    !rest.includes(".")
  );
}

/** True for a line that may belong to a signature block: short, not a sentence. */
export function isSignatureLine(line: string): boolean {
  if (line.length > 80) return false;
  const last = line[line.length - 1];
  return last !== "." && last !== "!" && last !== "?" && last !== ":";
}

/** Mailing-list footers (Google Groups, Mailman) start with one of these, in any position. */
const LIST_FOOTER_MARKS = [
  "you received this message because you are subscribed to the google groups",
  "you received this message because you are subscribed to the google group",
  "sie erhalten diese nachricht, weil sie in google groups",
  "sie haben diese nachricht erhalten, weil sie der google-gruppe",
  "vous recevez ce message, car vous êtes abonné au groupe",
  "vous avez reçu ce message, car vous êtes abonné au groupe",
  "hai ricevuto questo messaggio perché sei iscritto al gruppo",
  "recibiste este mensaje porque estás suscrito al grupo",
  "has recibido este mensaje porque estás suscrito al grupo",
  "você recebeu essa mensagem porque está inscrito no grupo",
  "você está recebendo esta mensagem porque se inscreveu no grupo",
  "u ontvangt dit bericht omdat u bent geabonneerd op de groep",
  "du får det här meddelandet eftersom du prenumererar på gruppen",
  "otrzymujesz tę wiadomość, ponieważ subskrybujesz grupę",
  "вы получили это сообщение, поскольку подписаны на группу",
  "to unsubscribe from this group and stop receiving emails from it",
  "to unsubscribe send an email to",
];

/** True for the first line of a Google Groups or Mailman footer. */
export function isListFooter(line: string): boolean {
  if (line.length > MAX_LINE || line.length < 30) return false;
  const lower = line.slice(0, 90).toLowerCase();
  return LIST_FOOTER_MARKS.some((m) => lower.startsWith(m));
}

/** True for a line of a Mailman footer after its underscore rule ("Xyz mailing list", listinfo). */
export function isMailmanTrailer(line: string): boolean {
  if (line.length > MAX_LINE) return false;
  const lower = line.toLowerCase();
  return (
    lower.endsWith("mailing list") ||
    lower.includes("/mailman/listinfo") ||
    lower.includes("/mailman3/lists/") ||
    lower.startsWith("to unsubscribe send an email to")
  );
}

/** The text a cut marker is recognised by: lowercased, without the dashes and spaces around it. */
export function markerCore(marker: string): string {
  let start = 0;
  let end = marker.length;
  const edge = (c: string | undefined) => c === " " || c === ">" || isDashLike(c) || c === "\t";
  while (start < end && edge(marker[start])) start++;
  while (end > start && edge(marker[end - 1])) end--;
  return marker.slice(start, end).toLowerCase();
}
