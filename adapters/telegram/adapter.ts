import { createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { Telegram, TelegramError } from "telegraf";
import { InvalidPayloadError } from "../../src/errors.js";
import { startText } from "../../src/i18n/texts.js";
import { CHOICE_SUPPORT } from "../choices.js";
import { encodeId } from "../../src/message/ids.js";
import { ClosedQuestions } from "../closed-questions.js";
import type {
  AdapterCapabilities,
  AdapterContext,
  AdapterHealth,
  ChannelAdapter,
  ClosedQuestion,
  OutboundText,
} from "../types.js";
import { isAddressedToBot, isStartCommand, type BotIdentity } from "./addressing.js";
import { normalizeTelegramPress } from "./callback.js";
import type { TelegramConfig } from "./config.js";
import {
  normalizeTelegramUpdate,
  parseTelegramUpdate,
  updateMessage,
  type TelegramUpdate,
} from "./normalize.js";
import { chatIdOf, DEFAULT_SEND_LIMITS, TelegramSender, type SendLimits } from "./outbound.js";
import { removeKeyboard, settlePress } from "./presses.js";
import { webhookListener } from "./webhook.js";

type ApiSignal = NonNullable<NonNullable<Parameters<Telegram["callApi"]>[2]>["signal"]>;

/**
 * The update kinds the adapter asks for; everything else is never delivered. `callback_query`
 * carries presses of the bot's choice buttons.
 */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/** Tuning knobs; the defaults suit production, tests shorten them. */
export interface TelegramAdapterOptions {
  /** Long-poll timeout passed to getUpdates, in seconds. */
  pollTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
  sendLimits?: Partial<SendLimits>;
  /** How long stop() waits for the update in hand before returning anyway (default 5 s). */
  stopWaitMs?: number;
}

/**
 * Telegram via the Bot API (telegraf's client). Polling is driven here rather than by
 * `Telegraf.launch()`, because telegraf confirms a whole batch even when a handler fails: we ask
 * for `offset` = the stored cursor, handle updates one by one, and store `update_id + 1` only after
 * the intake took the update. A failure stops the batch; the next getUpdates repeats from the cursor.
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly channel = "telegram" as const;
  readonly capabilities: AdapterCapabilities = { choices: CHOICE_SUPPORT.telegram };
  private readonly telegram: Telegram;
  private readonly sendLimits: SendLimits;
  /** Created on first use and released by stop(), so a stopped adapter holds no limiter timers. */
  private senderInstance: TelegramSender | null = null;
  private readonly closed = new ClosedQuestions();
  private readonly pollTimeout: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly stopWaitMs: number;
  private readonly cursorKey: string;
  private state: AdapterHealth = { state: "stopped" };
  private aborter = new AbortController();
  private loop: Promise<void> | null = null;
  private server: Server | null = null;
  private bot: BotIdentity | null = null;
  private ctx: AdapterContext | null = null;
  private log: Logger | null = null;

  constructor(
    private readonly config: TelegramConfig,
    options: TelegramAdapterOptions = {},
  ) {
    this.telegram = new Telegram(config.token, { apiRoot: config.apiRoot });
    this.sendLimits = { ...DEFAULT_SEND_LIMITS, ...options.sendLimits };
    this.pollTimeout = options.pollTimeoutSeconds ?? 50;
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    this.stopWaitMs = options.stopWaitMs ?? 5_000;
    this.cursorKey = `telegram:${config.token.split(":")[0]}:update_offset`;
  }

  /** Starts in the background; failures show in health() and are retried with backoff. */
  start(ctx: AdapterContext): Promise<void> {
    if (this.loop) return Promise.resolve();
    this.ctx = ctx;
    this.log = ctx.logger.child({ adapter: "telegram" });
    this.aborter = new AbortController();
    this.state = { state: "starting" };
    const { signal } = this.aborter;
    this.loop = (this.config.webhook ? this.runWebhook(signal) : this.runPolling(signal)).catch(
      (err: unknown) => {
        this.state = { ...this.state, state: "failed", detail: errorDetail(err) };
      },
    );
    return Promise.resolve();
  }

  /**
   * Aborts the long poll and waits for the update in hand, at most `stopWaitMs` (a submit can hang
   * while Redis is away; its cursor was not written, so abandoning it replays rather than loses).
   */
  async stop(): Promise<void> {
    this.aborter.abort();
    const loop = this.loop;
    this.loop = null;
    const sender = this.senderInstance;
    this.senderInstance = null;
    await sender?.close();
    if (loop) await Promise.race([loop, sleep(this.stopWaitMs, undefined, { ref: false })]);
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.state = { ...this.state, state: "stopped" };
  }

  async send(message: OutboundText): Promise<{ platformMessageId: string }> {
    const id = await this.sender.send(message.to, message.text, message.inReplyTo, message.choices);
    return { platformMessageId: id };
  }

  /**
   * A settled question: its keyboard is removed, and a press that still comes is answered with
   * `lateText` (answerCallbackQuery) instead of being taken in.
   */
  async closeChoices(q: ClosedQuestion): Promise<void> {
    const { chatId, messageId } = chatIdOf(q.question);
    if (messageId === undefined) throw new InvalidPayloadError("telegram: not a message id");
    this.closed.remember(encodeId("telegram", chatId, messageId), q.lateText);
    await removeKeyboard(this.telegram, chatId, messageId);
  }

  private get sender(): TelegramSender {
    this.senderInstance ??= new TelegramSender(this.telegram, this.sendLimits);
    return this.senderInstance;
  }

  health(): AdapterHealth {
    return { ...this.state };
  }

  /** Runs `step` until stop, waiting with exponential backoff (and retry_after) after failures. */
  private async keepTrying(
    what: string,
    signal: AbortSignal,
    step: () => Promise<boolean>,
  ): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (await step()) return;
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
        const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (failures - 1));
        const waitMs =
          retryAfter !== undefined ? retryAfter * 1000 : base * (0.5 + Math.random() / 2);
        const detail = `${what}: ${errorDetail(err)}`;
        // A rejected token will not fix itself: report it as failed, keep retrying slowly.
        const auth = err instanceof TelegramError && err.code === 401;
        this.state = { ...this.state, state: auth ? "failed" : "retrying", detail };
        this.log?.warn(
          { err: errorDetail(err), failures, waitMs: Math.round(waitMs) },
          `telegram ${what} failed`,
        );
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async identify(): Promise<BotIdentity> {
    if (this.bot) return this.bot;
    const me = await this.telegram.getMe();
    this.bot = { id: me.id, username: me.username };
    return this.bot;
  }

  private async runPolling(signal: AbortSignal): Promise<void> {
    await this.keepTrying("connect", signal, async () => {
      await this.identify();
      // A webhook left set would make getUpdates answer 409; pending updates are kept.
      await this.telegram.deleteWebhook({ drop_pending_updates: false });
      this.markRunning();
      return true;
    });
    await this.keepTrying("poll", signal, async () => {
      const stored = await this.ctx!.cursors.get(this.cursorKey);
      const offset = stored === null ? 0 : Number(stored);
      const updates = await this.telegram.callApi(
        "getUpdates",
        { offset, timeout: this.pollTimeout, allowed_updates: [...ALLOWED_UPDATES] },
        // node-fetch accepts the native signal; telegraf's typings name the abort-controller polyfill.
        { signal: signal as unknown as ApiSignal },
      );
      this.markRunning();
      for (const update of updates) {
        await this.take(update);
        await this.ctx!.cursors.set(this.cursorKey, String(update.update_id + 1));
        if (signal.aborted) break;
      }
      return false;
    });
  }

  private async runWebhook(signal: AbortSignal): Promise<void> {
    const hook = this.config.webhook!;
    await this.keepTrying("set webhook", signal, async () => {
      await this.identify();
      if (!this.server) {
        const server = createServer(
          webhookListener(
            hook.path,
            hook.secret,
            (body) => this.takeWebhookUpdate(body),
            (reason, raw) =>
              this.ctx!.intake.quarantine("telegram:webhook:unparseable", reason, raw),
          ),
        );
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(hook.port, hook.host, () => resolve());
        });
        if (signal.aborted) {
          server.close();
          return true;
        }
        this.server = server;
      }
      await this.telegram.setWebhook(hook.url, {
        secret_token: hook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      this.markRunning();
      return true;
    });
  }

  /** The port the webhook server listens on (useful when configured as 0). */
  webhookPort(): number | null {
    const address = this.server?.address();
    return address && typeof address === "object" ? address.port : null;
  }

  private async takeWebhookUpdate(body: unknown): Promise<void> {
    await this.take(body);
    const id = (body as { update_id?: unknown } | null)?.update_id;
    if (typeof id === "number") {
      const stored = Number((await this.ctx!.cursors.get(this.cursorKey)) ?? 0);
      if (id + 1 > stored) await this.ctx!.cursors.set(this.cursorKey, String(id + 1));
    }
  }

  /**
   * Handles one update; resolves once it is enqueued, quarantined, answered or deliberately
   * ignored. Throws only when the intake failed, so the caller does not move the cursor.
   */
  private async take(raw: unknown): Promise<void> {
    const { intake } = this.ctx!;
    const updateId = (raw as { update_id?: unknown } | null)?.update_id;
    const ref = `telegram:update:${typeof updateId === "number" ? updateId : "unknown"}`;
    try {
      const update = parseTelegramUpdate(raw);
      if (update.callback_query) {
        await this.takePress(update, raw, ref);
        return;
      }
      const carried = updateMessage(update);
      const bot = await this.identify();
      if (!carried || carried.message.from?.is_bot || !isAddressedToBot(carried.message, bot)) {
        this.log?.debug({ ref }, "telegram update ignored (not addressed to the bot)");
        return;
      }
      if (!carried.edited && isStartCommand(carried.message, bot)) {
        await this.greet(carried.message.chat.id, carried.message.from?.language_code, ref);
        return;
      }
      const message = normalizeTelegramUpdate(raw);
      const result = await intake.submit(message);
      this.state = { ...this.state, lastInboundAt: new Date().toISOString() };
      this.log?.info(
        { ref, id: message.id, jobId: result.jobId, duplicate: result.duplicate },
        "telegram message taken in",
      );
    } catch (err) {
      if (!(err instanceof InvalidPayloadError)) throw err;
      await intake.quarantine(ref, err.message, raw);
      this.log?.warn({ ref, code: err.code, reason: err.message }, "telegram update quarantined");
    }
  }

  /**
   * A press of a choice button: the reader's answer goes to the intake (durably, before anything
   * else), then the press is answered and the keyboard removed. A refused press is quarantined
   * with its reason and answered without a word; a stale question loses its keyboard too.
   */
  private async takePress(update: TelegramUpdate, raw: unknown, ref: string): Promise<void> {
    const query = update.callback_query!;
    const press = normalizeTelegramPress(update.update_id, query, new Date());
    if (press.kind === "refused") {
      await this.ctx!.intake.quarantine(ref, press.reason, raw);
      this.log?.warn({ ref, why: press.why }, "telegram choice press refused");
      const question =
        press.why === "stale" && press.chatId !== undefined && press.messageId !== undefined
          ? { chatId: press.chatId, messageId: press.messageId }
          : undefined;
      await settlePress(
        this.telegram,
        { callbackQueryId: query.id, ...(question ? { question } : {}) },
        this.log,
      );
      return;
    }
    const late = this.closed.lateText(encodeId("telegram", press.chatId, press.messageId));
    if (late !== undefined) {
      // The question was settled (answered, timed out): a short word instead of silence.
      this.log?.info({ ref }, "telegram press of a closed question");
      await settlePress(
        this.telegram,
        {
          callbackQueryId: query.id,
          question: { chatId: press.chatId, messageId: press.messageId },
          toast: late,
        },
        this.log,
      );
      return;
    }
    const result = await this.ctx!.intake.submit(press.message);
    this.state = { ...this.state, lastInboundAt: new Date().toISOString() };
    this.log?.info(
      { ref, id: press.message.id, jobId: result.jobId, duplicate: result.duplicate },
      "telegram choice taken in",
    );
    await settlePress(
      this.telegram,
      {
        callbackQueryId: query.id,
        question: { chatId: press.chatId, messageId: press.messageId },
        // Only the press that counted confirms its label; a later one just closes the question.
        ...(result.duplicate ? {} : { toast: `✓ ${press.label}` }),
      },
      this.log,
    );
  }

  /** The /start answer is a courtesy: a failure is logged, never allowed to block the updates after it. */
  private async greet(
    chatId: number,
    languageCode: string | undefined,
    ref: string,
  ): Promise<void> {
    try {
      await this.sender.send(`telegram:${chatId}`, startText(languageCode ?? ""));
    } catch (err) {
      this.log?.warn({ ref, err: errorDetail(err) }, "telegram /start greeting not sent");
    }
  }

  private markRunning(): void {
    if (this.state.state !== "running") {
      const { lastInboundAt } = this.state;
      this.state = { state: "running", ...(lastInboundAt ? { lastInboundAt } : {}) };
    }
  }
}

/** A short, data-free description of an error for health() and logs. */
function errorDetail(err: unknown): string {
  if (err instanceof TelegramError) return `Bot API ${err.code}`;
  if (err instanceof Error) return `${err.name}${"code" in err ? ` ${String(err.code)}` : ""}`;
  return "unknown error";
}
