import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidPayloadError, RateLimitError } from "../../../src/errors.js";
import type { Choice } from "../../../adapters/types.js";
import { ANNA, JOAO, injectPrivate, type Reader } from "./fixtures.js";
import { TelegramRig, eventually } from "./rig.js";

let rig: TelegramRig;
beforeEach(async () => {
  rig = await new TelegramRig().start();
});
afterEach(async () => {
  await rig.close();
});

const GROUP = -1_001_234_567_890;
const BOT = "@contact_router_bot";

const CHOICES: Choice[] = [
  { data: "loc:DE", label: "Deutschland" },
  { data: "loc:AT", label: "Österreich" },
  { data: "loc:CH", label: "Schweiz" },
  { data: "loc:other", label: "Anderes Land" },
  { data: "loc:decline", label: "Möchte ich nicht sagen" },
];

/** A reader's message in the group, addressed to the bot; resolves to its message id. */
function pushGroupMention(from: Reader, text: string): number {
  const message_id = rig.api.messageId(GROUP);
  rig.api.pushUpdate({
    message: {
      message_id,
      from: { ...from, is_bot: false },
      chat: { id: GROUP, title: "Readers", type: "supergroup" },
      date: 1_763_700_000,
      text: `${BOT} ${text}`,
      entities: [{ type: "mention", offset: 0, length: BOT.length }],
    },
  });
  return message_id;
}

/** `telegram:<chat>:<message>` → its numbers. */
function ids(platformMessageId: string): [number, number] {
  const [, chat, message] = platformMessageId.split(":");
  return [Number(chat), Number(message)];
}

async function askAnna() {
  const adapter = rig.adapter();
  await adapter.start(rig.ctx);
  const first = injectPrivate(rig.api, ANNA, "Hallo, ich möchte mitmachen");
  await rig.settled([first]);
  const { platformMessageId } = await adapter.send({
    to: `telegram:${ANNA.id}`,
    text: "Von wo schreibst du?",
    idempotencyKey: "ask-1",
    inReplyTo: first,
    choices: CHOICES,
  });
  return { adapter, first, question: ids(platformMessageId), platformMessageId };
}

describe("Telegram choices: sending", () => {
  it("sends the choices as an inline keyboard: callback_data = data, short labels side by side", async () => {
    const adapter = rig.adapter();
    const res = await adapter.send({
      to: `telegram:${ANNA.id}`,
      text: "Von wo schreibst du?",
      idempotencyKey: "k",
      choices: CHOICES,
    });
    expect(adapter.capabilities.choices).toBe("buttons");
    const [sent] = rig.api.sent;
    expect(res.platformMessageId).toBe(`telegram:${ANNA.id}:${sent!.message_id}`);
    expect(sent!.text).toBe("Von wo schreibst du?");
    const button = (c: Choice) => ({ text: c.label, callback_data: c.data });
    expect(sent!.reply_markup).toEqual({
      inline_keyboard: [
        [button(CHOICES[0]!), button(CHOICES[1]!)],
        [button(CHOICES[2]!), button(CHOICES[3]!)],
        [button(CHOICES[4]!)],
      ],
    });
    expect(rig.api.keyboardOf(ANNA.id, sent!.message_id)).toEqual(sent!.reply_markup);
  });

  it("refuses choices it cannot show, before sending anything", async () => {
    const adapter = rig.adapter();
    const base = { to: `telegram:${ANNA.id}`, text: "Wo?", idempotencyKey: "k" };
    const refused: [Parameters<typeof adapter.send>[0], RegExp][] = [
      [{ ...base, to: `telegram:${GROUP}`, choices: CHOICES }, /group need inReplyTo/],
      [{ ...base, text: "x".repeat(4097), choices: CHOICES }, /fit one message/],
      [
        {
          ...base,
          choices: Array.from({ length: 26 }, (_, i) => ({ data: `c${i}`, label: `C ${i}` })),
        },
        /26 given, at most 25/,
      ],
      [{ ...base, choices: [{ data: "ü".repeat(33), label: "X" }] }, /66 bytes/],
      [{ ...base, choices: [CHOICES[0]!, { ...CHOICES[1]!, data: "loc:DE" }] }, /repeats/],
      [{ ...base, choices: [{ data: "a", label: "  " }] }, /label/],
    ];
    for (const [message, reason] of refused) {
      const err: unknown = await adapter.send(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidPayloadError);
      expect((err as Error).message).toMatch(reason);
    }
    expect(rig.api.calls.filter((c) => c.method === "sendMessage")).toEqual([]);
  });
});

describe("Telegram choices: presses", () => {
  it("a press becomes the reader's answer once, is answered, and the keyboard is removed", async () => {
    const { first, question, platformMessageId } = await askAnna();
    const [chat, message] = question;
    // Two presses before the bot reacts (a double tap): both reach the bot.
    rig.api.pressButton(ANNA, chat, message, "loc:AT");
    rig.api.pressButton(ANNA, chat, message, "loc:AT");
    const answerId = `telegram:${chat}:${message}:choice`;
    await rig.intake.waitForIds([answerId]);
    await eventually("both presses answered", () => rig.api.unansweredCallbacks().length === 0);
    await eventually("keyboard removed", () => rig.api.keyboardOf(chat, message) === null);

    const reader = rig.intake.accepted.find((m) => m.id === first)!;
    const answer = rig.intake.accepted.find((m) => m.id === answerId)!;
    expect(answer).toMatchObject({
      channel: "telegram",
      text: "Österreich",
      sender: reader.sender,
      replyTo: reader.replyTo,
      choice: { data: "loc:AT", inReplyTo: platformMessageId },
    });
    expect(rig.intake.accepted.filter((m) => m.id === answerId)).toHaveLength(1);
    expect(
      rig.intake.events.flatMap((e) =>
        e.kind === "submit" && e.id === answerId ? [e.outcome] : [],
      ),
    ).toEqual(["accepted", "duplicate"]);
    expect(rig.api.callbacks.map((c) => c.answer)).toEqual([{ text: "✓ Österreich" }, {}]);
    // The bot asked for callback queries, and the cursor moved past both presses.
    const polls = rig.api.calls.filter((c) => c.method === "getUpdates");
    expect(
      polls.every((c) => (c.params.allowed_updates as string[]).includes("callback_query")),
    ).toBe(true);
    await eventually("cursor past the presses", () => rig.api.pendingUpdates().length === 0);
    expect(rig.api.dropped).toEqual([]);
    expect(rig.intake.quarantined).toEqual([]);
  });

  it("a press while the intake is down is retried from the cursor and taken once", async () => {
    const { question } = await askAnna();
    const [chat, message] = question;
    rig.intake.failNextSubmits(1);
    rig.api.pressButton(ANNA, chat, message, "loc:DE");
    const answerId = `telegram:${chat}:${message}:choice`;
    await rig.settled([answerId]);
    const events = rig.intake.events;
    const failed = events.findIndex((e) => e.kind === "submit" && e.outcome === "failed");
    const accepted = events.findIndex(
      (e) => e.kind === "submit" && e.id === answerId && e.outcome === "accepted",
    );
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(accepted).toBeGreaterThan(failed);
    expect(events.slice(failed, accepted).filter((e) => e.kind === "cursor")).toEqual([]);
    await eventually("press answered", () => rig.api.unansweredCallbacks().length === 0);
    // Answered once, after the press was taken.
    expect(rig.api.calls.filter((c) => c.method === "answerCallbackQuery")).toHaveLength(1);
    await eventually("keyboard removed", () => rig.api.keyboardOf(chat, message) === null);
  });

  it("in a group only the addressed reader's press counts; a bystander's is kept with the reason", async () => {
    const adapter = rig.adapter();
    await adapter.start(rig.ctx);
    const asked = pushGroupMention(ANNA, "wie kann ich helfen?");
    await rig.settled([`telegram:${GROUP}:${asked}`]);
    const { platformMessageId } = await adapter.send({
      to: `telegram:${GROUP}`,
      text: "Von wo schreibst du?",
      idempotencyKey: "ask-group",
      inReplyTo: `telegram:${GROUP}:${asked}`,
      choices: CHOICES,
    });
    const [chat, message] = ids(platformMessageId);

    rig.api.pressButton(JOAO, chat, message, "loc:CH");
    await rig.intake.waitUntil(() => rig.intake.quarantined.length === 1, "the bystander's press");
    expect(rig.intake.quarantined[0]).toMatchObject({
      ref: expect.stringMatching(/^telegram:update:\d+$/),
      reason: expect.stringMatching(/someone other than the reader the question was addressed to/),
    });
    await eventually("bystander answered", () => rig.api.unansweredCallbacks().length === 0);
    expect(rig.api.keyboardOf(chat, message)).not.toBeNull();

    rig.api.pressButton(ANNA, chat, message, "loc:DE");
    const answerId = `telegram:${chat}:${message}:choice`;
    await rig.intake.waitForIds([answerId]);
    const answer = rig.intake.accepted.find((m) => m.id === answerId)!;
    expect(answer.sender.id).toBe(`telegram:${ANNA.id}`);
    expect(answer.replyTo).toBe(`telegram:${GROUP}`);
    await eventually("keyboard removed", () => rig.api.keyboardOf(chat, message) === null);
  });

  it("stale and forged presses are kept with their reason and answered; a stale question loses its keyboard", async () => {
    const { question } = await askAnna();
    const [chat, message] = question;
    rig.api.pushCallbackQuery(
      ANNA,
      { chat: { id: chat, type: "private" }, message_id: message, date: 0 },
      "loc:DE",
    );
    await rig.intake.waitUntil(() => rig.intake.quarantined.length === 1, "the stale press");
    await eventually("stale question closed", () => rig.api.keyboardOf(chat, message) === null);

    const second = await rig.adapter().send({
      to: `telegram:${ANNA.id}`,
      text: "Von wo schreibst du?",
      idempotencyKey: "ask-2",
      choices: CHOICES,
    });
    const [, message2] = ids(second.platformMessageId);
    const snapshot = {
      message_id: message2,
      from: rig.api.bot,
      chat: { id: chat, type: "private" },
      date: 1_763_700_100,
      text: "Von wo schreibst du?",
      reply_markup: rig.api.keyboardOf(chat, message2),
    };
    rig.api.pushCallbackQuery(ANNA, snapshot, "loc:FR");
    await rig.intake.waitUntil(() => rig.intake.quarantined.length === 2, "the forged press");
    expect(rig.intake.quarantined.map((q) => q.reason)).toEqual([
      expect.stringMatching(/no longer accessible/),
      expect.stringMatching(/not one of the message's buttons/),
    ]);
    await eventually("all presses answered", () => rig.api.unansweredCallbacks().length === 0);
    expect(rig.api.keyboardOf(chat, message2)).not.toBeNull();
    expect(rig.intake.accepted.some((m) => m.choice !== undefined)).toBe(false);
  });
});

describe("Telegram choices: closing a settled question", () => {
  it("removes the keyboard; a press that still comes is answered with the late text and not taken in", async () => {
    const { adapter, question, platformMessageId } = await askAnna();
    const shown = rig.api.snapshot(...question);
    await adapter.closeChoices({
      question: platformMessageId,
      choices: CHOICES,
      lateText: "Danke! Deine Nachricht wurde schon weitergeleitet.",
    });
    expect(rig.api.keyboardOf(...question)).toBeNull();
    // Closing again is done already ("message is not modified"), not an error.
    await adapter.closeChoices({ question: platformMessageId, choices: CHOICES, lateText: "x" });

    const submitted = rig.intake.events.filter((e) => e.kind === "submit").length;
    const query = rig.api.pushCallbackQuery(ANNA, shown, "loc:AT");
    await eventually("late press answered", () =>
      rig.api.callbacks.some((c) => c.id === query && c.answer !== undefined),
    );
    expect(rig.api.callbacks.find((c) => c.id === query)!.answer).toEqual({ text: "x" });
    expect(rig.intake.events.filter((e) => e.kind === "submit")).toHaveLength(submitted);
  });

  it("a 429 or a 5xx while closing throws for a retry; a question that is gone counts as closed", async () => {
    const { adapter, question, platformMessageId } = await askAnna();
    const close = () =>
      adapter.closeChoices({ question: platformMessageId, choices: CHOICES, lateText: "ok" });
    rig.api.failNext("editMessageReplyMarkup", {
      error_code: 429,
      description: "Too Many Requests: retry after 3",
      parameters: { retry_after: 3 },
    });
    const limited = await close().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterMs).toBe(3000);
    rig.api.failNext("editMessageReplyMarkup", { error_code: 502, description: "Bad Gateway" });
    await expect(close()).rejects.toMatchObject({ code: "ADAPTER_NETWORK", retryable: true });
    expect(rig.api.keyboardOf(...question)).not.toBeNull();
    rig.api.failNext("editMessageReplyMarkup", {
      error_code: 400,
      description: "Bad Request: message to edit not found",
    });
    await close();
    await close();
    expect(rig.api.keyboardOf(...question)).toBeNull();
  });
});
