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
