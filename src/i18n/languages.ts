import Negotiator from "negotiator";

/** The eleven languages the router speaks to readers, in the order the form lists them. */
export const LANGUAGES = [
  "en",
  "it",
  "de",
  "fr",
  "sv",
  "es",
  "fa",
  "pl",
  "ru",
  "nl",
  "pt",
] as const;
export type Language = (typeof LANGUAGES)[number];

/** Written right to left. */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set<Language>(["fa"]);

/** Each language's name in itself, for the language switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  it: "Italiano",
  de: "Deutsch",
  fr: "Français",
  sv: "Svenska",
  es: "Español",
  fa: "فارسی",
  pl: "Polski",
  ru: "Русский",
  nl: "Nederlands",
  pt: "Português",
};

/** True when `code` is one of the eleven (exact, lowercase ISO 639-1). */
export function isLanguage(code: unknown): code is Language {
  return typeof code === "string" && (LANGUAGES as readonly string[]).includes(code);
}

/** The primary subtag of a tag like `pt-BR` if it is one of the eleven, else null. */
export function languageOf(tag: string | undefined | null): Language | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0];
  return isLanguage(primary) ? primary : null;
}

/**
 * Picks the reader's language: an explicit choice (`?lang=`) wins, else the best match of an
 * Accept-Language header (q-values honoured; `de-AT` matches `de`), else English.
 */
export function pickLanguage(acceptLanguage: string | undefined, override?: unknown): Language {
  if (typeof override === "string") {
    const chosen = languageOf(override);
    if (chosen) return chosen;
  }
  if (!acceptLanguage) return "en";
  const best = new Negotiator({ headers: { "accept-language": acceptLanguage } }).language([
    ...LANGUAGES,
  ]);
  return isLanguage(best) ? best : "en";
}
