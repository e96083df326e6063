import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A local X API v2 server for adapter tests, speaking the endpoints the Twitter adapter uses with
 * the documented shapes: `data`, `includes.users`, `meta.{result_count,next_token,newest_id,oldest_id}`,
 * newest-first pages, `since_id`, `pagination_token`, `x-rate-limit-*` headers and 429 on demand.
 */

export interface FakeUser {
  id: string;
  name: string;
  username: string;
  location?: string;
}

interface DmEvent {
  id: string;
  event_type: "MessageCreate" | "ParticipantsJoin";
  text?: string;
  sender_id: string;
  dm_conversation_id: string;
  created_at: string;
}

interface Tweet {
  id: string;
  text: string;
  author_id: string;
  conversation_id: string;
  created_at: string;
  lang: string;
}

export interface FakeTwitterOptions {
  /** Largest page the server hands out, whatever max_results asks (forces pagination). */
  pageSize?: number;
  /** How many of the newest DM events are still listed (X: those of the last 30 days). */
  dmHistoryLimit?: number;
}

/** A request the fake saw, for asserting query parameters. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export class FakeTwitterApi {
  readonly bot: FakeUser = { id: "990001", name: "Contact Bot", username: "contactbot" };
  readonly requests: SeenRequest[] = [];
  /** Status codes of the answers sent, in order (pushed once the answer is written). */
  readonly answered: number[] = [];
  private readonly users = new Map<string, FakeUser>([[this.bot.id, this.bot]]);
  private readonly dmEvents: DmEvent[] = []; // oldest first
  private readonly tweets: Tweet[] = [];
  private readonly sent: { to: string; text: string }[] = [];
  // Snowflake-like ids: 19 digits, increasing.
  private nextId = 1_860_000_000_000_000_000n;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private rateLimitSends = 0;
  private readonly rateLimitReads = new Map<"dm_events" | "mentions", number>();
  /** Per timeline: reads still answered before the next one gets a 429. */
  private readonly readsBeforeLimit = new Map<"dm_events" | "mentions", number>();
  private rateLimitSeconds = 1;
  /** Users who do not accept DMs from the bot: sends to them are refused with 403. */
  readonly closedDms = new Set<string>();
  /** When true every request is answered 401, as with revoked credentials. */
  authFails = false;
  /** When true requests are read but never answered, as with a hung server. */
  hang = false;

  constructor(private readonly options: FakeTwitterOptions = {}) {}

  /** Listens on 127.0.0.1 (a fixed port lets a test restart the "platform" on the same URL). */
  async start(port = 0): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    return this.baseUrl;
  }

  get baseUrl(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) throw new Error("fake not started");
    return `http://127.0.0.1:${addr.port}/2/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private newId(): string {
    this.nextId += 4_194_304n * 1000n; // one second later, in snowflake terms
    return this.nextId.toString();
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /** A reader DMs the bot; resolves to the event id. */
  injectDm(
    sender: FakeUser,
    text: string,
    eventType: DmEvent["event_type"] = "MessageCreate",
  ): string {
    this.addUser(sender);
    const id = this.newId();
    this.dmEvents.push({
      id,
      event_type: eventType,
      ...(eventType === "MessageCreate" ? { text } : {}),
      sender_id: sender.id,
      dm_conversation_id: `${sender.id}-${this.bot.id}`,
      created_at: new Date().toISOString(),
    });
    return id;
  }

  /** Puts an arbitrary (malformed) object into the DM timeline, as a misbehaving API would. */
  injectRawDmEvent(raw: Record<string, unknown>): void {
    this.dmEvents.push(raw as unknown as DmEvent);
  }

  /** A reader mentions the bot in a tweet; resolves to the tweet id. */
  injectMention(author: FakeUser, text: string): string {
    this.addUser(author);
    const id = this.newId();
    this.tweets.push({
      id,
      text: `@${this.bot.username} ${text}`,
      author_id: author.id,
      conversation_id: id,
      created_at: new Date().toISOString(),
      lang: "en",
    });
    return id;
  }

  /** Texts the bot sent, in order: DMs as `twitter:dm:<conversation>`, replies as `twitter:tweet:<id>`. */
  sentTexts(): { to: string; text: string }[] {
    return [...this.sent];
  }

  /** Answers the next `n` send requests with 429 and `x-rate-limit-reset` `seconds` ahead. */
  rateLimitNextSends(n = 1, seconds = 1): void {
    this.rateLimitSends += n;
    this.rateLimitSeconds = seconds;
  }

  /** Answers the next `n` reads of a timeline with 429 and `x-rate-limit-reset` `seconds` ahead. */
  rateLimitNextReads(n = 1, seconds = 1, timeline: "dm_events" | "mentions" = "dm_events"): void {
    this.rateLimitReads.set(timeline, (this.rateLimitReads.get(timeline) ?? 0) + n);
    this.rateLimitSeconds = seconds;
  }

  /** Answers `ok` more reads of a timeline, then one 429 (a rate limit hit in the middle of a page-down). */
  rateLimitAfterReads(
    ok: number,
    seconds = 1,
    timeline: "dm_events" | "mentions" = "dm_events",
  ): void {
    this.readsBeforeLimit.set(timeline, ok);
    this.rateLimitSeconds = seconds;
  }

  private rateHeaders(remaining: number): Record<string, string> {
    return {
      "x-rate-limit-limit": "15",
      "x-rate-limit-remaining": String(remaining),
      "x-rate-limit-reset": String(Math.ceil(Date.now() / 1000) + this.rateLimitSeconds),
    };
  }

  private reply(res: http.ServerResponse, status: number, body: unknown, remaining = 14): void {
    res.writeHead(status, { "content-type": "application/json", ...this.rateHeaders(remaining) });
    res.end(JSON.stringify(body), () => this.answered.push(status));
  }

  private problem(res: http.ServerResponse, status: number, title: string): void {
    this.reply(
      res,
      status,
      { title, detail: title, type: "about:blank", status },
      status === 429 ? 0 : 14,
    );
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const method = req.method ?? "GET";
      this.requests.push({ method, path: url.pathname, query: url.searchParams });
      if (this.hang) return;
      if (this.authFails || !req.headers.authorization)
        return this.problem(res, 401, "Unauthorized");
      let body: { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } } = {};
      try {
        if (chunks.length > 0)
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return this.problem(res, 400, "Invalid JSON");
      }
      this.route(method, url, body, res);
    });
  }

  private route(
    method: string,
    url: URL,
    body: { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } },
    res: http.ServerResponse,
  ): void {
    const path = url.pathname;
    const q = url.searchParams;
    if (method === "GET" && path === "/2/users/me") return this.reply(res, 200, { data: this.bot });
    if (method === "GET" && (path === "/2/dm_events" || /^\/2\/users\/\d+\/mentions$/.test(path))) {
      const timeline = path === "/2/dm_events" ? "dm_events" : "mentions";
      const limited = this.rateLimitReads.get(timeline) ?? 0;
      if (limited > 0) {
        this.rateLimitReads.set(timeline, limited - 1);
        return this.problem(res, 429, "Too Many Requests");
      }
      const before = this.readsBeforeLimit.get(timeline);
      if (before !== undefined) {
        if (before === 0) {
          this.readsBeforeLimit.delete(timeline);
          return this.problem(res, 429, "Too Many Requests");
        }
        this.readsBeforeLimit.set(timeline, before - 1);
      }
      if (path === "/2/dm_events") {
        const types = q.get("event_types")?.split(",");
        const events = this.dmEvents.filter((e) => !types || types.includes(e.event_type));
        const limit = this.options.dmHistoryLimit;
        const listed =
          limit === undefined ? events : events.slice(Math.max(0, events.length - limit));
        return this.page(res, listed, q, "sender_id", false);
      }
      const userId = path.split("/")[3];
      if (userId !== this.bot.id) return this.problem(res, 403, "Forbidden");
      const since = q.get("since_id");
      const tweets = this.tweets.filter((t) => since === null || BigInt(t.id) > BigInt(since));
      return this.page(res, tweets, q, "author_id", true);
    }
    if (method === "POST") {
      if (typeof body.text !== "string" || body.text.length === 0) {
        return this.problem(res, 400, "text is required");
      }
      if (this.rateLimitSends > 0) {
        this.rateLimitSends -= 1;
        return this.problem(res, 429, "Too Many Requests");
      }
      const conv = /^\/2\/dm_conversations\/([0-9-]+)\/messages$/.exec(path);
      const withUser = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(path);
      if (conv?.[1] || withUser?.[1]) {
        const conversation = conv?.[1] ?? `${withUser?.[1]}-${this.bot.id}`;
        const recipient = withUser?.[1] ?? conversation.split("-")[0] ?? "";
        if (this.closedDms.has(recipient)) {
          return this.problem(
            res,
            403,
            "You are not permitted to send Direct Messages to this user",
          );
        }
        const id = this.newId();
        // X lists the bot's own DMs in /2/dm_events too; the adapter must step over them.
        this.dmEvents.push({
          id,
          event_type: "MessageCreate",
          text: body.text,
          sender_id: this.bot.id,
          dm_conversation_id: conversation,
          created_at: new Date().toISOString(),
        });
        this.sent.push({ to: `twitter:dm:${conversation}`, text: body.text });
        return this.reply(res, 201, {
          data: { dm_conversation_id: conversation, dm_event_id: id },
        });
      }
      if (path === "/2/tweets") {
        const parent = body.reply?.in_reply_to_tweet_id;
        if (typeof parent !== "string") return this.problem(res, 400, "reply target required");
        const id = this.newId();
        this.sent.push({ to: `twitter:tweet:${parent}`, text: body.text });
        return this.reply(res, 201, { data: { id, text: body.text } });
      }
    }
    this.problem(res, 404, "Not Found");
  }

  /** Newest-first page of `items` honouring max_results (capped by pageSize) and pagination_token. */
  private page(
    res: http.ServerResponse,
    items: (DmEvent | Tweet)[],
    q: URLSearchParams,
    authorKey: "sender_id" | "author_id",
    tweetMeta: boolean,
  ): void {
    const newestFirst = [...items].reverse();
    const asked = Number(q.get("max_results") ?? 100);
    const size = Math.min(Number.isFinite(asked) ? asked : 100, this.options.pageSize ?? 100);
    // The token is the id of the first item of the next page, so it stays valid as new items arrive.
    const token = q.get("pagination_token");
    const start = token === null ? 0 : newestFirst.findIndex((i) => i.id === token);
    if (start < 0) return this.problem(res, 400, "Invalid pagination_token");
    const slice = newestFirst.slice(start, start + size);
    const next = newestFirst[start + size];
    const meta: Record<string, unknown> = { result_count: slice.length };
    if (tweetMeta && slice.length > 0) {
      meta.newest_id = slice[0]?.id;
      meta.oldest_id = slice[slice.length - 1]?.id;
    }
    if (next) meta.next_token = next.id;
    if (slice.length === 0) return this.reply(res, 200, { meta });
    const wantUsers = q.get("expansions")?.split(",").includes(authorKey);
    const fields = new Set(q.get("user.fields")?.split(",") ?? []);
    const users = [
      ...new Set(
        slice.map((i) =>
          authorKey === "sender_id" ? (i as DmEvent).sender_id : (i as Tweet).author_id,
        ),
      ),
    ]
      .map((id) => this.users.get(id))
      .filter((u): u is FakeUser => u !== undefined)
      .map((u) => ({
        id: u.id,
        name: u.name,
        username: u.username,
        ...(fields.has("location") && u.location ? { location: u.location } : {}),
      }));
    this.reply(res, 200, { data: slice, ...(wantUsers ? { includes: { users } } : {}), meta });
  }
}
