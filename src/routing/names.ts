/** English display names for explanations; admins read reasons in English. */
const languages = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });
const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

// ICU look-ups cost more than the rest of a decision's reasons: remember each answer.
const languageCache = new Map<string, string>();
const countryCache = new Map<string, string>();

function cached(cache: Map<string, string>, names: Intl.DisplayNames, code: string): string {
  let name = cache.get(code);
  if (name === undefined) {
    try {
      name = names.of(code) ?? code;
    } catch {
      name = code;
    }
    if (cache.size < 1000) cache.set(code, name);
  }
  return name;
}

/** "de" → "German"; unknown codes come back as given. */
export function languageName(code: string): string {
  return cached(languageCache, languages, code);
}

/** "AT" → "Austria"; unknown codes come back as given. */
export function countryName(code: string): string {
  return cached(countryCache, regions, code);
}

/** 1234.5 → "1,235": a whole number with thousands separators, without ICU's cost. */
export function groupThousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A distance for people: "1,235 km". */
export function formatKm(km: number): string {
  return `${groupThousands(km)} km`;
}
