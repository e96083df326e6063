import { createHash } from "node:crypto";
import {
  ButtonStyle,
  ComponentType,
  DiscordAPIError,
  RateLimitError as DiscordRateLimitError,
  HTTPError,
} from "discord.js";
import { checkChoices, layoutRows, type RowLimits } from "../choices.js";
import type { Choice } from "../types.js";
import {
  AdapterError,
  InvalidPayloadError,
  RateLimitError,
  RouterError,
} from "../../src/errors.js";
import { decodeId } from "../../src/message/ids.js";

/** Discord's hard limit on message content. */
export const DISCORD_MAX_CHARS = 2000;
/** Discord's limit on a nonce string. */
const NONCE_CHARS = 25;

/**
 * The nonce for part `part` of an outbound text: derived from the idempotency key, so a resend of
 * the same text gets the same nonce and Discord (with enforce_nonce) returns the original message.
 */
export function nonceFor(idempotencyKey: string, part: number): string {
  return createHash("sha256")
    .update(`${idempotencyKey}\n${part}`)
    .digest("base64url")
    .slice(0, NONCE_CHARS);
}

/** Button rows: Discord allows 5 buttons a row and 5 rows a message; short labels share a row. */
export const DISCORD_ROWS: RowLimits = { maxPerRow: 5, maxRows: 5, rowWidth: 40 };

/** A button with a custom_id, as the API takes and returns it. */
export interface ChoiceButton {
  type: ComponentType.Button;
  style: ButtonStyle;
  label: string;
  custom_id: string;
  disabled?: boolean;
}

/** An action row of buttons. */
export interface ButtonRow {
  type: ComponentType.ActionRow;
  components: ChoiceButton[];
}

/** Message components for a list of choices: secondary buttons, `custom_id` = the choice's data. */
export function buttonRows(choices: readonly Choice[]): ButtonRow[] {
  return layoutRows(checkChoices(choices), DISCORD_ROWS).map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((c) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: c.label.trim(),
      custom_id: c.data,
    })),
  }));
}

/**
 * The same rows closed after an answer: every button disabled, so nothing can be pressed twice;
 * the chosen one (when known) stands out as primary so the reader sees what they answered.
 * Components that are not buttons with a custom_id are dropped.
 */
export function closedRows(rows: readonly unknown[], chosen?: string): ButtonRow[] {
  const closed: ButtonRow[] = [];
  for (const row of rows) {
    const parts = (row as { components?: unknown } | null)?.components;
    if (!Array.isArray(parts)) continue;
    const buttons = (parts as Partial<ChoiceButton>[])
      .filter(
        (b): b is ChoiceButton =>
          b.type === ComponentType.Button &&
          typeof b.custom_id === "string" &&
          typeof b.label === "string",
      )
      .map((b) => ({
        type: ComponentType.Button as const,
        style: b.custom_id === chosen ? ButtonStyle.Primary : ButtonStyle.Secondary,
        label: b.label,
        custom_id: b.custom_id,
        disabled: true,
      }));
    if (buttons.length > 0) closed.push({ type: ComponentType.ActionRow, components: buttons });
  }
  return closed;
}

/** Splits a text into parts of at most `max` characters, at a line break or space when there is one. */
export function splitForDiscord(text: string, max = DISCORD_MAX_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(" "));
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^[\n ]/, "");
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Checks an outbound `to` (`discord:<channel id>`) and returns the channel id. */
export function channelOf(to: string): string {
  let rest: string;
  try {
    const decoded = decodeId(to);
    if (decoded.channel !== "discord") throw new Error("other channel");
    rest = decoded.rest;
  } catch {
    throw new InvalidPayloadError("discord send: 'to' must be discord:<channel id>");
  }
  if (!/^\d{1,20}$/.test(rest)) {
    throw new InvalidPayloadError("discord send: 'to' must be discord:<channel id>");
  }
  return rest;
}

/** The message id to reply to, when `inReplyTo` is a Discord message in the same channel. */
export function replyReference(
  channelId: string,
  inReplyTo: string | undefined,
): string | undefined {
  if (!inReplyTo) return undefined;
  const m = /^discord:(\d{1,20}):(\d{1,20})$/.exec(inReplyTo);
  return m && m[1] === channelId ? m[2] : undefined;
}

/** Maps a discord.js REST failure to the router's error family. */
export function translateSendError(err: unknown): RouterError {
  if (err instanceof RouterError) return err;
  if (err instanceof DiscordRateLimitError) {
    const wait = Math.max(err.retryAfter, err.timeToReset);
    return new RateLimitError(`discord: send rate-limited for ${wait} ms`, wait, { cause: err });
  }
  if (err instanceof DiscordAPIError) {
    const permanent = err.status >= 400 && err.status < 500;
    return new AdapterError(
      "discord",
      permanent ? "DELIVERY_PERMANENT" : "ADAPTER_NETWORK",
      `send failed: HTTP ${err.status}, Discord code ${String(err.code)}`,
      { retryable: !permanent, cause: err },
    );
  }
  if (err instanceof HTTPError) {
    return new AdapterError("discord", "ADAPTER_NETWORK", `send failed: HTTP ${err.status}`, {
      retryable: true,
      cause: err,
    });
  }
  const name = err instanceof Error ? err.name : "unknown";
  return new AdapterError("discord", "ADAPTER_NETWORK", `send failed: ${name}`, {
    retryable: true,
    cause: err,
  });
}

/** An error's code or name, never its message (which may quote data), for logs and health. */
export function errorCode(err: unknown): string {
  if (err && typeof err === "object" && "code" in err) return String(err.code);
  return err instanceof Error ? err.name : "unknown";
}
