import { z } from "zod";
import { ChannelSchema } from "./channel.js";

/** Hard limits on what one inbound message may carry; larger input is rejected, not truncated silently. */
export const LIMITS = {
  textChars: 20_000,
  subjectChars: 500,
  nameChars: 200,
  profileLocationChars: 200,
} as const;

const prefixedId = z
  .string()
  .min(3)
  .max(512)
  .regex(/^(email|telegram|discord|twitter|web):./s, "must start with a channel prefix");

/** Where the platform's language tag came from. */
export const LanguageTagSourceSchema = z.enum([
  "telegram.language_code",
  "discord.locale",
  "email.content-language",
  "web.accept-language",
  "web.form",
]);

/**
 * Everything a platform tells us about a reader beyond the text. All optional:
 * adapters fill what their platform offers and nothing else.
 */
export const PlatformEvidenceSchema = z.object({
  /** Raw platform language tag, e.g. "fr-ca", "pt-BR". */
  languageTag: z.string().max(64).optional(),
  languageTagSource: LanguageTagSourceSchema.optional(),
  /** The reader's own answer about where they are: web form country field or the reply to the bot's question. */
  statedCountry: z.string().max(100).optional(),
  /** Free-text profile location (Twitter `user.location`). */
  profileLocation: z.string().max(LIMITS.profileLocationChars).optional(),
  /** A phone number the reader shared (Telegram contact), as given. */
  phone: z.string().max(40).optional(),
  /** Sender email address, for the country-code TLD. */
  emailAddress: z.string().max(320).optional(),
  /** Email authentication verdicts (SPF/DKIM/DMARC), when the channel is email. */
  emailAuth: z
    .object({
      spf: z.string().max(32).optional(),
      dkim: z.string().max(32).optional(),
      dmarc: z.string().max(32).optional(),
    })
    .optional(),
});
export type PlatformEvidence = z.infer<typeof PlatformEvidenceSchema>;

export const AttachmentSchema = z.object({
  name: z.string().max(300),
  size: z.number().int().nonnegative(),
  contentType: z.string().max(200),
});

/** A reader's press of a choice button: the caller's `data` and the question it answers. */
export const ChoiceAnswerSchema = z.object({
  /** The `data` of the chosen `Choice`, as the caller sent it (1–64 bytes). */
  data: z
    .string()
    .min(1)
    .refine((d) => Buffer.byteLength(d, "utf8") <= 64, "must be at most 64 bytes"),
  /** Prefixed id of the bot's message that carried the buttons (what `send()` returned). */
  inReplyTo: prefixedId.optional(),
});
export type ChoiceAnswer = z.infer<typeof ChoiceAnswerSchema>;

/**
 * The one canonical inbound message. Every adapter's `normalize()` produces this;
 * nothing downstream looks at platform payloads.
 */
export const InboundMessageSchema = z.object({
  /** Globally unique, platform-prefixed id of this message, stable across re-deliveries. */
  id: prefixedId,
  channel: ChannelSchema,
  /** Where a reply to the reader goes (prefixed): chat, DM channel, conversation or address. */
  replyTo: prefixedId,
  sender: z.object({
    /** Prefixed platform id of the sender. */
    id: prefixedId,
    displayName: z.string().max(LIMITS.nameChars).optional(),
    /** @handle, username or email address as the platform shows it. */
    handle: z.string().max(320).optional(),
  }),
  subject: z.string().max(LIMITS.subjectChars).optional(),
  /** Plain text of the message (for email: the body with HTML converted to text). */
  text: z.string().max(LIMITS.textChars),
  /** When the platform says the message was sent (ISO 8601). */
  sentAt: z.iso.datetime({ offset: true }),
  /** Prefixed id of the message this one answers, when the platform says so. */
  inReplyTo: z.string().max(1000).optional(),
  evidence: PlatformEvidenceSchema,
  attachments: z.array(AttachmentSchema).max(100).default([]),
  /**
   * Set when this message is the reader pressing one of the bot's choice buttons (Telegram
   * inline keyboard, Discord button); `text` is then the button's label.
   */
  choice: ChoiceAnswerSchema.optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
export type InboundMessageInput = z.input<typeof InboundMessageSchema>;
