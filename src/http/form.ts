import { z } from "zod";
import type { InvalidPayloadError } from "../errors.js";
import { languageOf, type Language } from "../i18n/languages.js";
import { LIMITS } from "../message/inbound.js";
import { isCountryCode } from "./countries.js";
import { EMPTY_FORM, type FormError, type FormValues } from "./view.js";

/** A submission, read leniently so that every problem can be shown to the reader at once. */
export interface ParsedForm {
  values: FormValues;
  errors: FormError[];
  /** The hidden field bots fill in. */
  honeypot: boolean;
  /** The page language the form was shown in, if it said. */
  lang: Language | null;
}

const EMAIL = z.email();
const EMAIL_MAX = 320;

function field(body: Record<string, unknown>, name: string): { value: string; ok: boolean } {
  const v = body[name];
  if (v === undefined || v === null) return { value: "", ok: true };
  if (typeof v === "string") return { value: v, ok: true };
  // Repeated or structured fields (`message[]=…`, JSON objects) are not something the form sends.
  return { value: "", ok: false };
}

/** Reads and checks a form or JSON body; limits match `normalizeWebForm` and `LIMITS`. */
export function parseForm(body: unknown): ParsedForm {
  const b =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const errors: FormError[] = [];
  const name = field(b, "name");
  const email = field(b, "email");
  const country = field(b, "country");
  const message = field(b, "message");
  const values: FormValues = {
    ...EMPTY_FORM,
    name: name.value.trim(),
    email: email.value.trim(),
    country: country.value.trim().toUpperCase(),
    message: message.value.trim(),
  };

  if (!name.ok || values.name.length > LIMITS.nameChars) {
    errors.push({ field: "name", key: "err.nameTooLong", vars: { max: LIMITS.nameChars } });
  }
  if (
    !email.ok ||
    (values.email && (values.email.length > EMAIL_MAX || !EMAIL.safeParse(values.email).success))
  ) {
    errors.push({ field: "email", key: "err.emailInvalid" });
  }
  if (!country.ok || (values.country && !isCountryCode(values.country))) {
    errors.push({ field: "country", key: "err.countryInvalid" });
  }
  if (!message.ok || values.message.length === 0) {
    errors.push({ field: "message", key: "err.messageRequired" });
  } else if (values.message.length > LIMITS.textChars) {
    errors.push({ field: "message", key: "err.messageTooLong", vars: { max: LIMITS.textChars } });
  }
  const lang = typeof b.lang === "string" ? languageOf(b.lang) : null;
  return { values, errors, honeypot: honeypotFilled(b.website), lang };
}

/**
 * Whether the hidden `website` field was filled in, as bots do. Absent, empty, blank, `null` and
 * `false` are what forms and JSON clients send for an empty field: a real reader, never a bot.
 */
function honeypotFilled(website: unknown): boolean {
  if (website === undefined || website === null || website === false) return false;
  if (typeof website === "string") return website.trim() !== "";
  return true;
}

/**
 * Maps a normaliser rejection (its reasons name the field, e.g. `web: name contains control
 * characters`) to a problem the reader can fix, in their language.
 */
export function errorFromNormalizer(err: InvalidPayloadError): FormError {
  const reason = err.message;
  if (err.code === "MESSAGE_TOO_LARGE") {
    return { field: "message", key: "err.messageTooLong", vars: { max: LIMITS.textChars } };
  }
  if (/\bemail\b/.test(reason)) return { field: "email", key: "err.emailInvalid" };
  if (/\bcountry\b/.test(reason)) return { field: "country", key: "err.invalidChars" };
  if (/\bname\b/.test(reason)) return { field: "name", key: "err.invalidChars" };
  if (/\bmessage is empty\b/.test(reason)) return { field: "message", key: "err.messageRequired" };
  return { field: "message", key: "err.invalidChars" };
}
