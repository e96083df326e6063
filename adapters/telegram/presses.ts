import type { Logger } from "pino";
import { TelegramError, type Telegram } from "telegraf";
import { AdapterError, RateLimitError } from "../../src/errors.js";

/** Longest toast text `answerCallbackQuery` shows. */
const TOAST_CHARS = 200;

/** What to do with the question after a press. */
export interface PressSettlement {
  callbackQueryId: string;
  /** The question message whose keyboard is removed; absent: leave it as it is. */
  question?: { chatId: number; messageId: number };
  /** Shown to the presser as a short toast ("✓ Germany"); absent: no toast. */
  toast?: string;
}

/**
 * Answers a callback query (Telegram clients show a progress bar until it is answered) and removes
 * the question's keyboard, so the choice cannot be pressed again. Both are courtesies after the
 * press is durably taken: a failure (query too old, message already without keyboard, network) is
 * logged and swallowed, never allowed to hold up the updates behind it. A press that arrives again
 * is a duplicate for the intake and settles the question again.
 */
export async function settlePress(
  telegram: Telegram,
  press: PressSettlement,
  log: Logger | null,
): Promise<void> {
  try {
    await telegram.answerCbQuery(
      press.callbackQueryId,
      press.toast === undefined ? undefined : [...press.toast].slice(0, TOAST_CHARS).join(""),
    );
  } catch (err) {
    log?.info({ err: apiError(err) }, "telegram answerCallbackQuery failed (press already taken)");
  }
  if (!press.question) return;
  try {
    await telegram.editMessageReplyMarkup(
      press.question.chatId,
      press.question.messageId,
      undefined,
      { inline_keyboard: [] },
    );
  } catch (err) {
    // "message is not modified": the keyboard is already gone, which is the point.
    log?.info({ err: apiError(err) }, "telegram keyboard not removed");
  }
}

/**
 * Removes a settled question's keyboard (editMessageReplyMarkup with an empty one). Done when
 * the message has none any more ("message is not modified"), is gone, or the chat is closed to
 * the bot (400, 403); a 429 or 5xx or a network failure throws for the outbound job's retry.
 */
export async function removeKeyboard(
  telegram: Telegram,
  chatId: number,
  messageId: number,
): Promise<void> {
  try {
    await telegram.editMessageReplyMarkup(chatId, messageId, undefined, { inline_keyboard: [] });
  } catch (err) {
    if (!(err instanceof TelegramError)) {
      throw new AdapterError("telegram", "ADAPTER_NETWORK", "editMessageReplyMarkup failed", {
        retryable: true,
        cause: err,
      });
    }
    if (err.code === 429) {
      const waitMs = (err.parameters?.retry_after ?? 1) * 1000;
      throw new RateLimitError("telegram: editMessageReplyMarkup rate-limited", waitMs, {
        cause: err,
      });
    }
    if (err.code >= 500) {
      throw new AdapterError("telegram", "ADAPTER_NETWORK", `Bot API error ${err.code}`, {
        retryable: true,
        cause: err,
      });
    }
    // 400 (not modified, message gone), 403 (blocked): there is no keyboard to press.
  }
}

function apiError(err: unknown): string {
  if (err instanceof TelegramError) return `Bot API ${err.code}`;
  return err instanceof Error ? err.name : "unknown error";
}
