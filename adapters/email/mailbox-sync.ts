import type { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import type { AdapterContext } from "../types.js";
import { InvalidPayloadError } from "../../src/errors.js";
import type { EmailAuthVerdict } from "./auth.js";
import { normalize } from "./normalize.js";

/** The high-water mark kept in the cursor store: everything up to `lastUid` was taken in. */
export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
}

/** Raised when the intake (Redis) refused a message: retry later, on the same connection. */
export class IntakeUnavailableError extends Error {
  constructor(cause: unknown) {
    super("intake unavailable", { cause });
    this.name = "IntakeUnavailableError";
  }
}

/** What one pass needs. */
export interface SyncDeps {
  client: ImapFlow;
  ctx: AdapterContext;
  cursorKey: string;
  maxBytes: number;
  log: Logger;
  /** The email channel's sender check, recorded as evidence (only without `take`). */
  checkAuth?(raw: Buffer): Promise<EmailAuthVerdict>;
  /**
   * Takes one message instead of the channel's normalize-and-submit (the relay's IMAP mailbox).
   * Throws InvalidPayloadError to quarantine the message, IntakeUnavailableError to retry it.
   */
  take?(source: Buffer, receivedAt: Date | undefined): Promise<void>;
  /** True once stop() was called: no submit or cursor write may happen after that. */
  stopped(): boolean;
  /** Called after each message taken in. */
  onInbound(): void;
}

/** Result of one pass, for logs and tests. */
export interface SyncResult {
  mode: "first" | "incremental" | "resync";
  submitted: number;
  quarantined: number;
  skipped: number;
}

export function parseCursor(value: string | null): MailboxCursor | null {
  if (value === null) return null;
  try {
    const v = JSON.parse(value) as Partial<MailboxCursor>;
    if (typeof v.uidValidity === "string" && Number.isInteger(v.lastUid)) {
      return { uidValidity: v.uidValidity, lastUid: v.lastUid ?? 0 };
    }
  } catch {
    // fall through: an unreadable cursor is treated as a UIDVALIDITY change (full resync)
  }
  return { uidValidity: "", lastUid: 0 };
}

async function searchUids(client: ImapFlow, query: Parameters<ImapFlow["search"]>[0]) {
  const found = await client.search(query, { uid: true });
  return (Array.isArray(found) ? found : []).sort((a, b) => a - b);
}

/**
 * Takes every message past the high-water mark into the intake, in UID order. The cursor moves
 * after each message is submitted (or quarantined), and only then is it flagged \Seen.
 * A UIDVALIDITY change re-reads the whole mailbox: each Message-ID is submitted once per pass and
 * the intake dedupes the ones it already has, so a resync never enqueues a message twice.
 */
export async function syncMailbox(d: SyncDeps): Promise<SyncResult> {
  const { client, ctx } = d;
  const mailbox = client.mailbox;
  if (mailbox === false) throw new Error("no mailbox selected");
  const uidValidity = mailbox.uidValidity.toString();
  const uidNextAtStart = mailbox.uidNext;
  const cursor = parseCursor(await ctx.cursors.get(d.cursorKey));

  let mode: SyncResult["mode"];
  let uids: number[];
  let lastUid: number;
  if (cursor === null) {
    // First start on this mailbox: what nobody has read yet, not the mailbox's whole history.
    mode = "first";
    uids = await searchUids(client, { seen: false });
    lastUid = 0;
  } else if (cursor.uidValidity !== uidValidity) {
    mode = "resync";
    uids = await searchUids(client, { all: true });
    lastUid = 0;
    d.log.warn(
      { was: cursor.uidValidity, now: uidValidity, messages: uids.length },
      "UIDVALIDITY changed: resyncing the mailbox (intake dedupes by Message-ID)",
    );
  } else {
    mode = "incremental";
    lastUid = cursor.lastUid;
    // `N:*` also matches the highest UID when it is below N, hence the filter.
    uids = (await searchUids(client, { uid: `${lastUid + 1}:*` })).filter((u) => u > lastUid);
  }

  const result: SyncResult = { mode, submitted: 0, quarantined: 0, skipped: 0 };
  const seenMessageIds = new Set<string>();
  const save = async (uid: number): Promise<void> => {
    lastUid = Math.max(lastUid, uid);
    await ctx.cursors.set(d.cursorKey, JSON.stringify({ uidValidity, lastUid }));
  };

  for (const uid of uids) {
    if (d.stopped()) return result;
    const meta = await client.fetchOne(
      String(uid),
      { uid: true, size: true, flags: true, internalDate: true, envelope: true },
      { uid: true },
    );
    if (meta === false || meta === undefined) continue; // expunged meanwhile
    const ref = `email:uid:${uidValidity}:${uid}`;
    const wasSeen = meta.flags?.has("\\Seen") ?? false;
    const messageId = meta.envelope?.messageId;
    if (mode === "resync" && messageId !== undefined) {
      if (seenMessageIds.has(messageId)) {
        result.skipped++;
        await save(uid);
        continue;
      }
      seenMessageIds.add(messageId);
    }

    let outcome: "submitted" | "quarantined" | "skipped";
    if ((meta.size ?? 0) > d.maxBytes) {
      const head = await client.fetchOne(String(uid), { headers: true }, { uid: true });
      const headers = head === false || head === undefined ? undefined : head.headers;
      outcome = await quarantine(d, ref, `MESSAGE_TOO_LARGE: ${meta.size} bytes`, {
        uidValidity,
        uid,
        size: meta.size,
        headersBase64: headers?.toString("base64"),
      });
    } else {
      const full = await client.fetchOne(String(uid), { source: true }, { uid: true });
      const source = full === false || full === undefined ? undefined : full.source;
      if (source === undefined) continue;
      const internal = meta.internalDate === undefined ? undefined : new Date(meta.internalDate);
      try {
        if (d.take) {
          await d.take(source, internal);
        } else {
          const msg = await normalize(
            source,
            internal === undefined ? {} : { receivedAt: internal },
          );
          if (d.checkAuth) msg.evidence.emailAuth = await d.checkAuth(source);
          if (d.stopped()) return result;
          try {
            await ctx.intake.submit(msg);
          } catch (err) {
            throw new IntakeUnavailableError(err);
          }
        }
        outcome = "submitted";
        d.onInbound();
      } catch (err) {
        if (!(err instanceof InvalidPayloadError)) throw err;
        // A resync meets mail it already handled; quarantining it again would only add noise.
        outcome =
          mode === "resync" && wasSeen
            ? "skipped"
            : await quarantine(d, ref, `${err.code}: ${err.message}`, {
                uidValidity,
                uid,
                sourceBase64: source.toString("base64"),
              });
      }
    }
    if (d.stopped()) return result;
    await save(uid);
    if (!wasSeen) await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
    result[outcome]++;
  }

  // First start or resync: record the new UIDVALIDITY (and, on a first start, skip what was read).
  if (mode !== "incremental" && !d.stopped()) {
    await save(Math.max(lastUid, mode === "first" ? uidNextAtStart - 1 : 0));
  }
  return result;
}

async function quarantine(
  d: SyncDeps,
  ref: string,
  reason: string,
  raw: unknown,
): Promise<"quarantined"> {
  if (d.stopped()) return "quarantined";
  try {
    await d.ctx.intake.quarantine(ref, reason, raw);
  } catch (err) {
    throw new IntakeUnavailableError(err);
  }
  d.log.info({ ref, reason: reason.slice(0, 200) }, "email quarantined");
  return "quarantined";
}
