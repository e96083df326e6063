import type { AdapterFactory, ChannelAdapter } from "../types.js";
import { TwitterAdapter } from "./adapter.js";
import { loadTwitterConfig } from "./config.js";

/**
 * The Twitter/X channel from the environment: null when no TWITTER_* credential is set,
 * `RouterError("CONFIG_INVALID")` naming the variable when one is wrong.
 */
export const createTwitterAdapter: AdapterFactory = (env): ChannelAdapter | null => {
  const config = loadTwitterConfig(env);
  return config ? new TwitterAdapter(config) : null;
};

export { TwitterAdapter, cursorKey } from "./adapter.js";
export { loadTwitterConfig, TwitterEnvSchema, type TwitterConfig } from "./config.js";
export { normalizeTwitter, payloadAuthorId, type TwitterPayload } from "./normalize.js";
