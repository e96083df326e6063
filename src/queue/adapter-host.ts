import type { Logger } from "pino";
import { createConfiguredAdapters } from "../../adapters/registry.js";
import type { AdapterContext, ChannelAdapter } from "../../adapters/types.js";
import { RouterError } from "../errors.js";
import type { Channel } from "../message/channel.js";
import type { Sender } from "../queue/types.js";

/** The adapters this process runs, started with retry, plus the ack sender over them. */
export interface AdapterHost {
  adapters: ChannelAdapter[];
  sender: Sender;
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Starts every configured adapter (the lead's registry). One that fails to start is logged and
 * retried with backoff while the others keep working; a wrongly configured one is reported and off.
 */
export function startAdapters(
  env: NodeJS.ProcessEnv,
  ctx: AdapterContext,
  log: Logger,
): AdapterHost {
  const { adapters, off, invalid } = createConfiguredAdapters(env);
  for (const bad of invalid)
    log.error({ channel: bad.channel, reason: bad.message }, "adapter misconfigured; it stays off");
  log.info({ on: adapters.map((a) => a.channel), off }, "channel adapters");
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const attempt = (adapter: ChannelAdapter, n: number): void => {
    adapter.start(ctx).then(
      () => log.info({ channel: adapter.channel }, "adapter started"),
      (err: unknown) => {
        if (stopping) return;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** n);
        const code = err instanceof RouterError ? err.code : "UNKNOWN";
        log.error(
          { channel: adapter.channel, code, retryInMs: delay },
          "adapter failed to start; retrying",
        );
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(adapter, n + 1);
        }, delay);
        timer.unref();
        timers.add(timer);
      },
    );
  };
  for (const adapter of adapters) attempt(adapter, 0);

  const byChannel = new Map<Channel, ChannelAdapter>(adapters.map((a) => [a.channel, a]));
  return {
    adapters,
    sender: {
      send(channel, message) {
        const adapter = byChannel.get(channel);
        if (!adapter) {
          // Another process may run that adapter later; keep the ack queued for a retry.
          return Promise.reject(
            new RouterError("ADAPTER_NETWORK", `no ${channel} adapter runs in this process`, {
              retryable: true,
            }),
          );
        }
        return adapter.send(message);
      },
      async closeChoices(channel, question) {
        const adapter = byChannel.get(channel);
        if (!adapter) {
          return Promise.reject(
            new RouterError("ADAPTER_NETWORK", `no ${channel} adapter runs in this process`, {
              retryable: true,
            }),
          );
        }
        // Channels without buttons have nothing to close.
        await adapter.closeChoices?.(question);
      },
    },
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled(adapters.map((a) => a.stop()));
    },
  };
}
