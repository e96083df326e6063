import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { RouterError } from "../errors.js";

/**
 * The audit log: who did what to which object, and when. An append-only Redis stream under the
 * pipeline's prefix. Nothing here can change or remove an entry except the retention purge,
 * which only trims the oldest entries (docs/privacy.md, "Audit log").
 *
 * Entries carry no personal data: objects are named by conversation reference (`C-7KQ2M`), job
 * or entry reference, or keyed hash, never by an address, a name or a message. `record` refuses
 * values that look like an email address or a phone number, so a slip in a caller fails loudly.
 *
 * Each entry is tamper-evident: `p` links it to the previous entry (SHA-1 of that entry, computed
 * by Redis in the same step as the append), and `c` seals a digest of its own fields with the data
 * key, so an entry edited or removed through raw Redis access shows in `verify`.
 */
export interface AuditEntry {
  /** The stream id (`<ms>-<seq>`): unique, ordered, usable as `before`. */
  id: string;
  /** ISO time of the entry. */
  at: string;
  /** Who did it: an admin account name, or `cli` / `contact-router` for the service itself. */
  actor: string;
  /** What was done, e.g. `rules.save`, `conversation.view`, `forget`, `dlq.retry`. */
  action: string;
  /** Which object: a reference or keyed hash, never personal data. */
  object?: string;
  /** Counts, codes and ids that say more. */
  detail?: Record<string, string | number | boolean>;
}

/** What `record` takes. */
export interface AuditEvent {
  actor: string;
  action: string;
  object?: string;
  detail?: Record<string, string | number | boolean>;
}

export interface AuditLog {
  /** Appends one entry. Throws INVALID_PAYLOAD when a value looks like personal data. */
  record(e: AuditEvent): Promise<void>;
  /** Newest first; `before`: only entries older than that id. */
  list(opts: { limit: number; before?: string }): Promise<AuditEntry[]>;
  /** Every entry, oldest first, a page at a time (for `audit export`). */
  entries(): AsyncGenerator<AuditEntry>;
  /** How many entries the log holds. */
  count(): Promise<number>;
  /** Checks every link and seal; what fails is named by entry id. */
  verify(): Promise<AuditVerification>;
  /** Removes entries older than `cutoff` (the retention purge); returns how many. */
  trimBefore(cutoff: Date): Promise<number>;
}

export interface AuditVerification {
  checked: number;
  /** Entries whose seal does not open or whose digest differs (edited through raw Redis). */
  altered: string[];
  /** Entries whose link does not match the entry before them (an entry removed or inserted). */
  broken: string[];
  /** Entries sealed with a data key the keyring no longer holds: not checkable. */
  unverifiable: number;
}

export interface AuditLogOptions {
  redis: Redis;
  /** The pipeline's hash-tagged key prefix. */
  prefix: string;
  /** Seals each entry's digest (tamper evidence); the fields themselves stay readable. */
  envelope: Envelope;
}

const MAX_FIELD = 200;
const MAX_DETAIL_KEYS = 30;
const PAGE = 500;
const EMAIL = /[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/;
/** International numbers as written (`+49 170 1234567`); bare digit runs are too common in hashes. */
const PHONE = /\+\d[\d\s().-]{6,}\d/;
/** Prefixed platform ids (`telegram:12345`): they name a reader. */
const PLATFORM_ID = /\b(?:telegram|discord|twitter|email|web):\S/i;
const CONTEXT = "audit";

/**
 * KEYS: stream. ARGV: actor, action, object, detail, seal.
 * Appends with `p` = SHA-1 of the previous entry's id and fields, in one atomic step.
 */
const APPEND = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local p = ''
if last[1] then p = redis.sha1hex(last[1][1] .. '\\0' .. table.concat(last[1][2], '\\0')) end
return redis.call('XADD', KEYS[1], '*', 'a', ARGV[1], 'x', ARGV[2], 'o', ARGV[3], 'd', ARGV[4], 'p', p, 'c', ARGV[5])
`;

/** The key of the audit stream under a prefix. */
export function auditKey(prefix: string): string {
  return `${prefix}:audit`;
}

/** The Redis-stream audit log. */
export function createAuditLog(opts: AuditLogOptions): AuditLog {
  const { redis, envelope } = opts;
  const key = auditKey(opts.prefix);

  function parse(id: string, flat: string[]): AuditEntry & { p: string; c: string; d: string } {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
    const entry: AuditEntry & { p: string; c: string; d: string } = {
      id,
      at: new Date(Number(id.slice(0, id.indexOf("-")))).toISOString(),
      actor: f.a ?? "",
      action: f.x ?? "",
      p: f.p ?? "",
      c: f.c ?? "",
      d: f.d ?? "",
    };
    if (f.o) entry.object = f.o;
    if (f.d) entry.detail = JSON.parse(f.d) as AuditEntry["detail"] & object;
    return entry;
  }

  const strip = (e: AuditEntry & { p?: string; c?: string; d?: string }): AuditEntry => {
    const { p: _p, c: _c, d: _d, ...rest } = e;
    return rest;
  };

  return {
    async record(e) {
      const actor = clean("actor", e.actor, true);
      const action = clean("action", e.action, true);
      const object = e.object === undefined ? "" : clean("object", e.object, false);
      const entries = Object.entries(e.detail ?? {});
      if (entries.length > MAX_DETAIL_KEYS) {
        throw new RouterError(
          "INVALID_PAYLOAD",
          `audit detail has more than ${MAX_DETAIL_KEYS} keys`,
        );
      }
      const detail: Record<string, string | number | boolean> = {};
      for (const [k, v] of entries) {
        clean("detail key", k, true);
        detail[k] = typeof v === "string" ? clean(`detail ${k}`, v, false) : v;
      }
      const d = entries.length > 0 ? JSON.stringify(detail) : "";
      const seal = envelope.seal(digest(actor, action, object, d), CONTEXT);
      await redis.eval(APPEND, 1, key, actor, action, object, d, seal);
    },

    async list({ limit, before }) {
      const n = Math.max(1, Math.min(1000, Math.floor(limit)));
      const end = before ? `(${before}` : "+";
      const rows = (await redis.xrevrange(key, end, "-", "COUNT", n)) as [string, string[]][];
      return rows.map(([id, flat]) => strip(parse(id, flat)));
    },

    async *entries() {
      let start = "-";
      for (;;) {
        const rows = (await redis.xrange(key, start, "+", "COUNT", PAGE)) as [string, string[]][];
        for (const [id, flat] of rows) yield strip(parse(id, flat));
        if (rows.length < PAGE) return;
        start = `(${rows[rows.length - 1]![0]}`;
      }
    },

    count() {
      return redis.xlen(key);
    },

    async verify() {
      const out: AuditVerification = { checked: 0, altered: [], broken: [], unverifiable: 0 };
      let start = "-";
      let prev: [string, string[]] | null = null;
      for (;;) {
        const rows = (await redis.xrange(key, start, "+", "COUNT", PAGE)) as [string, string[]][];
        for (const row of rows) {
          const e = parse(row[0], row[1]);
          out.checked++;
          if (prev && e.p !== sha1(`${prev[0]}\0${prev[1].join("\0")}`)) out.broken.push(e.id);
          try {
            const want = digest(e.actor, e.action, e.object ?? "", e.d);
            if (envelope.openText(e.c, CONTEXT) !== want) out.altered.push(e.id);
          } catch (err) {
            if (err instanceof RouterError && err.code === "KEY_UNAVAILABLE") out.unverifiable++;
            else out.altered.push(e.id);
          }
          prev = row;
        }
        if (rows.length < PAGE) return out;
        start = `(${rows[rows.length - 1]![0]}`;
      }
    },

    async trimBefore(cutoff) {
      // MINID trims entries with smaller ids: exactly those recorded before the cutoff.
      return Number(await redis.xtrim(key, "MINID", `${cutoff.getTime()}-0`));
    },
  };
}

function digest(actor: string, action: string, object: string, detail: string): string {
  return createHash("sha256").update([actor, action, object, detail].join("\0")).digest("hex");
}

function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/** Checks one value: short, one line, not an address or phone number. */
function clean(what: string, value: string, required: boolean): string {
  const v = String(value);
  if (required && v.trim() === "")
    throw new RouterError("INVALID_PAYLOAD", `audit ${what} is empty`);
  if (v.length > MAX_FIELD) {
    throw new RouterError(
      "INVALID_PAYLOAD",
      `audit ${what} is longer than ${MAX_FIELD} characters`,
    );
  }
  if (/[\r\n\0]/.test(v))
    throw new RouterError("INVALID_PAYLOAD", `audit ${what} has a line break`);
  if (EMAIL.test(v) || PHONE.test(v) || PLATFORM_ID.test(v)) {
    throw new RouterError(
      "INVALID_PAYLOAD",
      `audit ${what} looks like personal data (an address or number); name the object by reference or keyed hash`,
    );
  }
  return v;
}
