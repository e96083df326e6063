import { z } from "zod";
import { CHOICE_ID_SUFFIX, type PressRefusal } from "../choices.js";
import { encodeId } from "../../src/message/ids.js";
import {
  InboundMessageSchema,
  LIMITS,
  type InboundMessage,
  type InboundMessageInput,
} from "../../src/message/inbound.js";

const snowflake = z.string().regex(/^\d{1,20}$/, "must be a snowflake (decimal digits)");
const localeTag = z
  .string()
  .max(64)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a language tag like pt-BR");

/** Interaction type MESSAGE_COMPONENT and component type BUTTON (Discord API v10). */
const MESSAGE_COMPONENT = 3;
const BUTTON = 2;
/** Channel type DM. */
const DM = 1;
/** Milliseconds from the Unix epoch to Discord's (2015-01-01). */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

const UserSchema = z.object({
  id: snowflake,
  username: z.string(),
  global_name: z.string().nullable().optional(),
});

/** The message the pressed button is on (the bot's question), the fields used here. */
const QuestionSchema = z.object({
  id: snowflake,
  channel_id: snowflake,
  message_reference: z
    .object({ message_id: snowflake.optional(), channel_id: snowflake.optional() })
    .optional(),
  /** For a reply: the message replied to; null when it was deleted, absent when not fetched. */
  referenced_message: z
    .object({ author: z.object({ id: snowflake }) })
    .nullable()
    .optional(),
  components: z
    .array(
      z.object({
        type: z.number().int(),
        components: z
          .array(
            z.object({
              type: z.number().int(),
              custom_id: z.string().optional(),
              label: z.string().optional(),
              disabled: z.boolean().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/** A gateway INTERACTION_CREATE payload (the interaction object), the fields used here. */
export const DiscordInteractionSchema = z.object({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int(),
  token: z.string().min(1).max(2000),
  data: z.object({ custom_id: z.string().max(100), component_type: z.number().int() }).optional(),
  guild_id: snowflake.optional(),
  channel: z.object({ id: snowflake, type: z.number().int() }).optional(),
  channel_id: snowflake.optional(),
  member: z.object({ user: UserSchema }).optional(),
  user: UserSchema.optional(),
  /** The presser's client language. */
  locale: localeTag.optional(),
  message: QuestionSchema.optional(),
});
export type DiscordInteraction = z.infer<typeof DiscordInteractionSchema>;

/** Parses an INTERACTION_CREATE payload; the reason names fields, never values. */
export function parseDiscordInteraction(
  raw: unknown,
): { ok: true; interaction: DiscordInteraction } | { ok: false; reason: string } {
  const parsed = DiscordInteractionSchema.safeParse(raw);
  if (parsed.success) return { ok: true, interaction: parsed.data };
  const where = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  return { ok: false, reason: `discord interaction invalid: ${where}` };
}

/** The interaction without its token (a credential for 15 minutes), for the quarantine. */
export function withoutToken(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || !("token" in raw)) return raw;
  const { token: _token, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** A press taken as the reader's answer, refused with the reason, or not a press at all. */
export type DiscordPress =
  | {
      kind: "choice";
      message: InboundMessage;
      label: string;
      channelId: string;
      messageId: string;
    }
  | {
      kind: "refused";
      why: PressRefusal;
      /** Readable, with no personal data: it goes to the quarantine and the logs. */
      reason: string;
      channelId?: string;
      messageId?: string;
    }
  /** Not a component interaction (the bot registers no commands): nothing to take or answer. */
  | { kind: "ignored"; reason: string };

/** Where the question is and whether it is in a DM. */
function placeOf(i: DiscordInteraction): { channelId: string; dm: boolean } | null {
  const channelId = i.message?.channel_id ?? i.channel?.id ?? i.channel_id;
  if (channelId === undefined) return null;
  return { channelId, dm: i.guild_id === undefined && (i.channel?.type ?? DM) === DM };
}

/**
 * The reader a question in a guild channel was addressed to, when the payload says (the author of
 * the message it replies to); `lookup` when only the reply's id is there and the caller must fetch
 * that message; null when the question replies to nothing, or to a deleted message.
 */
export function questionAddressee(
  i: DiscordInteraction,
): { id: string } | { lookup: { channelId: string; messageId: string } } | null {
  const m = i.message;
  if (!m) return null;
  if (m.referenced_message) return { id: m.referenced_message.author.id };
  const ref = m.message_reference?.message_id;
  if (m.referenced_message === null || ref === undefined) return null;
  return { lookup: { channelId: m.message_reference?.channel_id ?? m.channel_id, messageId: ref } };
}

export interface PressContext {
  /** The configured contact channel: the only guild channel whose questions are ours. */
  contactChannelId?: string;
  /** The addressee of a guild question, when the caller had to fetch it (see questionAddressee). */
  addresseeId?: string;
}

/**
 * A component interaction → the reader's answer, pure. The answer has the reader's identity exactly
 * as their messages in that channel have it (sender `discord:<user>`, replyTo `discord:<channel>`),
 * the button's label as text, the presser's client locale as language evidence, and `choice` =
 * { data: custom_id, inReplyTo: the question `discord:<channel>:<message>` }. Its id
 * `discord:<channel>:<message>:choice` names the question, not the press, so a second press or a
 * replayed event is the same message to the intake. In a DM the presser is the reader; in the
 * contact channel only the author of the message the question replies to counts.
 */
export function normalizeDiscordPress(i: DiscordInteraction, ctx: PressContext): DiscordPress {
  if (i.type !== MESSAGE_COMPONENT) {
    return { kind: "ignored", reason: `interaction type ${i.type} is not a button press` };
  }
  const place = placeOf(i);
  const refuse = (why: PressRefusal, reason: string): DiscordPress => ({
    kind: "refused",
    why,
    reason: `discord interaction ${i.id}: ${reason}`,
    ...(place ? { channelId: place.channelId } : {}),
    ...(i.message ? { messageId: i.message.id } : {}),
  });
  if (!i.data || i.data.component_type !== BUTTON) {
    return refuse("malformed", "a component that is not a button: not a choice");
  }
  const presser = i.user ?? i.member?.user;
  if (!presser) return refuse("malformed", "no user or member: nobody pressed");
  if (!i.message || !place)
    return refuse("malformed", "no message: not a press on the bot's question");

  if (!place.dm) {
    if (place.channelId !== ctx.contactChannelId) {
      return refuse("unattributable", "a press in a guild channel that is not the contact channel");
    }
    const addressee = questionAddressee(i);
    const addresseeId =
      addressee && "id" in addressee ? addressee.id : addressee ? ctx.addresseeId : undefined;
    if (addresseeId === undefined) {
      return refuse(
        "unattributable",
        "a question in the contact channel that replies to no reader's message: no press can be taken as an answer",
      );
    }
    if (addresseeId !== presser.id) {
      return refuse(
        "not-addressee",
        "pressed by someone other than the reader the question was addressed to",
      );
    }
  }
  const data = i.data.custom_id;
  const button = (i.message.components ?? [])
    .flatMap((row) => row.components ?? [])
    .find((b) => b.type === BUTTON && b.custom_id === data);
  const label = button?.label?.trim() ?? "";
  if (!button || button.disabled === true || label === "") {
    return refuse("unknown-choice", "the pressed custom_id is not one of the message's buttons");
  }

  const question = encodeId("discord", place.channelId, i.message.id);
  const displayName = presser.global_name ?? undefined;
  const input: InboundMessageInput = {
    id: encodeId("discord", place.channelId, i.message.id, CHOICE_ID_SUFFIX),
    channel: "discord",
    replyTo: encodeId("discord", place.channelId),
    sender: {
      id: encodeId("discord", presser.id),
      handle: presser.username.slice(0, 320),
      ...(displayName ? { displayName: displayName.slice(0, LIMITS.nameChars) } : {}),
    },
    text: label,
    sentAt: new Date(Number((BigInt(i.id) >> 22n) + DISCORD_EPOCH_MS)).toISOString(),
    inReplyTo: question,
    evidence: i.locale ? { languageTag: i.locale, languageTagSource: "discord.locale" } : {},
    attachments: [],
    choice: { data, inReplyTo: question },
  };
  const checked = InboundMessageSchema.safeParse(input);
  if (!checked.success) {
    const fields = checked.error.issues.map((x) => x.path.join(".")).join(", ");
    return refuse("malformed", `the press does not fit the canonical form (${fields})`);
  }
  return {
    kind: "choice",
    message: checked.data,
    label,
    channelId: place.channelId,
    messageId: i.message.id,
  };
}
