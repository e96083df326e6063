import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import { InboundMessageSchema, LIMITS, type InboundMessage } from "../../src/message/inbound.js";
import { CallbackQuerySchema, normalizeTelegramPress } from "./callback.js";
import { UserSchema, telegramLanguage, telegramSender } from "./user.js";

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

/**
 * The fields of a Bot API `Update` that the router uses: `message` and `edited_message` (reader
 * messages) and `callback_query` (presses of the bot's choice buttons).
 */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessageSchema.optional(),
  edited_message: TelegramMessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
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
 * intake's dedupe. A `callback_query` (a press of a choice button) becomes the reader's answer, see
 * `normalizeTelegramPress`; `receivedAt` is its time, which the Bot API does not send.
 * Throws InvalidPayloadError for anything that is not a reader's text, own contact or answer.
 */
export function normalizeTelegramUpdate(raw: unknown, receivedAt = new Date()): InboundMessage {
  const update = parseTelegramUpdate(raw);
  if (update.callback_query) {
    const press = normalizeTelegramPress(update.update_id, update.callback_query, receivedAt);
    if (press.kind === "refused") throw new InvalidPayloadError(press.reason);
    return press.message;
  }
  const carried = updateMessage(update);
  if (!carried) {
    throw new InvalidPayloadError(
      `Telegram update ${update.update_id} carries no message (only message, edited_message and callback_query are taken)`,
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

  const idParts: (string | number)[] = [m.chat.id, m.message_id];
  if (edited) idParts.push("edit", m.edit_date ?? m.date);
  const sentAtSeconds = edited ? (m.edit_date ?? m.date) : m.date;

  const candidate = {
    id: encodeId("telegram", ...idParts),
    channel: "telegram" as const,
    replyTo: encodeId("telegram", m.chat.id),
    sender: telegramSender(from),
    text,
    sentAt: new Date(sentAtSeconds * 1000).toISOString(),
    ...(m.reply_to_message
      ? { inReplyTo: encodeId("telegram", m.chat.id, m.reply_to_message.message_id) }
      : {}),
    evidence: {
      ...telegramLanguage(from),
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
