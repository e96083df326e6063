import { describe, expect, it } from "vitest";
import {
  askConfigFromEnv,
  askQuestion,
  askTimeoutMs,
  canAsk,
  readAnswer,
} from "../../src/conversation/ask.js";
import type { AskState } from "../../src/conversation/types.js";
import { LANGUAGES, t } from "../../src/i18n/texts.js";
import type { InboundMessage } from "../../src/message/inbound.js";

function held(language: string, channel: InboundMessage["channel"] = "email"): AskState {
  const q = askQuestion(language, channel);
  return {
    contactId: "c1",
    h: "k1.00",
    t: 0,
    message: message(""),
    language: q.language,
    askedAt: "2026-12-02T00:00:00.000Z",
    deadline: "2026-12-03T00:00:00.000Z",
    choices: q.choices,
  };
}

function message(text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return {
    id: "email:<a@example.org>",
    channel: "email",
    replyTo: "email:reader@example.org",
    sender: { id: "email:reader@example.org" },
    text,
    sentAt: "2026-12-02T00:00:00.000Z",
    evidence: {},
    attachments: [],
    ...extra,
  };
}

describe("the clarifying question", () => {
  it("is asked in each of the eleven languages, with likely countries, another country and decline", () => {
    for (const lang of LANGUAGES) {
      const q = askQuestion(lang, "telegram");
      expect(q.language).toBe(lang);
      expect(q.text).toBe(t(lang, "ask.location"));
      expect(q.choices.at(-2)).toMatchObject({ data: "loc:other", label: t(lang, "ask.other") });
      expect(q.choices.at(-1)).toMatchObject({
        data: "loc:decline",
        label: t(lang, "ask.decline"),
      });
      expect(q.choices.length).toBeGreaterThanOrEqual(3);
      expect(q.choices.length).toBeLessThanOrEqual(8);
    }
    expect(
      askQuestion("de", "telegram")
        .choices.slice(0, 3)
        .map((c) => c.label),
    ).toEqual(["🇩🇪 Deutschland", "🇦🇹 Österreich", "🇨🇭 Schweiz"]);
    // Unknown language: English, and the countries the affiliates are in.
    const none = askQuestion(null, "email");
    expect(none.language).toBe("en");
    expect(none.text).toBe(`${t("en", "ask.location")}\n${t("en", "ask.text")}`);
    expect(none.choices.map((c) => c.data).slice(0, 3)).toEqual(["loc:GB", "loc:US", "loc:DE"]);
  });

  it("is asked where the channel can answer, with the configured waits", () => {
    expect(["telegram", "discord", "twitter", "email"].every((c) => canAsk(c as never))).toBe(true);
    expect(canAsk("web")).toBe(false);
    const defaults = askConfigFromEnv({});
    expect(defaults).toEqual({
      enabled: true,
      chatTimeoutMs: 600_000,
      emailTimeoutMs: 86_400_000,
    });
    expect(askTimeoutMs(defaults, "telegram")).toBe(600_000);
    expect(askTimeoutMs(defaults, "email")).toBe(86_400_000);
    expect(
      askConfigFromEnv({ ASK_LOCATION: "off", ASK_TIMEOUT_CHAT: "90s", ASK_TIMEOUT_EMAIL: "2d" }),
    ).toEqual({ enabled: false, chatTimeoutMs: 90_000, emailTimeoutMs: 172_800_000 });
    expect(() => askConfigFromEnv({ ASK_TIMEOUT_CHAT: "10 minutes" })).toThrow(
      /ASK_TIMEOUT_CHAT must be a duration/,
    );
    expect(() => askConfigFromEnv({ ASK_LOCATION: "maybe" })).toThrow(/ASK_LOCATION/);
  });

  it("reads presses, numbers, names, codes and declines as answers; other text is a message of its own", () => {
    const ask = held("de");
    const read = (text: string, own = text) => readAnswer(ask, message(text), own);
    expect(read("2")).toEqual({ kind: "place", stated: "AT", said: "🇦🇹 Österreich" });
    expect(read("österreich")).toMatchObject({ kind: "place", stated: "AT" });
    expect(read("Austria")).toMatchObject({ kind: "place", stated: "AT" });
    expect(read("CH")).toMatchObject({ kind: "place", stated: "CH" });
    expect(read("Graz")).toEqual({ kind: "place", stated: "Graz", said: "Graz" });
    expect(read("Weiß nicht")).toMatchObject({ kind: "decline" });
    expect(read("I'd rather not say")).toMatchObject({ kind: "decline" });
    expect(read("5")).toMatchObject({ kind: "decline" });
    expect(read("4")).toMatchObject({ kind: "other" });
    expect(read("Wann ist euer nächstes Treffen? Ich hätte da noch eine Frage.")).toBeNull();
    // A message that names a place in passing is a message, not an answer.
    expect(read("Ich wohne übrigens in Wien und komme gern zum nächsten Treffen.")).toBeNull();
    expect(read("9")).toBeNull();
    // An email answer with the question quoted below it.
    const reply =
      "Wien\n\nAm 2. Dez. 2026 schrieb contact-router <router@example.net>:\n> Danke für deine Nachricht.\n> 1. 🇩🇪 Deutschland\n> 2. 🇦🇹 Österreich";
    expect(read(reply, "Wien")).toMatchObject({ kind: "place", stated: "Wien" });
    // A press of one of the buttons, and of a button that is not the question's.
    const press = (data: string) =>
      readAnswer(ask, message("x", { channel: "telegram", choice: { data } }), "x");
    expect(press("loc:DE")).toEqual({ kind: "place", stated: "DE", said: "🇩🇪 Deutschland" });
    expect(press("loc:decline")).toMatchObject({ kind: "decline" });
    expect(press("loc:ZZ")).toBeNull();
  });
});
