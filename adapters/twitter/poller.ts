import type { TwitterApiv2 } from "twitter-api-v2";
import type { TwitterPayload, TwitterUser } from "./normalize.js";

/** One stream the adapter follows, each with its own high-water mark in the cursor store. */
export type StreamName = "dm_events" | "mentions";

/** One new item of a stream, as `normalizeTwitter` takes it. */
export interface StreamItem {
  /** The item's snowflake id, or "" when the platform sent none usable. */
  id: string;
  payload: TwitterPayload;
}

/** Snowflake order: longer is newer, equal length compares as text (no BigInt needed). */
export function isNewer(id: string, than: string): boolean {
  return id.length !== than.length ? id.length > than.length : id > than;
}

const SNOWFLAKE = /^[1-9]\d{0,19}$/;

/** A safety net against a server that keeps handing out next_token: 100 pages is 10,000 items. */
const MAX_PAGES = 100;

interface RawPage {
  data?: Record<string, unknown>[];
  includes?: { users?: TwitterUser[] };
  meta?: { next_token?: string };
}

interface Paginator {
  data: RawPage;
  done: boolean;
  next(): Promise<Paginator>;
}

/** Keeps only the author's User from a page's includes, so a quarantined payload holds no bystanders. */
function withAuthor(
  item: Record<string, unknown>,
  users: TwitterUser[] | undefined,
): TwitterPayload {
  const author = item.sender_id ?? item.author_id;
  const user = users?.find((u) => u.id === author);
  return { data: item, includes: { users: user ? [user] : [] } };
}

/**
 * Pages down a newest-first timeline until it reaches `highWater` (exclusive) or runs out, and
 * returns the items above it oldest-first, so the caller can submit in order and advance the
 * cursor after each one. Everything between two polls is returned however many pages it spans.
 */
async function collect(
  first: Paginator,
  highWater: string | null,
): Promise<{ items: StreamItem[]; truncated: boolean }> {
  const items: StreamItem[] = [];
  let page = first;
  for (let n = 1; ; n += 1) {
    const rows = page.data.data ?? [];
    for (const row of rows) {
      const id = typeof row.id === "string" && SNOWFLAKE.test(row.id) ? row.id : "";
      // A row without a usable id cannot be ordered: it is passed on (to be quarantined) but
      // neither ends the page-down nor becomes a cursor.
      if (id !== "" && highWater !== null && !isNewer(id, highWater)) {
        return { items: items.reverse(), truncated: false };
      }
      items.push({ id, payload: withAuthor(row, page.data.includes?.users) });
    }
    if (page.done || rows.length === 0) return { items: items.reverse(), truncated: false };
    if (n >= MAX_PAGES) return { items: items.reverse(), truncated: true };
    page = await page.next();
  }
}

const USER_FIELDS = ["location", "name", "username"] as const;

/** New DM events (MessageCreate only) above `highWater`, oldest first. `GET /2/dm_events` has no since_id. */
export async function fetchDmEvents(
  v2: TwitterApiv2,
  highWater: string | null,
  pageSize: number,
): Promise<{ items: StreamItem[]; truncated: boolean }> {
  const first = await v2.listDmEvents({
    event_types: "MessageCreate",
    "dm_event.fields": [
      "id",
      "event_type",
      "text",
      "sender_id",
      "dm_conversation_id",
      "created_at",
    ],
    expansions: ["sender_id"],
    "user.fields": [...USER_FIELDS],
    max_results: pageSize,
  });
  return collect(first as unknown as Paginator, highWater);
}

/** New mentions of `userId` above `highWater`, oldest first (since_id bounds it server-side too). */
export async function fetchMentions(
  v2: TwitterApiv2,
  userId: string,
  highWater: string | null,
  pageSize: number,
): Promise<{ items: StreamItem[]; truncated: boolean }> {
  const first = await v2.userMentionTimeline(userId, {
    ...(highWater ? { since_id: highWater } : {}),
    expansions: ["author_id"],
    "tweet.fields": [
      "id",
      "text",
      "author_id",
      "conversation_id",
      "created_at",
      "lang",
      "referenced_tweets",
    ],
    "user.fields": [...USER_FIELDS],
    max_results: Math.max(5, pageSize),
  });
  return collect(first as unknown as Paginator, highWater);
}
