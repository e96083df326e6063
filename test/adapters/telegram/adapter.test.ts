import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdapterError, InvalidPayloadError, RateLimitError } from "../../../src/errors.js";
import { CATALOG } from "../../../src/i18n/texts.js";
import { ANNA, JOAO, LEILA, injectPrivate, type Reader } from "./fixtures.js";
import { FAST, TelegramRig, eventually } from "./rig.js";

let rig: TelegramRig;
beforeEach(async () => {
  rig = await new TelegramRig().start();
});
afterEach(async () => {
  await rig.close();
});

const BOT = "@contact_router_bot";
const GROUP = -1_001_234_567_890;

function pushGroup(from: Reader, text: string, extra: Record<string, unknown> = {}): string {
  const message_id = rig.api.messageId(GROUP);
  rig.api.pushUpdate({
    message: {
      message_id,
      from: { ...from, is_bot: false },
      chat: { id: GROUP, title: "Readers", type: "supergroup" },
      date: 1_763_700_000,
      text,
      ...extra,
    },
  });
  return `telegram:${GROUP}:${message_id}`;
}

function pushStart(from: Reader): number {
  return rig.api.pushUpdate({
    message: {
      message_id: rig.api.messageId(from.id),
      from: { ...from, is_bot: false },
      chat: { id: from.id, type: "private" },
      date: 1_763_700_000,
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  });
}

describe("TelegramAdapter polling", () => {
  it("takes private chats and only group messages addressed to the bot", async () => {
    const wanted: string[] = [];
    pushGroup(ANNA, "just chatting among ourselves");
    pushGroup(ANNA, "@other_bot hello", { entities: [{ type: "mention", offset: 0, length: 10 }] });
    wanted.push(
      pushGroup(ANNA, `${BOT} hallo`, {
        entities: [{ type: "mention", offset: 0, length: BOT.length }],
      }),
    );
    wanted.push(
      pushGroup(JOAO, "respondendo", {
        reply_to_message: { message_id: 1, from: { id: rig.api.bot.id, is_bot: true } },
      }),
    );
    wanted.push(
      pushGroup(LEILA, "سلام", {
        entities: [{ type: "text_mention", offset: 0, length: 4, user: { id: rig.api.bot.id } }],
      }),
    );
    pushGroup({ ...ANNA, id: 5 }, `${BOT} I am a bot`, {
      from: { id: 5, is_bot: true, first_name: "B" },
    });
    wanted.push(injectPrivate(rig.api, ANNA, "private hello"));
    const last = rig.api.pushUpdate({ my_chat_member: { chat: { id: GROUP } } });

    await rig.adapter().start(rig.ctx);
    await rig.intake.waitForIds(wanted);
    await eventually("offset past every update", () => rig.api.pendingUpdates().length === 0);
    expect(rig.intake.acceptedIds()).toEqual(wanted);
    expect(await rig.offset()).toBe(last + 1);
    expect(rig.intake.quarantined).toEqual([]);
  });

  it("answers /start in the reader's language and routes nothing", async () => {
    pushStart(LEILA);
    pushStart(JOAO);
    pushStart({ id: 99, first_name: "Kenji", language_code: "ja" });
    const after = injectPrivate(rig.api, ANNA, "now the real message");
    await rig.adapter().start(rig.ctx);
    await rig.intake.waitForIds([after]);
    expect(rig.api.sent.map((s) => [s.chat_id, s.text])).toEqual([
      [LEILA.id, CATALOG.fa.start],
      [JOAO.id, CATALOG.pt.start],
      [99, CATALOG.en.start],
    ]);
    expect(rig.intake.acceptedIds()).toEqual([after]);
  });

  it("quarantines an update it cannot normalize and moves past it", async () => {
    const sticker = rig.api.pushUpdate({
      message: {
        message_id: 1,
        from: { ...ANNA, is_bot: false },
        chat: { id: ANNA.id, type: "private" },
        date: 1_763_700_000,
        sticker: { file_id: "CAAC", emoji: "👋" },
      },
    });
    const next = injectPrivate(rig.api, ANNA, "after the sticker");
    rig.intake.failNextQuarantines(1); // the quarantine itself is retried, not skipped
    await rig.adapter().start(rig.ctx);
    await rig.settled([next]);
    expect(rig.intake.quarantined).toHaveLength(1);
    expect(rig.intake.events.filter((e) => e.kind === "quarantine").map((e) => e.outcome)).toEqual([
      "failed",
      "recorded",
    ]);
    expect(rig.intake.quarantined[0]).toMatchObject({
      ref: `telegram:update:${sticker}`,
      reason: expect.stringMatching(/no text/),
    });
    expect(await rig.offset()).toBeGreaterThan(sticker + 1);
  });

  it("does not confirm a batch when the intake fails: the next getUpdates repeats from the cursor", async () => {
    const adapter = rig.adapter();
    await adapter.start(rig.ctx);
    const first = injectPrivate(rig.api, ANNA, "one");
    await rig.settled([first]);
    const stored = await rig.offset();

    rig.intake.failNextSubmits(1);
    const batch = [
      injectPrivate(rig.api, ANNA, "a"),
      injectPrivate(rig.api, JOAO, "b"),
      injectPrivate(rig.api, LEILA, "c"),
    ];
    await rig.intake.waitForIds(batch);
    const failed = rig.intake.events.find((e) => e.kind === "submit" && e.outcome === "failed");
    expect(failed).toMatchObject({ id: batch[0] });
    // The offset the failed batch was fetched with was asked for again: nothing was confirmed.
    expect(rig.api.offsets().filter((o) => o === stored).length).toBeGreaterThanOrEqual(2);
    expect(rig.intake.acceptedIds()).toEqual([first, ...batch]);
    expect(adapter.health().state).toBe("running");
  });

  it("keeps the cursor when the cursor store is down, then replays into the intake's dedupe", async () => {
    const adapter = rig.adapter();
    await adapter.start(rig.ctx);
    const a = injectPrivate(rig.api, ANNA, "one");
    await rig.settled([a]);
    const realSet = rig.cursors.set.bind(rig.cursors);
    let failures = 1;
    rig.cursors.set = (k, v) =>
      failures-- > 0 ? Promise.reject(new Error("ECONNREFUSED")) : realSet(k, v);
    const b = injectPrivate(rig.api, ANNA, "two");
    await rig.intake.waitUntil(
      () => rig.intake.calls.filter((m) => m.id === b).length >= 2,
      "replay of b",
    );
    expect(rig.intake.acceptedIds()).toEqual([a, b]);
  });

  it("reports a rejected token as failed, retries, and recovers", async () => {
    rig.api.failNext("getMe", { error_code: 401, description: "Unauthorized" }, 10_000);
    const adapter = rig.adapter();
    await adapter.start(rig.ctx);
    await eventually("health failed", () => adapter.health().state === "failed");
    expect(adapter.health().detail).toMatch(/401/);
    rig.api.clearFailures();
    await eventually("health running", () => adapter.health().state === "running");
    const id = injectPrivate(rig.api, ANNA, "after recovery");
    await rig.intake.waitForIds([id]);
  });

  it("survives an unreachable Bot API and stops promptly", async () => {
    const port = Number(new URL(rig.api.apiRoot).port);
    await rig.api.stop();
    const adapter = new (await import("../../../adapters/telegram/adapter.js")).TelegramAdapter(
      { token: rig.api.token, apiRoot: `http://127.0.0.1:${port}`, webhook: null },
      { backoff: { initialMs: 20, maxMs: 100 } },
    );
    await adapter.start(rig.ctx);
    await eventually("health retrying", () => adapter.health().state === "retrying");
    expect(adapter.health().detail).toMatch(/connect/);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });
});

describe("TelegramAdapter lifecycle", () => {
  it("can be stopped and started again, and still sends after a stop", async () => {
    const adapter = rig.adapter();
    await adapter.start(rig.ctx);
    const a = injectPrivate(rig.api, ANNA, "before");
    await rig.settled([a]);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
    const b = injectPrivate(rig.api, ANNA, "while stopped");
    await adapter.send({ to: `telegram:${ANNA.id}`, text: "reply", idempotencyKey: "k" });
    expect(rig.intake.acceptedIds()).toEqual([a]);
    await adapter.start(rig.ctx);
    await rig.intake.waitForIds([b]);
    expect(rig.intake.acceptedIds()).toEqual([a, b]);
    expect(rig.api.sent.map((s) => s.text)).toEqual(["reply"]);
  });

  it("stops promptly even when a submit hangs (Redis away), without moving the cursor", async () => {
    const adapter = rig.adapter({ ...FAST, stopWaitMs: 200 });
    let submits = 0;
    rig.ctx.intake.submit = () => {
      submits += 1;
      return new Promise(() => undefined);
    };
    await adapter.start(rig.ctx);
    injectPrivate(rig.api, ANNA, "stuck");
    await eventually("the submit to start", () => submits === 1);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
    expect(await rig.offset()).toBe(0);
  });
});

describe("TelegramAdapter.send", () => {
  it("waits out a 429 within the bound and gives RateLimitError beyond it", async () => {
    const adapter = rig.adapter({ sendLimits: { maxRetryAfterMs: 5_000 } });
    rig.api.rateLimitNextSend(1);
    await adapter.send({ to: `telegram:${ANNA.id}`, text: "first", idempotencyKey: "k1" });
    expect(rig.api.sent.map((s) => s.text)).toEqual(["first"]);
    const attempts = rig.api.calls.filter((c) => c.method === "sendMessage");
    expect(attempts).toHaveLength(2);

    rig.api.rateLimitNextSend(60);
    const err: unknown = await adapter
      .send({ to: `telegram:${ANNA.id}`, text: "second", idempotencyKey: "k2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(60_000);
    expect(rig.api.sent.map((s) => s.text)).toEqual(["first"]);
  });

  it("classifies refusals and bad targets", async () => {
    const adapter = rig.adapter();
    rig.api.failNext("sendMessage", {
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    const blocked: unknown = await adapter
      .send({ to: `telegram:${ANNA.id}`, text: "hi", idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(AdapterError);
    expect((blocked as AdapterError).code).toBe("DELIVERY_PERMANENT");
    await expect(
      adapter.send({ to: "discord:123", text: "hi", idempotencyKey: "k" }),
    ).rejects.toThrow(InvalidPayloadError);
    await expect(
      adapter.send({ to: "telegram:abc", text: "hi", idempotencyKey: "k" }),
    ).rejects.toThrow(/not a Telegram conversation id/);
    await expect(
      adapter.send({ to: `telegram:${ANNA.id}`, text: " ", idempotencyKey: "k" }),
    ).rejects.toThrow(/empty/);
  });

  it("paces each chat separately and keeps each chat's order", async () => {
    const adapter = rig.adapter({
      sendLimits: { perChatIntervalMs: 300, perGroupIntervalMs: 600 },
    });
    const to = (id: number) => ({ to: `telegram:${id}`, idempotencyKey: "k" });
    await Promise.all([
      adapter.send({ ...to(ANNA.id), text: "a1" }),
      adapter.send({ ...to(ANNA.id), text: "a2" }),
      adapter.send({ ...to(ANNA.id), text: "a3" }),
      adapter.send({ ...to(JOAO.id), text: "j1" }),
      adapter.send({ ...to(GROUP), text: "g1" }),
      adapter.send({ ...to(GROUP), text: "g2" }),
    ]);
    const of = (chat: number) => rig.api.sent.filter((m) => m.chat_id === chat);
    expect(of(ANNA.id).map((m) => m.text)).toEqual(["a1", "a2", "a3"]);
    const texts = rig.api.sent.map((m) => m.text);
    // Another chat does not queue behind Anna's.
    expect(texts.indexOf("j1")).toBeLessThan(texts.indexOf("a2"));
    const gaps = (chat: number) =>
      of(chat)
        .slice(1)
        .map((m, i) => m.at - of(chat)[i]!.at);
    // Each request starts an interval after the previous one for that chat has ended, so the
    // gaps between arrivals are never shorter, however long a request takes to arrive.
    for (const gap of gaps(ANNA.id)) expect(gap).toBeGreaterThanOrEqual(300);
    for (const gap of gaps(GROUP)) expect(gap).toBeGreaterThanOrEqual(600);
  });

  it("splits long texts and threads the first piece as a reply", async () => {
    const adapter = rig.adapter({ sendLimits: { perChatIntervalMs: 10 } });
    const text = "a".repeat(5000) + "\n" + "b".repeat(4000);
    await adapter.send({
      to: `telegram:${ANNA.id}`,
      text,
      idempotencyKey: "k",
      inReplyTo: `telegram:${ANNA.id}:77`,
    });
    expect(rig.api.sent.map((s) => s.text).join("")).toBe(text);
    expect(rig.api.sent.every((s) => s.text.length <= 4096)).toBe(true);
    expect(rig.api.sent[0]!.reply_to).toBe(77);
    expect(rig.api.sent[1]!.reply_to).toBeUndefined();
  });
});
