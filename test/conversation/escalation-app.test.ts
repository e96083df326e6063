import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "../fakes/telegram-bot-api.js";
import { injectPrivate, type Reader } from "../adapters/telegram/fixtures.js";
import { escalationJobId } from "../../src/relay/escalation.js";
import { waitingSince, waitKey } from "../../src/conversation/history.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "../relay/support.js";

/*
 * Escalation through the running app with a controllable clock: the timers are delayed jobs on
 * the escalation queue; the test moves the clock past their time and makes them due (`promote`), so
 * nothing waits for days. routing-rules.yaml: escalate_after 3d, escalation_affiliate cwo.
 */

const DAY = 86_400_000;

function reader(n: number, name: string): Reader {
  return { id: 700_000_000 + n, first_name: name, language_code: "de" };
}

describe("escalation (running app, controllable clock, real SMTP)", () => {
  const api = new FakeTelegramBotApi();
  let rig: RelayRig;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    await api.start();
    rig = await relayRig(
      { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot },
      { now },
    );
  });
  afterAll(async () => {
    await rig?.stop();
    await api.stop();
  });

  const sentTo = (r: Reader) => api.sent.filter((m) => m.chat_id === r.id).map((m) => m.text);
  /** The timer of a wait (`waitKey`: the generation, for a wait after an answer with its start). */
  const timer = (conversationId: string, wait: number | string, step: "remind" | "handover") =>
    waitFor(`${step} timer`, () =>
      rig.app.conversations.escalationQueue.getJob(escalationJobId(conversationId, wait, step)),
    );

  async function contact(r: Reader, text: string, inbox = "de@leftcom.org") {
    const acks = sentTo(r).length;
    injectPrivate(api, r, text);
    const forward = await rig.waitMailWhere(inbox, (m) => (m.text ?? "").includes(text));
    await waitFor("ack", () => sentTo(r).length === acks + 1);
    const conversation = (await rig.app.conversations.store.getByRef(refOf(forward)))!;
    return { forward, conversation };
  }

  it("reminds the affiliate after escalate_after, then hands the conversation to the escalation affiliate", async () => {
    offset = 0;
    const hanna = reader(1, "Hanna");
    const { forward, conversation } = await contact(
      hanna,
      "Hallo, ich wohne in Wien und möchte gern bei einer Lesegruppe mitmachen.",
    );
    const ref = refOf(forward);
    const remind = await timer(conversation.id, 0, "remind");
    expect(await remind.getState()).toBe("delayed");
    // Three days from when the affiliate got it.
    expect(remind.delay).toBeGreaterThan(3 * DAY - 60_000);
    expect(remind.delay).toBeLessThanOrEqual(3 * DAY);

    offset = 3 * DAY + 60_000;
    await remind.promote();
    // In gik's language (German) and time zone, like its forwards.
    const reminder = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(`Erinnerung: Gespräch ${ref} wartet auf eure Antwort.`),
    );
    expect(reminder.subject).toBe(`Re: ${forward.subject}`);
    expect(reminder.text).toMatch(
      /Die Person hat am \d{1,2}\. \S+ \d{4} um \d\d:\d\d MES?Z über Telegram geschrieben und 3 Tage lang keine Antwort bekommen\./,
    );
    expect(reminder.text).toContain("> Hallo, ich wohne in Wien");
    expect(reminder.text).toContain(
      "Bleibt es noch einmal 3 Tage lang unbeantwortet, wird es an Communist Workers' Organisation (cwo) übergeben.",
    );
    expect(reminder.text).toContain(`Gespräch: ${ref}`);
    expect(reminder.text).not.toContain("Reminder");
    // The reminder can be answered like the forward: same relay address.
    expect(replyAddressOf(reminder)).toBe(replyAddressOf(forward));

    const handover = await timer(conversation.id, 0, "handover");
    offset = 6 * DAY + 120_000;
    await handover.promote();
    const handed = await rig.waitMailWhere("uk@leftcom.org", (m) => refOf(m) === ref);
    expect(handed.subject).toBe(forward.subject);
    expect(handed.text).toContain(`Conversation ${ref}: handed over to you`);
    expect(handed.text).toContain("contact-router (escalation)");
    expect(handed.text).toContain(
      "no answer from Gruppe Internationalistischer Kommunistinnen (gik) within 6 days, nor after a reminder",
    );
    expect(handed.text).toContain("Lesegruppe");
    const told = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(
        `Gespräch ${ref} wurde an Communist Workers' Organisation (cwo) übergeben.`,
      ),
    );
    expect(told.text).toContain("Es war 6 Tage lang unbeantwortet");
    expect(told.text).toContain("Eure Antwortadresse dafür funktioniert nicht mehr.");
    const stored = (await rig.app.conversations.store.getByRef(ref))!;
    expect(stored).toMatchObject({ status: "escalated", affiliate: "cwo", generation: 1 });
    expect(stored.history.map((e) => (e.kind === "event" ? e.event : e.kind))).toEqual([
      "reader",
      "remind",
      "escalate",
    ]);
    // The reader is not told again: still only the first acknowledgement.
    expect(sentTo(hanna)).toHaveLength(1);

    // The old address is revoked; the escalation affiliate answers through its own.
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Entschuldigung, hier die Antwort.",
      quote: forward,
    });
    await waitFor("refused", async () =>
      (await rig.app.pipeline.quarantine.list(1000)).find((e) =>
        /^TokenRevokedError/.test(e.reason),
      ),
    );
    await sendReply(rig.relayPort, {
      from: "uk@leftcom.org",
      to: replyAddressOf(handed),
      text: "Hallo Hanna, wir melden uns.",
      quote: handed,
    });
    await waitFor("answer", () => sentTo(hanna).length === 2);
    expect(sentTo(hanna)[1]).toContain("Hallo Hanna, wir melden uns.");
    expect((await rig.app.conversations.store.getByRef(ref))!.status).toBe("answered");

    // Metrics: time to first answer (six days) and open conversations, per affiliate.
    await rig.app.conversations.refreshMetrics();
    const metrics = await rig.app.metrics.registry.metrics();
    expect(metrics).toMatch(
      /contact_router_time_to_first_answer_seconds_bucket\{le="604800",affiliate="cwo"\} 1/,
    );
    expect(metrics).toMatch(
      /contact_router_time_to_first_answer_seconds_bucket\{le="259200",affiliate="cwo"\} 0/,
    );
    expect(metrics).toMatch(/contact_router_open_conversations\{affiliate="cwo"\} 1/);
  });

  it("an answer before the reminder stops the clock", async () => {
    offset = 0;
    const ines = reader(2, "Ines");
    const { forward, conversation } = await contact(
      ines,
      "Hallo, ich wohne in Graz und habe eine Frage zu eurer Broschüre.",
    );
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Hallo Ines, gern!",
      quote: forward,
    });
    await waitFor("answer", () => sentTo(ines).length === 2);
    const remind = await timer(conversation.id, 0, "remind");
    offset = 3 * DAY + 60_000;
    await remind.promote();
    await waitFor("reminder job done", async () => ((await remind.isCompleted()) ? true : null));
    const done = await rig.app.conversations.escalationQueue.getJob(remind.id!);
    expect(done!.returnvalue).toMatchObject({ escalation: "answered" });
    expect(
      rig
        .mailsTo("de@leftcom.org")
        .filter((r) => (r.mail.text ?? "").includes(`Erinnerung: Gespräch ${refOf(forward)}`)),
    ).toHaveLength(0);
    expect(
      await rig.app.conversations.escalationQueue.getJob(
        escalationJobId(conversation.id, 0, "handover"),
      ),
    ).toBeUndefined();
  });

  it("a reminder that comes early (the clock says it is not yet time) waits instead", async () => {
    offset = 0;
    const jonas = reader(3, "Jonas");
    const { conversation } = await contact(
      jonas,
      "Hallo, ich wohne in Linz und suche Kontakt zu Genossen.",
    );
    const remind = await timer(conversation.id, 0, "remind");
    await remind.promote();
    // Taken, found early by the clock, and put back as delayed for the rest of the wait.
    await waitFor("back to delayed", async () => {
      const j = await rig.app.conversations.escalationQueue.getJob(remind.id!);
      return j && (await j.getState()) === "delayed" && j.attemptsStarted > 0 ? true : null;
    });
    expect(
      (await rig.app.conversations.store.get(conversation.id))!.history.some(
        (e) => e.kind === "event" && e.event === "remind",
      ),
    ).toBe(false);
  });

  it("a follow-up after an answer that stays unanswered is reminded and handed over too", async () => {
    offset = 0;
    const karl = reader(5, "Karl");
    const { forward, conversation } = await contact(
      karl,
      "Hallo, ich wohne in Salzburg und möchte eure Zeitung bestellen.",
    );
    const ref = refOf(forward);
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Hallo Karl, gern. Wohin sollen wir sie schicken?",
      quote: forward,
    });
    await waitFor("answer", () => sentTo(karl).length === 2);
    // The first wait is over: its reminder finds it answered.
    const first = await timer(conversation.id, 0, "remind");
    offset = 3 * DAY + 60_000;
    await first.promote();
    await waitFor("first reminder done", async () => ((await first.isCompleted()) ? true : null));
    expect(
      (await rig.app.conversations.escalationQueue.getJob(first.id!))!.returnvalue,
    ).toMatchObject({ escalation: "answered" });

    // The reader writes again; nobody answers that.
    offset = 0;
    injectPrivate(api, karl, "An die Hauptstraße 5 in Salzburg, bitte. Was kostet sie?");
    await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes("Hauptstraße 5 in Salzburg"),
    );
    const waiting = (await rig.app.conversations.store.get(conversation.id))!;
    const since = waitingSince(waiting)!;
    expect(since).toBe(waiting.history.findLast((e) => e.kind === "reader")!.at);
    const key = waitKey(waiting, 0, since);
    expect(key).not.toBe("0");
    const remind = await timer(conversation.id, key, "remind");
    expect(await remind.getState()).toBe("delayed");
    offset = 3 * DAY + 60_000;
    await remind.promote();
    const reminder = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(`Erinnerung: Gespräch ${ref} wartet auf eure Antwort.`),
    );
    expect(reminder.text).toContain("nach eurer letzten Antwort wieder über Telegram geschrieben");
    expect(reminder.text).toContain("> An die Hauptstraße 5 in Salzburg, bitte.");
    expect(replyAddressOf(reminder)).toBe(replyAddressOf(forward));

    const handover = await timer(conversation.id, key, "handover");
    offset = 6 * DAY + 120_000;
    await handover.promote();
    const handed = await rig.waitMailWhere("uk@leftcom.org", (m) => refOf(m) === ref);
    expect(handed.text).toContain("Hauptstraße 5");
    expect(handed.text).toContain("Hallo Karl, gern.");
    const stored = (await rig.app.conversations.store.getByRef(ref))!;
    expect(stored).toMatchObject({ status: "escalated", affiliate: "cwo", generation: 1 });
    expect(stored.history.map((e) => (e.kind === "event" ? e.event : e.kind))).toEqual([
      "reader",
      "answer",
      "reader",
      "remind",
      "escalate",
    ]);
    // The escalation affiliate's own clock: one reminder (in English, cwo's language), no further
    // hand-over.
    const theirs = await timer(conversation.id, 1, "remind");
    offset = 9 * DAY + 180_000;
    await theirs.promote();
    const last = await rig.waitMailWhere("uk@leftcom.org", (m) =>
      (m.text ?? "").includes(`Reminder: conversation ${ref} is waiting for your answer.`),
    );
    expect(last.text).toContain("This is the only reminder.");
    expect(replyAddressOf(last)).toBe(replyAddressOf(handed));
    await waitFor("reminder done", async () => ((await theirs.isCompleted()) ? true : null));
    expect(
      await rig.app.conversations.escalationQueue.getJob(
        escalationJobId(conversation.id, 1, "handover"),
      ),
    ).toBeUndefined();
  });

  it("a #note is not an answer: the clock runs on, and a French affiliate gets it all in French", async () => {
    offset = 0;
    const lea: Reader = { id: 700_000_006, first_name: "Léa", language_code: "fr" };
    const { forward, conversation } = await contact(
      lea,
      "Bonjour, j'habite à Lyon et je voudrais recevoir votre revue.",
      "fr@leftcom.org",
    );
    const ref = refOf(forward);
    await sendReply(rig.relayPort, {
      from: "fr@leftcom.org",
      to: replyAddressOf(forward),
      text: "#note On lui écrit après la réunion de jeudi.",
      quote: forward,
    });
    const confirmation = await rig.waitMailWhere("fr@leftcom.org", (m) =>
      (m.text ?? "").includes(`Fait : #note dans ${ref}.`),
    );
    expect(confirmation.text).toContain("Une note n'est pas une réponse");
    expect(confirmation.text).toContain(`Conversation : ${ref}`);
    expect(confirmation.text).toContain("ce message a été écrit automatiquement");

    const remind = await timer(conversation.id, 0, "remind");
    offset = 3 * DAY + 60_000;
    await remind.promote();
    const reminder = await rig.waitMailWhere("fr@leftcom.org", (m) =>
      (m.text ?? "").includes(`Rappel : la conversation ${ref} attend votre réponse.`),
    );
    expect(reminder.text).toMatch(
      /La personne a écrit sur Telegram le \d{1,2}(?:er)? \S+ \d{4} à \d\d:\d\d UTC\+\d et n'a pas de réponse depuis 3\u00a0jours\./,
    );
    // French writes a no-break space between a number and its unit, as Intl does.
    expect(reminder.text).toContain("Les notes (#note) ne sont pas des réponses");
    expect(reminder.text).toContain(
      "Si elle est toujours sans réponse dans 3\u00a0jours, elle sera confiée à Communist Workers' Organisation (cwo).",
    );
    expect(sentTo(lea)).toHaveLength(1);
  });

  it("a reader who cannot be answered (web form without an address) starts no clock", async () => {
    offset = 0;
    const res = await rig.postForm({
      country: "DE",
      message: "Hallo aus Leipzig, nur ein Gruß ohne Adresse.",
    });
    expect(res.status).toBe(200);
    const forward = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes("ohne Adresse"),
    );
    const conversation = (await rig.app.conversations.store.getByRef(refOf(forward)))!;
    expect(conversation.reader.replyTo).toBeNull();
    expect(
      await rig.app.conversations.escalationQueue.getJob(
        escalationJobId(conversation.id, 0, "remind"),
      ),
    ).toBeUndefined();
  });
});
