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
import { syncMailbox } from "./mailbox-sync.js";
import { MailboxWatcher, type MailboxWatchOptions } from "./mailbox-watch.js";
import { MAX_RAW_BYTES } from "./normalize.js";
import { SmtpSender, type SmtpRetryPolicy } from "./smtp-sender.js";

/** Timing knobs; the defaults suit production, tests shorten them. */
export interface EmailAdapterOptions extends MailboxWatchOptions {
  /** Largest message taken in; larger ones are quarantined with their headers only. */
  maxBytes?: number;
  /** SPF/DKIM/DMARC check; defaults to mailauth with the DNS chosen by EMAIL_AUTH_DNS. */
  checkAuth?: (raw: Buffer) => Promise<EmailAuthVerdict>;
  smtpRetry?: SmtpRetryPolicy;
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
  private readonly watcher: MailboxWatcher;
  private started = false;
  private readonly sender: SmtpSender;
  private readonly opts: {
    maxBytes: number;
    checkAuth: (raw: Buffer) => Promise<EmailAuthVerdict>;
  };

  constructor(
    private readonly config: EmailConfig,
    options: EmailAdapterOptions = {},
  ) {
    this.sender = new SmtpSender(config, options.smtpRetry);
    this.watcher = new MailboxWatcher(config.imap, options);
    const resolver = config.authDns === "off" ? offlineResolver : systemResolver();
    this.opts = {
      maxBytes: options.maxBytes ?? MAX_RAW_BYTES,
      checkAuth: options.checkAuth ?? ((raw) => checkEmailAuth(raw, { resolver })),
    };
  }

  /** Starts the IMAP loop in the background; connection problems show in health(), never throw. */
  start(ctx: AdapterContext): Promise<void> {
    if (this.started) return Promise.reject(new Error("email adapter already started"));
    this.started = true;
    const log = ctx.logger.child({ adapter: "email" });
    this.watcher.start(log, async (client, cursorKey) => {
      const res = await syncMailbox({
        client,
        ctx,
        cursorKey,
        maxBytes: this.opts.maxBytes,
        log,
        checkAuth: this.opts.checkAuth,
        stopped: () => this.watcher.stopped,
        onInbound: () => this.watcher.markInbound(),
      });
      return res.submitted + res.quarantined + res.skipped > 0 ? res : null;
    });
    return Promise.resolve();
  }

  /** Closes the IMAP socket and the SMTP pool at once and waits for the loop to end. */
  async stop(): Promise<void> {
    this.sender.close();
    await this.watcher.stop();
    this.started = false;
  }

  /** Sends one reply by SMTP; choices are listed, numbered, under the text. */
  async send(message: OutboundText): Promise<{ platformMessageId: string }> {
    if (message.choices?.length) checkChoices(message.choices);
    return this.sender.send(withTextChoices(message));
  }

  health(): AdapterHealth {
    return this.watcher.health();
  }
}
