import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import type { AdapterHealth } from "../types.js";
import type { EmailConfig } from "./config.js";
import { IntakeUnavailableError } from "./mailbox-sync.js";

/** Timing knobs; the defaults suit production, tests shorten them. */
export interface MailboxWatchOptions {
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A full pass even when IDLE reported nothing (servers without reliable IDLE). */
  pollIntervalMs?: number;
}

/** One pass over the selected mailbox: takes in what is new (see `syncMailbox`). */
export type MailboxPass = (client: ImapFlow, cursorKey: string) => Promise<unknown>;

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
 * Watches one IMAP mailbox (imapflow): connects, selects it, runs a pass, then IDLEs and runs
 * another pass whenever mail arrives (or every `pollIntervalMs`); any drop reconnects with
 * exponential backoff (imapflow does not reconnect by itself). A pass that throws
 * IntakeUnavailableError (Redis down) is retried on the same connection after a pause. Used by
 * the email channel and by the relay's IMAP mailbox.
 */
export class MailboxWatcher {
  private state: AdapterHealth = { state: "stopped" };
  private abort = new AbortController();
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private readonly opts: Required<MailboxWatchOptions>;

  constructor(
    private readonly imap: EmailConfig["imap"],
    options: MailboxWatchOptions = {},
  ) {
    this.opts = {
      initialBackoffMs: options.initialBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 5 * 60_000,
    };
  }

  /** The cursor key of this mailbox: user, server and mailbox name. */
  get cursorKey(): string {
    const { imap } = this;
    return `email:${imap.user}@${imap.host}:${imap.port}/${imap.mailbox}`;
  }

  /** True once stop() was called. */
  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts the loop in the background; connection problems show in health(), never throw. */
  start(log: Logger, pass: MailboxPass): void {
    if (this.loop !== null) throw new Error("mailbox watcher already started");
    this.abort = new AbortController();
    this.state = { state: "starting" };
    this.loop = this.run(log, pass);
  }

  /** Closes the IMAP socket at once and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.client?.close();
    await this.loop;
    this.loop = null;
    this.state = { ...this.state, state: "stopped" };
  }

  health(): AdapterHealth {
    return { ...this.state };
  }

  /** Records that a message was taken in (health's `lastInboundAt`). */
  markInbound(): void {
    this.state = { ...this.state, lastInboundAt: new Date().toISOString() };
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** attempt);
    // Jitter so many routers restarted together do not reconnect in lock-step.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private async run(log: Logger, pass: MailboxPass): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.session(log, pass, () => (attempt = 0));
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

  private async session(log: Logger, pass: MailboxPass, connected: () => void): Promise<void> {
    const { imap } = this;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      tls: { rejectUnauthorized: imap.tlsVerify },
      logger: false,
      // imapflow waits 15 s of silence before it IDLEs, and until then the server has no way to
      // tell us of new mail. Our loop sends nothing between passes, so IDLE at once (1 s).
      autoIdleDelay: 1_000,
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

    let intakeFailures = 0;
    while (!this.stopped && client.usable) {
      try {
        const res = await pass(client, this.cursorKey);
        intakeFailures = 0;
        if (res) log.debug(res, "mailbox pass");
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
