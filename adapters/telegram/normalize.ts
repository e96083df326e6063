import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import { InboundMessageSchema, LIMITS, type InboundMessage } from "../../src/message/inbound.js";

const UserSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

/** A plausible BCP 47 tag; anything else is dropped rather than costing the reader their message. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;
/** Telegram usernames: 5–32 of A-Z a-z 0-9 _. */
const USERNAME = /^[A-Za-z0-9_]{1,32}$/;

const EntitySchema = z.object({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  user: z.object({ id: z.number().int() }).optional(),
});

/** The fields of a Bot API `Message` that the router uses; everything else is ignored. */
export const TelegramMessageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int().nonnegative(),
  edit_date: z.number().int().nonnegative().optional(),
  chat: z.object({
    id: z.number().int(),
    type: z.enum(["private", "group", "supergroup", "channel"]),
  }),
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(EntitySchema).optional(),
  caption_entities: z.array(EntitySchema).optional(),
  contact: z
    .object({
      phone_number: z.string(),
      user_id: z.number().int().optional(),
    })
    .optional(),
  reply_to_message: z
    .object({
      message_id: z.number().int(),
      from: z.object({ id: z.number().int(), is_bot: z.boolean() }).optional(),
    })
    .optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessageSchema>;

/** The fields of a Bot API `Update` that the router uses. Only `message` and `edited_message` are taken. */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessageSchema.optional(),
  edited_message: TelegramMessageSchema.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

/** Validates a raw Bot API update; the reason names fields, never their values. */
export function parseTelegramUpdate(raw: unknown): TelegramUpdate {
  const parsed = TelegramUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new InvalidPayloadError(`invalid Telegram update: ${where}`);
  }
  return parsed.data;
}

/** The message an update carries and whether it is an edit, or null when it carries none. */
export function updateMessage(
  update: TelegramUpdate,
): { message: TelegramMessage; edited: boolean } | null {
  if (update.message) return { message: update.message, edited: false };
  if (update.edited_message) return { message: update.edited_message, edited: true };
  return null;
}

/**
 * Bot API `Update` → canonical message. Pure. An edited message becomes a new version with its own
 * id (`…:edit:<edit_date>`), so the affiliate sees the corrected text rather than losing it to the
 * intake's dedupe. Throws InvalidPayloadError for anything that is not a reader's text or own contact.
 */
export function normalizeTelegramUpdate(raw: unknown): InboundMessage {
  const update = parseTelegramUpdate(raw);
  const carried = updateMessage(update);
  if (!carried) {
    throw new InvalidPayloadError(
      `Telegram update ${update.update_id} carries no message (only message and edited_message are taken)`,
    );
  }
  const { message: m, edited } = carried;
  const ref = `update ${update.update_id}`;
  if (m.chat.type === "channel") {
    throw new InvalidPayloadError(`Telegram ${ref}: channel posts are not reader messages`);
  }
  if (!m.from) throw new InvalidPayloadError(`Telegram ${ref}: message has no sender (from)`);
  const from = m.from;

  // Only the sender's own number is evidence about them; someone else's contact is not.
  const ownPhone =
    m.contact && m.contact.user_id === from.id ? m.contact.phone_number.trim() : undefined;
  if (ownPhone !== undefined && (ownPhone.length === 0 || ownPhone.length > 40)) {
    throw new InvalidPayloadError(`Telegram ${ref}: shared contact has an invalid phone number`);
  }
  const text = m.text ?? m.caption ?? "";
  if (text.trim().length === 0 && ownPhone === undefined) {
    throw new InvalidPayloadError(
      `Telegram ${ref}: no text (stickers, media without caption and other people's contacts are not taken)`,
    );
  }
  if (text.length > LIMITS.textChars) {
    throw new InvalidPayloadError(
      `Telegram ${ref}: text has ${text.length} characters, more than ${LIMITS.textChars}`,
      "MESSAGE_TOO_LARGE",
    );
  }

  const displayName = [from.first_name, from.last_name]
    .filter((p): p is string => p !== undefined && p.length > 0)
    .join(" ")
    .slice(0, LIMITS.nameChars);
  const idParts: (string | number)[] = [m.chat.id, m.message_id];
  if (edited) idParts.push("edit", m.edit_date ?? m.date);
  const sentAtSeconds = edited ? (m.edit_date ?? m.date) : m.date;

  const candidate = {
    id: encodeId("telegram", ...idParts),
    channel: "telegram" as const,
    replyTo: encodeId("telegram", m.chat.id),
    sender: {
      id: encodeId("telegram", from.id),
      ...(displayName.length > 0 ? { displayName } : {}),
      ...(from.username && USERNAME.test(from.username) ? { handle: `@${from.username}` } : {}),
    },
    text,
    sentAt: new Date(sentAtSeconds * 1000).toISOString(),
    ...(m.reply_to_message
      ? { inReplyTo: encodeId("telegram", m.chat.id, m.reply_to_message.message_id) }
      : {}),
    evidence: {
      ...(from.language_code && LANGUAGE_TAG.test(from.language_code)
        ? { languageTag: from.language_code, languageTagSource: "telegram.language_code" as const }
        : {}),
      ...(ownPhone !== undefined ? { phone: ownPhone } : {}),
    },
    attachments: [],
  };
  const checked = InboundMessageSchema.safeParse(candidate);
  if (!checked.success) {
    const where = checked.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new InvalidPayloadError(
      `Telegram ${ref}: message does not fit the canonical form (${where})`,
    );
  }
  return checked.data;
}
