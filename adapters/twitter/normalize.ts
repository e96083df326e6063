import { z } from "zod";
import { InvalidPayloadError } from "../../src/errors.js";
import { encodeId } from "../../src/message/ids.js";
import {
  InboundMessageSchema,
  LIMITS,
  type InboundMessage,
  type InboundMessageInput,
} from "../../src/message/inbound.js";

/** X ids are 64-bit snowflakes sent as decimal strings. */
const SnowflakeSchema = z.string().regex(/^\d{1,20}$/, "must be a numeric id");

/** The fields of a v2 User we use (`user.fields=location`, plus the default name/username). */
export const TwitterUserSchema = z.object({
  id: SnowflakeSchema,
  name: z.string().optional(),
  username: z.string().optional(),
  location: z.string().optional(),
});
export type TwitterUser = z.infer<typeof TwitterUserSchema>;

/** A v2 DM event (`GET /2/dm_events`), the fields we use. */
export const DmEventSchema = z.object({
  id: SnowflakeSchema,
  event_type: z.string(),
  text: z.string().optional(),
  sender_id: SnowflakeSchema.optional(),
  dm_conversation_id: z
    .string()
    .regex(/^[0-9-]{1,64}$/, "must be a DM conversation id")
    .optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
});

/** A v2 Tweet (`GET /2/users/:id/mentions`), the fields we use. `lang` is read but not used: see below. */
export const TweetSchema = z.object({
  id: SnowflakeSchema,
  text: z.string(),
  author_id: SnowflakeSchema,
  conversation_id: SnowflakeSchema.optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  lang: z.string().optional(),
  referenced_tweets: z
    .array(z.object({ type: z.string(), id: SnowflakeSchema }))
    .max(10)
    .optional(),
});

/** The input `normalizeTwitter` takes: one item of a v2 response, with that response's `includes`. */
export const TwitterPayloadSchema = z.object({
  data: z.record(z.string(), z.unknown()),
  includes: z.object({ users: z.array(TwitterUserSchema).max(1000).optional() }).optional(),
});
export type TwitterPayload = z.infer<typeof TwitterPayloadSchema>;

/** Milliseconds between the Unix epoch and X's snowflake epoch. */
const TWITTER_EPOCH_MS = 1288834974657n;

/** Creation time encoded in a snowflake id, used when the payload lacks `created_at`. */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS));
}

/**
 * The account that wrote this payload (DM `sender_id` or Tweet `author_id`), if it says.
 * The adapter compares it with its own user id so the bot never routes its own replies:
 * X lists the bot's sent DMs in the same `dm_events` timeline as the readers' messages.
 */
export function payloadAuthorId(raw: unknown): string | undefined {
  const parsed = TwitterPayloadSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { data } = parsed.data;
  const author = data.sender_id ?? data.author_id;
  return typeof author === "string" ? author : undefined;
}

/** A field path and message from a zod error, never the offending value (it may be personal data). */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return `${path}: ${issue.message}`;
}

function fail(reason: string): never {
  throw new InvalidPayloadError(`twitter: ${reason}`);
}

function checkText(text: string): void {
  if (text.length > LIMITS.textChars) {
    throw new InvalidPayloadError(
      `twitter: text has ${text.length} characters, more than the limit of ${LIMITS.textChars}`,
      "MESSAGE_TOO_LARGE",
    );
  }
}

/** Profile fields of the sender, found in `includes.users`. Over-long fields are rejected, not cut. */
function senderFields(users: TwitterUser[] | undefined, senderId: string) {
  const user = users?.find((u) => u.id === senderId);
  if (!user) return { evidence: {}, sender: {} };
  if (user.location !== undefined && user.location.length > LIMITS.profileLocationChars) {
    fail(`user.location is longer than ${LIMITS.profileLocationChars} characters`);
  }
  if (user.name !== undefined && user.name.length > LIMITS.nameChars) {
    fail(`user.name is longer than ${LIMITS.nameChars} characters`);
  }
  if (user.username !== undefined && !/^\w{1,50}$/.test(user.username)) {
    fail("user.username is not an X handle");
  }
  const location = user.location?.trim();
  return {
    evidence: location ? { profileLocation: location } : {},
    sender: {
      ...(user.name ? { displayName: user.name } : {}),
      ...(user.username ? { handle: `@${user.username}` } : {}),
    },
  };
}

/** Leading @handles are how X addresses a mention; they are not the reader's words. */
function stripLeadingMentions(text: string): string {
  return text.replace(/^(?:\s*@\w{1,50})+\s*/u, "");
}

function finish(input: InboundMessageInput): InboundMessage {
  const parsed = InboundMessageSchema.safeParse(input);
  if (!parsed.success) fail(`normalised message invalid at ${describe(parsed.error)}`);
  return parsed.data;
}

function fromDmEvent(data: Record<string, unknown>, users: TwitterUser[] | undefined) {
  const parsed = DmEventSchema.safeParse(data);
  if (!parsed.success) fail(`DM event invalid at data.${describe(parsed.error)}`);
  const event = parsed.data;
  if (event.event_type !== "MessageCreate") {
    fail(`DM event type "${event.event_type.slice(0, 40)}" carries no reader message`);
  }
  if (event.text === undefined) fail("DM event has no text (request dm_event.fields=text)");
  if (event.sender_id === undefined) {
    fail("DM event has no sender_id (request dm_event.fields=sender_id)");
  }
  checkText(event.text);
  const { evidence, sender } = senderFields(users, event.sender_id);
  return finish({
    id: encodeId("twitter", "dm", event.id),
    channel: "twitter",
    // A group conversation is answered in place; without a conversation id the sender gets a 1:1 DM.
    replyTo: event.dm_conversation_id
      ? encodeId("twitter", "dm", event.dm_conversation_id)
      : encodeId("twitter", "user", event.sender_id),
    sender: { id: encodeId("twitter", "user", event.sender_id), ...sender },
    text: event.text,
    sentAt: (event.created_at ? new Date(event.created_at) : snowflakeTime(event.id)).toISOString(),
    evidence,
    attachments: [],
  });
}

function fromTweet(data: Record<string, unknown>, users: TwitterUser[] | undefined) {
  const parsed = TweetSchema.safeParse(data);
  if (!parsed.success) fail(`Tweet invalid at data.${describe(parsed.error)}`);
  const tweet = parsed.data;
  checkText(tweet.text);
  const { evidence, sender } = senderFields(users, tweet.author_id);
  const repliedTo = tweet.referenced_tweets?.find((r) => r.type === "replied_to");
  // `tweet.lang` is X's own guess from the text, not a setting of the reader, so it is not one of
  // ROUTING.md's platform language tags; the router's detector reads the text itself.
  return finish({
    id: encodeId("twitter", "tweet", tweet.id),
    channel: "twitter",
    replyTo: encodeId("twitter", "tweet", tweet.id),
    sender: { id: encodeId("twitter", "user", tweet.author_id), ...sender },
    text: stripLeadingMentions(tweet.text),
    sentAt: (tweet.created_at ? new Date(tweet.created_at) : snowflakeTime(tweet.id)).toISOString(),
    ...(repliedTo ? { inReplyTo: encodeId("twitter", "tweet", repliedTo.id) } : {}),
    evidence,
    attachments: [],
  });
}

/**
 * Turns `{"data": <v2 DM event or Tweet>, "includes": {"users": [...]}}` into the canonical message.
 * DM → `twitter:dm:<event id>`, replying into its conversation; Tweet (a mention) →
 * `twitter:tweet:<id>`, replying to the tweet. The sender's `location` becomes
 * `evidence.profileLocation`. Throws `InvalidPayloadError` with a reason free of personal data.
 */
export function normalizeTwitter(raw: unknown): InboundMessage {
  const envelope = TwitterPayloadSchema.safeParse(raw);
  if (!envelope.success) fail(`payload invalid at ${describe(envelope.error)}`);
  const { data, includes } = envelope.data;
  if ("event_type" in data) return fromDmEvent(data, includes?.users);
  if ("author_id" in data) return fromTweet(data, includes?.users);
  return fail("data is neither a DM event (event_type) nor a Tweet (author_id)");
}
