import { describe, expect, it } from "vitest";
import { normalizeDiscord } from "../../../adapters/discord/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { LIMITS } from "../../../src/message/inbound.js";
import { dmMessage, guildMessage, replyWithLocale } from "./fixtures.js";

function rejection(raw: unknown): InvalidPayloadError {
  try {
    normalizeDiscord(raw);
  } catch (err) {
    if (err instanceof InvalidPayloadError) return err;
    throw err;
  }
  throw new Error("payload was accepted");
}

describe("normalizeDiscord", () => {
  it("maps a DM to prefixed ids, sender and time, with no locale evidence by default", () => {
    const m = normalizeDiscord(dmMessage);
    expect(m.id).toBe("discord:1201234567890123456:1309871235012345678");
    expect(m.replyTo).toBe("discord:1201234567890123456");
    expect(m.sender).toEqual({
      id: "discord:887766554433221100",
      handle: "lena_w",
      displayName: "Lena",
    });
    expect(m.text).toBe(dmMessage.content);
    expect(m.sentAt).toBe(dmMessage.timestamp);
    expect(m.evidence).toEqual({});
    expect(m.attachments).toEqual([]);
  });

  it("omits the display name when global_name is null", () => {
    expect(normalizeDiscord(guildMessage).sender).toEqual({
      id: "discord:770000000000000001",
      handle: "sam.au",
    });
  });

  it("takes the top-level locale (interaction style) over author.locale as discord.locale", () => {
    const m = normalizeDiscord(replyWithLocale);
    expect(m.evidence).toEqual({ languageTag: "es-ES", languageTagSource: "discord.locale" });
    const { locale: _drop, ...authorOnly } = replyWithLocale;
    expect(normalizeDiscord(authorOnly).evidence.languageTag).toBe("de");
  });

  it("keeps the reply reference and lists attachments by name and size", () => {
    const m = normalizeDiscord(replyWithLocale);
    expect(m.inReplyTo).toBe("discord:1201234567890123456:1309871300000000000");
    expect(m.attachments).toEqual([
      { name: "leaflet.pdf", size: 48213, contentType: "application/pdf" },
    ]);
  });

  it.each([
    ["a bot author", { ...dmMessage, author: { ...dmMessage.author, bot: true } }, /bot/],
    ["a webhook", { ...dmMessage, webhook_id: "1309871235012340000" }, /webhook/],
    ["a system message type", { ...dmMessage, type: 7 }, /type 7 is a system message/],
    ["empty content", { ...dmMessage, content: "  \n" }, /empty content/],
    ["a missing author", { ...dmMessage, author: undefined }, /author/],
    ["a non-snowflake id", { ...dmMessage, id: "abc" }, /id: must be a snowflake/],
    ["a bad timestamp", { ...dmMessage, timestamp: "yesterday" }, /timestamp/],
    ["a bad locale", { ...dmMessage, locale: "not a tag!" }, /locale: must be a language tag/],
    ["not an object", "hello", /\(root\)/],
  ])("rejects %s with a reason", (_name, raw, reason) => {
    const err = rejection(raw);
    expect(err.code).toBe("INVALID_PAYLOAD");
    expect(err.message).toMatch(reason);
  });

  it("rejects text over the limit as MESSAGE_TOO_LARGE", () => {
    const err = rejection({ ...dmMessage, content: "x".repeat(LIMITS.textChars + 1) });
    expect(err.code).toBe("MESSAGE_TOO_LARGE");
  });

  it("never puts message content or names in a rejection reason", () => {
    const err = rejection({
      ...dmMessage,
      timestamp: 12,
      author: { ...dmMessage.author, id: "x" },
    });
    expect(err.message).not.toContain("Lena");
    expect(err.message).not.toContain("Wien");
  });
});
