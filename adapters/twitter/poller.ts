import type { TwitterApiv2 } from "twitter-api-v2";
import { AdapterError } from "../../src/errors.js";
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

/**
 * Guards against a server that never stops handing out next_token: far beyond any real backlog
 * (X lists 30 days of DMs). Reaching it fails the round (nothing taken in, the cursor stays), so
 * no message is skipped; it is not a page limit that drops the older ones.
 */
const RUNAWAY_PAGES = 20_000;

/** One page of a timeline as X sends it (`data`, `includes.users`, `meta.next_token`). */
export interface RawPage {
  data?: Record<string, unknown>[];
  includes?: { users?: TwitterUser[] };
  meta?: { next_token?: string };
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
 * A page-down of a newest-first timeline to the saved high-water mark (exclusive). It is fed one
 * page at a time, so a walk cut by a 429 resumes from `nextToken` after the reset instead of
 * starting over (X allows 15 DM reads per 15 minutes; a long backlog spans several windows).
 * Everything above the mark is collected however many pages it spans; when the platform's list
 * ends before the mark (X keeps DMs for 30 days), `historyGap` says so, for a warning and a metric.
 */
export class TimelineWalk {
  /** Newest first, as the pages come. */
  private readonly collected: StreamItem[] = [];
  private readonly tokens = new Set<string>();
  /** The token of the next page to fetch; undefined before the first page. */
  nextToken: string | undefined;
  pages = 0;
  finished = false;
  /** The walk saw an item at or below the high-water mark. */
  reachedHighWater = false;

  constructor(readonly highWater: string | null) {}

  /** Takes in one page; afterwards `finished` says whether another page is needed. */
  absorb(page: RawPage): void {
    this.pages += 1;
    const rows = page.data ?? [];
    for (const row of rows) {
      const id = typeof row.id === "string" && SNOWFLAKE.test(row.id) ? row.id : "";
      // A row without a usable id cannot be ordered: it is passed on (to be quarantined) but
      // neither ends the page-down nor becomes a cursor.
      if (id !== "" && this.highWater !== null && !isNewer(id, this.highWater)) {
        this.reachedHighWater = true;
        this.finished = true;
        return;
      }
      this.collected.push({ id, payload: withAuthor(row, page.includes?.users) });
    }
    const next = page.meta?.next_token;
    if (next === undefined || next === "" || rows.length === 0) {
      this.finished = true;
      return;
    }
    if (this.tokens.has(next) || this.pages >= RUNAWAY_PAGES) {
      throw new AdapterError(
        "twitter",
        "ADAPTER_NETWORK",
        `the timeline does not end (${this.pages} pages, next_token ${this.tokens.has(next) ? "repeated" : "still given"}); nothing taken in, retrying`,
        { retryable: true },
      );
    }
    this.tokens.add(next);
    this.nextToken = next;
  }

  /** The items above the high-water mark, oldest first (the order to submit and advance in). */
  items(): StreamItem[] {
    return [...this.collected].reverse();
  }

  /**
   * The platform's list ended before the saved mark: DMs between the mark and the oldest item
   * listed are no longer listed by the platform and cannot be read. Mentions are asked with
   * since_id, so their list ends at the mark by design and never counts as a gap.
   */
  historyGap(stream: StreamName): boolean {
    return (
      stream === "dm_events" && this.finished && this.highWater !== null && !this.reachedHighWater
    );
  }
}

const USER_FIELDS = ["location", "name", "username"] as const;

/** One page of DM events (MessageCreate only), newest first. `GET /2/dm_events` has no since_id. */
export async function fetchDmPage(
  v2: TwitterApiv2,
  pageSize: number,
  token: string | undefined,
): Promise<RawPage> {
  const page = await v2.listDmEvents({
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
    ...(token === undefined ? {} : { pagination_token: token }),
  });
  return page.data as unknown as RawPage;
}

/** One page of mentions of `userId` above `highWater` (since_id bounds it server-side). */
export async function fetchMentionPage(
  v2: TwitterApiv2,
  userId: string,
  highWater: string | null,
  pageSize: number,
  token: string | undefined,
): Promise<RawPage> {
  const page = await v2.userMentionTimeline(userId, {
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
    ...(token === undefined ? {} : { pagination_token: token }),
  });
  return page.data as unknown as RawPage;
}
