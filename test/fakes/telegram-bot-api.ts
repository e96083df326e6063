import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A Bot API error as Telegram sends it. */
export interface BotApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** One text the bot sent. */
export interface SentMessage {
  chat_id: number;
  text: string;
  message_id: number;
  reply_to?: number;
  at: number;
}

type Json = Record<string, unknown>;

interface Waiter {
  res: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

/**
 * A local server speaking the Telegram Bot API over HTTP, enough for telegraf's client:
 * getMe, getUpdates (offset confirmation and long-poll timeout exactly as documented, 409 when a
 * newer getUpdates or a webhook supersedes), sendMessage, setWebhook, deleteWebhook, getWebhookInfo.
 * Errors are `{ok:false, error_code, description, parameters}`.
 */
export class FakeTelegramBotApi {
  readonly token: string;
  readonly bot = {
    id: 7_000_000_001,
    is_bot: true,
    first_name: "Contact Router",
    username: "contact_router_bot",
  };
  /** Every text the bot sent, in order. */
  readonly sent: SentMessage[] = [];
  /** Every call by method name, with its parameters, in order. */
  readonly calls: { method: string; params: Json }[] = [];
  webhook: { url: string; secret_token?: string; allowed_updates?: unknown } | null = null;
  /** How many times each update_id was handed out by getUpdates (above 1: a replay). */
  readonly deliveries = new Map<number, number>();
  private queue: Json[] = [];
  private nextUpdateId = 100_000;
  private nextMessageId = new Map<number, number>();
  private waiter: Waiter | null = null;
  private failures = new Map<string, BotApiError[]>();
  private server: Server | null = null;

  constructor(token = "7000000001:AAFakeTokenForTestsOnly_abcdefghijkl") {
    this.token = token;
  }

  /** Starts on an ephemeral port; resolves to the apiRoot for telegraf. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    return this.apiRoot;
  }

  get apiRoot(): string {
    const port = (this.server?.address() as AddressInfo | null)?.port;
    if (port === undefined) throw new Error("fake Bot API not started");
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    if (this.waiter) this.answer(this.waiter.res, 200, { ok: true, result: [] }, this.waiter);
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues an update (update_id assigned, increasing) and wakes a waiting getUpdates. */
  pushUpdate(body: Json): number {
    const update_id = this.nextUpdateId++;
    this.queue.push({ update_id, ...body });
    this.wake();
    return update_id;
  }

  /** A new message_id in a chat, as Telegram numbers them per chat. */
  messageId(chatId: number): number {
    const id = (this.nextMessageId.get(chatId) ?? 0) + 1;
    this.nextMessageId.set(chatId, id);
    return id;
  }

  /** Makes the next `count` calls of `method` fail with `error`. */
  failNext(method: string, error: BotApiError, count = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(error);
    this.failures.set(method, list);
  }

  /** Forgets failures set with failNext that have not been used yet. */
  clearFailures(): void {
    this.failures.clear();
  }

  /** Answers the next sendMessage with 429 and `retry_after`. */
  rateLimitNextSend(retryAfterSeconds: number): void {
    this.failNext("sendMessage", {
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfterSeconds}`,
      parameters: { retry_after: retryAfterSeconds },
    });
  }

  /** Updates not yet confirmed by an offset. */
  pendingUpdates(): Json[] {
    return [...this.queue];
  }

  /** Offsets getUpdates was called with, in order. */
  offsets(): number[] {
    return this.calls
      .filter((c) => c.method === "getUpdates")
      .map((c) => Number(c.params.offset ?? 0));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match)
      return this.answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match as unknown as [string, string, string];
    const params: Json = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (raw.length > 0) {
      try {
        Object.assign(
          params,
          (req.headers["content-type"] ?? "").includes("json")
            ? (JSON.parse(raw) as Json)
            : Object.fromEntries(new URLSearchParams(raw)),
        );
      } catch {
        return this.fail(res, { error_code: 400, description: "Bad Request: can't parse JSON" });
      }
    }
    this.calls.push({ method, params });
    if (token !== this.token)
      return this.fail(res, { error_code: 401, description: "Unauthorized" });
    const injected = this.failures.get(method)?.shift();
    if (injected) return this.fail(res, injected);
    switch (method) {
      case "getMe":
        return this.ok(res, {
          ...this.bot,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case "deleteWebhook":
        this.webhook = null;
        if (params.drop_pending_updates === true || params.drop_pending_updates === "true")
          this.queue = [];
        return this.ok(res, true);
      case "setWebhook":
        if (typeof params.url !== "string")
          return this.fail(res, {
            error_code: 400,
            description: "Bad Request: bad webhook: URL must be provided",
          });
        this.webhook = {
          url: params.url,
          ...(typeof params.secret_token === "string" ? { secret_token: params.secret_token } : {}),
          allowed_updates: params.allowed_updates,
        };
        if (this.waiter) this.conflict(this.waiter, "Conflict: terminated by setWebhook request");
        return this.ok(res, true);
      case "getWebhookInfo":
        return this.ok(res, {
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        });
      case "getUpdates":
        return this.getUpdates(params, req, res);
      case "sendMessage":
        return this.sendMessage(params, res);
      default:
        return this.fail(res, { error_code: 404, description: "Not Found: method not found" });
    }
  }

  private getUpdates(params: Json, _req: IncomingMessage, res: ServerResponse): void {
    if (this.webhook) {
      return this.fail(res, {
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    // As documented: an update is confirmed once getUpdates is called with a higher offset.
    if (offset > 0) this.queue = this.queue.filter((u) => (u.update_id as number) >= offset);
    if (this.waiter)
      this.conflict(
        this.waiter,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
    const ready = this.queue.slice(0, limit);
    if (ready.length > 0 || timeout === 0) return this.deliver(res, ready);
    const waiter: Waiter = {
      res,
      offset,
      limit,
      timer: setTimeout(
        () => this.answer(res, 200, { ok: true, result: [] }, waiter),
        timeout * 1000,
      ),
    };
    this.waiter = waiter;
    res.once("close", () => this.release(waiter));
  }

  private sendMessage(params: Json, res: ServerResponse): void {
    const chatId = Number(params.chat_id);
    const text = typeof params.text === "string" ? params.text : "";
    if (!Number.isSafeInteger(chatId))
      return this.fail(res, { error_code: 400, description: "Bad Request: chat not found" });
    if (text.trim().length === 0)
      return this.fail(res, { error_code: 400, description: "Bad Request: message text is empty" });
    if (text.length > 4096)
      return this.fail(res, { error_code: 400, description: "Bad Request: message is too long" });
    const message_id = this.messageId(chatId);
    const replyTo = (params.reply_parameters as { message_id?: number } | undefined)?.message_id;
    this.sent.push({
      chat_id: chatId,
      text,
      message_id,
      at: Date.now(),
      ...(replyTo === undefined ? {} : { reply_to: replyTo }),
    });
    this.ok(res, {
      message_id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" },
      from: this.bot,
      text,
    });
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    const ready = this.queue.filter((u) => (u.update_id as number) >= w.offset).slice(0, w.limit);
    if (ready.length > 0) this.deliver(w.res, ready, w);
  }

  private deliver(res: ServerResponse, updates: Json[], waiter?: Waiter): void {
    for (const u of updates) {
      const id = u.update_id as number;
      this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
    }
    this.answer(res, 200, { ok: true, result: updates }, waiter);
  }

  private conflict(w: Waiter, description: string): void {
    this.answer(w.res, 409, { ok: false, error_code: 409, description }, w);
  }

  private release(w: Waiter): void {
    clearTimeout(w.timer);
    if (this.waiter === w) this.waiter = null;
  }

  private ok(res: ServerResponse, result: unknown): void {
    this.answer(res, 200, { ok: true, result });
  }

  private fail(res: ServerResponse, e: BotApiError): void {
    this.answer(res, e.error_code, { ok: false, ...e });
  }

  private answer(res: ServerResponse, status: number, body: Json, waiter?: Waiter): void {
    if (waiter) this.release(waiter);
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}
