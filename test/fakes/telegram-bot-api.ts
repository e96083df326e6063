import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A Bot API error as Telegram sends it. */
export interface BotApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** An inline keyboard button with callback data, as the Bot API takes and returns it. */
export interface CallbackButton {
  text: string;
  callback_data: string;
}

/** `InlineKeyboardMarkup`. */
export interface InlineKeyboardMarkup {
  inline_keyboard: CallbackButton[][];
}

/** One text the bot sent. */
export interface SentMessage {
  chat_id: number;
  text: string;
  message_id: number;
  reply_to?: number;
  /** The inline keyboard it was sent with. */
  reply_markup?: InlineKeyboardMarkup;
  at: number;
}

/** A callback query handed out, and how the bot answered it. */
export interface CallbackRecord {
  id: string;
  update_id: number;
  chat_id: number;
  message_id: number;
  data: string;
  /** Set once the bot called answerCallbackQuery for it. */
  answer?: { text?: string; show_alert?: boolean };
}

/** A user pressing a button (the Bot API `User`, without is_bot). */
export interface Presser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

type Json = Record<string, unknown>;

/** What Telegram delivers when `allowed_updates` was never set or set to []. */
const DEFAULT_UPDATES = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_join_request",
];

const QUERY_INVALID =
  "Bad Request: query is too old and response timeout expired or query ID is invalid";

interface Waiter {
  res: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

/**
 * A local server speaking the Telegram Bot API over HTTP, enough for telegraf's client:
 * getMe, getUpdates (offset confirmation and long-poll timeout exactly as documented, 409 when a
 * newer getUpdates or a webhook supersedes), sendMessage (with an inline keyboard in
 * `reply_markup`), answerCallbackQuery, editMessageReplyMarkup, setWebhook, deleteWebhook,
 * getWebhookInfo. `pressButton` is a reader pressing an inline button: a `callback_query` update
 * carrying the message as it is at that moment. Errors are `{ok:false, error_code, description,
 * parameters}`.
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
  /** Updates not delivered because the bot's `allowed_updates` excluded their kind. */
  readonly dropped: Json[] = [];
  /**
   * The update kinds the bot receives: as last set by getUpdates or setWebhook `allowed_updates`;
   * before that (and for an empty list) every kind except chat_member and reactions.
   */
  allowedUpdates: string[] = [...DEFAULT_UPDATES];
  /** Every callback query handed out by pressButton, in order, with the bot's answer. */
  readonly callbacks: CallbackRecord[] = [];
  /** Every message the fake knows (readers' and the bot's), by `chat:message`, as the API shows it. */
  private readonly messages = new Map<string, Json>();
  private nextCallbackId = 4_000_000_000_000_000_000n;
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
    const kind = Object.keys(body).find((k) => k !== "update_id") ?? "";
    if (!this.allowedUpdates.includes(kind)) {
      // Telegram does not create updates of a kind the bot did not ask for.
      this.dropped.push({ update_id, ...body });
      return update_id;
    }
    const message = body.message as Json | undefined;
    if (message && typeof message === "object") this.remember(message);
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

  /**
   * `from` presses the button with `data` under the bot's message `messageId` in `chatId`, as a
   * Telegram client does: only a button the message shows right now can be pressed (else this
   * throws). Queues the `callback_query` update; returns the callback query's id.
   */
  pressButton(from: Presser, chatId: number, messageId: number, data: string): string {
    const message = this.messages.get(`${chatId}:${messageId}`);
    const markup = message?.reply_markup as InlineKeyboardMarkup | undefined;
    if (!markup?.inline_keyboard.flat().some((b) => b.callback_data === data)) {
      throw new Error(
        `fake Bot API: message ${chatId}:${messageId} shows no button with that data`,
      );
    }
    return this.pushCallbackQuery(from, structuredClone(message!), data);
  }

  /**
   * Queues a `callback_query` as given (for forged or stale presses: any `message`, e.g. an
   * `InaccessibleMessage` with date 0, and any `data`). Returns the callback query's id.
   */
  pushCallbackQuery(from: Presser, message: Json, data: string): string {
    const id = String(this.nextCallbackId++);
    const chat = message.chat as { id?: number } | undefined;
    const update_id = this.pushUpdate({
      callback_query: {
        id,
        from: { ...from, is_bot: false },
        message,
        chat_instance: `-${String(chat?.id ?? 0).replace("-", "")}77`,
        data,
      },
    });
    this.callbacks.push({
      id,
      update_id,
      chat_id: Number(chat?.id ?? 0),
      message_id: Number(message.message_id ?? 0),
      data,
    });
    return id;
  }

  /**
   * The message as a client shows it now (a copy): kept by a test, it is what a client that has
   * not yet received a later edit still shows, for `pushCallbackQuery`.
   */
  snapshot(chatId: number, messageId: number): Json {
    const message = this.messages.get(`${chatId}:${messageId}`);
    if (!message) throw new Error(`fake Bot API: no message ${chatId}:${messageId}`);
    return structuredClone(message);
  }

  /** The inline keyboard a message shows now (null: none). */
  keyboardOf(chatId: number, messageId: number): InlineKeyboardMarkup | null {
    const markup = this.messages.get(`${chatId}:${messageId}`)?.reply_markup;
    return (markup as InlineKeyboardMarkup | undefined) ?? null;
  }

  /** Callback queries the bot has not answered yet. */
  unansweredCallbacks(): CallbackRecord[] {
    return this.callbacks.filter((c) => c.answer === undefined);
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
        this.setAllowed(params.allowed_updates);
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
      case "answerCallbackQuery":
        return this.answerCallbackQuery(params, res);
      case "editMessageReplyMarkup":
        return this.editMessageReplyMarkup(params, res);
      default:
        return this.fail(res, { error_code: 404, description: "Not Found: method not found" });
    }
  }

  /** `allowed_updates` as documented: absent keeps the previous setting, [] means the default. */
  private setAllowed(value: unknown): void {
    const list = parseJson(value);
    if (!Array.isArray(list)) return;
    this.allowedUpdates = list.length === 0 ? [...DEFAULT_UPDATES] : list.map(String);
  }

  private getUpdates(params: Json, _req: IncomingMessage, res: ServerResponse): void {
    if (this.webhook) {
      return this.fail(res, {
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    this.setAllowed(params.allowed_updates);
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
    const markup = parseMarkup(params.reply_markup);
    if (typeof markup === "string") return this.fail(res, { error_code: 400, description: markup });
    const message_id = this.messageId(chatId);
    const replyParameters = parseJson(params.reply_parameters) as
      { message_id?: number } | undefined;
    const replyTo = replyParameters?.message_id;
    this.sent.push({
      chat_id: chatId,
      text,
      message_id,
      at: Date.now(),
      ...(replyTo === undefined ? {} : { reply_to: replyTo }),
      ...(markup === undefined ? {} : { reply_markup: markup }),
    });
    const replied = replyTo === undefined ? undefined : this.messages.get(`${chatId}:${replyTo}`);
    const message: Json = {
      message_id,
      from: this.bot,
      chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" },
      date: Math.floor(Date.now() / 1000),
      text,
      // As Telegram does: the replied message one level deep, without its own reply.
      ...(replied ? { reply_to_message: { ...replied, reply_to_message: undefined } } : {}),
      ...(markup === undefined || markup.inline_keyboard.length === 0
        ? {}
        : { reply_markup: markup }),
    };
    this.remember(message);
    this.ok(res, message);
  }

  private answerCallbackQuery(params: Json, res: ServerResponse): void {
    const record = this.callbacks.find((c) => c.id === String(params.callback_query_id));
    if (!record || record.answer !== undefined) {
      return this.fail(res, { error_code: 400, description: QUERY_INVALID });
    }
    const text = typeof params.text === "string" ? params.text : undefined;
    if (text !== undefined && [...text].length > 200) {
      return this.fail(res, { error_code: 400, description: "Bad Request: MESSAGE_TOO_LONG" });
    }
    const alert = params.show_alert === true || params.show_alert === "true";
    record.answer = {
      ...(text === undefined ? {} : { text }),
      ...(alert ? { show_alert: true } : {}),
    };
    this.ok(res, true);
  }

  private editMessageReplyMarkup(params: Json, res: ServerResponse): void {
    const key = `${Number(params.chat_id)}:${Number(params.message_id)}`;
    const message = this.messages.get(key);
    if (!message || (message.from as { id?: number } | undefined)?.id !== this.bot.id) {
      return this.fail(res, {
        error_code: 400,
        description: "Bad Request: message to edit not found",
      });
    }
    const markup = parseMarkup(params.reply_markup) ?? { inline_keyboard: [] };
    if (typeof markup === "string") return this.fail(res, { error_code: 400, description: markup });
    const next = markup.inline_keyboard.length === 0 ? undefined : markup;
    if (JSON.stringify(next) === JSON.stringify(message.reply_markup)) {
      return this.fail(res, {
        error_code: 400,
        description:
          "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      });
    }
    if (next === undefined) delete message.reply_markup;
    else message.reply_markup = next;
    message.edit_date = Math.floor(Date.now() / 1000);
    this.ok(res, message);
  }

  private remember(message: Json): void {
    const chat = message.chat as { id?: unknown } | undefined;
    if (typeof chat?.id === "number" && typeof message.message_id === "number") {
      this.messages.set(`${chat.id}:${message.message_id}`, message);
    }
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

/** Parameters arrive as JSON values (JSON body) or JSON-serialized strings (form or query). */
function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Checks a `reply_markup` as the Bot API does for inline keyboards: every button has a text and
 * `callback_data` of 1–64 bytes. Returns the markup, undefined when absent, or an error description.
 */
function parseMarkup(raw: unknown): InlineKeyboardMarkup | undefined | string {
  if (raw === undefined) return undefined;
  const markup = parseJson(raw) as { inline_keyboard?: unknown } | undefined;
  if (!markup || !Array.isArray(markup.inline_keyboard)) {
    return "Bad Request: can't parse reply keyboard markup JSON object";
  }
  for (const row of markup.inline_keyboard as unknown[]) {
    if (!Array.isArray(row))
      return 'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays';
    for (const button of row as { text?: unknown; callback_data?: unknown }[]) {
      if (typeof button.text !== "string" || button.text.trim() === "") {
        return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      }
      const data = button.callback_data;
      if (typeof data !== "string") {
        return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      }
      const bytes = Buffer.byteLength(data, "utf8");
      if (bytes < 1 || bytes > 64) return "Bad Request: BUTTON_DATA_INVALID";
    }
  }
  return markup as InlineKeyboardMarkup;
}
