import {
  DiscordAPIError,
  InteractionResponseType,
  MessageFlags,
  RESTJSONErrorCodes,
  Routes,
  type REST,
} from "discord.js";
import { persist } from "./persist.js";
import type { Logger } from "pino";
import { isRetryable } from "../../src/errors.js";
import type { AdapterContext } from "../types.js";
import {
  normalizeDiscordPress,
  parseDiscordInteraction,
  questionAddressee,
  withoutToken,
  type DiscordInteraction,
} from "./interaction.js";
import { closedRows, errorCode, type ButtonRow } from "./outbound.js";

export interface PressesOptions {
  ctx: AdapterContext;
  rest: REST;
  log: Logger;
  contactChannelId?: string;
  /** Aborted on stop(): every wait and retry ends. */
  signal: AbortSignal;
  /**
   * How long after receipt a press that is not yet taken is acknowledged anyway (type 6), so the
   * reader's client does not show "This interaction failed". Discord allows 3 s.
   */
  ackDeadlineMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  onTaken(): void;
  /** What to say to a press of a question that was closed (settled); undefined while open. */
  lateText?(messageId: string): string | undefined;
}

/** How many answered questions are remembered, to show the counted answer on a repeated press. */
const REMEMBERED = 1_000;

/**
 * Takes presses of the bot's choice buttons (gateway INTERACTION_CREATE). A press is durably in the
 * intake before the buttons close; Discord wants an answer within 3 seconds, so:
 * - taken in time: one callback, type 7 UPDATE_MESSAGE, disables the buttons (the chosen one
 *   primary);
 * - not in time (Redis slow or away): type 6 DEFERRED_UPDATE_MESSAGE at the deadline, and the
 *   buttons are disabled by editing the message once the press is taken.
 * Refused presses are quarantined with the reason (without the interaction token) and acknowledged
 * with type 6, which changes nothing. Presses of one question are handled one after another.
 */
export class DiscordPresses {
  private readonly chains = new Map<string, Promise<void>>();
  /** Question message id → data of the press that counted. */
  private readonly chosen = new Map<string, string>();
  /** Counts for tests and logs. */
  readonly stats = { taken: 0, duplicates: 0, refused: 0 };

  constructor(private readonly o: PressesOptions) {}

  /** A gateway INTERACTION_CREATE. Never throws. */
  onInteraction(raw: unknown): void {
    const parsed = parseDiscordInteraction(raw);
    if (!parsed.ok) {
      this.enqueue("invalid", async () => {
        await this.persist("quarantine", () =>
          this.o.ctx.intake.quarantine(
            "discord:interaction:invalid",
            parsed.reason,
            withoutToken(raw),
          ),
        );
        this.o.log.warn({ reason: parsed.reason }, "discord interaction quarantined");
      });
      return;
    }
    const i = parsed.interaction;
    // The deadline runs from receipt, even while an earlier press of the same question is handled.
    const ack = new PressAck(this.o, i);
    this.enqueue(
      i.message?.id ?? i.id,
      () => this.handle(i, ack),
      () => ack.cancel(),
    );
  }

  /** Runs `task` after the earlier tasks of the same key; failures are logged by code only. */
  private enqueue(key: string, task: () => Promise<void>, done?: () => void): void {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(task)
      .catch((err: unknown) => {
        if (!this.o.signal.aborted) {
          this.o.log.error({ code: errorCode(err), key }, "discord press failed");
        }
      })
      .finally(() => {
        done?.();
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  /** Resolves when every press in hand has settled (used by stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private async handle(i: DiscordInteraction, ack: PressAck): Promise<void> {
    const ref = `discord:interaction:${i.id}`;
    let addresseeId: string | undefined;
    const addressee = questionAddressee(i);
    if (addressee && "lookup" in addressee && i.guild_id !== undefined) {
      addresseeId = await this.fetchAuthor(addressee.lookup.channelId, addressee.lookup.messageId);
    }
    const press = normalizeDiscordPress(i, {
      ...(this.o.contactChannelId ? { contactChannelId: this.o.contactChannelId } : {}),
      ...(addresseeId ? { addresseeId } : {}),
    });
    if (press.kind === "ignored") {
      this.o.log.debug({ ref, reason: press.reason }, "discord interaction ignored");
      ack.cancel();
      return;
    }
    if (press.kind === "refused") {
      this.stats.refused += 1;
      await this.persist("quarantine", () =>
        this.o.ctx.intake.quarantine(ref, press.reason, withoutToken(i)),
      );
      this.o.log.warn({ ref, why: press.why }, "discord choice press refused");
      await ack.acknowledge();
      return;
    }
    const late = this.o.lateText?.(press.messageId);
    if (late !== undefined) {
      // The question was settled (answered, timed out): a short word only the presser sees.
      this.o.log.info({ ref }, "discord press of a closed question");
      const rows = closedRows(i.message?.components ?? [], this.chosen.get(press.messageId));
      await ack.late(late, rows, press.channelId, press.messageId);
      return;
    }
    let result;
    try {
      result = await this.persist(
        "submit",
        () => this.o.ctx.intake.submit(press.message),
        isRetryable,
      );
    } catch (err) {
      if (this.o.signal.aborted || isRetryable(err)) throw err;
      // The intake refused the message for good: keep it with the reason, like a refused press.
      this.stats.refused += 1;
      const reason = err instanceof Error ? err.message : "intake refused the press";
      await this.persist("quarantine", () =>
        this.o.ctx.intake.quarantine(ref, reason, withoutToken(i)),
      );
      await ack.acknowledge();
      return;
    }
    if (result.duplicate) this.stats.duplicates += 1;
    else {
      this.stats.taken += 1;
      this.remember(press.messageId, press.message.choice!.data);
    }
    this.o.onTaken();
    this.o.log.info(
      { ref, id: press.message.id, jobId: result.jobId, duplicate: result.duplicate },
      "discord choice taken in",
    );
    const rows = closedRows(i.message?.components ?? [], this.chosen.get(press.messageId));
    await ack.close(rows, press.channelId, press.messageId);
  }

  /** The author of a message, or undefined when it is gone or cannot be read. */
  private async fetchAuthor(channelId: string, messageId: string): Promise<string | undefined> {
    try {
      const m = (await this.persist("fetch the replied message", () =>
        this.o.rest.get(Routes.channelMessage(channelId, messageId), { signal: this.o.signal }),
      )) as { author?: { id?: unknown } };
      return typeof m.author?.id === "string" ? m.author.id : undefined;
    } catch (err) {
      if (err instanceof DiscordAPIError) return undefined; // deleted, or no access
      throw err;
    }
  }

  private remember(messageId: string, data: string): void {
    this.chosen.set(messageId, data);
    if (this.chosen.size > REMEMBERED) {
      const oldest = this.chosen.keys().next().value;
      if (oldest !== undefined) this.chosen.delete(oldest);
    }
  }

  /** Retries until it works or the adapter stops (see ./persist.ts). */
  private persist<T>(
    what: string,
    fn: () => Promise<T>,
    retryable?: (e: unknown) => boolean,
  ): Promise<T> {
    return persist(this.o, "discord press: retrying", what, fn, retryable);
  }
}

/**
 * The one acknowledgement an interaction may get, and the message edit after it. A timer sends the
 * deferred acknowledgement when the press is not taken before the deadline.
 */
class PressAck {
  private sent: Promise<boolean> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly o: PressesOptions,
    private readonly i: DiscordInteraction,
  ) {
    const due = Math.max(0, o.ackDeadlineMs);
    this.timer = setTimeout(() => {
      o.log.info({ interaction: i.id }, "discord press not yet taken: deferring its answer");
      void this.acknowledge();
    }, due);
    this.timer.unref();
  }

  /** Type 6 DEFERRED_UPDATE_MESSAGE, once: acknowledges without changing anything. */
  acknowledge(): Promise<boolean> {
    clearTimeout(this.timer);
    this.sent ??= this.callback({ type: InteractionResponseType.DeferredMessageUpdate });
    return this.sent;
  }

  /** Closes the question's buttons: in the acknowledgement if it is still due, else by an edit. */
  async close(rows: ButtonRow[], channelId: string, messageId: string): Promise<void> {
    clearTimeout(this.timer);
    if (this.sent === null) {
      this.sent = this.callback({
        type: InteractionResponseType.UpdateMessage,
        data: { components: rows },
      });
      if (await this.sent) return;
    } else {
      await this.sent;
    }
    try {
      await this.o.rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { components: rows },
        signal: this.o.signal,
      });
    } catch (err) {
      // The answer is taken; the buttons stay until the next press closes them again.
      this.o.log.warn({ code: errorCode(err), messageId }, "discord question not closed");
    }
  }

  /**
   * A press of a closed question: type 4 CHANNEL_MESSAGE_WITH_SOURCE with the EPHEMERAL flag
   * (only the presser sees it), then the buttons disabled by an edit, in case they showed.
   */
  async late(text: string, rows: ButtonRow[], channelId: string, messageId: string): Promise<void> {
    clearTimeout(this.timer);
    if (this.sent === null) {
      this.sent = this.callback({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { content: text, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
      });
    }
    await this.sent;
    if (rows.length === 0) return;
    try {
      await this.o.rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { components: rows },
        signal: this.o.signal,
      });
    } catch (err) {
      this.o.log.info({ code: errorCode(err), messageId }, "discord closed question not edited");
    }
  }

  /** No answer will be sent (an interaction that is not a press). */
  cancel(): void {
    clearTimeout(this.timer);
  }

  private async callback(body: object): Promise<boolean> {
    try {
      await this.o.rest.post(Routes.interactionCallback(this.i.id, this.i.token), {
        body,
        auth: false,
        signal: this.o.signal,
      });
      return true;
    } catch (err) {
      const code = err instanceof DiscordAPIError ? err.code : errorCode(err);
      const late =
        code === RESTJSONErrorCodes.UnknownInteraction ||
        code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
      this.o.log.info(
        { interaction: this.i.id, code, late },
        "discord interaction callback not accepted",
      );
      return false;
    }
  }
}
