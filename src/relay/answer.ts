import { t } from "../i18n/texts.js";
import type { Channel } from "../message/channel.js";

/**
 * How an affiliate's answer looks to the reader: a short frame in the reader's language (who
 * answers, how to write back) around the affiliate's own words, split at paragraph boundaries
 * into numbered parts when the platform's limit is smaller than the answer.
 */

/** Characters one message may hold, per platform; null: one email, no limit. */
export const PLATFORM_LIMIT: Record<Channel, number | null> = {
  telegram: 4096,
  discord: 2000,
  twitter: 10_000,
  email: null,
  web: null,
};

/** How the reader writes back: in the chat, by replying to the email, or through the form. */
export type WriteBack = "chat" | "email" | "form";

export interface FrameInput {
  text: string;
  /** The reader's language (any tag; unknown: English). */
  language: string;
  affiliateName: string;
  writeBack: WriteBack;
  /** The platform's limit per message; null: one part. */
  limit: number | null;
}

/** The framed answer as the reader receives it: one or more messages, in order. */
export function frameAnswer(f: FrameInput): string[] {
  const intro = t(f.language, "answer.intro", { affiliate: f.affiliateName });
  const outro = t(f.language, `answer.outro.${f.writeBack}`);
  const body = f.text.trim();
  const whole = `${intro}\n\n${body}\n\n${outro}`;
  if (f.limit === null || whole.length <= f.limit) return [whole];
  // The part label's length depends on the number of parts: settle it.
  let total = 2;
  for (;;) {
    const label = t(f.language, "answer.part", { n: total, total });
    const frame = `${intro} ${label}\n\n`.length + `\n\n${outro}`.length;
    const chunks = splitText(body, Math.max(1, f.limit - frame - 2));
    if (chunks.length <= total) {
      return chunks.map((chunk, i) => {
        const head = `${intro} ${t(f.language, "answer.part", { n: i + 1, total: chunks.length })}`;
        return i === chunks.length - 1 ? `${head}\n\n${chunk}\n\n${outro}` : `${head}\n\n${chunk}`;
      });
    }
    total = chunks.length;
  }
}

/**
 * Splits a text into pieces of at most `max` characters: between paragraphs where it can, else
 * between lines, sentences or words, and only as a last resort inside a word (never inside a
 * surrogate pair).
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const paragraph of text.split(/\n{2,}/)) {
    const p = paragraph.trim();
    if (p === "") continue;
    const joined = current === "" ? p : `${current}\n\n${p}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current !== "") pieces.push(current);
    if (p.length <= max) {
      current = p;
      continue;
    }
    const parts = splitLong(p, max);
    current = parts.pop() ?? "";
    pieces.push(...parts);
  }
  if (current !== "") pieces.push(current);
  return pieces;
}

const BREAKS = [/\n/g, /(?<=[.!?。؟])\s+/g, /\s+/g];

function splitLong(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    let skip = 0;
    for (const re of BREAKS) {
      let best = -1;
      let len = 0;
      for (const m of window.matchAll(re)) {
        if (m.index > 0 && m.index <= max) {
          best = m.index;
          len = m[0].length;
        }
      }
      if (best > max / 3) {
        cut = best;
        skip = len;
        break;
      }
    }
    if (cut < 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut + skip).trimStart();
  }
  if (rest !== "") out.push(rest);
  return out;
}
