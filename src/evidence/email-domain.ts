import { isCountryCode } from "./countries.js";

/** ccTLDs that are not the ISO 3166-1 code of their country. Kept to the real exceptions. */
const TLD_TO_COUNTRY: Readonly<Record<string, string>> = { uk: "GB" };

/** A domain name longer than DNS allows is not a domain. */
const MAX_DOMAIN = 253;

/**
 * The country of the sender's email domain when its top-level domain is a country code:
 * ".de" → DE, ".com.br" → BR, ".co.uk"/".uk" → GB. Null for generic TLDs (.com, .org, .eu, …),
 * for ccTLDs in `genericTlds` (lower-case labels without a dot, from routing-rules.yaml: co, io,
 * me, tv, …), for codes that are not ISO 3166-1 countries, and for anything that is not an
 * address. Accepts "Name <user@example.de>".
 */
export function countryFromEmailAddress(
  address: string | undefined,
  genericTlds: ReadonlySet<string>,
): string | null {
  if (typeof address !== "string") return null;
  const at = address.lastIndexOf("@");
  if (at <= 0) return null;
  const domain = address
    .slice(at + 1, at + 1 + MAX_DOMAIN + 2)
    .trim()
    .replace(/>$/u, "")
    .replace(/\.$/u, "")
    .toLowerCase();
  if (domain === "" || domain.length > MAX_DOMAIN || /[\s<>@,;]/u.test(domain)) return null;
  const dot = domain.lastIndexOf(".");
  if (dot <= 0) return null; // a bare TLD or "user@localhost" says nothing about a country
  const tld = domain.slice(dot + 1);
  if (!/^[a-z]{2}$/u.test(tld)) return null;
  if (genericTlds.has(tld) || genericTlds.has(`.${tld}`)) return null;
  const country = TLD_TO_COUNTRY[tld] ?? tld.toUpperCase();
  return isCountryCode(country) ? country : null;
}
