import { describe, expect, it } from "vitest";
import {
  normalizeTwitter,
  payloadAuthorId,
  snowflakeTime,
} from "../../../adapters/twitter/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { LIMITS } from "../../../src/message/inbound.js";
import {
  dmFromZurich,
  dmGroupNoCreatedAt,
  dmNoUser,
  mentionTweet,
  zurichUser,
} from "./fixtures.js";

function reasonOf(raw: unknown): { code: string; message: string } {
  try {
    normalizeTwitter(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPayloadError);
    const e = err as InvalidPayloadError;
    return { code: e.code, message: e.message };
  }
  throw new Error("expected normalizeTwitter to throw");
}

describe("normalizeTwitter: DM events", () => {
  it("maps a 1:1 DM with the sender's profile location", () => {
    const msg = normalizeTwitter(dmFromZurich);
    expect(msg).toMatchObject({
      id: "twitter:dm:1860000000000000101",
      channel: "twitter",
      replyTo: `twitter:dm:${zurichUser.id}-990001`,
      sender: {
        id: `twitter:user:${zurichUser.id}`,
        displayName: "Lena Muster",
        handle: "@lena_m",
      },
      text: dmFromZurich.data.text,
      sentAt: "2026-11-20T10:15:00.000Z",
      evidence: { profileLocation: "Zürich" },
    });
    // X offers no language setting for DMs: no platform tag may be invented.
    expect(msg.evidence.languageTag).toBeUndefined();
  });

  it("takes the time from the snowflake when created_at was not requested", () => {
    const msg = normalizeTwitter(dmGroupNoCreatedAt);
    expect(msg.sentAt).toBe(snowflakeTime("1860000000000000202").toISOString());
    expect(msg.replyTo).toBe("twitter:dm:1860000000000000000");
    expect(msg.evidence.profileLocation).toBe("Barcelona");
  });

  it("answers the sender directly when the event has no conversation id, and works without includes", () => {
    const msg = normalizeTwitter(dmNoUser);
    expect(msg.replyTo).toBe("twitter:user:1570000000000000004");
    expect(msg.sender).toEqual({ id: "twitter:user:1570000000000000004" });
    expect(msg.evidence).toEqual({});
  });

  it("computes snowflake times in the right era", () => {
    // 1860… ids were minted in late 2024.
    expect(snowflakeTime("1860000000000000000").getUTCFullYear()).toBe(2024);
  });
});

describe("normalizeTwitter: mentions", () => {
  it("maps a Tweet, strips the leading @handles and ignores X's lang guess", () => {
    const msg = normalizeTwitter(mentionTweet);
    expect(msg).toMatchObject({
      id: "twitter:tweet:1860000000000000303",
      replyTo: "twitter:tweet:1860000000000000303",
      inReplyTo: "twitter:tweet:1860000000000000300",
      sender: { id: "twitter:user:1570000000000000003", handle: "@sam_au" },
      text: "how do I get in touch with comrades in Melbourne?",
      evidence: { profileLocation: "Melbourne 🇦🇺" },
    });
    expect(msg.evidence.languageTag).toBeUndefined();
  });
});

describe("normalizeTwitter: bad payloads", () => {
  const cases: { name: string; raw: unknown; reason: RegExp; code?: string }[] = [
    { name: "not an object", raw: "hello", reason: /payload invalid at \(root\)/ },
    { name: "no data", raw: { includes: {} }, reason: /payload invalid at data/ },
    { name: "neither DM nor Tweet", raw: { data: { id: "1" } }, reason: /neither a DM event/ },
    {
      name: "ParticipantsJoin",
      raw: { data: { id: "5", event_type: "ParticipantsJoin", sender_id: "7" } },
      reason: /DM event type "ParticipantsJoin" carries no reader message/,
    },
    {
      name: "DM without text",
      raw: { data: { id: "5", event_type: "MessageCreate", sender_id: "7" } },
      reason: /no text/,
    },
    {
      name: "DM without sender",
      raw: { data: { id: "5", event_type: "MessageCreate", text: "x" } },
      reason: /no sender_id/,
    },
    {
      name: "non-numeric id",
      raw: { data: { ...dmFromZurich.data, id: "abc" } },
      reason: /data\.id: must be a numeric id/,
    },
    {
      name: "bad created_at",
      raw: { data: { ...dmFromZurich.data, created_at: "yesterday" } },
      reason: /data\.created_at/,
    },
    {
      name: "tweet without text",
      raw: { data: { id: "9", author_id: "7" } },
      reason: /Tweet invalid at data\.text/,
    },
    {
      name: "huge text",
      raw: { data: { ...dmFromZurich.data, text: "a".repeat(LIMITS.textChars + 1) } },
      reason: /more than the limit of 20000/,
      code: "MESSAGE_TOO_LARGE",
    },
    {
      name: "over-long profile location",
      raw: { ...dmFromZurich, includes: { users: [{ ...zurichUser, location: "x".repeat(201) }] } },
      reason: /user\.location is longer than 200/,
    },
    {
      name: "hostile username",
      raw: { ...dmFromZurich, includes: { users: [{ ...zurichUser, username: "a\nBcc: x" }] } },
      reason: /not an X handle/,
    },
    {
      name: "users not an array",
      raw: { ...dmFromZurich, includes: { users: "lots" } },
      reason: /includes\.users/,
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      const { code, message } = reasonOf(c.raw);
      expect(message).toMatch(c.reason);
      expect(code).toBe(c.code ?? "INVALID_PAYLOAD");
    });
  }

  it("never echoes personal data in the reason", () => {
    const raw = {
      ...dmFromZurich,
      includes: { users: [{ ...zurichUser, location: "Secret Street 12 ".repeat(20) }] },
    };
    expect(reasonOf(raw).message).not.toMatch(/Secret/);
  });
});

describe("payloadAuthorId", () => {
  it("names the DM sender or Tweet author, and nothing for junk", () => {
    expect(payloadAuthorId(dmFromZurich)).toBe(zurichUser.id);
    expect(payloadAuthorId(mentionTweet)).toBe("1570000000000000003");
    expect(payloadAuthorId("junk")).toBeUndefined();
    expect(payloadAuthorId({ data: { id: "1" } })).toBeUndefined();
  });
});
