import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { FakeTelegramBotApi } from "../fakes/telegram-bot-api.js";
import { FakeTwitterApi, type FakeUser as XUser } from "../fakes/twitter-api.js";
import { injectPrivate, type Reader } from "../adapters/telegram/fixtures.js";
import { HASH_PURPOSE, jobIdFor } from "../../src/queue/keys.js";
import { askTimeoutJobId } from "../../src/queue/stages.js";
import { t } from "../../src/i18n/texts.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "../relay/support.js";

/*
 * The clarifying question through the running app (fake Bot API, fake X API, real Redis, real
 * SMTP): a reader nothing places is asked where they are; their contact is held until they
 * answer (routed on the answer), their time runs out (routed by the default step) or the app
 * restarts meanwhile (nothing is lost).
 */

const IWG = "Internationalist Workers' Group";
const CWO = "Communist Workers' Organisation";
/** Spanish, and no place: no primary affiliate for Spanish, so the default step would decide. */
const SPANISH =
  "Hola, me gustaría saber más sobre vuestra organización y recibir vuestras publicaciones, por favor.";

function reader(n: number, name: string): Reader {
  return { id: 600_000_000 + n, first_name: name, language_code: "es" };
}

describe("clarifying question: Telegram and X readers (running app)", () => {
  const api = new FakeTelegramBotApi();
  const x = new FakeTwitterApi();
  let rig: RelayRig;

  beforeAll(async () => {
    await api.start();
    const xBase = await x.start();
    rig = await relayRig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TWITTER_USER_TOKEN: "test-user-token",
      TWITTER_API_BASE: xBase,
      TWITTER_POLL_INTERVAL_MS: "100",
      TWITTER_MENTIONS: "false",
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await api.stop();
    await x.close();
  });

  const sentTo = (r: Reader) => api.sent.filter((m) => m.chat_id === r.id);
  const idHash = (messageId: string) =>
    rig.app.pipeline.hasher.hash(HASH_PURPOSE.message, messageId);
  /** The route job of a message, once it finished. */
  const routed = (messageId: string) =>
    waitFor(`routed ${messageId}`, async () => {
      const queue = rig.app.pipeline.queues.inbound;
      const id = jobIdFor("inbound", idHash(messageId));
      const job = await queue.getJob(id);
      // Read again once completed: the job object holds what Redis had when it was fetched.
      return job && (await job.isCompleted()) ? await queue.getJob(id) : null;
    });
  const mailsWith = (inbox: string, text: string) =>
    rig.mailsTo(inbox).filter((r) => (r.mail.text ?? "").includes(text));
  const forwardOf = (inbox: string, text: string): Promise<ParsedMail> =>
    rig.waitMailWhere(inbox, (m) => (m.text ?? "").includes(text));

  /** A reader writes; resolves once the bot's question with its keyboard arrived. */
  async function asked(r: Reader, text: string) {
    const before = sentTo(r).length;
    const id = injectPrivate(api, r, text);
    const question = await waitFor("question", () =>
      sentTo(r).length > before ? sentTo(r).at(-1) : null,
    );
    return { id, question };
  }

  it("asks with a keyboard in the reader's language, holds the contact, and routes it on the press", async () => {
    const rosa = reader(1, "Rosa");
    const { id, question } = await asked(rosa, SPANISH);
    expect(question.text).toBe(t("es", "ask.location"));
    const buttons = question.reply_markup!.inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual([
      "loc:ES",
      "loc:MX",
      "loc:AR",
      "loc:CO",
      "loc:CL",
      "loc:other",
      "loc:decline",
    ]);
    expect(buttons.find((b) => b.callback_data === "loc:MX")!.text).toBe("🇲🇽 México");
    expect(buttons.at(-1)!.text).toBe("Prefiero no decirlo");

    // Held: its route job is done, but nothing went to any affiliate and no acknowledgement.
    const job = await routed(id);
    expect(job.returnvalue).toMatchObject({ step: "ask" });
    expect(
      await rig.app.pipeline.queues.deliver.getJob(jobIdFor("deliver", idHash(id))),
    ).toBeUndefined();
    const conv = await waitFor("conversation", async () =>
      (await rig.app.conversations.store.list()).find((s) => s.channel === "telegram"),
    );
    expect(conv.status).toBe("asking");
    // Its timeout waits, durably, as a delayed job.
    const timeout = await rig.app.pipeline.queues.inbound.getJob(askTimeoutJobId(idHash(id)));
    expect(await timeout!.getState()).toBe("delayed");

    api.pressButton(
      { id: rosa.id, first_name: "Rosa", language_code: "es" },
      rosa.id,
      question.message_id,
      "loc:MX",
    );
    const forward = await forwardOf("us@leftcom.org", SPANISH);
    expect(forward.subject).toMatch(/^\[C-[0-9A-Z]{5}\] Telegram · MX · es/);
    expect(forward.text).toContain('they answered "🇲🇽 México" (MX)');
    expect(forward.text).toContain("reader's answer");
    // The acknowledgement names the affiliate once, in Spanish, after the answer.
    await waitFor("ack", () => sentTo(rosa).length === 2);
    expect(sentTo(rosa)[1]!.text).toBe(t("es", "ack", { affiliate: IWG }));
    // The answer itself is never forwarded, and nothing went to the default affiliate.
    await routed(`telegram:${rosa.id}:${question.message_id}:choice`);
    expect(mailsWith("us@leftcom.org", SPANISH)).toHaveLength(1);
    expect(
      rig.mailsTo("us@leftcom.org").filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
    expect(mailsWith("uk@leftcom.org", SPANISH)).toHaveLength(0);
    // The timeout is gone with the question.
    expect(
      await rig.app.pipeline.queues.inbound.getJob(askTimeoutJobId(idHash(id))),
    ).toBeUndefined();
    const stored = await rig.app.conversations.store.getByRef(refOf(forward));
    expect(stored).toMatchObject({ status: "open", affiliate: "iwg" });
    expect(stored!.ask!.outcome).toMatchObject({ how: "answer", country: "MX" });

    // The affiliate's answer reaches the reader as in any conversation.
    await sendReply(rig.relayPort, {
      from: "us@leftcom.org",
      to: replyAddressOf(forward),
      text: "¡Hola Rosa! Bienvenida.",
      quote: forward,
    });
    await waitFor("answer", () => sentTo(rosa).length === 3);
    expect(sentTo(rosa)[2]!.text).toContain("¡Hola Rosa! Bienvenida.");
  });

  it("routes a held contact by the default step when the time to answer is up, removes the keyboard, and answers a late press politely", async () => {
    const tomas = reader(2, "Tomás");
    const text = `${SPANISH} Soy Tomás.`;
    const { id, question } = await asked(tomas, text);
    // What a client that misses the coming edit keeps showing: the question with its keyboard.
    const shown = api.snapshot(tomas.id, question.message_id);
    await routed(id);
    // The delayed timeout job, made due now (the configured wait is 10 minutes).
    const timeout = await rig.app.pipeline.queues.inbound.getJob(askTimeoutJobId(idHash(id)));
    await timeout!.promote();
    const forward = await forwardOf("uk@leftcom.org", text);
    expect(forward.text).toContain("no answer within 10 minutes, so the default step decided");
    await waitFor("ack", () => sentTo(tomas).length === 2);
    expect(sentTo(tomas)[1]!.text).toBe(t("es", "ack", { affiliate: CWO }));
    const conv = await rig.app.conversations.store.getByRef(refOf(forward));
    expect(conv).toMatchObject({ status: "open", affiliate: "cwo" });
    expect(conv!.ask!.outcome).toMatchObject({ how: "timeout" });
    expect(conv!.ask!.question).toBe(`telegram:${tomas.id}:${question.message_id}`);

    // The question's keyboard is removed (editMessageReplyMarkup), so it cannot be pressed.
    await waitFor("keyboard removed", () =>
      api.keyboardOf(tomas.id, question.message_id) === null ? true : null,
    );
    expect(() =>
      api.pressButton(
        { id: tomas.id, first_name: "Tomás", language_code: "es" },
        tomas.id,
        question.message_id,
        "loc:AR",
      ),
    ).toThrow(/shows no button/);

    // A client that still shows it: the press is answered in Spanish, and not taken as an answer.
    const query = api.pushCallbackQuery(
      { id: tomas.id, first_name: "Tomás", language_code: "es" },
      shown,
      "loc:AR",
    );
    const answered = await waitFor("late press answered", () =>
      api.callbacks.find((c) => c.id === query && c.answer !== undefined),
    );
    expect(answered.answer).toEqual({ text: t("es", "ask.late") });
    expect(t("es", "ask.late")).toMatch(/ya se ha enviado/);
    expect(
      await rig.app.pipeline.queues.inbound.getJob(
        jobIdFor("inbound", idHash(`telegram:${tomas.id}:${question.message_id}:choice`)),
      ),
    ).toBeUndefined();
    expect(mailsWith("uk@leftcom.org", text)).toHaveLength(1);
    expect(
      rig.mailsTo("uk@leftcom.org").filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
    expect((await rig.app.conversations.store.getByRef(refOf(forward)))!.affiliate).toBe("cwo");
  });

  it("a reader who would rather not say goes by the default step and is not asked again", async () => {
    const lucia = reader(3, "Lucía");
    const text = `${SPANISH} Saludos de Lucía.`;
    const { question } = await asked(lucia, text);
    api.pressButton(
      { id: lucia.id, first_name: "Lucía", language_code: "es" },
      lucia.id,
      question.message_id,
      "loc:decline",
    );
    const forward = await forwardOf("uk@leftcom.org", text);
    expect(forward.text).toContain("they would rather not say");
    await waitFor("ack", () => sentTo(lucia).length === 2);
    // Closed by the affiliate; the reader's next contact starts afresh, without a question.
    await sendReply(rig.relayPort, {
      from: "uk@leftcom.org",
      to: replyAddressOf(forward),
      text: "#close",
      quote: forward,
    });
    await waitFor(
      "closed",
      async () => (await rig.app.conversations.store.getByRef(refOf(forward)))?.status === "closed",
    );
    const again = `${SPANISH} Otra vez Lucía.`;
    injectPrivate(api, lucia, again);
    const second = await forwardOf("uk@leftcom.org", again);
    expect(refOf(second)).not.toBe(refOf(forward));
    await waitFor("ack", () => sentTo(lucia).length === 3);
    expect(sentTo(lucia)[2]!.reply_markup).toBeUndefined();
    expect(sentTo(lucia)[2]!.text).toBe(t("es", "ack", { affiliate: CWO }));
  });

  it("a held contact survives a restart of the app and is routed on the answer after it", async () => {
    const pablo = reader(4, "Pablo");
    const text = `${SPANISH} Pablo.`;
    const { id, question } = await asked(pablo, text);
    await routed(id);
    await rig.restart();
    api.pressButton(
      { id: pablo.id, first_name: "Pablo", language_code: "es" },
      pablo.id,
      question.message_id,
      "loc:MX",
    );
    const forward = await forwardOf("us@leftcom.org", text);
    expect(forward.text).toContain('they answered "🇲🇽 México" (MX)');
    await waitFor("ack", () => sentTo(pablo).length === 2);
    expect(mailsWith("uk@leftcom.org", text)).toHaveLength(0);
  });

  it("'another country': the reader is asked to write it, and their words route the contact", async () => {
    const ana = reader(5, "Ana");
    const text = `${SPANISH} Ana.`;
    const { question } = await asked(ana, text);
    api.pressButton(
      { id: ana.id, first_name: "Ana", language_code: "es" },
      ana.id,
      question.message_id,
      "loc:other",
    );
    await waitFor("prompt", () => sentTo(ana).length === 2);
    expect(sentTo(ana)[1]!.text).toBe(t("es", "ask.other.prompt"));
    injectPrivate(api, ana, "Melbourne");
    const forward = await forwardOf("internationalistcommunists@gmail.com", text);
    expect(forward.text).toContain('they answered "Melbourne" (AU)');
    await waitFor("ack", () => sentTo(ana).length === 3);
    // "Melbourne" was the answer, not a message: the conversation has one email.
    expect(
      rig
        .mailsTo("internationalistcommunists@gmail.com")
        .filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
  });

  it("a reader who writes again instead of answering: the held contact goes first (routed on the new message's place), then the new one as a follow-up", async () => {
    const juan = reader(6, "Juan");
    const text = `${SPANISH} Juan.`;
    await asked(juan, text);
    const next = "Por cierto, vivo en Madrid y me interesa vuestra próxima reunión.";
    injectPrivate(api, juan, next);
    const first = await rig.waitMailWhere(
      "fr@leftcom.org",
      (m) => (m.text ?? "").includes(text) && !m.subject?.startsWith("Re:"),
    );
    expect(first.text).toContain("instead of answering they wrote again");
    const second = await forwardOf("fr@leftcom.org", next);
    expect(refOf(second)).toBe(refOf(first));
    expect(second.subject).toBe(`Re: ${first.subject}`);
    // One acknowledgement: for the held message.
    await waitFor("ack", () => sentTo(juan).length === 2);
    // The question was settled by the message: its keyboard goes.
    await waitFor("keyboard removed", () =>
      api.keyboardOf(juan.id, sentTo(juan)[0]!.message_id) === null ? true : null,
    );
    expect(sentTo(juan)[1]!.text).toContain("Bilan et Perspectives");
    expect(mailsWith("uk@leftcom.org", text)).toHaveLength(0);
  });

  it("X: the question is a numbered list; the reader's text answer routes the contact", async () => {
    const sol: XUser = { id: "1570000000000000301", name: "Sol", username: "sol_x" };
    const text = `${SPANISH} Sol desde X.`;
    x.injectDm(sol, text);
    const conversation = `${sol.id}-${x.bot.id}`;
    const xSent = () =>
      x
        .sentTexts()
        .filter((s) => s.to === `twitter:dm:${conversation}`)
        .map((s) => s.text);
    const question = await waitFor("question", () => xSent()[0]);
    expect(question).toBe(
      `${t("es", "ask.location")}\n${t("es", "ask.text")}\n\n1. 🇪🇸 España\n2. 🇲🇽 México\n3. 🇦🇷 Argentina\n4. 🇨🇴 Colombia\n5. 🇨🇱 Chile\n6. Otro país\n7. Prefiero no decirlo`,
    );
    x.injectDm(sol, "2");
    const forward = await forwardOf("us@leftcom.org", text);
    expect(forward.text).toContain('they answered "🇲🇽 México" (MX)');
    await waitFor("ack", () => xSent().length === 2);
    expect(xSent()[1]).toBe(t("es", "ack", { affiliate: IWG }));
    // The answer "2" is not forwarded: the conversation has one email, the held message.
    await waitFor("answer routed", async () =>
      (await rig.app.conversations.store.getByRef(refOf(forward)))?.ask?.outcome ? true : null,
    );
    expect(
      rig.mailsTo("us@leftcom.org").filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
  });

  it("X: a reader who names their city in words is routed there", async () => {
    const leo: XUser = { id: "1570000000000000302", name: "Leo", username: "leo_x" };
    const text = `${SPANISH} Leo desde X.`;
    x.injectDm(leo, text);
    const conversation = `${leo.id}-${x.bot.id}`;
    const xSent = () =>
      x
        .sentTexts()
        .filter((s) => s.to === `twitter:dm:${conversation}`)
        .map((s) => s.text);
    await waitFor("question", () => xSent()[0]);
    x.injectDm(leo, "Sydney");
    const forward = await forwardOf("internationalistcommunists@gmail.com", text);
    expect(forward.text).toContain('they answered "Sydney" (AU)');
    await waitFor("ack", () => xSent().length === 2);
  });
});
