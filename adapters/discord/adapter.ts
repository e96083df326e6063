import { setTimeout as sleep } from "node:timers/promises";
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  Options,
  Partials,
  REST,
  Routes,
  type RateLimitData,
} from "discord.js";
import type { Logger } from "pino";
import { AdapterError, InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import { CHOICE_SUPPORT } from "../choices.js";
import { ClosedQuestions } from "../closed-questions.js";
import type {
  AdapterCapabilities,
  AdapterContext,
  AdapterHealth,
  ChannelAdapter,
  ClosedQuestion,
  OutboundText,
} from "../types.js";
import type { DiscordConfig } from "./config.js";
import { DiscordInbox } from "./inbox.js";
import {
  DISCORD_MAX_CHARS,
  buttonRows,
  channelOf,
  closedRows,
  errorCode,
  nonceFor,
  replyReference,
  splitForDiscord,
  translateSendError,
  type ButtonRow,
} from "./outbound.js";
import { DiscordPresses } from "./presses.js";

/** Configuration plus timing knobs (tests shorten them). */
export interface DiscordAdapterOptions extends DiscordConfig {
  /** How long one login (REST gateway lookup, HELLO, IDENTIFY, READY) may take. Default 20 s. */
  connectTimeoutMs?: number;
  /** Backoff between failed start/reconnect attempts. Defaults 1 s … 5 min. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Backoff of intake and cursor-store retries. Defaults 500 ms … 30 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How long after receipt a button press not yet taken is acknowledged anyway. Default 2 s (Discord allows 3). */
  pressAckDeadlineMs?: number;
}

const DEFAULT_API = "https://discord.com/api";
const SEND_ROUTE = "/channels/:id/messages";

/**
 * Discord channel: DMs to the bot and, optionally, one contact channel in a guild. Inbound
 * messages are taken from the gateway (discord.js) and, after every fresh IDENTIFY, from REST
 * (messages after the stored cursor), so nothing sent while the bot was away is lost.
 */
export class DiscordAdapter implements ChannelAdapter {
  readonly channel = "discord" as const;
  readonly capabilities: AdapterCapabilities = { choices: CHOICE_SUPPORT.discord };
  private readonly rest: REST;
  private client: Client | null = null;
  private inbox: DiscordInbox | null = null;
  private presses: DiscordPresses | null = null;
  private readonly closed = new ClosedQuestions();
  /** Aborted first on stop(): ends (re)connecting. */
  private abort: AbortController | null = null;
  /** Aborted once in-flight messages had their chance to finish: ends intake/cursor retries. */
  private drain: AbortController | null = null;
  private log: Logger | null = null;
  private state: AdapterHealth["state"] = "stopped";
  private detail: string | undefined;
  private lastInboundAt: string | undefined;
  private reconnecting: Promise<void> | null = null;

  constructor(private readonly opts: DiscordAdapterOptions) {
    const maxWait = opts.sendMaxWaitMs ?? 10_000;
    this.rest = new REST({
      api: opts.apiUrl ?? DEFAULT_API,
      version: "10",
      // discord.js waits out 429s by itself; only a send that would wait too long is handed back.
      rejectOnRateLimit: (d: RateLimitData) =>
        d.method.toUpperCase() === "POST" &&
        d.route === SEND_ROUTE &&
        Math.max(d.retryAfter, d.timeToReset) > maxWait,
    }).setToken(opts.token);
  }

  async start(ctx: AdapterContext): Promise<void> {
    if (this.abort) throw new AdapterError("discord", "CONFIG_INVALID", "start() called twice");
    const abort = new AbortController();
    const drain = new AbortController();
    this.abort = abort;
    this.drain = drain;
    this.log = ctx.logger.child({ adapter: "discord" });
    this.inbox = new DiscordInbox({
      ctx,
      rest: this.rest,
      log: this.log,
      signal: drain.signal,
      retryMinMs: this.opts.retryMinMs ?? 500,
      retryMaxMs: this.opts.retryMaxMs ?? 30_000,
      onTaken: () => {
        this.lastInboundAt = new Date().toISOString();
      },
      ...(this.opts.contactChannelId ? { contactChannelId: this.opts.contactChannelId } : {}),
    });
    this.presses = new DiscordPresses({
      ctx,
      rest: this.rest,
      log: this.log,
      signal: drain.signal,
      ackDeadlineMs: this.opts.pressAckDeadlineMs ?? 2_000,
      retryMinMs: this.opts.retryMinMs ?? 500,
      retryMaxMs: this.opts.retryMaxMs ?? 30_000,
      onTaken: () => {
        this.lastInboundAt = new Date().toISOString();
      },
      lateText: (messageId) => this.closed.lateText(messageId),
      ...(this.opts.contactChannelId ? { contactChannelId: this.opts.contactChannelId } : {}),
    });
    this.state = "starting";
    // The first attempt is awaited so a caller knows the bot is online; later ones run behind.
    if (!(await this.connectOnce(abort.signal))) this.reconnect(abort.signal, 1);
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    const drain = this.drain;
    if (!abort || !drain) return;
    abort.abort(); // no more (re)connecting
    this.state = "stopped";
    this.detail = undefined;
    const client = this.client;
    this.client = null;
    this.inbox?.close();
    await client?.destroy();
    // Let the message in hand reach the intake and its cursor, within a bound, then cut retries.
    const inHand = () => Promise.all([this.inbox?.idle(), this.presses?.idle()]);
    await Promise.race([inHand(), sleep(2_000, undefined, { ref: false })]);
    drain.abort();
    await Promise.race([
      Promise.all([inHand(), this.reconnecting]),
      sleep(1_000, undefined, { ref: false }),
    ]);
    this.inbox = null;
    this.presses = null;
    this.abort = null;
    this.drain = null;
  }

  health(): AdapterHealth {
    return {
      state: this.state,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.lastInboundAt ? { lastInboundAt: this.lastInboundAt } : {}),
    };
  }

  /**
   * Sends a text (split at 2,000 characters) with a nonce derived from the idempotency key and
   * `enforce_nonce`, so resending the same OutboundText does not post it twice. Choices become
   * buttons under the text, which must then fit one message; in the contact channel the message
   * must reply to the reader's, whose author alone may answer.
   */
  async send(message: OutboundText): Promise<{ platformMessageId: string }> {
    const channelId = channelOf(message.to);
    if (message.text.trim().length === 0) throw new InvalidPayloadError("discord send: empty text");
    const replyTo = replyReference(channelId, message.inReplyTo);
    let components: ButtonRow[] | undefined;
    if (message.choices !== undefined && message.choices.length > 0) {
      components = buttonRows(message.choices);
      if (message.text.length > DISCORD_MAX_CHARS) {
        throw new InvalidPayloadError(
          `discord send: a text with choices must fit one message (${DISCORD_MAX_CHARS} characters)`,
        );
      }
      if (channelId === this.opts.contactChannelId && replyTo === undefined) {
        throw new InvalidPayloadError(
          "discord send: choices in the contact channel need inReplyTo, the reader's message there",
        );
      }
    }
    let lastId = "";
    for (const [i, content] of splitForDiscord(message.text).entries()) {
      const body = {
        content,
        nonce: nonceFor(message.idempotencyKey, i),
        enforce_nonce: true,
        // Relayed replies must never ping @everyone or roles.
        allowed_mentions: { parse: [] },
        ...(replyTo && i === 0
          ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } }
          : {}),
        ...(components ? { components } : {}),
      };
      try {
        const res = (await this.rest.post(Routes.channelMessages(channelId), { body })) as {
          id?: unknown;
        };
        lastId = typeof res.id === "string" ? res.id : lastId;
      } catch (err) {
        const translated = translateSendError(err);
        this.log?.warn({ channelId, code: translated.code }, "discord send failed");
        throw translated;
      }
    }
    return { platformMessageId: encodeId("discord", channelId, lastId || "unknown") };
  }

  /**
   * A settled question: its buttons are shown disabled (the one that counted as chosen), and a
   * press that still comes is answered with `lateText`, visible only to the presser. Done when
   * the message is gone or not the bot's (404, 403); a 429, 5xx or network failure throws for
   * the outbound job's retry.
   */
  async closeChoices(q: ClosedQuestion): Promise<void> {
    const m = /^discord:(\d{1,20}):(\d{1,20})$/.exec(q.question);
    if (!m) throw new InvalidPayloadError("discord: not a message id");
    const [, channelId, messageId] = m as unknown as [string, string, string];
    this.closed.remember(messageId, q.lateText);
    try {
      await this.rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { components: closedRows(buttonRows(q.choices), q.chosen) },
      });
    } catch (err) {
      const translated = translateSendError(err);
      if (translated.code === "DELIVERY_PERMANENT") {
        this.log?.info({ code: errorCode(err) }, "discord question not closed (message gone)");
        return;
      }
      throw translated;
    }
  }

  /** One login attempt. Resolves true when the gateway session is ready, false on failure. */
  private async connectOnce(signal: AbortSignal): Promise<boolean> {
    const inbox = this.inbox;
    if (!inbox || signal.aborted) return false;
    try {
      await inbox.load();
    } catch (err) {
      this.state = "retrying";
      this.detail = `cursor store unavailable: ${errorCode(err)}`;
      this.log?.warn({ detail: this.detail }, "discord start deferred");
      return false;
    }
    const client = this.createClient(inbox, signal);
    try {
      this.client = client;
      const timer = new AbortController();
      const limit = this.opts.connectTimeoutMs ?? 20_000;
      await Promise.race([
        client.login(this.opts.token).finally(() => timer.abort()),
        sleep(limit, undefined, {
          signal: AbortSignal.any([signal, timer.signal]),
          ref: false,
        }).then(() => {
          throw new AdapterError("discord", "ADAPTER_NETWORK", "gateway not ready in time");
        }),
      ]);
      if (signal.aborted) return false;
      this.state = "running";
      this.detail = undefined;
      this.log?.info({ channels: inbox.channels().length }, "discord gateway ready");
      return true;
    } catch (err) {
      if (this.client === client) this.client = null;
      await client.destroy().catch(() => undefined);
      if (signal.aborted) return false;
      const auth = err instanceof Error && "code" in err && err.code === "TokenInvalid";
      this.state = "retrying";
      this.detail = auth ? "ADAPTER_AUTH: token rejected" : `ADAPTER_NETWORK: ${errorCode(err)}`;
      this.log?.warn({ detail: this.detail }, "discord login failed");
      return false;
    }
  }

  /** Keeps trying to log in with exponential backoff, in the background, until it works or stop(). */
  private reconnect(signal: AbortSignal, firstAttempt: number): void {
    if (this.reconnecting || signal.aborted) return;
    const min = this.opts.reconnectMinMs ?? 1_000;
    const max = this.opts.reconnectMaxMs ?? 300_000;
    const run = async () => {
      for (let attempt = firstAttempt; !signal.aborted; attempt++) {
        const wait = Math.min(max, min * 2 ** (attempt - 1)) * (1 + Math.random() * 0.2);
        await sleep(wait, undefined, { signal, ref: false });
        if (await this.connectOnce(signal)) return;
      }
    };
    this.reconnecting = run()
      .catch(() => undefined) // only the abort of stop() lands here
      .finally(() => {
        this.reconnecting = null;
      });
  }

  private createClient(inbox: DiscordInbox, signal: AbortSignal): Client {
    const guild = this.opts.contactChannelId !== undefined;
    const client = new Client({
      intents: [
        GatewayIntentBits.DirectMessages,
        GatewayIntentBits.MessageContent,
        ...(guild ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] : []),
      ],
      // DM channels are not cached at startup; without this partial discord.js drops DM events.
      partials: [Partials.Channel],
      rest: { api: this.opts.apiUrl ?? DEFAULT_API, version: "10" },
      enforceNonce: true,
      // We read raw payloads; caching messages would only hold personal data in memory.
      makeCache: Options.cacheWithLimits({ MessageManager: 0 }),
    });
    client.ws.on(GatewayDispatchEvents.Ready, () => inbox.onReady());
    client.ws.on(GatewayDispatchEvents.MessageCreate, (data: unknown) => inbox.onMessage(data));
    // Button presses need no intent: Discord sends interactions over the gateway unless the app
    // has an Interactions Endpoint URL.
    const presses = this.presses;
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) =>
      presses?.onInteraction(data),
    );
    client.on(Events.ShardReconnecting, () => {
      if (this.client === client) this.state = "retrying";
    });
    client.on(Events.ShardResume, () => {
      if (this.client === client) this.state = "running";
    });
    client.on(Events.ShardReady, () => {
      if (this.client === client) this.state = "running";
    });
    client.on(Events.ShardDisconnect, (event) => {
      // discord.js gave up on this session (e.g. auth failure): start over with backoff.
      if (this.client !== client || signal.aborted) return;
      this.client = null;
      this.state = "retrying";
      this.detail = `gateway closed with code ${event.code}`;
      this.log?.warn({ code: event.code }, "discord gateway disconnected");
      void client.destroy().catch(() => undefined);
      this.reconnect(signal, 1);
    });
    client.on(Events.Error, (err) =>
      this.log?.warn({ code: errorCode(err) }, "discord client error"),
    );
    return client;
  }
}
