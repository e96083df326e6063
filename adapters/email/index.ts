import type { AdapterFactory, ChannelAdapter } from "../types.js";
import { EmailAdapter } from "./adapter.js";
import { loadEmailConfig } from "./config.js";

export { EmailAdapter, type EmailAdapterOptions } from "./adapter.js";
export { loadEmailConfig, type EmailConfig } from "./config.js";
export { normalize, MAX_RAW_BYTES, type NormalizeEmailOptions } from "./normalize.js";

/**
 * The email channel's factory: null when EMAIL_IMAP_HOST is unset (channel off), else an
 * adapter; throws RouterError CONFIG_INVALID naming the variable when the settings are wrong.
 */
export const createEmailAdapter: AdapterFactory = (env): ChannelAdapter | null => {
  const config = loadEmailConfig(env);
  return config === null ? null : new EmailAdapter(config);
};
