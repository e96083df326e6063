import { createRequire } from "node:module";
import countries from "i18n-iso-countries";
import { LANGUAGES, type Language } from "../i18n/languages.js";

const require = createRequire(import.meta.url);
for (const lang of LANGUAGES) {
  countries.registerLocale(
    require(`i18n-iso-countries/langs/${lang}.json`) as Parameters<
      typeof countries.registerLocale
    >[0],
  );
}

/*
 * The library's English "official" names include a few a reader would not look for in a list
 * ("Islamic Republic of Iran", "Taiwan, Province of China"); these read as people say them.
 */
const EN_NAMES: Record<string, string> = {
  IR: "Iran",
  TW: "Taiwan",
  RU: "Russia",
  SY: "Syria",
  VE: "Venezuela",
  BO: "Bolivia",
  TZ: "Tanzania",
  MD: "Moldova",
  LA: "Laos",
  FM: "Micronesia",
  VA: "Vatican City",
};

const CODES: ReadonlySet<string> = new Set(Object.keys(countries.getAlpha2Codes()));
const cache = new Map<Language, { code: string; name: string }[]>();

/** True for an ISO 3166-1 alpha-2 code that the country select offers. */
export function isCountryCode(code: string): boolean {
  return CODES.has(code);
}

/** Every country with its name in `lang`, sorted the way a reader of `lang` expects. */
export function countryOptions(lang: Language): { code: string; name: string }[] {
  const hit = cache.get(lang);
  if (hit) return hit;
  const names = countries.getNames(lang, { select: "official" });
  const collator = new Intl.Collator(lang);
  const list = [...CODES]
    .map((code) => ({
      code,
      name: (lang === "en" ? EN_NAMES[code] : undefined) ?? names[code] ?? code,
    }))
    .sort((a, b) => collator.compare(a.name, b.name));
  cache.set(lang, list);
  return list;
}
