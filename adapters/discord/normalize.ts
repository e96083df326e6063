import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import {
  InboundMessageSchema,
  LIMITS,
  type InboundMessage,
  type InboundMessageInput,
} from "../../src/message/inbound.js";

const snowflake = z.string().regex(/^\d{1,20}$/, "must be a snowflake (decimal digits)");

/**
 * Discord locales are BCP 47 tags such as "de", "pt-BR", "es-419". Anything else is not
 * evidence we can use, and a platform that sends it is not speaking Discord.
 */
const localeTag = z
  .string()
  .max(64)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a language tag like pt-BR");

/** Message types a reader types by hand: DEFAULT (0) and REPLY (19). Everything else is a system message. */
const READER_MESSAGE_TYPES = new Set([0, 19]);

/** The fields of a gateway MESSAGE_CREATE (or REST message object) that the router uses. */
export const DiscordMessageSchema = z.object({
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.optional(),
  type: z.number().int().optional(),
  webhook_id: snowflake.optional(),
  author: z.object({
    id: snowflake,
    username: z.string(),
    global_name: z.string().nullable().optional(),
    bot: z.boolean().optional(),
    system: z.boolean().optional(),
    /** Only present when an integration supplies the user object with the `identify` scope. */
    locale: localeTag.optional(),
  }),
  content: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  /** Interactions carry the invoking user's locale at the top level; some bridges copy it here. */
  locale: localeTag.optional(),
  message_reference: z
    .object({ message_id: snowflake.optional(), channel_id: snowflake.optional() })
    .optional(),
  attachments: z
    .array(
      z.object({
        filename: z.string(),
        size: z.number().int().nonnegative(),
        content_type: z.string().optional(),
      }),
    )
    .optional(),
});
export type DiscordMessage = z.infer<typeof DiscordMessageSchema>;

/** Describes zod issues by path and kind only, never by value, so no personal data leaks into reasons. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}

/** Parses and validates the platform payload, throwing InvalidPayloadError with a reason. */
export function parseDiscordMessage(raw: unknown): DiscordMessage {
  const parsed = DiscordMessageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidPayloadError(`discord message invalid: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** True for messages the adapter must never route: bots (including itself), webhooks, system users. */
export function isAutomated(msg: {
  author: { bot?: boolean | undefined; system?: boolean | undefined };
  webhook_id?: string | undefined;
}): boolean {
  return msg.author.bot === true || msg.author.system === true || msg.webhook_id !== undefined;
}

/**
 * Turns a Discord message object (gateway MESSAGE_CREATE or REST) into the canonical message.
 * Bot, webhook and system messages, system message types and empty content are rejected with
 * InvalidPayloadError; content over LIMITS is rejected with MESSAGE_TOO_LARGE.
 *
 * Locale: MESSAGE_CREATE carries none. A top-level `locale` (as interactions send it) wins over
 * `author.locale` (user object with the `identify` scope); either becomes a "discord.locale" tag.
 */
export function normalizeDiscord(raw: unknown): InboundMessage {
  const msg = parseDiscordMessage(raw);
  if (isAutomated(msg)) {
    throw new InvalidPayloadError("discord message from a bot, webhook or system user: not routed");
  }
  if (msg.type !== undefined && !READER_MESSAGE_TYPES.has(msg.type)) {
    throw new InvalidPayloadError(
      `discord message type ${msg.type} is a system message: not routed`,
    );
  }
  if (msg.content.trim().length === 0) {
    throw new InvalidPayloadError(
      "discord message has empty content (attachment-only, or the MessageContent intent is missing)",
    );
  }
  if (msg.content.length > LIMITS.textChars) {
    throw new InvalidPayloadError(
      `discord message content is ${msg.content.length} characters, over the ${LIMITS.textChars} limit`,
      "MESSAGE_TOO_LARGE",
    );
  }

  const locale = msg.locale ?? msg.author.locale;
  const displayName = msg.author.global_name ?? undefined;
  const ref = msg.message_reference;
  const input: InboundMessageInput = {
    id: encodeId("discord", msg.channel_id, msg.id),
    channel: "discord",
    replyTo: encodeId("discord", msg.channel_id),
    sender: {
      id: encodeId("discord", msg.author.id),
      handle: msg.author.username.slice(0, 320),
      ...(displayName ? { displayName: displayName.slice(0, LIMITS.nameChars) } : {}),
    },
    text: msg.content,
    sentAt: msg.timestamp,
    ...(ref?.message_id
      ? { inReplyTo: encodeId("discord", ref.channel_id ?? msg.channel_id, ref.message_id) }
      : {}),
    evidence: locale ? { languageTag: locale, languageTagSource: "discord.locale" } : {},
    attachments: (msg.attachments ?? []).slice(0, 100).map((a) => ({
      name: a.filename.slice(0, 300),
      size: a.size,
      contentType: (a.content_type ?? "application/octet-stream").slice(0, 200),
    })),
  };
  const result = InboundMessageSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidPayloadError(`discord message invalid: ${describeIssues(result.error)}`);
  }
  return result.data;
}
