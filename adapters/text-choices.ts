import type { Choice, OutboundText } from "./types.js";

/**
 * Choices on channels without buttons (X, email): the adapter lists them, numbered, under the
 * text, and the reader answers in a message of their own. Both functions here are pure.
 */

/** A choice as the reply matcher sees it: optionally with more words that mean it. */
export interface TextChoice extends Choice {
  /**
   * Other whole answers that mean this choice, e.g. the country's name in other languages
   * ("Deutschland", "Allemagne") or its code ("DE"). Compared like the label.
   */
  aliases?: readonly string[];
}

/** Which choice a text reply picked and how it was recognised. */
export interface TextChoiceMatch<T extends TextChoice = TextChoice> {
  choice: T;
  /** 1-based position in the list. */
  number: number;
  by: "number" | "label" | "alias";
}

/** The text with the choices listed under it: a blank line, then `1. label` per line. */
export function renderTextChoices(text: string, choices: readonly Choice[]): string {
  const list = choices.map((c, i) => `${i + 1}. ${c.label.trim()}`).join("\n");
  return `${text.trimEnd()}\n\n${list}`;
}

/** An OutboundText for a channel without buttons: choices folded into the text, none left over. */
export function withTextChoices(message: OutboundText): OutboundText {
  if (message.choices === undefined || message.choices.length === 0) return message;
  const { choices, ...rest } = message;
  return { ...rest, text: renderTextChoices(message.text, choices) };
}

/** Zero of each decimal digit block readers here are likely to type besides ASCII (NFKC folds full-width). */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6];

function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const code = d.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
    return zero === undefined ? d : String(code - zero);
  });
}

/**
 * Folds a line for comparison: compatibility forms, case, accents, emoji, punctuation and spacing
 * do not count, apostrophes vanish. "  Germany 🇩🇪 ", "germany!" and "GERMANY" all fold to
 * "germany"; "2." to "2"; "I'd" to "id".
 */
export function foldAnswer(s: string): string {
  return (
    asciiDigits(s.normalize("NFKC"))
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      // "I'd" and "Id" are the same answer; other punctuation separates words.
      .replace(/['’ʼ`´]/gu, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
  );
}

/** Separators mail clients put before a quoted original, and the signature delimiter `-- `. */
const SEPARATOR = /^(?:-- ?|_{5,}.*|-{5,}.*)$/u;
/** The verb of an attribution line ("On … wrote:", "Am … schrieb …:") in the bot's languages. */
const ATTRIBUTION =
  /(?:^|\s)(?:wrote|schrieb|a écrit|ha scritto|escribió|escreveu|schreef|skrev|napisał\(a\)|napisał|написал\(а\)|написала|написал|نوشت)(?:\s|:|$)/iu;

/** Whether a line starts a quoted original or a signature: nothing after it is the reader's answer. */
function isQuoteStart(line: string): boolean {
  return SEPARATOR.test(line) || (/:\s*$/u.test(line) && ATTRIBUTION.test(line));
}

/** How many of the reply's first lines are looked at: the answer is at the top. */
const MAX_LINES = 5;

/**
 * Maps a text reply to one of the choices it answers, or null when it does not clearly pick one.
 * Looks at the first five non-empty lines of the reader's own words (quoted lines starting with
 * `>` are skipped, and reading stops at a quote header such as "On … wrote:" or a signature
 * delimiter `-- `) and takes the first line that is, after folding (see `foldAnswer`), exactly:
 *  - a number of the list ("2", "2.", "#2", "(2)", "٢", "۲"), or the number and its label ("2. Germany");
 *  - a label ("germany 🇩🇪" for "Germany");
 *  - an alias given by the caller ("Deutschland").
 * Free sentences ("I live in Germany") are not matched: they are a self-report for the routing
 * engine's evidence, not a pick from the list.
 */
export function matchTextChoice<T extends TextChoice>(
  reply: string,
  choices: readonly T[],
): TextChoiceMatch<T> | null {
  const labels = choices.map((c) => foldAnswer(c.label));
  const aliases = choices.map((c) => (c.aliases ?? []).map(foldAnswer).filter((a) => a !== ""));
  let looked = 0;
  for (const raw of reply.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith(">")) continue;
    if (isQuoteStart(line)) break;
    if (++looked > MAX_LINES) break;
    const match = matchLine(foldAnswer(line), labels, aliases);
    if (match) {
      const choice = choices[match.index]!;
      return { choice, number: match.index + 1, by: match.by };
    }
  }
  return null;
}

function matchLine(
  folded: string,
  labels: readonly string[],
  aliases: readonly (readonly string[])[],
): { index: number; by: TextChoiceMatch["by"] } | null {
  if (folded === "") return null;
  const numbered = /^(\d{1,3})(?: (.+))?$/.exec(folded);
  if (numbered) {
    const index = Number(numbered[1]) - 1;
    const rest = numbered[2];
    if (index < 0 || index >= labels.length) return null;
    // "2 germany" counts only when the words are that number's own label.
    if (rest === undefined || rest === labels[index]) return { index, by: "number" };
  }
  const byLabel = uniqueIndex(labels.map((l) => l === folded));
  if (byLabel !== null) return { index: byLabel, by: "label" };
  const byAlias = uniqueIndex(aliases.map((list) => list.includes(folded)));
  if (byAlias !== null) return { index: byAlias, by: "alias" };
  return null;
}

/** The index of the only true entry, or null when none or several are true. */
function uniqueIndex(hits: readonly boolean[]): number | null {
  const found = hits.flatMap((hit, i) => (hit ? [i] : []));
  return found.length === 1 ? found[0]! : null;
}
