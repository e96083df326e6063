import { z } from "zod";
import { encodeId } from "../../src/message/ids.js";
import { LIMITS, type InboundMessage } from "../../src/message/inbound.js";

/** The fields of a Bot API `User` that the router uses. */
export const UserSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

export type TelegramUser = z.infer<typeof UserSchema>;

/** A plausible BCP 47 tag; anything else is dropped rather than costing the reader their message. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;
/** Telegram usernames: 5–32 of A-Z a-z 0-9 _. */
const USERNAME = /^[A-Za-z0-9_]{1,32}$/;

/** The sender fields of a canonical message for a Bot API `User`: id, display name, handle. */
export function telegramSender(from: TelegramUser): InboundMessage["sender"] {
  const displayName = [from.first_name, from.last_name]
    .filter((p): p is string => p !== undefined && p.length > 0)
    .join(" ")
    .slice(0, LIMITS.nameChars);
  return {
    id: encodeId("telegram", from.id),
    ...(displayName.length > 0 ? { displayName } : {}),
    ...(from.username && USERNAME.test(from.username) ? { handle: `@${from.username}` } : {}),
  };
}

/** The user's Telegram language as platform evidence, when it looks like a language tag. */
export function telegramLanguage(from: TelegramUser): InboundMessage["evidence"] {
  return from.language_code && LANGUAGE_TAG.test(from.language_code)
    ? { languageTag: from.language_code, languageTagSource: "telegram.language_code" }
    : {};
}
