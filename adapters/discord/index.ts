import type { AdapterFactory, ChannelAdapter } from "../types.js";
import { DiscordAdapter } from "./adapter.js";
import { loadDiscordConfig } from "./config.js";

export { DiscordAdapter, type DiscordAdapterOptions } from "./adapter.js";
export { DiscordEnvSchema, loadDiscordConfig, type DiscordConfig } from "./config.js";
export { DiscordMessageSchema, normalizeDiscord, type DiscordMessage } from "./normalize.js";

/**
 * Builds the Discord adapter from the environment: null when no DISCORD_* variable is set,
 * RouterError CONFIG_INVALID naming the variable when one is wrong.
 */
export const createDiscordAdapter: AdapterFactory = (env): ChannelAdapter | null => {
  const config = loadDiscordConfig(env);
  return config ? new DiscordAdapter(config) : null;
};
