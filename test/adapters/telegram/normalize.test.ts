import { describe, expect, it } from "vitest";
import { normalizeTelegramUpdate } from "../../../adapters/telegram/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { ANNA, JOAO, LEILA, groupText, privateText } from "./fixtures.js";

function rejection(payload: unknown): InvalidPayloadError {
  try {
    normalizeTelegramUpdate(payload);
  } catch (err) {
    if (err instanceof InvalidPayloadError) return err;
    throw err;
  }
  throw new Error("payload was accepted");
}

describe("normalizeTelegramUpdate", () => {
  it("maps a private text message with ids, sender and language tag", () => {
    const msg = normalizeTelegramUpdate(privateText(1, ANNA, 42, "Hallo, ich wohne in Wien"));
    expect(msg).toEqual({
      id: `telegram:${ANNA.id}:42`,
      channel: "telegram",
      replyTo: `telegram:${ANNA.id}`,
      sender: { id: `telegram:${ANNA.id}`, displayName: "Anna Schmidt", handle: "@anna_s" },
      text: "Hallo, ich wohne in Wien",
      sentAt: "2025-11-21T04:40:00.000Z",
      evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
      attachments: [],
    });
  });

  it("takes the caption of a photo and omits what the platform does not give", () => {
    const update = privateText(2, JOAO, 5, "");
    const message = {
      ...update.message,
      text: undefined,
      caption: "Olá",
      photo: [{ file_id: "x" }],
    };
    const msg = normalizeTelegramUpdate({ update_id: 2, message });
    expect(msg.text).toBe("Olá");
    expect(msg.sender).toEqual({ id: `telegram:${JOAO.id}`, displayName: "João" });
    expect(msg.evidence).toEqual({
      languageTag: "pt-br",
      languageTagSource: "telegram.language_code",
    });
  });

  it("keeps the sender's own shared contact as phone evidence, even without text", () => {
    const base = privateText(3, LEILA, 6, "").message;
    const contact = { phone_number: "+98 912 123 4567", first_name: "Leila", user_id: LEILA.id };
    const msg = normalizeTelegramUpdate({
      update_id: 3,
      message: { ...base, text: undefined, contact },
    });
    expect(msg.text).toBe("");
    expect(msg.evidence.phone).toBe("+98 912 123 4567");
  });

  it("does not take someone else's contact as evidence about the sender", () => {
    const base = privateText(4, LEILA, 7, "").message;
    const contact = { phone_number: "+4930123456", first_name: "Other", user_id: 1 };
    expect(
      rejection({ update_id: 4, message: { ...base, text: undefined, contact } }).message,
    ).toMatch(/no text/);
    const withText = normalizeTelegramUpdate({
      update_id: 4,
      message: { ...base, text: "my friend's number", contact },
    });
    expect(withText.evidence.phone).toBeUndefined();
  });

  it("turns an edit into a new version with its own stable id", () => {
    const original = privateText(5, ANNA, 8, "Hallo").message;
    const edit = {
      update_id: 6,
      edited_message: { ...original, text: "Hallo, aus Graz", edit_date: 1_763_700_100 },
    };
    const msg = normalizeTelegramUpdate(edit);
    expect(msg.id).toBe(`telegram:${ANNA.id}:8:edit:1763700100`);
    expect(msg.sentAt).toBe(new Date(1_763_700_100_000).toISOString());
    expect(normalizeTelegramUpdate(edit).id).toBe(msg.id);
  });

  it("drops an implausible language tag or username instead of rejecting the message", () => {
    const odd = { ...ANNA, language_code: "x".repeat(50), username: "not a username!" };
    const msg = normalizeTelegramUpdate(privateText(13, odd, 14, "hello"));
    expect(msg.evidence).toEqual({});
    expect(msg.sender.handle).toBeUndefined();
    expect(msg.text).toBe("hello");
  });

  it("records which message a reply answers", () => {
    const msg = normalizeTelegramUpdate(
      groupText(7, ANNA, 9, "danke", {
        reply_to_message: { message_id: 3, from: { id: 1, is_bot: true } },
      }),
    );
    expect(msg.inReplyTo).toBe("telegram:-1001234567890:3");
    expect(msg.replyTo).toBe("telegram:-1001234567890");
  });

  it.each([
    [{ update_id: -1, message: {} }, /invalid Telegram update: update_id/],
    [
      { update_id: 8, message: { message_id: 1, date: 1, chat: { id: "x", type: "private" } } },
      /message\.chat\.id/,
    ],
    [privateText(9, ANNA, 10, "   "), /update 9: no text/],
    [{ update_id: 10, callback_query: { id: "1" } }, /callback_query\.from/],
    [{ update_id: 13, channel_post: { message_id: 1 } }, /update 13 carries no message/],
  ])("rejects %j with a reason", (payload, reason) => {
    const err = rejection(payload);
    expect(err.code).toBe("INVALID_PAYLOAD");
    expect(err.message).toMatch(reason);
  });

  it("rejects over-long text as MESSAGE_TOO_LARGE and never quotes the text", () => {
    const err = rejection(privateText(11, ANNA, 12, "geheim ".repeat(3000)));
    expect(err.code).toBe("MESSAGE_TOO_LARGE");
    expect(err.message).not.toMatch(/geheim|Anna/);
  });

  it("does not put names or numbers in reasons", () => {
    const base = privateText(12, LEILA, 13, "").message;
    const err = rejection({
      update_id: 12,
      message: {
        ...base,
        text: undefined,
        contact: { phone_number: "9".repeat(60), user_id: LEILA.id },
      },
    });
    expect(err.message).toMatch(/invalid phone number/);
    expect(err.message).not.toMatch(/999|Leila/);
  });
});
