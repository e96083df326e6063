import { createHash } from "node:crypto";
import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import {
  InboundMessageSchema,
  LIMITS,
  type InboundMessage,
  type PlatformEvidence,
} from "../../src/message/inbound.js";

/** C0/C1 control characters; a single-line field (name, country) must not carry any (header injection). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Controls other than tab and newlines, which a pasted message may legitimately hold. */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A BCP 47 language tag, loosely: primary subtag then any subtags. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}$/;

const singleLine = (field: string, max: number) =>
  z
    .string(`${field} must be a string`)
    .max(max, `${field} is longer than ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${field} contains control characters`);

/** The web form's fields. Unknown fields are dropped, not rejected (forms grow honeypots). */
export const WebFormSchema = z.object({
  name: singleLine("name", LIMITS.nameChars).optional(),
  email: z.email("email is not a valid address").max(320, "email is too long").optional(),
  country: singleLine("country", 100).optional(),
  message: z.string("message is required and must be a string"),
  language: z
    .string("language must be a string")
    .regex(LANGUAGE_TAG, "language is not a language tag such as fr or pt-BR")
    .optional(),
});
export type WebForm = z.infer<typeof WebFormSchema>;

/** What the HTTP layer knows about the request, besides the form. */
export interface WebFormContext {
  /** Submission id chosen by the server; without it the id is a hash of the form. */
  id?: string;
  /** When the form arrived; defaults to now. */
  receivedAt?: Date;
  /** The request's `Accept-Language` header, used when the form has no language. */
  acceptLanguage?: string;
}

const CONTEXT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The most preferred tag of an `Accept-Language` header (highest q, first on ties), or undefined
 * for `*`, garbage or an empty header. A header is not the reader's input, so bad ones are ignored.
 */
export function preferredLanguage(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let best: { tag: string; q: number } | undefined;
  for (const part of header.slice(0, 1000).split(",")) {
    const [rawTag = "", ...params] = part.split(";").map((s) => s.trim());
    if (!LANGUAGE_TAG.test(rawTag)) continue;
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q) best = { tag: rawTag, q };
  }
  return best?.tag;
}

/** HTML forms send unfilled fields as empty strings; an empty optional field is an absent one. */
function dropBlankOptionals(payload: unknown): unknown {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return payload;
  const copy: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  for (const key of ["name", "email", "country", "language"]) {
    const v = copy[key];
    if (v === null || (typeof v === "string" && v.trim() === "")) delete copy[key];
    else if (typeof v === "string") copy[key] = v.trim();
  }
  return copy;
}

function blankToUndefined(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/**
 * Turns a web form submission `{name?, email?, country?, message, language?}` into the canonical
 * message. `country` is the reader's own answer (`statedCountry`, as given); `language`, else the
 * first `Accept-Language` tag, is the platform language tag; `email`, when given, is where replies go
 * (`email:<address>`), otherwise `replyTo` is the message's own `web:` id, meaning no reply channel.
 * Throws `InvalidPayloadError` naming the field, never echoing its value.
 */
export function normalizeWebForm(payload: unknown, ctx: WebFormContext = {}): InboundMessage {
  const parsed = WebFormSchema.safeParse(dropBlankOptionals(payload));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason =
      issue?.code === "invalid_type" && issue.path.length === 0
        ? "form must be a JSON object"
        : (issue?.message ?? "invalid form");
    throw new InvalidPayloadError(`web: ${reason}`);
  }
  const form = parsed.data;
  const message = form.message.trim();
  if (message.length === 0) throw new InvalidPayloadError("web: message is empty");
  if (message.length > LIMITS.textChars) {
    throw new InvalidPayloadError(
      `web: message has ${message.length} characters, more than the limit of ${LIMITS.textChars}`,
      "MESSAGE_TOO_LARGE",
    );
  }
  if (CONTROL_IN_TEXT.test(message)) {
    throw new InvalidPayloadError("web: message contains control characters");
  }
  const name = blankToUndefined(form.name);
  const country = blankToUndefined(form.country);
  // The domain is case-insensitive, the local part formally is not.
  const at = form.email?.lastIndexOf("@") ?? -1;
  const email = form.email && form.email.slice(0, at) + form.email.slice(at).toLowerCase();

  let id: string;
  if (ctx.id !== undefined) {
    const bare = ctx.id.startsWith("web:") ? ctx.id.slice(4) : ctx.id;
    if (!CONTEXT_ID.test(bare)) throw new InvalidPayloadError("web: context id is malformed");
    id = encodeId("web", bare);
  } else {
    // Same form, same id: the CLI stays deterministic and a double-submitted form dedupes.
    const canonical = JSON.stringify([name, email, country, message, form.language]);
    id = encodeId("web", createHash("sha256").update(canonical).digest("hex").slice(0, 24));
  }

  const evidence: PlatformEvidence = {};
  if (country) evidence.statedCountry = country;
  if (email) evidence.emailAddress = email;
  const headerTag = preferredLanguage(ctx.acceptLanguage);
  if (form.language) {
    evidence.languageTag = form.language;
    evidence.languageTagSource = "web.form";
  } else if (headerTag) {
    evidence.languageTag = headerTag;
    evidence.languageTagSource = "web.accept-language";
  }

  const receivedAt = ctx.receivedAt ?? new Date();
  if (Number.isNaN(receivedAt.getTime())) {
    throw new InvalidPayloadError("web: context receivedAt is not a valid date");
  }
  const replyTo = email ? encodeId("email", email) : id;
  return InboundMessageSchema.parse({
    id,
    channel: "web",
    replyTo,
    sender: {
      id: replyTo,
      ...(name ? { displayName: name } : {}),
      ...(email ? { handle: email } : {}),
    },
    text: message,
    sentAt: receivedAt.toISOString(),
    evidence,
    attachments: [],
  });
}
