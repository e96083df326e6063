import type { TelegramMessage } from "./normalize.js";

/** The bot itself, as `getMe` describes it. */
export interface BotIdentity {
  id: number;
  username: string;
}

function entityText(text: string, e: { offset: number; length: number }): string {
  return text.slice(e.offset, e.offset + e.length);
}

/**
 * Whether the router should take this message: every private chat, and in groups only messages
 * addressed to the bot (an @mention, a text mention, a /command@bot, or a reply to the bot).
 */
export function isAddressedToBot(m: TelegramMessage, bot: BotIdentity): boolean {
  if (m.chat.type === "private") return true;
  if (m.chat.type === "channel") return false;
  if (m.reply_to_message?.from?.id === bot.id) return true;
  const text = m.text ?? m.caption ?? "";
  const entities = m.entities ?? m.caption_entities ?? [];
  const handle = `@${bot.username}`.toLowerCase();
  return entities.some((e) => {
    if (e.type === "text_mention") return e.user?.id === bot.id;
    if (e.type === "mention") return entityText(text, e).toLowerCase() === handle;
    if (e.type === "bot_command") return entityText(text, e).toLowerCase().endsWith(handle);
    return false;
  });
}

/** Whether the message is the `/start` command (optionally `/start@bot` and a deep-link payload). */
export function isStartCommand(m: TelegramMessage, bot: BotIdentity): boolean {
  const match = /^\/start(@[A-Za-z0-9_]+)?(?:\s|$)/.exec(m.text ?? "");
  if (!match) return false;
  return match[1] === undefined || match[1].toLowerCase() === `@${bot.username}`.toLowerCase();
}
