import { RouterError } from "../errors.js";
import { nt } from "../i18n/notices.js";

/*
 * Why the relay refuses an affiliate's reply, one class per reason (the model is Discourse's
 * email receiver): each is logged and counted by its class name, and a test can assert on
 * exactly why a reply was refused. A refused reply never reaches the reader; the relay keeps it
 * in quarantine with its reason and, where a person can act on it, explains the refusal to the
 * sender (at most once an hour per address). Messages carry no personal data.
 */

/** A reply the relay will not pass on. `smtp` is the reply for refusals during the SMTP dialogue. */
export abstract class RelayRefusal extends RouterError {
  /** Whether the sender gets an explanatory bounce (never for robots and duplicates). */
  abstract readonly bounce: boolean;
  /** Said to the sender, in `lang` where it is bounced: why, and what they can do. */
  abstract explain(lang?: string): string;
  /** The SMTP reply when the refusal happens during the SMTP dialogue. */
  readonly smtp: { code: number; message: string };

  constructor(message: string, smtpCode = 550, smtpText?: string) {
    super("RELAY_REFUSED", message);
    this.smtp = { code: smtpCode, message: smtpText ?? message };
  }
}

/** The recipient is not a relay address of this domain: the relay is no open relay. */
export class UnknownRecipientError extends RelayRefusal {
  readonly bounce = false;
  constructor() {
    super("not a relay address of this domain", 550, "5.1.1 No such recipient here");
  }
  explain(): string {
    return "The address you wrote to does not exist.";
  }
}

/** The token is not one of ours: wrong length or characters, or made with an unknown key. */
export class TokenMalformedError extends RelayRefusal {
  readonly bounce = false;
  constructor(why: string) {
    super(`relay token malformed (${why})`, 550, "5.1.1 Unknown relay address");
  }
  explain(): string {
    return "The reply address is not one the relay issued. Reply to the forwarded email itself, without editing its Reply-To address.";
  }
}

/** The token's HMAC does not verify: it was forged or altered. */
export class TokenForgedError extends RelayRefusal {
  readonly bounce = false;
  constructor() {
    super("relay token does not verify (forged or altered)", 550, "5.7.1 Invalid relay address");
  }
  explain(): string {
    return "The reply address was altered. Reply to the forwarded email itself, without editing its Reply-To address.";
  }
}

/** The token's conversation no longer exists: past its retention, or erased. */
export class TokenExpiredError extends RelayRefusal {
  readonly bounce = false;
  constructor() {
    super(
      "the conversation of this relay token no longer exists",
      550,
      "5.1.1 This conversation has ended and its relay address has expired",
    );
  }
  explain(): string {
    return "This conversation no longer exists (its retention period has passed), so the relay cannot pass your reply on.";
  }
}

/** The token was revoked: the conversation was handed to another affiliate. */
export class TokenRevokedError extends RelayRefusal {
  readonly bounce = true;
  constructor(
    readonly ref: string,
    readonly now: string,
  ) {
    super(`relay token of ${ref} was revoked (the conversation was rerouted)`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.revoked", { ref: this.ref, affiliate: this.now });
  }
}

/** The conversation was closed with #close. */
export class ConversationClosedError extends RelayRefusal {
  readonly bounce = true;
  constructor(readonly ref: string) {
    super(`conversation ${ref} is closed`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.closed", { ref: this.ref });
  }
}

/** The sender is neither the affiliate's inbox nor one of its `reply_from` addresses. */
export class SenderNotAllowedError extends RelayRefusal {
  readonly bounce = true;
  constructor(
    readonly ref: string,
    readonly affiliate: string,
  ) {
    super(`sender is not an address of affiliate ${affiliate}`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.sender", { ref: this.ref, affiliate: this.affiliate });
  }
}

/** DMARC-aligned authentication of the sender failed (public relay domains only). */
export class AuthenticationFailedError extends RelayRefusal {
  readonly bounce = true;
  constructor(readonly verdict: string) {
    super(`sender authentication failed (${verdict})`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.auth", { verdict: this.verdict });
  }
}

/** An auto-reply, out-of-office, bounce, delivery report or mailing-list message. */
export class AutoReplyError extends RelayRefusal {
  readonly bounce = false;
  constructor(readonly why: string) {
    super(`machine-sent mail (${why})`);
  }
  explain(): string {
    return "Automatic replies are not passed on to readers.";
  }
}

/** A message with this Message-ID was already relayed to this conversation. */
export class DuplicateReplyError extends RelayRefusal {
  readonly bounce = false;
  constructor() {
    super("a message with this Message-ID was already relayed");
  }
  explain(): string {
    return "This reply was already passed on.";
  }
}

/** Nothing is left once the quote and the signature are cut: held for an admin. */
export class EmptyReplyError extends RelayRefusal {
  readonly bounce = true;
  constructor(readonly ref: string) {
    super(`reply to ${ref} has no text of its own above the quote: held for an admin`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.empty", { ref: this.ref });
  }
}

/** The reader left no way to answer them (web form without an email address). */
export class ReaderUnreachableError extends RelayRefusal {
  readonly bounce = true;
  constructor(readonly ref: string) {
    super(`the reader of ${ref} cannot be answered (no reply address)`);
  }
  explain(lang = "en"): string {
    return nt(lang, "refusal.noAddress", { ref: this.ref });
  }
}

/** The message is larger than the relay accepts. */
export class MessageTooLargeError extends RelayRefusal {
  readonly bounce = false;
  constructor(readonly limitBytes: number) {
    super(
      `message over the relay's ${limitBytes}-byte limit`,
      552,
      `5.3.4 Message too large for the relay (limit ${Math.floor(limitBytes / 1024 / 1024)} MB): attachments are not passed on to readers; send your answer as text only`,
    );
  }
  explain(): string {
    return this.smtp.message;
  }
}

/** The message could not be read as MIME at all. */
export class UnreadableReplyError extends RelayRefusal {
  readonly bounce = false;
  constructor(why: string) {
    super(`reply could not be read (${why})`);
  }
  explain(): string {
    return "Your reply could not be read.";
  }
}

/** The refusal's name as logs and the metric `contact_router_relay_refused_total{reason}` show it. */
export function refusalName(err: RelayRefusal): string {
  return err.constructor.name;
}
