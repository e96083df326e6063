import type { InboundMessage } from "../message/inbound.js";
import type {
  Evidence,
  LanguageEvidence,
  LocationEvidence,
  LocationSource,
} from "../message/evidence.js";
import { readForDetection, type DetectionText } from "./clean-text.js";
import { countryName } from "../routing/names.js";
import { countryReference } from "./countries.js";
import { countryFromEmailAddress } from "./email-domain.js";
import { detectLanguage } from "./language.js";
import { countryFromLanguageTag, parseLanguageTag } from "./language-tag.js";
import { CUE_LANGUAGES, cueLookup } from "./location-cues.js";
import { countryFromPhone, phoneInText } from "./phone.js";
import { parseLocationText, type Place, type ResolveHints } from "./places.js";
import { findCityIn, findSelfReport } from "./self-report.js";
import { placeFromSignature } from "./signature.js";

/**
 * How much each source is trusted. The reader's own answer beats what they wrote in passing,
 * which beats a profile, which beats what their phone, address or client settings imply.
 */
const LOCATION_CONFIDENCE: Record<LocationSource, number> = {
  answer: 0.95,
  self_report: 0.85,
  signature: 0.8,
  profile: 0.7,
  phone: 0.6,
  email_tld: 0.5,
  language_tag: 0.4,
};

/** A platform tag says what the reader's client is set to, not what they wrote in. */
const PLATFORM_TAG_CONFIDENCE = 0.6;

/**
 * Everything the router can learn from one message, each piece with its source,
 * trying the sources in the order ROUTING.md gives.
 */
export function extractEvidence(msg: InboundMessage, genericTlds: ReadonlySet<string>): Evidence {
  // One reading of the body: the reader's own words for detection, and the signature block.
  const read = readForDetection({ subject: msg.subject, text: msg.text });
  const language = languageEvidence(read.text, msg);
  return {
    channel: msg.channel,
    language,
    location: locationEvidence(read, msg, genericTlds, language?.code ?? null),
    text: read.text,
  };
}

function languageEvidence(text: string, msg: InboundMessage): LanguageEvidence | null {
  const detected = detectLanguage(text);
  if (detected) {
    return {
      code: detected.code,
      source: "text",
      confidence: round2(detected.confidence),
      detail: `${detected.detector}, confidence ${detected.confidence.toFixed(2)}`,
    };
  }
  const tag = msg.evidence.languageTag;
  const code = parseLanguageTag(tag).language;
  if (!code || !tag) return null;
  return {
    code,
    source: "platform_tag",
    confidence: PLATFORM_TAG_CONFIDENCE,
    detail: `${msg.evidence.languageTagSource ?? "platform tag"} "${tag.slice(0, 35)}"`,
  };
}

function fromPlace(place: Place, source: LocationSource, detail: string): LocationEvidence {
  return {
    country: place.country,
    city: place.city ?? undefined,
    division: place.division ?? undefined,
    point: place.point,
    pointKind: place.pointKind,
    source,
    confidence: LOCATION_CONFIDENCE[source],
    detail: place.settledBy ? `${detail}; ${place.settledBy} settled the name` : detail,
  };
}

function fromCountry(country: string, source: LocationSource, detail: string): LocationEvidence {
  const ref = countryReference(country);
  return {
    country,
    point: ref?.point ?? null,
    pointKind: ref?.kind ?? null,
    source,
    confidence: LOCATION_CONFIDENCE[source],
    detail,
  };
}

const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);

const SIGNATURE_KIND = {
  greeting: "the sign-off's words",
  city: "a city line",
  address: "an address line",
  phone: "a phone number's country code",
} as const;

function locationEvidence(
  read: DetectionText,
  msg: InboundMessage,
  genericTlds: ReadonlySet<string>,
  lang: string | null,
): LocationEvidence | null {
  const ev = msg.evidence;
  // The reader's other evidence settles ambiguous names ("Perth" with a .uk address).
  const byPhone = countryFromPhone(ev.phone);
  const byEmail = countryFromEmailAddress(ev.emailAddress, genericTlds);
  const byTag = countryFromLanguageTag(ev.languageTag);
  // A number the reader wrote in the message ("call me on +61 …"), unless it is someone else's.
  const cues = cueLookup(lang ? (lang === "en" ? ["en"] : [lang, "en"]) : CUE_LANGUAGES);
  const written = phoneInText(read.text, (w) => cues(w).includes("third"));
  const hints: ResolveHints = {
    countries: [byPhone, written?.country ?? null, byEmail, byTag].filter(
      (c): c is string => c !== null,
    ),
    language: lang,
  };
  const name = msg.sender.displayName ?? null;
  if (ev.statedCountry) {
    const place = parseLocationText(ev.statedCountry, hints);
    // The answer names a country only: a city of it named in the text is the point.
    const city =
      place && !place.city ? findCityIn(read.text, place.country, { lang, hints, name }) : null;
    if (city) {
      return fromPlace(
        { ...city, settledBy: undefined },
        "answer",
        `reader's answer ${quote(place!.matched)}, and ${quote(city.city ?? city.matched)} named in the text`,
      );
    }
    if (place) return fromPlace(place, "answer", `reader's answer ${quote(place.matched)}`);
  }
  const self = findSelfReport(read.text, { lang, hints, name });
  if (self) return fromPlace(self, "self_report", `${quote(self.matched)}: ${self.explanation}`);
  const signed = placeFromSignature(read.signature, {
    lang,
    hints,
    name,
    mailbox: ev.emailAddress ?? null,
  });
  if (signed) {
    const what = SIGNATURE_KIND[signed.kind];
    // An address or number stays out of the reasons: they name the place only.
    const named = signed.city ?? signed.division ?? signed.country;
    return signed.kind === "phone"
      ? fromCountry(signed.country, "signature", `signature: ${what}`)
      : fromPlace(signed, "signature", `signature: ${what}, ${quote(named)}`);
  }
  if (ev.profileLocation) {
    const place = parseLocationText(ev.profileLocation, hints);
    if (place) return fromPlace(place, "profile", `profile location ${quote(place.matched)}`);
  }
  // The remaining sources reveal personal data (number, address): details name only the country.
  if (byPhone) return fromCountry(byPhone, "phone", "shared phone number's country code");
  if (written) {
    const where = `${written.callingCode}: ${countryName(written.country)}`;
    return fromCountry(written.country, "phone", `a phone number in the message, ${where}`);
  }
  if (byEmail) return fromCountry(byEmail, "email_tld", "sender's email domain");
  if (byTag)
    return fromCountry(
      byTag,
      "language_tag",
      `region of language tag "${ev.languageTag?.slice(0, 35)}"`,
    );
  return null;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
