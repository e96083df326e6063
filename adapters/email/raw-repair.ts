/**
 * Repairs, before parsing, what real mail gets wrong and mailparser would read wrong:
 * - blank lines (or an mbox `From ` line) before the headers, which make the whole message read
 *   as a headerless body;
 * - raw 8-bit bytes in a quoted-printable part (clients that declare QP and send UTF-8 as is):
 *   the QP decoder keeps only the low seven bits, so "Будьте здоровы!" came out as control
 *   characters. Such bytes are escaped as `=XX`, which decodes to the very same bytes;
 * - 8-bit text declared in a single-byte charset (or none) whose bytes are valid UTF-8: the
 *   charset is corrected to UTF-8, since such byte sequences are practically never Latin-1,
 *   Windows-1251 or KOI8 text.
 * Mail whose body is 7-bit clean and that starts with a header is returned as it is, without a
 * MIME pass.
 */
import { Joiner, Splitter } from "@zone-eu/mailsplit";

/** Charsets whose text is never mistaken for UTF-8 here: multi-byte East Asian encodings. */
const MULTIBYTE_CHARSETS = [
  "shift",
  "sjis",
  "euc",
  "gb",
  "big5",
  "iso-2022",
  "ks_c",
  "utf-16",
  "utf-32",
];

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The message without blank lines and an mbox `From ` separator before its first header. */
export function withoutLeadingJunk(raw: Buffer): Buffer {
  let start = 0;
  for (;;) {
    let end = start;
    while (end < raw.length && (raw[end] === 0x20 || raw[end] === 0x09 || raw[end] === 0x0d)) end++;
    if (end < raw.length && raw[end] === 0x0a) {
      start = end + 1; // a blank line
      continue;
    }
    break;
  }
  // "From someone@example.org Wed Mar 12 17:00:00 2025": mbox's separator, no header (no colon after From).
  if (raw.length - start > 5 && raw.toString("latin1", start, start + 5) === "From ") {
    const eol = raw.indexOf(0x0a, start);
    if (eol > 0) start = eol + 1;
  }
  return start === 0 ? raw : raw.subarray(start);
}

function hasHighByte(buf: Buffer, from = 0): boolean {
  for (let i = from; i < buf.length; i++) if ((buf[i] ?? 0) >= 0x80) return true;
  return false;
}

/** Where the top-level header block ends (after its blank line); 0 when there is none. */
function bodyStart(raw: Buffer): number {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  if (crlf < 0 && lf < 0) return 0;
  if (crlf < 0) return lf + 2;
  if (lf < 0) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

/** Raw bytes ≥ 0x80 as `=XX`: what a quoted-printable encoder would have written. */
function escapeHighBytes(buf: Buffer): Buffer {
  const hex = "0123456789ABCDEF";
  const out: number[] = [];
  for (const b of buf) {
    if (b < 0x80) out.push(b);
    else out.push(0x3d, hex.charCodeAt(b >> 4), hex.charCodeAt(b & 15));
  }
  return Buffer.from(out);
}

function isValidUtf8(buf: Buffer): boolean {
  try {
    strictUtf8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** The parts of mailsplit's node object this module uses. */
interface SplitNode {
  type: "node";
  multipart: string | false;
  contentType: string | false;
  encoding: string | false;
  charset: string | false;
  setCharset(charset: string): void;
}
type Chunk = SplitNode | { type: "body" | "data"; value: Buffer };

function fixTextPart(node: SplitNode, body: Buffer[]): Buffer[] {
  const contentType = (node.contentType || "text/plain").toLowerCase();
  if (!contentType.startsWith("text/")) return body;
  const raw = Buffer.concat(body);
  if (!hasHighByte(raw)) return body;
  const charset = (node.charset || "").toLowerCase();
  if (
    charset !== "utf-8" &&
    charset !== "utf8" &&
    !MULTIBYTE_CHARSETS.some((c) => charset.startsWith(c)) &&
    isValidUtf8(raw)
  ) {
    node.setCharset("utf-8");
  }
  return node.encoding === "quoted-printable" ? [escapeHighBytes(raw)] : body;
}

/** Splits, repairs the text parts and joins the message again (mailsplit keeps all else as is). */
async function repairParts(raw: Buffer): Promise<Buffer> {
  const chunks: Chunk[] = [];
  const splitter = new Splitter({ ignoreEmbedded: true });
  splitter.end(raw);
  for await (const c of splitter as AsyncIterable<Chunk>) chunks.push(c);

  const out: Chunk[] = [];
  let node: SplitNode | null = null;
  let body: Buffer[] = [];
  const flush = () => {
    if (node !== null && !node.multipart && body.length > 0) {
      for (const value of fixTextPart(node, body)) out.push({ type: "body", value });
    } else {
      for (const value of body) out.push({ type: "body", value });
    }
    body = [];
  };
  for (const c of chunks) {
    if (c.type === "body") {
      body.push(c.value);
      continue;
    }
    flush();
    if (c.type === "node") node = c;
    out.push(c);
  }
  flush();

  const joiner = new Joiner();
  for (const c of out) joiner.write(c);
  joiner.end();
  const parts: Buffer[] = [];
  for await (const b of joiner as AsyncIterable<Buffer>) parts.push(b);
  return Buffer.concat(parts);
}

/**
 * The raw message with the repairs above applied; unchanged when none is needed. Never throws
 * for a message mailsplit cannot split: then the original goes to mailparser, which explains.
 */
export async function repairRawEmail(input: Buffer): Promise<Buffer> {
  const raw = withoutLeadingJunk(input);
  // Raw UTF-8 in the top-level headers is mailparser's to read; only 8-bit bodies need a pass.
  if (!hasHighByte(raw, bodyStart(raw))) return raw;
  try {
    return await repairParts(raw);
  } catch {
    return raw;
  }
}
