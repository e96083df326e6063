import type { Channel } from "../src/message/channel.js";
import { RouterError } from "../src/errors.js";
import { createDiscordAdapter } from "./discord/index.js";
import { createEmailAdapter } from "./email/index.js";
import { createTelegramAdapter } from "./telegram/index.js";
import { createTwitterAdapter } from "./twitter/index.js";
import type { AdapterFactory, ChannelAdapter } from "./types.js";

/**
 * Channel name → factory: the one place that knows which adapters exist.
 * The web form has no adapter here; it is served by src/http.
 */
export const ADAPTER_FACTORIES: Readonly<Record<Exclude<Channel, "web">, AdapterFactory>> = {
  email: createEmailAdapter,
  telegram: createTelegramAdapter,
  discord: createDiscordAdapter,
  twitter: createTwitterAdapter,
};

export interface ConfiguredAdapters {
  /** Adapters whose configuration is present and valid. */
  adapters: ChannelAdapter[];
  /** Channels with no configuration: they stay off. */
  off: Channel[];
  /** Channels configured wrongly: disabled and reported, the others keep working. */
  invalid: { channel: Channel; message: string }[];
}

/** Builds every adapter the environment configures. Never throws for one bad channel. */
export function createConfiguredAdapters(env: NodeJS.ProcessEnv): ConfiguredAdapters {
  const result: ConfiguredAdapters = { adapters: [], off: [], invalid: [] };
  for (const [name, factory] of Object.entries(ADAPTER_FACTORIES) as [Channel, AdapterFactory][]) {
    try {
      const adapter = factory(env);
      if (adapter) result.adapters.push(adapter);
      else result.off.push(name);
    } catch (err) {
      // A bug in one factory must not take the other channels down either.
      const message = err instanceof RouterError ? err.message : `${name}: ${String(err)}`;
      result.invalid.push({ channel: name, message });
    }
  }
  return result;
}
