/** English display names for explanations; admins read reasons in English. */
const languages = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });
const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "de" → "German"; unknown codes come back as given. */
export function languageName(code: string): string {
  try {
    return languages.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "AT" → "Austria"; unknown codes come back as given. */
export function countryName(code: string): string {
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}
