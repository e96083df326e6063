/**
 * Recognises mail that a machine sent on its own: auto-replies, bounces, delivery reports and
 * list mail. Answering any of it risks a loop between the bot and another robot, so such mail is
 * never routed (RFC 3834 for Auto-Submitted, RFC 2369/2919 for list headers, RFC 6522 for reports).
 */

/** One raw header line as mailparser keeps it: lowercase key and the full (folded) line. */
export interface HeaderLine {
  key: string;
  line: string;
}

const BULK_PRECEDENCE = new Set(["bulk", "junk", "list", "auto_reply"]);
const ROBOT_LOCAL_PARTS = new Set(["mailer-daemon", "postmaster", "mail-daemon"]);
const AUTO_HEADERS = ["x-autoreply", "x-autorespond", "x-auto-reply-from", "x-autoreply-from"];
const LIST_HEADERS = ["list-id", "list-unsubscribe", "list-post"];

/** The value of a raw header line, unfolded and trimmed. */
export function headerValue(h: HeaderLine): string {
  const colon = h.line.indexOf(":");
  return (colon < 0 ? "" : h.line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, " ").trim();
}

function first(lines: readonly HeaderLine[], key: string): string | undefined {
  const h = lines.find((l) => l.key === key);
  return h === undefined ? undefined : headerValue(h);
}

/** A short token safe to put in an error reason: header values here are keywords, not personal data. */
function token(value: string): string {
  return (value.split(/[;\s]/)[0] ?? "").toLowerCase().slice(0, 40);
}

/**
 * Why this mail was sent by a machine, or null when it looks like a person wrote it.
 * The reason names the header and keyword only, never an address.
 */
export function autoReplyReason(
  lines: readonly HeaderLine[],
  fromAddress: string | undefined,
): string | null {
  const autoSubmitted = first(lines, "auto-submitted");
  if (autoSubmitted !== undefined && token(autoSubmitted) !== "no") {
    return `Auto-Submitted: ${token(autoSubmitted)}`;
  }
  const precedence = first(lines, "precedence");
  if (precedence !== undefined && BULK_PRECEDENCE.has(token(precedence))) {
    return `Precedence: ${token(precedence)}`;
  }
  for (const key of AUTO_HEADERS) {
    if (first(lines, key) !== undefined) return `${key} header present`;
  }
  for (const key of LIST_HEADERS) {
    if (first(lines, key) !== undefined) return `list mail (${key} header present)`;
  }
  const contentType = first(lines, "content-type");
  if (contentType !== undefined && token(contentType) === "multipart/report") {
    return "delivery or disposition report (multipart/report)";
  }
  // The delivering server writes the envelope sender here; "<>" is the null sender of bounces.
  const returnPath = first(lines, "return-path");
  if (returnPath !== undefined && returnPath.replace(/\s/g, "") === "<>") {
    return "null envelope sender (Return-Path: <>)";
  }
  const local = fromAddress?.split("@")[0]?.toLowerCase();
  if (local !== undefined && ROBOT_LOCAL_PARTS.has(local)) {
    return `sent by a mail system (${local})`;
  }
  return null;
}
