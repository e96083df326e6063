import { TelegramAdapter } from "../../../adapters/telegram/adapter.js";
import { normalizeTelegramUpdate } from "../../../adapters/telegram/normalize.js";
import { FakeTelegramBotApi } from "../../fakes/telegram-bot-api.js";
import { runAdapterContract } from "../contract.js";
import { ANNA, JOAO, LEILA, groupText, injectPrivate, privateText } from "./fixtures.js";

const sticker = privateText(9, ANNA, 9, "");
delete (sticker.message as { text?: string }).text;
Object.assign(sticker.message, {
  sticker: { file_id: "CAAC", width: 512, height: 512, emoji: "👋" },
});

/** `telegram:<chat>:<message>` (what send returns) → its numbers. */
function questionOf(platformMessageId: string): [number, number] {
  const [, chat, message] = platformMessageId.split(":");
  return [Number(chat), Number(message)];
}

runAdapterContract({
  channel: "telegram",
  normalize: normalizeTelegramUpdate,
  validPayloads: [
    privateText(1, ANNA, 10, "Hallo, ich wohne in Wien und möchte mitmachen."),
    {
      update_id: 2,
      message: {
        ...privateText(2, JOAO, 11, "").message,
        text: undefined,
        photo: [{ file_id: "AgAD", file_unique_id: "u1", width: 90, height: 90 }],
        caption: "Olá, moro em São Paulo.",
      },
    },
    {
      update_id: 3,
      message: {
        ...privateText(3, LEILA, 12, "").message,
        text: undefined,
        contact: { phone_number: "+989121234567", first_name: "Leila", user_id: LEILA.id },
      },
    },
    groupText(4, ANNA, 13, "@contact_router_bot wie kann ich helfen?", {
      entities: [{ type: "mention", offset: 0, length: 19 }],
    }),
  ],
  malformedPayloads: [
    { payload: null, reason: /invalid Telegram update/ },
    { payload: { update_id: "seven" }, reason: /invalid Telegram update: update_id/ },
    { payload: sticker, reason: /update 9: no text/ },
    { payload: { update_id: 5, channel_post: { message_id: 1 } }, reason: /carries no message/ },
    { payload: privateText(6, ANNA, 14, "x".repeat(20_001)), reason: /more than 20000/ },
    {
      payload: {
        update_id: 7,
        message: { ...privateText(7, ANNA, 15, "").message, from: undefined },
      },
      reason: /no sender/,
    },
  ],
  async setup() {
    const api = new FakeTelegramBotApi();
    const apiRoot = await api.start();
    return {
      createAdapter: () =>
        new TelegramAdapter(
          { token: api.token, apiRoot, webhook: null },
          { pollTimeoutSeconds: 2, backoff: { initialMs: 50, maxMs: 500 } },
        ),
      injectInbound: (text) => Promise.resolve(injectPrivate(api, ANNA, text)),
      sentTexts: () =>
        Promise.resolve(api.sent.map((s) => ({ to: `telegram:${s.chat_id}`, text: s.text }))),
      replyTarget: `telegram:${ANNA.id}`,
      rateLimitNextSend: (seconds) => api.rateLimitNextSend(seconds),
      choices: {
        pressable: (id) => {
          const [chat, message] = questionOf(id);
          const keyboard = api.keyboardOf(chat, message)?.inline_keyboard.flat() ?? [];
          return Promise.resolve(keyboard.map((b) => ({ data: b.callback_data, label: b.text })));
        },
        press: (id, data) => {
          const [chat, message] = questionOf(id);
          api.pressButton(ANNA, chat, message, data);
          return Promise.resolve(`${id}:choice`);
        },
        unansweredPresses: () => Promise.resolve(api.unansweredCallbacks().length),
      },
      teardown: () => api.stop(),
    };
  },
});
