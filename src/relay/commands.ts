/**
 * Commands in an affiliate's reply: `#reroute <affiliate id> [why]`, `#close`, `#note <text>`,
 * each on its own line at the top of the reply's own text (the quote is already cut away, so a
 * command is never read from quoted text). A reply that carries a command is not sent to the
 * reader: its other lines are the note's text, the reroute's reason or the closing remark.
 */
export type ReplyCommand =
  | { kind: "reroute"; to: string; reason: string }
  | { kind: "close"; remark: string }
  | { kind: "note"; text: string };

/** What a reply says: commands (possibly none) and the text below them. */
export interface ParsedReply {
  commands: ReplyCommand[];
  /** The reply's text without its command lines. */
  text: string;
  /** Lines that look like a command but are not one (`#reroute` without an id, `#unknown`). */
  invalid: string[];
}

const COMMAND = /^#(reroute|close|note)\b[ \t]*(.*)$/i;
const LOOKS_LIKE_COMMAND = /^#[a-z]+\b/i;

/** Reads the command lines at the top of a reply's own text. */
export function parseReply(own: string): ParsedReply {
  const lines = own.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const found: { kind: string; arg: string }[] = [];
  const invalid: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") {
      // A blank line between commands is fine; one before prose ends the command block.
      const next = lines.slice(i + 1).find((l) => l.trim() !== "");
      if (next !== undefined && LOOKS_LIKE_COMMAND.test(next.trim())) continue;
      break;
    }
    const m = COMMAND.exec(line);
    if (m) {
      found.push({ kind: m[1]!.toLowerCase(), arg: m[2]!.trim() });
      continue;
    }
    if (LOOKS_LIKE_COMMAND.test(line) && found.length === 0 && invalid.length === 0) {
      invalid.push(line.slice(0, 80));
      continue;
    }
    break;
  }
  const rest = lines.slice(i).join("\n").trim();
  const commands: ReplyCommand[] = [];
  const seen = new Set<string>();
  for (const c of found) {
    // The text below the command lines belongs to the first command (its note, reason, remark).
    const more = commands.length === 0 ? rest : "";
    if (c.kind !== "note" && seen.has(c.kind)) continue; // one reroute, one close
    seen.add(c.kind);
    if (c.kind === "reroute") {
      const [to = "", ...why] = c.arg.split(/\s+/);
      if (!to) {
        invalid.push("#reroute (no affiliate id)");
        continue;
      }
      const reason = [why.join(" "), more].filter(Boolean).join("\n").trim();
      commands.push({ kind: "reroute", to: to.toLowerCase(), reason });
    } else if (c.kind === "close") {
      commands.push({ kind: "close", remark: [c.arg, more].filter(Boolean).join("\n").trim() });
    } else {
      const text = [c.arg, more].filter(Boolean).join("\n").trim();
      if (!text) {
        invalid.push("#note (no text)");
        continue;
      }
      commands.push({ kind: "note", text });
    }
  }
  return { commands, text: rest, invalid };
}
