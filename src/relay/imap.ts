import type { Logger } from "pino";
import { IntakeUnavailableError, syncMailbox } from "../../adapters/email/mailbox-sync.js";
import { MailboxWatcher, type MailboxWatchOptions } from "../../adapters/email/mailbox-watch.js";
import { parseEmail } from "../../adapters/email/normalize.js";
import type { AdapterHealth, CursorStore } from "../../adapters/types.js";
import type { RelayImapConfig } from "./config.js";
import { InvalidPayloadError } from "../errors.js";
import {
  MessageTooLargeError,
  RelayRefusal,
  UnknownRecipientError,
  UnreadableReplyError,
} from "./errors.js";
import type { SmtpOrigin } from "./sender-auth.js";
import { tokenOfAddress } from "./token.js";

/** Headers a mail server writes with the envelope recipient, most reliable first. */
const ENVELOPE_TO = ["delivered-to", "x-original-to", "envelope-to", "x-envelope-to"];
const ADDRESS = /[^\s<>,;:"()]+@[^\s<>,;:"()]+/g;

export interface RelayMailboxDeps {
  imap: RelayImapConfig;
  /** Only `relay+<token>@<domain>` recipients are taken. */
  domain: string;
  /** Larger messages are refused (kept with their headers only). */
  maxBytes: number;
  cursors: CursorStore;
  logger: Logger;
  /** The listener's token check: throws the RelayRefusal that refuses a token. */
  checkRecipient(token: string): Promise<void>;
  /** Stores one reply for one relay address durably (the relay queue). */
  store(raw: Buffer, token: string, origin: SmtpOrigin): Promise<void>;
  /** A refused message, for the quarantine and the counts. */
  onRefused(err: RelayRefusal, origin: SmtpOrigin, ref: string, raw: unknown): Promise<void>;
}

/** What the mail server that filled the mailbox recorded about a message's envelope. */
export function envelopeOf(
  headerLines: readonly { key: string; line: string }[],
  to: string[],
  domain: string,
): { tokens: string[]; origin: SmtpOrigin } {
  const value = (line: string) => line.slice(line.indexOf(":") + 1);
  const tokensIn = (addresses: string[]) => [
    ...new Set(
      addresses.map((a) => tokenOfAddress(a, domain)).filter((t): t is string => t !== null),
    ),
  ];
  const envelope = headerLines
    .filter((h) => ENVELOPE_TO.includes(h.key))
    .flatMap((h) => value(h.line).match(ADDRESS) ?? []);
  // The envelope headers name the mailbox's real recipient; To/Cc only when there are none.
  let tokens = tokensIn(envelope);
  if (tokens.length === 0) tokens = tokensIn(to);
  const returnPath = headerLines.find((h) => h.key === "return-path");
  const mailFrom = returnPath ? (value(returnPath.line).match(ADDRESS)?.[0] ?? null) : null;
  // The top Received header is the mail server's own record of the client that delivered it.
  const received = headerLines.find((h) => h.key === "received");
  const ip = received ? /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/.exec(received.line)?.[1] : undefined;
  const helo = received ? /from\s+([^\s(]+)/i.exec(value(received.line))?.[1] : undefined;
  return {
    tokens,
    origin: { ip: ip ?? "127.0.0.1", helo: helo ?? "unknown", mailFrom },
  };
}

/**
 * The relay's optional IMAP mailbox: fetches replies that a mail server delivered to a mailbox
 * (say, a catch-all for the relay subdomain) with the email channel's machinery (MailboxWatcher,
 * syncMailbox: UID cursor, IDLE, reconnects) and hands each to the same checks and queue as the
 * SMTP listener. A message whose relay token is refused is kept in quarantine (there is no SMTP
 * dialogue to refuse it in); a Redis failure retries the same message.
 */
export class RelayMailbox {
  private readonly watcher: MailboxWatcher;

  constructor(
    private readonly deps: RelayMailboxDeps,
    options: MailboxWatchOptions = {},
  ) {
    this.watcher = new MailboxWatcher({ ...deps.imap }, options);
  }

  start(): void {
    const log = this.deps.logger.child({ relayMailbox: this.deps.imap.mailbox });
    this.watcher.start(log, async (client, cursorKey) => {
      const res = await syncMailbox({
        client,
        ctx: {
          cursors: this.deps.cursors,
          logger: log,
          intake: {
            submit: () => Promise.reject(new Error("the relay mailbox takes raw replies")),
            // Oversized messages (their headers only) and unreadable ones.
            quarantine: (ref, reason, raw) =>
              this.refuse(
                reason.startsWith("MESSAGE_TOO_LARGE")
                  ? new MessageTooLargeError(this.deps.maxBytes)
                  : new UnreadableReplyError(reason.slice(0, 60)),
                unknownOrigin,
                `relay-${ref}`,
                raw,
              ),
          },
        },
        cursorKey: `relay:${cursorKey}`,
        maxBytes: this.deps.maxBytes,
        log,
        stopped: () => this.watcher.stopped,
        onInbound: () => this.watcher.markInbound(),
        take: (source, _receivedAt) => this.take(source),
      });
      return res.submitted + res.quarantined + res.skipped > 0 ? res : null;
    });
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  health(): AdapterHealth {
    return this.watcher.health();
  }

  private async refuse(
    err: RelayRefusal,
    origin: SmtpOrigin,
    ref: string,
    raw: unknown,
  ): Promise<void> {
    try {
      await this.deps.onRefused(err, origin, ref, raw);
    } catch (e) {
      throw new IntakeUnavailableError(e);
    }
  }

  private async take(source: Buffer): Promise<void> {
    let mail: Awaited<ReturnType<typeof parseEmail>>;
    try {
      mail = await parseEmail(source);
    } catch (err) {
      throw new InvalidPayloadError(`unreadable mail (${(err as Error).name})`);
    }
    const to = [mail.to, mail.cc]
      .flatMap((x) => (Array.isArray(x) ? x : x ? [x] : []))
      .flatMap((g) => g.value.map((v) => v.address ?? ""));
    const { tokens, origin } = envelopeOf(mail.headerLines, to, this.deps.domain);
    const ref = `relay-imap/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    if (tokens.length === 0) {
      await this.refuse(new UnknownRecipientError(), origin, ref, source.toString("utf8"));
      return;
    }
    for (const token of tokens) {
      try {
        await this.deps.checkRecipient(token);
      } catch (err) {
        if (!(err instanceof RelayRefusal)) throw new IntakeUnavailableError(err);
        await this.refuse(err, origin, ref, source.toString("utf8"));
        continue;
      }
      try {
        await this.deps.store(source, token, origin);
      } catch (err) {
        throw new IntakeUnavailableError(err);
      }
    }
  }
}

const unknownOrigin: SmtpOrigin = { ip: "127.0.0.1", helo: "unknown", mailFrom: null };
