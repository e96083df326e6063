import type { Channel } from "../message/channel.js";
import type { ConversationStore } from "./store.js";
import type { ConversationStatus, ConversationSummary } from "./types.js";

/** What the admin list filters by; every field optional, all given must match. */
export interface ConversationFilter {
  /** A reference as typed (`C-7KQ2M`, `c7kq2m`): at most one conversation. */
  ref?: string;
  affiliate?: string;
  channel?: Channel;
  status?: ConversationStatus;
  /** Active on or after this time: last message at or after `from`. */
  from?: Date;
  /** Active on or before this time: opened at or before `to`. */
  to?: Date;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Summaries read per round trip while filtering. */
const BATCH = 1000;
const MAX_LIMIT = 500;

/**
 * Searches conversations for the admin list, most recent activity first. Reads only the
 * summaries the store keeps beside each sealed record (ids, reference, affiliate, channel,
 * status, times): nothing is decrypted. A reference is looked up directly; other filters walk
 * the summaries in order of activity and stop once the page is full, so a recent page is cheap
 * and an exhaustive one reads every summary (one round trip per 1,000 conversations).
 */
export async function searchConversations(
  store: ConversationStore,
  filter: ConversationFilter,
  page: Page,
): Promise<ConversationSummary[]> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  if (filter.ref !== undefined) {
    const one = await store.summaryByRef(filter.ref);
    return one && matches(one, filter) && offset === 0 ? [one] : [];
  }
  const out: ConversationSummary[] = [];
  let skipped = 0;
  for (let at = 0; ; at += BATCH) {
    const batch = await store.list({ offset: at, limit: BATCH });
    for (const s of batch) {
      // Ordered by last activity: nothing further on is active after `from`.
      if (filter.from && Date.parse(s.lastMessageAt) < filter.from.getTime()) return out;
      if (!matches(s, filter)) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      out.push(s);
      if (out.length >= limit) return out;
    }
    if (batch.length < BATCH) return out;
  }
}

/** How many conversations match (for the list's page count); reads every summary it needs. */
export async function countConversations(
  store: ConversationStore,
  filter: ConversationFilter,
): Promise<number> {
  if (filter.ref !== undefined) {
    const one = await store.summaryByRef(filter.ref);
    return one && matches(one, filter) ? 1 : 0;
  }
  let n = 0;
  for (let at = 0; ; at += BATCH) {
    const batch = await store.list({ offset: at, limit: BATCH });
    for (const s of batch) {
      if (filter.from && Date.parse(s.lastMessageAt) < filter.from.getTime()) return n;
      if (matches(s, filter)) n++;
    }
    if (batch.length < BATCH) return n;
  }
}

function matches(s: ConversationSummary, f: ConversationFilter): boolean {
  if (f.affiliate !== undefined && s.affiliate !== f.affiliate) return false;
  if (f.channel !== undefined && s.channel !== f.channel) return false;
  if (f.status !== undefined && s.status !== f.status) return false;
  if (f.from && Date.parse(s.lastMessageAt) < f.from.getTime()) return false;
  if (f.to && Date.parse(s.createdAt) > f.to.getTime()) return false;
  return true;
}
