import { MESSAGES_A } from "./messages-a.js";
import { MESSAGES_B } from "./messages-b.js";
import { languageOf, type Language } from "./languages.js";

export { LANGUAGES, type Language, pickLanguage, isLanguage, languageOf } from "./languages.js";

/** Every text the router shows or sends to readers. English is the reference catalogue. */
export type TextKey = keyof typeof MESSAGES_A.en;

/** The whole catalogue: every language has every key (the compiler checks it). */
export const CATALOG: Record<Language, Record<TextKey, string>> = { ...MESSAGES_A, ...MESSAGES_B };

/**
 * The text for `key` in `lang` (any tag: `pt-BR` → pt; unknown → English), with `{name}`
 * placeholders filled from `vars`. Placeholders without a value are left visible, not dropped.
 */
export function t(lang: string, key: TextKey, vars?: Record<string, string | number>): string {
  const language = languageOf(lang) ?? "en";
  const text = CATALOG[language][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    // Numbers in the reader's conventions: 20,000 / 20.000 / ۲۰٬۰۰۰.
    return typeof value === "number" ? new Intl.NumberFormat(language).format(value) : value;
  });
}

/** The acknowledgement a reader gets on their channel once their message is routed. */
export function ackText(lang: string, affiliateName: string): string {
  return t(lang, "ack", { affiliate: affiliateName });
}

/** The clarifying question a bot asks before falling back to the default affiliate. */
export function askLocationText(lang: string): string {
  return t(lang, "ask.location");
}

/** The welcome a bot sends on `/start`: write here, and say where you write from. */
export function startText(lang: string): string {
  return t(lang, "start");
}
