import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SnowflakeUtil } from "discord.js";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A local Discord: gateway (WebSocket, JSON encoding, no compression) and REST v10 on one port,
 * speaking the protocol as discord.js 14 / @discordjs/ws use it. Point a client at it with
 * `rest: { api: fake.apiBase }`; the gateway URL comes from GET /gateway/bot like on Discord.
 * Message components: messages carry button rows; `press` dispatches INTERACTION_CREATE (needing
 * no intent, as on Discord), `POST /interactions/{id}/{token}/callback` takes the one initial
 * response within the 3-second window, and `GET`/`PATCH /channels/{id}/messages/{id}` read and edit.
 */

/** Gateway opcodes and intent bits used here (discord-api-types names). */
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  Ack: 11,
};
const Intent = { GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 };

/** A user as the API returns it. */
export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
  locale?: string;
}

/** A stored message (API message object, the subset the fake fills). */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  type: number;
  author: FakeUser;
  content: string;
  timestamp: string;
  nonce?: string | number;
  message_reference?: { message_id: string; channel_id: string };
  attachments: unknown[];
  /** Message components (action rows of buttons) as the bot sent or last edited them. */
  components?: FakeRow[];
  edited_timestamp?: string | null;
}

/** A button as the API takes and returns it (custom_id buttons only). */
export interface FakeButton {
  type: 2;
  style: number;
  label?: string;
  custom_id?: string;
  disabled?: boolean;
}

/** An action row. */
export interface FakeRow {
  type: 1;
  components: FakeButton[];
}

/** An interaction the fake dispatched, and how the bot answered it. */
export interface FakeInteraction {
  id: string;
  token: string;
  channel_id: string;
  message_id: string;
  custom_id: string;
  user_id: string;
  created: number;
  /** The INTERACTION_CREATE payload as dispatched, for `redeliver`. */
  payload: Record<string, unknown>;
  /** The interaction response the bot sent (type 6 DEFERRED_UPDATE_MESSAGE, 7 UPDATE_MESSAGE…). */
  response?: { type: number; data?: Record<string, unknown>; at: number };
}

/** How a reader presses: their client locale, and what the payload leaves out. */
export interface PressOptions {
  /** The presser's client language (interaction `locale`); default "en-US". */
  locale?: string;
  /** Leave `referenced_message` out of the message (Discord did not fetch it). */
  omitReferencedMessage?: boolean;
  /**
   * The message as the presser's client still shows it (a snapshot taken before an edit it has
   * not received yet): its buttons are pressable and it is sent in the interaction.
   */
  asShown?: FakeMessage;
}

interface FakeChannel {
  id: string;
  type: 0 | 1;
  guild_id?: string;
  recipients?: FakeUser[];
  messages: FakeMessage[];
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Every dispatch of this session, kept so a RESUME can replay what the client missed. */
  events: { s: number; t: string; d: unknown }[];
  ws: WebSocket | null;
}

/** Where the fake records each HTTP request, for tests to inspect. */
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface FakeDiscordOptions {
  token?: string;
  heartbeatIntervalMs?: number;
  /** How long an interaction may wait for its initial response (Discord: 3 s). */
  interactionWindowMs?: number;
}

/** The fake platform. Create with `FakeDiscord.start()`, end with `close()`. */
export class FakeDiscord {
  /** The valid bot token; tests may change it to simulate a revoked token. */
  token: string;
  readonly bot: FakeUser = { id: next(), username: "contact-router", global_name: null, bot: true };
  readonly requests: RequestRecord[] = [];
  /** Number of IDENTIFY payloads accepted (fresh sessions). */
  identifies = 0;
  resumes = 0;
  /** Every interaction dispatched by `press` or `pushInteraction`, in order. */
  readonly interactions: FakeInteraction[] = [];
  /** How long an interaction may wait for its initial response. */
  interactionWindowMs: number;
  private readonly channels = new Map<string, FakeChannel>();
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private pending429: number[] = [];
  private pendingErrors: { status: number; code: number; message: string }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    private readonly server: Server,
    private readonly heartbeatIntervalMs: number,
    token: string,
    interactionWindowMs: number,
  ) {
    this.token = token;
    this.interactionWindowMs = interactionWindowMs;
  }

  /** Starts REST and gateway on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(
      server,
      options.heartbeatIntervalMs ?? 41_250,
      options.token ?? "fake.discord-bot-token.0123456789",
      options.interactionWindowMs ?? 3_000,
    );
    server.on("request", (req, res) => fake.onRequest(req, res));
    server.on("upgrade", (req, socket, head) => {
      fake.wss.handleUpgrade(req, socket, head, (ws) => fake.onSocket(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** Value for discord.js `rest.api`. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
  /** Open gateway connections. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Opens (or returns) the DM channel between the bot and a reader. */
  dmChannel(reader: FakeUser): string {
    for (const c of this.channels.values()) {
      if (c.type === 1 && c.recipients?.[0]?.id === reader.id) return c.id;
    }
    const id = next();
    this.channels.set(id, { id, type: 1, recipients: [reader], messages: [] });
    return id;
  }

  /** Creates a text channel in a guild (the contact channel). */
  guildChannel(guildId = next()): string {
    const id = next();
    this.channels.set(id, { id, type: 0, guild_id: guildId, messages: [] });
    return id;
  }

  /** A reader (or anyone) posts in a channel: stored, then dispatched to every live session. */
  post(channelId: string, author: FakeUser, content: string, extra: Partial<FakeMessage> = {}) {
    const channel = this.channel(channelId);
    const first = channel.messages.length === 0;
    const msg: FakeMessage = {
      id: next(),
      channel_id: channelId,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
      type: 0,
      author,
      content,
      timestamp: new Date().toISOString(),
      attachments: [],
      ...extra,
    };
    channel.messages.push(msg);
    if (first && channel.type === 1) this.dispatch("CHANNEL_CREATE", this.channelObject(channel));
    this.dispatch("MESSAGE_CREATE", msg);
    return msg;
  }

  /** A stored message (as the API returns it now), or undefined. */
  message(channelId: string, messageId: string): FakeMessage | undefined {
    return this.channels.get(channelId)?.messages.find((m) => m.id === messageId);
  }

  /** The buttons of a message a reader can press now (not disabled), in order. */
  pressableButtons(channelId: string, messageId: string): FakeButton[] {
    const rows = this.message(channelId, messageId)?.components ?? [];
    return rows.flatMap((r) => r.components).filter((b) => b.disabled !== true);
  }

  /**
   * `user` presses the button `customId` on the bot's message, as a Discord client does: only an
   * enabled button can be pressed (else this throws). Dispatches INTERACTION_CREATE (type 3,
   * MESSAGE_COMPONENT, component_type 2) with the message as it is now; returns the interaction.
   */
  press(
    channelId: string,
    messageId: string,
    user: FakeUser,
    customId: string,
    options: PressOptions = {},
  ): FakeInteraction {
    const channel = this.channel(channelId);
    const message = this.message(channelId, messageId);
    if (!message || message.author.id !== this.bot.id) {
      throw new Error(`fake discord: ${messageId} is not a bot message in ${channelId}`);
    }
    const seen = options.asShown ?? message;
    const pressable = (seen.components ?? [])
      .flatMap((r) => r.components)
      .filter((b) => b.disabled !== true);
    if (!pressable.some((b) => b.custom_id === customId)) {
      throw new Error(
        `fake discord: message ${messageId} has no enabled button with that custom_id`,
      );
    }
    const shown: Record<string, unknown> = structuredClone(seen) as unknown as Record<
      string,
      unknown
    >;
    const ref = message.message_reference;
    if (ref && !options.omitReferencedMessage) {
      shown.referenced_message = this.message(ref.channel_id, ref.message_id) ?? null;
    }
    const guild = channel.guild_id;
    const locale = options.locale ?? "en-US";
    const payload = {
      id: next(),
      application_id: this.bot.id,
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      channel: this.channelObject(channel),
      channel_id: channelId,
      ...(guild
        ? {
            guild_id: guild,
            guild: { id: guild, locale: "en-US", features: [] },
            guild_locale: "en-US",
            member: {
              user,
              roles: [],
              joined_at: "2025-01-01T00:00:00.000000+00:00",
              deaf: false,
              mute: false,
              pending: false,
              nick: null,
              avatar: null,
              flags: 0,
              permissions: "1071698660929",
            },
            context: 0,
          }
        : { user, context: 1 }),
      token: `aW50ZXJhY3Rpb246${randomBytes(96).toString("base64url")}`,
      version: 1,
      message: shown,
      locale,
      app_permissions: "1071698660929",
      entitlements: [],
      authorizing_integration_owners: { "0": guild ?? "0" },
      attachment_size_limit: 10_485_760,
    };
    return this.pushInteraction(payload);
  }

  /**
   * Dispatches an INTERACTION_CREATE payload as given (for forged or malformed presses). When it
   * has an id and a token, the callback endpoint accepts a response for it.
   */
  pushInteraction(payload: Record<string, unknown>): FakeInteraction {
    const text = (v: unknown): string => (typeof v === "string" ? v : "");
    const data = payload.data as { custom_id?: unknown } | undefined;
    const message = payload.message as { id?: unknown; channel_id?: unknown } | undefined;
    const user =
      (payload.user as { id?: unknown } | undefined) ??
      (payload.member as { user?: { id?: unknown } } | undefined)?.user;
    const record: FakeInteraction = {
      id: text(payload.id),
      token: text(payload.token),
      channel_id: text(message?.channel_id ?? payload.channel_id),
      message_id: text(message?.id),
      custom_id: text(data?.custom_id),
      user_id: text(user?.id),
      created: Date.now(),
      payload: structuredClone(payload),
    };
    this.interactions.push(record);
    this.dispatch("INTERACTION_CREATE", payload);
    return record;
  }

  /** Dispatches an interaction again, unchanged (as a RESUME replays a missed event). */
  redeliver(interaction: FakeInteraction): void {
    this.dispatch("INTERACTION_CREATE", structuredClone(interaction.payload));
  }

  /** Interactions that got no response yet. */
  unansweredInteractions(): FakeInteraction[] {
    return this.interactions.filter((i) => i.response === undefined);
  }

  /** Messages the bot posted, in order. */
  botMessages(): FakeMessage[] {
    const all = [...this.channels.values()].flatMap((c) => c.messages);
    return all.filter((m) => m.author.id === this.bot.id).sort((a, b) => cmp(a.id, b.id));
  }

  /** The next `count` message POSTs are answered 429 with `retry_after` = seconds. */
  rateLimitNextSend(seconds: number, count = 1): void {
    for (let i = 0; i < count; i++) this.pending429.push(seconds);
  }

  /**
   * The next `count` message POSTs are refused with a Discord error, e.g. 403 / 50007 "Cannot send
   * messages to this user" (the reader closed their DMs or blocked the bot).
   */
  refuseNextSends(status: number, code: number, message: string, count = 1): void {
    for (let i = 0; i < count; i++) this.pendingErrors.push({ status, code, message });
  }

  /** Drops every gateway connection abnormally (as a network cut); sessions stay resumable. */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Closes every gateway connection with a close code (4004: authentication failed, as on a revoked token). */
  closeConnections(code: number, reason = ""): void {
    for (const ws of this.sockets) ws.close(code, reason);
    if (code === 4004) this.sessions.clear();
  }

  /** Forgets all sessions, so the next RESUME is refused and the client must IDENTIFY again. */
  invalidateSessions(): void {
    this.sessions.clear();
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private channel(id: string): FakeChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`fake discord: no channel ${id}`);
    return c;
  }

  private channelObject(c: FakeChannel) {
    return c.type === 1
      ? {
          id: c.id,
          type: 1,
          recipients: c.recipients,
          last_message_id: c.messages.at(-1)?.id ?? null,
        }
      : { id: c.id, type: 0, guild_id: c.guild_id, name: "contact", position: 0 };
  }

  private dispatch(t: string, d: FakeMessage | object): void {
    for (const session of this.sessions.values()) {
      if (t === "MESSAGE_CREATE" || t === "CHANNEL_CREATE") {
        const guild = "guild_id" in d && d.guild_id !== undefined;
        const needed = guild ? Intent.GuildMessages : Intent.DirectMessages;
        if ((session.intents & needed) === 0) continue;
        if (guild && t === "MESSAGE_CREATE" && (session.intents & Intent.MessageContent) === 0) {
          d = { ...d, content: "" };
        }
      }
      const event = { s: ++session.seq, t, d };
      session.events.push(event);
      session.ws?.send(JSON.stringify({ op: Op.Dispatch, ...event }));
    }
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    let session: Session | null = null;
    ws.on("close", () => {
      this.sockets.delete(ws);
      if (session?.ws === ws) session.ws = null;
    });
    ws.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    ws.on("message", (data: Buffer) => {
      let payload: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(data.toString("utf8")) as typeof payload;
      } catch {
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      const d = typeof payload.d === "object" && payload.d !== null ? payload.d : {};
      switch (payload.op) {
        case Op.Heartbeat:
          ws.send(JSON.stringify({ op: Op.Ack }));
          break;
        case Op.Identify: {
          if (d.token !== this.token) return ws.close(4004, "Authentication failed.");
          this.identifies += 1;
          session = { id: randomUUID(), intents: Number(d.intents), seq: 0, events: [], ws };
          this.sessions.set(session.id, session);
          const ready = {
            v: 10,
            user: this.bot,
            guilds: [],
            session_id: session.id,
            resume_gateway_url: this.gatewayUrl,
            application: { id: this.bot.id, flags: 0 },
          };
          const event = { s: ++session.seq, t: "READY", d: ready };
          session.events.push(event);
          ws.send(JSON.stringify({ op: Op.Dispatch, ...event }));
          break;
        }
        case Op.Resume: {
          const found = this.sessions.get(String(d.session_id));
          if (!found || d.token !== this.token) {
            ws.send(JSON.stringify({ op: Op.InvalidSession, d: false }));
            break;
          }
          this.resumes += 1;
          session = found;
          found.ws?.terminate();
          found.ws = ws;
          for (const e of found.events.filter((e) => e.s > Number(d.seq))) {
            ws.send(JSON.stringify({ op: Op.Dispatch, ...e }));
          }
          const resumed = { s: ++found.seq, t: "RESUMED", d: {} };
          found.events.push(resumed);
          ws.send(JSON.stringify({ op: Op.Dispatch, ...resumed }));
          break;
        }
        default:
          ws.close(4001, "Unknown opcode.");
      }
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        this.requests.push({
          method: req.method ?? "",
          path: url.pathname,
          status,
          at: Date.now(),
        });
        if (status === 204) {
          res.writeHead(204, headers).end();
          return;
        }
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown> = {};
      try {
        if (chunks.length > 0)
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return reply(400, { message: "400: Bad Request", code: 50109 });
      }
      // The interaction callback is authorised by the token in its path, not by the bot token.
      const callback = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(url.pathname);
      if (callback && req.method === "POST") {
        return this.interactionCallback(callback[1]!, callback[2]!, body, reply);
      }
      if (req.headers.authorization !== `Bot ${this.token}`) {
        return reply(401, { message: "401: Unauthorized", code: 0 });
      }
      this.route(req.method ?? "GET", url, body, reply);
    });
  }

  private route(
    method: string,
    url: URL,
    body: Record<string, unknown>,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const path = url.pathname.replace(/^\/api\/v10/, "");
    if (method === "GET" && path === "/gateway/bot") {
      return reply(200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === "GET" && path === "/users/@me") return reply(200, this.bot);
    const one = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (one) return this.oneMessage(method, one[1]!, one[2]!, body, reply);
    const m = /^\/channels\/(\d+)(\/messages)?$/.exec(path);
    const channel = m?.[1] ? this.channels.get(m[1]) : undefined;
    if (!m) return reply(404, { message: "404: Not Found", code: 0 });
    if (!channel) return reply(404, { message: "Unknown Channel", code: 10003 });
    if (method === "GET" && !m[2]) return reply(200, this.channelObject(channel));
    if (method === "GET") return reply(200, listMessages(channel.messages, url.searchParams));
    if (method === "POST" && m[2]) return this.createMessage(channel, body, reply);
    return reply(405, { message: "405: Method Not Allowed", code: 0 });
  }

  /** GET and PATCH /channels/{channel}/messages/{message}. */
  private oneMessage(
    method: string,
    channelId: string,
    messageId: string,
    body: Record<string, unknown>,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    if (!this.channels.has(channelId))
      return reply(404, { message: "Unknown Channel", code: 10003 });
    const msg = this.message(channelId, messageId);
    if (!msg) return reply(404, { message: "Unknown Message", code: 10008 });
    if (method === "GET") return reply(200, msg);
    if (method !== "PATCH") return reply(405, { message: "405: Method Not Allowed", code: 0 });
    if (msg.author.id !== this.bot.id) {
      return reply(403, { message: "Cannot edit a message authored by another user", code: 50005 });
    }
    const problem = this.applyEdit(msg, body);
    if (problem) return reply(400, { message: "Invalid Form Body", code: 50035, errors: problem });
    return reply(200, msg);
  }

  /** Applies `content` and `components` of an edit; returns a problem description or null. */
  private applyEdit(msg: FakeMessage, body: Record<string, unknown>): string | null {
    const components = checkComponents(body.components);
    if (typeof components === "string") return components;
    if (typeof body.content === "string") {
      if (body.content.length > 2000) return "content: at most 2000 characters";
      msg.content = body.content;
    }
    if (components !== undefined) {
      if (components.length === 0) delete msg.components;
      else msg.components = components;
    }
    msg.edited_timestamp = new Date().toISOString();
    return null;
  }

  /**
   * POST /interactions/{id}/{token}/callback: one initial response per interaction, within the
   * window; 204 No Content. Type 7 UPDATE_MESSAGE edits the message the button is on.
   */
  private interactionCallback(
    id: string,
    token: string,
    body: Record<string, unknown>,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const record = this.interactions.find((i) => i.id === id && i.token === token);
    if (!record || Date.now() - record.created > this.interactionWindowMs) {
      return reply(404, { message: "Unknown interaction", code: 10062 });
    }
    if (record.response) {
      return reply(400, { message: "Interaction has already been acknowledged.", code: 40060 });
    }
    const type = Number(body.type);
    const data = (body.data ?? undefined) as Record<string, unknown> | undefined;
    if (![4, 5, 6, 7, 9].includes(type)) {
      return reply(400, { message: "Invalid Form Body", code: 50035, errors: "type" });
    }
    if (type === 4) {
      // CHANNEL_MESSAGE_WITH_SOURCE: a message in reply; flag 64 (EPHEMERAL) shows it to the
      // presser only, so it is not posted to the channel here.
      const content = data?.content;
      if (typeof content !== "string" || content.length === 0 || content.length > 2000) {
        return reply(400, { message: "Invalid Form Body", code: 50035, errors: "data.content" });
      }
      const flags = Number(data?.flags ?? 0);
      if ((flags & ~(4 | 64 | 4096)) !== 0) {
        return reply(400, { message: "Invalid Form Body", code: 50035, errors: "data.flags" });
      }
    }
    if (type === 7) {
      const msg = this.message(record.channel_id, record.message_id);
      if (!msg) return reply(404, { message: "Unknown Message", code: 10008 });
      const problem = this.applyEdit(msg, data ?? {});
      if (problem)
        return reply(400, { message: "Invalid Form Body", code: 50035, errors: problem });
    }
    record.response = { type, ...(data ? { data } : {}), at: Date.now() };
    return reply(204, undefined);
  }

  private createMessage(
    channel: FakeChannel,
    body: Record<string, unknown>,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const bucket = { "x-ratelimit-bucket": `fake-${channel.id}`, "x-ratelimit-limit": "5" };
    const limited = this.pending429.shift();
    if (limited !== undefined) {
      return reply(
        429,
        { message: "You are being rate limited.", retry_after: limited, global: false },
        {
          ...bucket,
          "retry-after": String(Math.ceil(limited)),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset-after": String(limited),
          "x-ratelimit-scope": "user",
        },
      );
    }
    const refused = this.pendingErrors.shift();
    if (refused) return reply(refused.status, { message: refused.message, code: refused.code });
    const headers = { ...bucket, "x-ratelimit-remaining": "4", "x-ratelimit-reset-after": "0.001" };
    const content = typeof body.content === "string" ? body.content : "";
    if (content.length === 0 || content.length > 2000) {
      return reply(400, { message: "Invalid Form Body", code: 50035 });
    }
    const nonce =
      typeof body.nonce === "string" || typeof body.nonce === "number" ? body.nonce : undefined;
    if (body.enforce_nonce === true && nonce !== undefined) {
      // Discord: with enforce_nonce, a nonce reused within a few minutes returns the original message.
      const existing = channel.messages.find(
        (x) => x.author.id === this.bot.id && x.nonce === nonce,
      );
      if (existing) return reply(200, existing, headers);
    }
    const components = checkComponents(body.components);
    if (typeof components === "string") {
      return reply(400, { message: "Invalid Form Body", code: 50035, errors: components });
    }
    const ref = body.message_reference as { message_id?: string } | undefined;
    const msg = this.post(channel.id, this.bot, content, {
      ...(nonce !== undefined ? { nonce } : {}),
      ...(components !== undefined && components.length > 0 ? { components } : {}),
      ...(ref?.message_id
        ? { type: 19, message_reference: { message_id: ref.message_id, channel_id: channel.id } }
        : {}),
    });
    return reply(200, msg, headers);
  }
}

/**
 * Checks message components as Discord does for buttons: at most 5 action rows of 1–5 buttons,
 * each with a style 1–4, a label of at most 80 characters and a custom_id of 1–100 characters,
 * unique in the message. Returns the rows, undefined when absent, or a description of the problem.
 */
function checkComponents(raw: unknown): FakeRow[] | undefined | string {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 5) return "components: at most 5 action rows";
  const ids = new Set<string>();
  for (const row of raw as { type?: unknown; components?: unknown }[]) {
    if (row.type !== 1 || !Array.isArray(row.components)) return "components: rows must be type 1";
    const buttons = row.components as Record<string, unknown>[];
    if (buttons.length < 1 || buttons.length > 5) return "components: 1 to 5 buttons a row";
    for (const b of buttons) {
      if (b.type !== 2) return "components: only buttons (type 2) are supported here";
      if (typeof b.style !== "number" || b.style < 1 || b.style > 4) return "button: style 1-4";
      if (typeof b.label !== "string" || b.label.length === 0 || b.label.length > 80) {
        return "button: label must be 1-80 characters";
      }
      const id = b.custom_id;
      if (typeof id !== "string" || id.length === 0 || id.length > 100) {
        return "button: custom_id must be 1-100 characters";
      }
      if (ids.has(id)) return "button: custom_id must be unique in the message";
      ids.add(id);
    }
  }
  return raw as FakeRow[];
}

/** GET /channels/{id}/messages as Discord answers it: at most `limit`, newest first. */
function listMessages(all: FakeMessage[], q: URLSearchParams): FakeMessage[] {
  const limit = Math.min(Math.max(Number(q.get("limit") ?? 50) || 50, 1), 100);
  const after = q.get("after");
  const before = q.get("before");
  let picked: FakeMessage[];
  if (after !== null) {
    picked = all.filter((x) => cmp(x.id, after) > 0).slice(0, limit);
  } else {
    const older = before === null ? all : all.filter((x) => cmp(x.id, before) < 0);
    picked = older.slice(-limit);
  }
  return [...picked].reverse();
}

/** Strictly increasing snowflakes, like Discord's. */
function next(): string {
  return SnowflakeUtil.generate().toString();
}

function cmp(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
