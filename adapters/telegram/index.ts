import type { AdapterFactory, ChannelAdapter } from "../types.js";
import { TelegramAdapter, type TelegramAdapterOptions } from "./adapter.js";
import { readTelegramConfig } from "./config.js";

export { TelegramAdapter, type TelegramAdapterOptions } from "./adapter.js";
export { readTelegramConfig, type TelegramConfig } from "./config.js";
export { normalizeTelegramUpdate } from "./normalize.js";

/**
 * The Telegram adapter from the environment: null when TELEGRAM_BOT_TOKEN is not set,
 * RouterError CONFIG_INVALID naming the variable when a TELEGRAM_* variable is wrong.
 */
export function createTelegramAdapter(
  env: NodeJS.ProcessEnv,
  options?: TelegramAdapterOptions,
): ChannelAdapter | null {
  const config = readTelegramConfig(env);
  return config ? new TelegramAdapter(config, options) : null;
}

createTelegramAdapter satisfies AdapterFactory;
