import type { FakeTelegramBotApi } from "../../fakes/telegram-bot-api.js";

/** A reader as the Bot API describes a `User`. */
export interface Reader {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export const ANNA: Reader = {
  id: 111_222_333,
  first_name: "Anna",
  last_name: "Schmidt",
  username: "anna_s",
  language_code: "de",
};
export const JOAO: Reader = { id: 444_555_666, first_name: "João", language_code: "pt-br" };
export const LEILA: Reader = { id: 777_888_999, first_name: "Leila", language_code: "fa" };

const DATE = 1_763_700_000;

/** A private-chat text message update, as the Bot API documents it (chat.id equals the user id). */
export function privateText(updateId: number, from: Reader, messageId: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      from: { ...from, is_bot: false },
      chat: { id: from.id, first_name: from.first_name, type: "private" },
      date: DATE,
      text,
    },
  };
}

/** A group message update; `entities` as Telegram sends them. */
export function groupText(
  updateId: number,
  from: Reader,
  messageId: number,
  text: string,
  extra: Record<string, unknown> = {},
) {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      from: { ...from, is_bot: false },
      chat: { id: -1_001_234_567_890, title: "Readers", type: "supergroup" },
      date: DATE,
      text,
      ...extra,
    },
  };
}

/** Puts a private text from `from` into the fake; resolves to the InboundMessage id it must become. */
export function injectPrivate(api: FakeTelegramBotApi, from: Reader, text: string): string {
  const messageId = api.messageId(from.id);
  const { update_id: _u, ...body } = privateText(0, from, messageId, text);
  api.pushUpdate(body);
  return `telegram:${from.id}:${messageId}`;
}

/** The bot as a message's `from`. */
export const BOT_USER = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: "Contact Router",
  username: "contact_router_bot",
};

/** The choice keyboard the tests ask with, as the bot sends it. */
export const COUNTRY_KEYBOARD = {
  inline_keyboard: [
    [
      { text: "🇩🇪 Deutschland", callback_data: "loc:DE" },
      { text: "🇦🇹 Österreich", callback_data: "loc:AT" },
    ],
    [
      { text: "Anderes Land", callback_data: "loc:other" },
      { text: "Möchte ich nicht sagen", callback_data: "loc:decline" },
    ],
  ],
};

/** The bot's question message in a chat, as a callback query carries it. */
export function questionMessage(
  chatId: number,
  messageId: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    message_id: messageId,
    from: BOT_USER,
    chat:
      chatId > 0
        ? { id: chatId, first_name: "Anna", type: "private" }
        : { id: chatId, title: "Readers", type: "supergroup" },
    date: DATE + 60,
    text: "Von wo schreibst du?",
    reply_markup: COUNTRY_KEYBOARD,
    ...extra,
  };
}

/** A `callback_query` update: `from` pressed the button with `data` under `message`. */
export function callbackUpdate(
  updateId: number,
  from: Reader,
  message: Record<string, unknown>,
  data: string | undefined,
  queryId = "4382bfdwdsb323b2d9",
) {
  return {
    update_id: updateId,
    callback_query: {
      id: queryId,
      from: { ...from, is_bot: false },
      message,
      chat_instance: "-7302713221838119450",
      ...(data === undefined ? {} : { data }),
    },
  };
}
