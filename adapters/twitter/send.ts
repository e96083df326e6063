import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { TwitterApiv2 } from "twitter-api-v2";
import { z } from "zod";
import { AdapterError, InvalidPayloadError, RateLimitError } from "../../src/errors.js";
import { decodeId } from "../../src/message/ids.js";
import type { OutboundText } from "../types.js";
import { httpStatus, rateLimitWaitMs } from "./client.js";

/** X's limits on one outbound text: a DM holds 10,000 characters, a reply tweet 280. */
const DM_MAX_CHARS = 10_000;
const TWEET_MAX_CHARS = 280;
const SEND_ATTEMPTS = 3;

/**
 * X answers a DM post with `{"data": {"dm_event_id", "dm_conversation_id"}}`; twitter-api-v2 1.29
 * types it without the `data` wrapper and returns the body as is, so both shapes are read.
 */
const DmPostResultSchema = z.union([
  z.object({ data: z.object({ dm_event_id: z.string() }) }).transform((r) => r.data.dm_event_id),
  z.object({ dm_event_id: z.string() }).transform((r) => r.dm_event_id),
]);

function dmEventId(res: unknown): string {
  const parsed = DmPostResultSchema.safeParse(res);
  return parsed.success ? parsed.data : "unknown";
}

/** Where a prefixed `replyTo` points on X. */
export function parseTarget(to: string): { kind: "dm" | "user" | "tweet"; id: string } {
  let target;
  try {
    target = decodeId(to);
  } catch {
    throw new InvalidPayloadError("twitter: send target is not a platform id");
  }
  const [kind = "", id = ""] = target.rest.split(/:(.*)/s);
  if (
    target.channel !== "twitter" ||
    (kind !== "dm" && kind !== "user" && kind !== "tweet") ||
    !id
  ) {
    throw new InvalidPayloadError(`twitter: cannot send to a "${target.channel}" target`);
  }
  return { kind, id };
}

export interface SendOptions {
  /** Longest 429 wait before giving up with RateLimitError. */
  maxWaitMs: number;
  /** Aborted by stop(): a pending 429 wait ends at once. */
  signal: AbortSignal;
  log: Logger | undefined;
}

/**
 * Sends one text: `twitter:dm:<conversation>` and `twitter:user:<id>` as a DM, `twitter:tweet:<id>`
 * as a reply tweet. A 429 is waited out until `x-rate-limit-reset` (at most `maxWaitMs`, three
 * tries), then `RateLimitError`; 401 is `ADAPTER_AUTH`, other 4xx `DELIVERY_PERMANENT`, 5xx and
 * network errors retryable `ADAPTER_NETWORK`.
 */
export async function sendText(
  v2: TwitterApiv2,
  message: OutboundText,
  opts: SendOptions,
): Promise<{ platformMessageId: string }> {
  const { kind, id } = parseTarget(message.to);
  const max = kind === "tweet" ? TWEET_MAX_CHARS : DM_MAX_CHARS;
  if ([...message.text].length > max) {
    throw new InvalidPayloadError(
      `twitter: text longer than ${max} characters`,
      "MESSAGE_TOO_LARGE",
    );
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (kind === "tweet") {
        const res = await v2.reply(message.text, id);
        return { platformMessageId: `twitter:tweet:${res.data.id}` };
      }
      const res: unknown =
        kind === "dm"
          ? await v2.sendDmInConversation(id, { text: message.text })
          : await v2.sendDmToParticipant(id, { text: message.text });
      return { platformMessageId: `twitter:dm:${dmEventId(res)}` };
    } catch (err) {
      const wait = rateLimitWaitMs(err);
      if (wait !== undefined) {
        if (wait > opts.maxWaitMs || attempt >= SEND_ATTEMPTS || opts.signal.aborted) {
          throw new RateLimitError("twitter: send rate limited", wait, { cause: err });
        }
        opts.log?.warn({ waitMs: wait, attempt }, "twitter: send rate limited (429), waiting");
        try {
          await sleep(wait, undefined, { signal: opts.signal });
        } catch {
          throw new RateLimitError("twitter: send rate limited (adapter stopped)", wait);
        }
        continue;
      }
      const status = httpStatus(err);
      const retryable = status === undefined || status >= 500;
      throw new AdapterError(
        "twitter",
        status === 401 ? "ADAPTER_AUTH" : retryable ? "ADAPTER_NETWORK" : "DELIVERY_PERMANENT",
        `send failed (${status ? `HTTP ${status}` : "network"})`,
        { retryable, cause: err },
      );
    }
  }
}
