import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import { CHOICE_SUPPORT, checkChoices } from "../choices.js";
import { withTextChoices } from "../text-choices.js";
import type {
  AdapterCapabilities,
  AdapterContext,
  AdapterHealth,
  ChannelAdapter,
  OutboundText,
} from "../types.js";
import { checkEmailAuth, offlineResolver, systemResolver, type EmailAuthVerdict } from "./auth.js";
import type { EmailConfig } from "./config.js";
import { IntakeUnavailableError, syncMailbox } from "./mailbox-sync.js";
import { MAX_RAW_BYTES } from "./normalize.js";
import { SmtpSender, type SmtpRetryPolicy } from "./smtp-sender.js";

/** Timing knobs; the defaults suit production, tests shorten them. */
export interface EmailAdapterOptions {
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A full pass even when IDLE reported nothing (servers without reliable IDLE). */
  pollIntervalMs?: number;
  /** Largest message taken in; larger ones are quarantined with their headers only. */
  maxBytes?: number;
  /** SPF/DKIM/DMARC check; defaults to mailauth with the DNS chosen by EMAIL_AUTH_DNS. */
  checkAuth?: (raw: Buffer) => Promise<EmailAuthVerdict>;
  smtpRetry?: SmtpRetryPolicy;
}

/** A wake-up flag: set by IMAP events, awaited by the loop, never lost if set while busy. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;
  signal(): void {
    this.pending = true;
    this.resolve?.();
  }
  async wait(ms: number, abort: AbortSignal): Promise<void> {
    if (!this.pending) {
      const woken = new Promise<void>((r) => (this.resolve = r));
      await Promise.race([woken, sleep(ms, undefined, { signal: abort }).catch(() => undefined)]);
      this.resolve = null;
    }
    this.pending = false;
  }
}

/**
 * Email over IMAP (imapflow) in, SMTP (nodemailer) out. One connection selects the mailbox,
 * takes in everything past the (UIDVALIDITY, UID) high-water mark, then IDLEs; any drop
 * reconnects with exponential backoff (imapflow does not reconnect by itself).
 */
export class EmailAdapter implements ChannelAdapter {
  readonly channel = "email" as const;
  /** Choices are a numbered list under the text, answered by replying. */
  readonly capabilities: AdapterCapabilities = { choices: CHOICE_SUPPORT.email };
  private state: AdapterHealth = { state: "stopped" };
  private abort = new AbortController();
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private readonly sender: SmtpSender;
  private readonly opts: Required<Omit<EmailAdapterOptions, "smtpRetry">>;

  constructor(
    private readonly config: EmailConfig,
    options: EmailAdapterOptions = {},
  ) {
    this.sender = new SmtpSender(config, options.smtpRetry);
    const resolver = config.authDns === "off" ? offlineResolver : systemResolver();
    this.opts = {
      initialBackoffMs: options.initialBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 5 * 60_000,
      maxBytes: options.maxBytes ?? MAX_RAW_BYTES,
      checkAuth: options.checkAuth ?? ((raw) => checkEmailAuth(raw, { resolver })),
    };
  }

  /** Starts the IMAP loop in the background; connection problems show in health(), never throw. */
  start(ctx: AdapterContext): Promise<void> {
    if (this.loop !== null) return Promise.reject(new Error("email adapter already started"));
    this.abort = new AbortController();
    this.state = { state: "starting" };
    const log = ctx.logger.child({ adapter: "email" });
    this.loop = this.run(ctx, log);
    return Promise.resolve();
  }

  /** Closes the IMAP socket and the SMTP pool at once and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.client?.close();
    this.sender.close();
    await this.loop;
    this.loop = null;
    this.state = { ...this.state, state: "stopped" };
  }

  /** Sends one reply by SMTP; choices are listed, numbered, under the text. */
  async send(message: OutboundText): Promise<{ platformMessageId: string }> {
    if (message.choices?.length) checkChoices(message.choices);
    return this.sender.send(withTextChoices(message));
  }

  health(): AdapterHealth {
    return { ...this.state };
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** attempt);
    // Jitter so many routers restarted together do not reconnect in lock-step.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private async run(ctx: AdapterContext, log: Logger): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.session(ctx, log, () => (attempt = 0));
      } catch (err) {
        if (this.stopped) break;
        const e = err as {
          authenticationFailed?: boolean;
          code?: string;
          serverResponseCode?: string;
          responseStatus?: string;
          responseText?: string;
        };
        // A NO/BAD answer's text names the problem (e.g. a missing mailbox), never a reader.
        const answer =
          e.responseStatus === undefined
            ? undefined
            : `${e.responseStatus}: ${(e.responseText ?? "").slice(0, 80)}`;
        const why =
          e.serverResponseCode ?? answer ?? e.code ?? (err instanceof Error ? err.name : "error");
        const detail = e.authenticationFailed
          ? "IMAP authentication failed"
          : `IMAP connection failed (${why})`;
        this.state = { ...this.state, state: "retrying", detail };
        log.warn({ attempt, code: e.code }, detail);
      } finally {
        this.client?.close();
        this.client = null;
      }
      if (this.stopped) break;
      await sleep(this.backoff(attempt++), undefined, { signal: this.abort.signal }).catch(
        () => undefined,
      );
    }
    this.state = { ...this.state, state: "stopped" };
  }

  private async session(ctx: AdapterContext, log: Logger, connected: () => void): Promise<void> {
    const { imap } = this.config;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      tls: { rejectUnauthorized: imap.tlsVerify },
      logger: false,
      // Renew IDLE now and then: some servers and NATs drop long-silent connections.
      maxIdleTime: 4 * 60_000,
    });
    this.client = client;
    const wake = new Wakeup();
    client.on("exists", () => wake.signal());
    client.on("close", () => wake.signal());
    // imapflow emits 'error' on socket failures; without a listener Node would crash the process.
    client.on("error", (err: Error & { code?: string }) => {
      log.warn({ code: err.code }, "IMAP connection error");
      wake.signal();
    });
    if (this.stopped) return;
    await client.connect();
    await client.mailboxOpen(imap.mailbox);
    this.state = { ...this.state, state: "running", detail: `${imap.mailbox} selected` };
    connected();

    const cursorKey = `email:${imap.user}@${imap.host}:${imap.port}/${imap.mailbox}`;
    let intakeFailures = 0;
    while (!this.stopped && client.usable) {
      try {
        const res = await syncMailbox({
          client,
          ctx,
          cursorKey,
          maxBytes: this.opts.maxBytes,
          log,
          checkAuth: this.opts.checkAuth,
          stopped: () => this.stopped,
          onInbound: () => {
            this.state = { ...this.state, lastInboundAt: new Date().toISOString() };
          },
        });
        intakeFailures = 0;
        if (res.submitted + res.quarantined + res.skipped > 0) log.debug(res, "mailbox pass");
      } catch (err) {
        if (!(err instanceof IntakeUnavailableError) || this.stopped) throw err;
        // Redis is down: keep the IMAP session, retry the same message after a pause.
        this.state = { ...this.state, state: "retrying", detail: "intake unavailable" };
        log.warn({ attempt: intakeFailures }, "intake unavailable; will retry");
        await sleep(this.backoff(intakeFailures++), undefined, {
          signal: this.abort.signal,
        }).catch(() => undefined);
        this.state = { ...this.state, state: "running", detail: `${imap.mailbox} selected` };
        continue;
      }
      await wake.wait(this.opts.pollIntervalMs, this.abort.signal);
    }
    if (!this.stopped) throw Object.assign(new Error("IMAP connection closed"), { code: "CLOSED" });
  }
}
