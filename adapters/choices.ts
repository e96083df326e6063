import { InvalidPayloadError } from "../src/errors.js";
import type { Channel } from "../src/message/channel.js";
import type { Choice, ChoiceSupport } from "./types.js";

/** Limits every adapter accepts; the tightest of the platforms (Discord: 5 rows of 5 buttons). */
export const CHOICE_LIMITS = {
  maxChoices: 25,
  /** Telegram `callback_data` holds 1–64 bytes. */
  dataBytes: 64,
  /** Discord button labels hold 80 characters. */
  labelChars: 80,
} as const;

/**
 * How each channel presents choices, known without a running adapter (a route worker may run in
 * a process that has none). The adapters' `capabilities` say the same.
 */
export const CHOICE_SUPPORT: Readonly<Record<Channel, ChoiceSupport>> = {
  telegram: "buttons",
  discord: "buttons",
  twitter: "text",
  email: "text",
  web: "none",
};

/** Suffix of the InboundMessage id of a press: one answer per question message. */
export const CHOICE_ID_SUFFIX = "choice";

/**
 * Checks a caller's choices against the limits; throws InvalidPayloadError naming the problem
 * (by position, never by value). Returns the choices for chaining.
 */
export function checkChoices(choices: readonly Choice[]): readonly Choice[] {
  if (choices.length === 0) throw new InvalidPayloadError("choices: the list is empty");
  if (choices.length > CHOICE_LIMITS.maxChoices) {
    throw new InvalidPayloadError(
      `choices: ${choices.length} given, at most ${CHOICE_LIMITS.maxChoices}`,
    );
  }
  const seen = new Set<string>();
  for (const [i, c] of choices.entries()) {
    const bytes = Buffer.byteLength(c.data, "utf8");
    if (bytes === 0 || bytes > CHOICE_LIMITS.dataBytes) {
      throw new InvalidPayloadError(
        `choices[${i}].data has ${bytes} bytes; 1 to ${CHOICE_LIMITS.dataBytes} are allowed`,
      );
    }
    if (seen.has(c.data))
      throw new InvalidPayloadError(`choices[${i}].data repeats an earlier one`);
    seen.add(c.data);
    const label = c.label.trim();
    if (label.length === 0 || [...label].length > CHOICE_LIMITS.labelChars) {
      throw new InvalidPayloadError(
        `choices[${i}].label must have 1 to ${CHOICE_LIMITS.labelChars} characters`,
      );
    }
  }
  return choices;
}

/** How wide a row of buttons may get on a platform. */
export interface RowLimits {
  maxPerRow: number;
  maxRows: number;
  /** Rough width budget of one row, in characters of label (a phone screen's worth). */
  rowWidth: number;
}

/**
 * Lays choices out in rows, in order: short labels share a row (up to `maxPerRow` while their
 * labels fit `rowWidth`), long ones get a row of their own. When that takes more rows than the
 * platform allows, every row is filled to `maxPerRow` instead (`checkChoices` keeps the count
 * within Discord's 5 × 5).
 */
export function layoutRows<T extends Choice>(choices: readonly T[], limits: RowLimits): T[][] {
  const rows: T[][] = [];
  let row: T[] = [];
  let width = 0;
  for (const choice of choices) {
    // A button costs its label plus some padding; very short labels still take a button's room.
    const cost = Math.max([...choice.label].length, 4) + 2;
    if (row.length > 0 && (row.length >= limits.maxPerRow || width + cost > limits.rowWidth)) {
      rows.push(row);
      row = [];
      width = 0;
    }
    row.push(choice);
    width += cost;
  }
  if (row.length > 0) rows.push(row);
  if (rows.length <= limits.maxRows) return rows;
  const full: T[][] = [];
  for (let i = 0; i < choices.length; i += limits.maxPerRow) {
    full.push(choices.slice(i, i + limits.maxPerRow));
  }
  return full;
}

/**
 * Why a press of a choice button was not taken as the reader's answer (it is quarantined with a
 * readable reason, and the press is still acknowledged so the presser's client stops waiting):
 * - `malformed`: not a press of one of the bot's choice buttons (no data, a game or inline-mode
 *   button, a payload that does not parse);
 * - `stale`: the question message is gone or no longer accessible to the bot;
 * - `not-addressee`: someone other than the reader the question was addressed to pressed it;
 * - `unattributable`: a question in a group or channel that names no reader;
 * - `unknown-choice`: the pressed data is not one of that message's buttons (a forged press).
 */
export type PressRefusal =
  "malformed" | "stale" | "not-addressee" | "unattributable" | "unknown-choice";
