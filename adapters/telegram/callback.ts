import { z } from "zod";
import { CHOICE_ID_SUFFIX, type PressRefusal } from "../choices.js";
import { encodeId } from "../../src/message/ids.js";
import { InboundMessageSchema, type InboundMessage } from "../../src/message/inbound.js";
import { UserSchema, telegramLanguage, telegramSender } from "./user.js";

/**
 * A Bot API `CallbackQuery` (a press of an inline keyboard button). Only what identifies the press
 * is checked here, so a press can always be answered; its `message` is read by
 * `normalizeTelegramPress`.
 */
export const CallbackQuerySchema = z.object({
  id: z.string().min(1).max(200),
  from: UserSchema,
  message: z.unknown().optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
  game_short_name: z.string().optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuerySchema>;

/** The bot's question message as a callback query carries it (`MaybeInaccessibleMessage`). */
const QuestionSchema = z.object({
  message_id: z.number().int(),
  /** 0 for an `InaccessibleMessage` (deleted, or too old for the bot to see). */
  date: z.number().int().nonnegative(),
  chat: z.object({
    id: z.number().int(),
    type: z.enum(["private", "group", "supergroup", "channel"]),
  }),
  reply_to_message: z
    .object({
      message_id: z.number().int(),
      from: z.object({ id: z.number().int(), is_bot: z.boolean() }).optional(),
    })
    .optional(),
  reply_markup: z
    .object({
      inline_keyboard: z.array(
        z.array(z.object({ text: z.string(), callback_data: z.string().optional() })),
      ),
    })
    .optional(),
});

/** A press taken as the reader's answer, or refused with the reason. */
export type TelegramPress =
  | {
      kind: "choice";
      message: InboundMessage;
      label: string;
      chatId: number;
      messageId: number;
    }
  | {
      kind: "refused";
      why: PressRefusal;
      /** Readable, with no personal data: it goes to the quarantine and the logs. */
      reason: string;
      /** The question message, when the press names one. */
      chatId?: number;
      messageId?: number;
    };

/**
 * A `callback_query` → the reader's answer, pure. The answer has the reader's identity exactly as
 * their messages in that chat have it (sender `telegram:<user>`, replyTo `telegram:<chat>`), the
 * button's label as text, and `choice` = { data, inReplyTo: the question `telegram:<chat>:<msg>` }.
 * Its id `telegram:<chat>:<msg>:choice` names the question, not the press: a second press or a
 * re-delivery is the same message to the intake, so the first answer wins.
 *
 * Only the addressed reader's press counts: in a private chat the chat's user, in a group the
 * author of the message the question replies to. `receivedAt` becomes `sentAt` (the Bot API sends
 * no time with a callback query).
 */
export function normalizeTelegramPress(
  updateId: number,
  query: CallbackQuery,
  receivedAt: Date,
): TelegramPress {
  const refuse = (
    why: PressRefusal,
    reason: string,
    where: { chatId?: number; messageId?: number } = {},
  ): TelegramPress => ({
    kind: "refused",
    why,
    reason: `Telegram update ${updateId}: ${reason}`,
    ...where,
  });

  if (query.data === undefined) {
    return refuse("malformed", "callback query carries no data (a game button): not a choice");
  }
  if (query.message === undefined) {
    return refuse(
      "malformed",
      "callback query from an inline-mode message: not the bot's question",
    );
  }
  const parsed = QuestionSchema.safeParse(query.message);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    return refuse("malformed", `callback query message invalid (${fields})`);
  }
  const q = parsed.data;
  const where = { chatId: q.chat.id, messageId: q.message_id };
  if (q.date === 0) {
    return refuse("stale", "the question message is no longer accessible to the bot", where);
  }
  const presser = query.from.id;
  if (q.chat.type === "private") {
    if (q.chat.id !== presser) {
      return refuse("not-addressee", "pressed by someone other than the chat's reader", where);
    }
  } else {
    const addressee = q.reply_to_message?.from;
    if (q.chat.type === "channel" || !addressee || addressee.is_bot) {
      return refuse(
        "unattributable",
        `a question in a ${q.chat.type} that replies to no reader's message: no press can be taken as an answer`,
        where,
      );
    }
    if (addressee.id !== presser) {
      return refuse(
        "not-addressee",
        "pressed by someone other than the reader the question was addressed to",
        where,
      );
    }
  }
  const button = q.reply_markup?.inline_keyboard
    .flat()
    .find((b) => b.callback_data !== undefined && b.callback_data === query.data);
  if (!button || button.text.trim() === "") {
    return refuse("unknown-choice", "the pressed data is not one of the message's buttons", where);
  }

  const question = encodeId("telegram", q.chat.id, q.message_id);
  const checked = InboundMessageSchema.safeParse({
    id: encodeId("telegram", q.chat.id, q.message_id, CHOICE_ID_SUFFIX),
    channel: "telegram",
    replyTo: encodeId("telegram", q.chat.id),
    sender: telegramSender(query.from),
    text: button.text.trim(),
    sentAt: receivedAt.toISOString(),
    inReplyTo: question,
    evidence: telegramLanguage(query.from),
    attachments: [],
    choice: { data: query.data, inReplyTo: question },
  });
  if (!checked.success) {
    const fields = checked.error.issues.map((i) => i.path.join(".")).join(", ");
    return refuse("malformed", `the press does not fit the canonical form (${fields})`, where);
  }
  return { kind: "choice", message: checked.data, label: button.text.trim(), ...where };
}
