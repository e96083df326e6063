import Bottleneck from "bottleneck";
import { setTimeout as sleep } from "node:timers/promises";
import { TelegramError, type Telegram } from "telegraf";
import { AdapterError, InvalidPayloadError, RateLimitError } from "../../src/errors.js";
import { decodeId } from "../../src/message/ids.js";
import { checkChoices, layoutRows, type RowLimits } from "../choices.js";
import type { Choice } from "../types.js";

/** Telegram's limit on one text message; longer texts are sent as several messages. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Outbound pacing; defaults follow the Bot API FAQ (about 1 msg/s per chat, 30/s overall). */
export interface SendLimits {
  perChatIntervalMs: number;
  /** Groups allow about 20 messages a minute. */
  perGroupIntervalMs: number;
  globalIntervalMs: number;
  /** A 429 asking to wait longer than this is not waited out: RateLimitError goes to the caller. */
  maxRetryAfterMs: number;
  /** How many 429 answers one message may get before giving up. */
  maxRateLimitRetries: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = {
  perChatIntervalMs: 1000,
  perGroupIntervalMs: 3000,
  globalIntervalMs: 34,
  maxRetryAfterMs: 30_000,
  maxRateLimitRetries: 3,
};

/** A prefixed `telegram:<chat>` (or `telegram:<chat>:<message>`) id → numeric chat id. */
export function chatIdOf(prefixed: string): { chatId: number; messageId?: number } {
  let decoded;
  try {
    decoded = decodeId(prefixed);
  } catch (err) {
    throw new InvalidPayloadError(`not a Telegram conversation id: ${(err as Error).message}`);
  }
  const parts = decoded.rest.split(":");
  const chatId = Number(parts[0]);
  if (decoded.channel !== "telegram" || !Number.isSafeInteger(chatId)) {
    throw new InvalidPayloadError(`not a Telegram conversation id (channel ${decoded.channel})`);
  }
  const messageId = parts[1] === undefined ? undefined : Number(parts[1]);
  return Number.isSafeInteger(messageId) ? { chatId, messageId: messageId! } : { chatId };
}

/** Inline keyboard rows: up to three short labels side by side, as on a phone screen. */
export const TELEGRAM_ROWS: RowLimits = { maxPerRow: 3, maxRows: 100, rowWidth: 26 };

/** An `InlineKeyboardMarkup` as the Bot API takes it. */
export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** The inline keyboard for a list of choices: `callback_data` = the choice's data. */
export function inlineKeyboard(choices: readonly Choice[]): InlineKeyboard {
  return {
    inline_keyboard: layoutRows(choices, TELEGRAM_ROWS).map((row) =>
      row.map((c) => ({ text: c.label.trim(), callback_data: c.data })),
    ),
  };
}

/** Splits a text into Telegram-sized pieces without cutting a surrogate pair. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    const newline = rest.lastIndexOf("\n", cut);
    if (newline > limit / 2) cut = newline + 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Sends texts through the Bot API at Telegram's pace, waiting out `retry_after` on 429. */
export class TelegramSender {
  /** One queue per chat: a chat's messages go one at a time, in order. */
  private readonly perChat: Bottleneck.Group;
  private readonly global: Bottleneck;
  private readonly aborter = new AbortController();
  /**
   * When each chat may get its next message: the end of the previous request plus the chat's
   * interval. Telegram counts messages as they arrive, and a request can take a while to arrive
   * (a new connection, a busy process); spacing from the previous request's start, as a
   * start-to-start limiter does, lets two arrive closer than the interval.
   */
  private readonly nextAt = new Map<number, number>();

  constructor(
    private readonly telegram: Telegram,
    private readonly limits: SendLimits = DEFAULT_SEND_LIMITS,
  ) {
    this.perChat = new Bottleneck.Group({ maxConcurrent: 1 });
    this.global = new Bottleneck({ minTime: limits.globalIntervalMs });
  }

  /**
   * Sends one text (several messages when it is long); resolves to the last message id. With
   * choices the text must fit one message, which carries the inline keyboard; in a group it must
   * reply to the reader's message, whose author alone may answer.
   */
  async send(
    to: string,
    text: string,
    inReplyTo?: string,
    choices?: readonly Choice[],
  ): Promise<string> {
    const { chatId } = chatIdOf(to);
    if (text.trim().length === 0) throw new InvalidPayloadError("refusing to send an empty text");
    let replyTo: number | undefined;
    if (inReplyTo !== undefined) {
      const target = chatIdOf(inReplyTo);
      if (target.chatId === chatId) replyTo = target.messageId;
    }
    let keyboard: InlineKeyboard | undefined;
    if (choices !== undefined && choices.length > 0) {
      keyboard = inlineKeyboard(checkChoices(choices));
      if (text.length > TELEGRAM_TEXT_LIMIT) {
        throw new InvalidPayloadError(
          `telegram: a text with choices must fit one message (${TELEGRAM_TEXT_LIMIT} characters)`,
        );
      }
      if (chatId < 0 && replyTo === undefined) {
        throw new InvalidPayloadError(
          "telegram: choices in a group need inReplyTo, the reader's message in that chat",
        );
      }
    }
    let lastId = "";
    for (const piece of splitText(text)) {
      const reply = replyTo;
      lastId = await this.perChat
        .key(String(chatId))
        .schedule(() =>
          this.paced(chatId, () => this.sendWithRetry(chatId, piece, reply, keyboard)),
        );
      replyTo = undefined;
    }
    return lastId;
  }

  /** Runs one request for a chat no sooner than its interval after the chat's previous one ended. */
  private async paced<T>(chatId: number, request: () => Promise<T>): Promise<T> {
    // A loop, as a timer may fire a millisecond before Date.now() says its time has come.
    for (let wait; (wait = (this.nextAt.get(chatId) ?? 0) - Date.now()) > 0;) {
      await sleep(wait, undefined, { signal: this.aborter.signal });
    }
    try {
      return await request();
    } finally {
      // Negative chat ids are groups and channels, which have a longer interval.
      const interval = chatId < 0 ? this.limits.perGroupIntervalMs : this.limits.perChatIntervalMs;
      const now = Date.now();
      this.nextAt.set(chatId, now + interval);
      // Forget chats whose interval has passed, so the map stays as small as the busy chats.
      if (this.nextAt.size > 1000)
        for (const [id, at] of this.nextAt) if (at <= now) this.nextAt.delete(id);
    }
  }

  private async sendWithRetry(
    chatId: number,
    text: string,
    replyTo?: number,
    keyboard?: InlineKeyboard,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const sent = await this.global.schedule(() =>
          this.telegram.sendMessage(chatId, text, {
            link_preview_options: { is_disabled: true },
            ...(replyTo === undefined
              ? {}
              : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
            ...(keyboard === undefined ? {} : { reply_markup: keyboard }),
          }),
        );
        return `telegram:${chatId}:${sent.message_id}`;
      } catch (err) {
        if (!(err instanceof TelegramError)) {
          throw new AdapterError("telegram", "ADAPTER_NETWORK", "sendMessage failed", {
            retryable: true,
            cause: err,
          });
        }
        if (err.code === 429) {
          const waitMs = (err.parameters?.retry_after ?? 1) * 1000;
          if (waitMs > this.limits.maxRetryAfterMs || attempt >= this.limits.maxRateLimitRetries) {
            throw new RateLimitError("telegram: sendMessage rate-limited", waitMs, { cause: err });
          }
          await sleep(waitMs, undefined, { signal: this.aborter.signal });
          continue;
        }
        if (err.code === 401) {
          throw new AdapterError("telegram", "ADAPTER_AUTH", "bot token rejected (401)", {
            cause: err,
          });
        }
        if (err.code >= 500) {
          throw new AdapterError("telegram", "ADAPTER_NETWORK", `Bot API error ${err.code}`, {
            retryable: true,
            cause: err,
          });
        }
        // 400 chat not found, 403 bot blocked by the user: resending will not help.
        throw new AdapterError(
          "telegram",
          "DELIVERY_PERMANENT",
          `sendMessage refused (${err.code})`,
          {
            cause: err,
          },
        );
      }
    }
  }

  /** Cancels waits and releases the limiters' timers. */
  async close(): Promise<void> {
    this.aborter.abort();
    await Promise.all([this.perChat.disconnect(false), this.global.disconnect(false)]);
  }
}
