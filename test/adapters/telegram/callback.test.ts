import { describe, expect, it } from "vitest";
import { normalizeTelegramPress } from "../../../adapters/telegram/callback.js";
import {
  normalizeTelegramUpdate,
  parseTelegramUpdate,
} from "../../../adapters/telegram/normalize.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import { InboundMessageSchema } from "../../../src/message/inbound.js";
import {
  ANNA,
  JOAO,
  callbackUpdate,
  groupText,
  privateText,
  questionMessage,
  type Reader,
} from "./fixtures.js";

const AT = new Date("2026-03-01T10:00:00.000Z");
const GROUP = -1_001_234_567_890;

function press(update: unknown) {
  const parsed = parseTelegramUpdate(update);
  return normalizeTelegramPress(parsed.update_id, parsed.callback_query!, AT);
}

/** The question in the group, replying to `reader`'s message 13. */
function groupQuestion(reader: Reader) {
  const asked = groupText(0, reader, 13, "Hallo").message;
  return questionMessage(GROUP, 14, { reply_to_message: asked });
}

describe("normalizeTelegramPress (callback_query)", () => {
  it("turns a reader's press in a private chat into their answer, with their identity", () => {
    const outcome = press(callbackUpdate(1, ANNA, questionMessage(ANNA.id, 43), "loc:AT"));
    expect(outcome).toEqual({
      kind: "choice",
      label: "🇦🇹 Österreich",
      chatId: ANNA.id,
      messageId: 43,
      message: {
        id: `telegram:${ANNA.id}:43:choice`,
        channel: "telegram",
        replyTo: `telegram:${ANNA.id}`,
        sender: { id: `telegram:${ANNA.id}`, displayName: "Anna Schmidt", handle: "@anna_s" },
        text: "🇦🇹 Österreich",
        sentAt: "2026-03-01T10:00:00.000Z",
        inReplyTo: `telegram:${ANNA.id}:43`,
        evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
        attachments: [],
        choice: { data: "loc:AT", inReplyTo: `telegram:${ANNA.id}:43` },
      },
    });
    if (outcome.kind !== "choice") throw new Error("unreachable");
    expect(InboundMessageSchema.parse(outcome.message)).toEqual(outcome.message);
    // The conversation store finds the same conversation: same sender and reply target.
    const own = normalizeTelegramUpdate(privateText(2, ANNA, 42, "Hallo"));
    expect(outcome.message.sender).toEqual(own.sender);
    expect(outcome.message.replyTo).toBe(own.replyTo);
  });

  it("takes a group press only from the reader the question replies to", () => {
    const answer = press(callbackUpdate(3, ANNA, groupQuestion(ANNA), "loc:DE"));
    expect(answer.kind).toBe("choice");
    if (answer.kind !== "choice") throw new Error("unreachable");
    const own = normalizeTelegramUpdate(groupText(4, ANNA, 13, "Hallo"));
    expect(answer.message.replyTo).toBe(own.replyTo);
    expect(answer.message.sender.id).toBe(own.sender.id);
    expect(answer.message.id).toBe(`telegram:${GROUP}:14:choice`);

    const bystander = press(callbackUpdate(5, JOAO, groupQuestion(ANNA), "loc:DE"));
    expect(bystander).toMatchObject({ kind: "refused", why: "not-addressee", chatId: GROUP });
  });

  it("refuses presses it cannot attribute, stale and forged ones, each with a reason", () => {
    const cases: [unknown, string, RegExp][] = [
      [
        callbackUpdate(6, ANNA, questionMessage(GROUP, 20), "loc:DE"),
        "unattributable",
        /replies to no reader's message/,
      ],
      [
        callbackUpdate(
          7,
          ANNA,
          { chat: { id: ANNA.id, type: "private" }, message_id: 43, date: 0 },
          "loc:DE",
        ),
        "stale",
        /no longer accessible/,
      ],
      [
        callbackUpdate(8, ANNA, questionMessage(ANNA.id, 43), "loc:FR"),
        "unknown-choice",
        /not one of the message's buttons/,
      ],
      [
        callbackUpdate(
          9,
          ANNA,
          questionMessage(ANNA.id, 43, { reply_markup: undefined }),
          "loc:DE",
        ),
        "unknown-choice",
        /not one of the message's buttons/,
      ],
      [callbackUpdate(10, ANNA, questionMessage(ANNA.id, 43), undefined), "malformed", /no data/],
      [
        callbackUpdate(11, JOAO, questionMessage(ANNA.id, 43), "loc:DE"),
        "not-addressee",
        /someone other than the chat's reader/,
      ],
      [
        callbackUpdate(12, ANNA, { message_id: "x" }, "loc:DE"),
        "malformed",
        /message invalid \(message_id, date, chat\)/,
      ],
    ];
    for (const [update, why, reason] of cases) {
      const outcome = press(update);
      expect(outcome, JSON.stringify(update)).toMatchObject({ kind: "refused", why });
      if (outcome.kind === "refused") {
        expect(outcome.reason).toMatch(reason);
        expect(outcome.reason).not.toMatch(/Anna|Jo[aã]o|loc:/);
      }
    }
    const inline = parseTelegramUpdate(callbackUpdate(13, ANNA, {}, "loc:DE")).callback_query!;
    const { message: _m, ...withoutMessage } = inline;
    expect(
      normalizeTelegramPress(13, { ...withoutMessage, inline_message_id: "AAA" }, AT),
    ).toMatchObject({ kind: "refused", why: "malformed", reason: /inline-mode/ });
  });

  it("normalizeTelegramUpdate takes a press as the answer and throws the refusal's reason", () => {
    const msg = normalizeTelegramUpdate(
      callbackUpdate(14, ANNA, questionMessage(ANNA.id, 43), "loc:other"),
      AT,
    );
    expect(msg.choice).toEqual({ data: "loc:other", inReplyTo: `telegram:${ANNA.id}:43` });
    expect(msg.text).toBe("Anderes Land");
    expect(() =>
      normalizeTelegramUpdate(callbackUpdate(15, JOAO, groupQuestion(ANNA), "loc:DE"), AT),
    ).toThrow(InvalidPayloadError);
  });
});
