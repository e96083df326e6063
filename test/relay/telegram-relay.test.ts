import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "../fakes/telegram-bot-api.js";
import { injectPrivate, type Reader } from "../adapters/telegram/fixtures.js";
import { HASH_PURPOSE, jobIdFor } from "../../src/queue/keys.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "./support.js";

/*
 * End to end through the running app: a Telegram reader (fake Bot API) writes, the forward
 * reaches a real SMTP server, the test answers it by SMTP to the relay address with a quoted
 * original and a signature, and the fake Bot API receives exactly the framed answer.
 */

const GIK = "Gruppe Internationalistischer Kommunistinnen";
const SIGNATURE = "Jana\nGIK Berlin\nTel. +49 30 1234567";

function reader(n: number, name: string): Reader {
  return { id: 500_000_000 + n, first_name: name, language_code: "de" };
}

describe("relay: Telegram reader (running app, fake Bot API, real SMTP)", () => {
  const api = new FakeTelegramBotApi();
  let rig: RelayRig;

  beforeAll(async () => {
    await api.start();
    rig = await relayRig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
  });
  afterAll(async () => {
    await rig?.stop();
    await api.stop();
  });

  const sentTo = (r: Reader) => api.sent.filter((m) => m.chat_id === r.id).map((m) => m.text);
  /** The keyed id hash the running app gives a platform message id (its jobs are named by it). */
  const idHash = (messageId: string) =>
    rig.app.pipeline.hasher.hash(HASH_PURPOSE.message, messageId);
  /** Waits until the route stage has finished with a message. */
  const routed = (messageId: string) =>
    waitFor("routed", async () => {
      const job = await rig.app.pipeline.queues.inbound.getJob(
        jobIdFor("inbound", idHash(messageId)),
      );
      return job && (await job.isCompleted());
    });

  it("relays the affiliate's answer, cut above the quote and signature, framed in the reader's language", async () => {
    const anna = reader(1, "Anna");
    injectPrivate(api, anna, "Hallo, ich wohne in Wien und würde gerne bei euch mitmachen.");
    const forward = await rig.waitMail("de@leftcom.org");
    expect(forward.subject).toMatch(
      /^\[C-[0-9A-Z]{5}\] Telegram · AT · de — Hallo, ich wohne in Wien/,
    );
    await waitFor("ack", () => sentTo(anna).length === 1);
    expect(sentTo(anna)[0]).toContain(`an ${GIK} weitergeleitet`);

    const answer =
      "Hallo Anna,\n\ndanke für deine Nachricht! Wir treffen uns jeden Donnerstag.\n\nBis bald";
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: answer,
      signature: SIGNATURE,
      quote: forward,
    });
    await waitFor("answer", () => sentTo(anna).length === 2);
    expect(sentTo(anna)[1]).toBe(`Antwort von ${GIK}:\n\n${answer}\n\nDu kannst hier antworten.`);
    // Replies to the reader's message in the chat.
    expect(api.sent.filter((m) => m.chat_id === anna.id)[1]!.reply_to).toBeDefined();
  });

  it("keeps a follow-up with the same affiliate, threaded, with the history, and without a new acknowledgement", async () => {
    const ben = reader(2, "Ben");
    injectPrivate(api, ben, "Hallo, ich lebe in Graz und habe eine Frage zu eurer Zeitung.");
    const first = await rig.waitMail("de@leftcom.org", 2);
    await waitFor("ack", () => sentTo(ben).length === 1);
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(first),
      text: "Gern, was möchtest du wissen?",
      quote: first,
    });
    await waitFor("answer", () => sentTo(ben).length === 2);

    // In English this time: routed afresh it would go elsewhere, but it stays with gik.
    const followUp = injectPrivate(
      api,
      ben,
      "Sorry, in English: when is your next public meeting?",
    );
    const second = await rig.waitMail("de@leftcom.org", 3);
    expect(second.subject).toBe(`Re: ${first.subject}`);
    expect(second.inReplyTo).toBe(first.messageId);
    expect(second.references).toEqual(first.messageId);
    expect(refOf(second)).toBe(refOf(first));
    expect(second.text).toContain("die Person hat wieder geschrieben");
    expect(second.text).toContain("Bisher in diesem Gespräch (älteste zuerst):");
    const earlier = second.text!.slice(second.text!.indexOf("Bisher in diesem Gespräch"));
    expect(earlier.indexOf("eine Frage zu eurer Zeitung")).toBeLessThan(
      earlier.indexOf("Gern, was möchtest du wissen?"),
    );
    expect(second.text).toContain(`im Gespräch ${refOf(first)} wieder geschrieben`);
    expect(replyAddressOf(second)).toBe(replyAddressOf(first));
    // Once its route job is done, any acknowledgement would be queued: there is none.
    await routed(followUp);
    expect(
      await rig.app.pipeline.queues.outbound.getJob(jobIdFor("outbound", idHash(followUp))),
    ).toBeUndefined();
    expect(sentTo(ben)).toHaveLength(2);
  });

  /** A reader writes; resolves to their forward once it arrived, after their acknowledgement. */
  async function contact(r: Reader, text: string, inbox = "de@leftcom.org") {
    const acks = sentTo(r).length;
    const id = injectPrivate(api, r, text);
    const forward = await rig.waitMailWhere(inbox, (m) => (m.text ?? "").includes(text));
    return { id, forward, acked: () => waitFor("ack", () => sentTo(r).length > acks) };
  }
  const quarantined = (reason: RegExp) =>
    waitFor(`quarantine ${reason}`, async () =>
      (await rig.app.pipeline.quarantine.list(1000)).find((e) => reason.test(e.reason)),
    );

  it("#note: kept in the conversation, never sent to the reader, confirmed by email", async () => {
    const clara = reader(3, "Clara");
    const { forward, acked } = await contact(
      clara,
      "Hallo, ich komme aus Salzburg. Gibt es dort Leute von euch?",
    );
    await acked();
    const ref = refOf(forward);
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "#note Kennt jemand Leute in Salzburg? Peter fragen.",
      quote: forward,
      signature: SIGNATURE,
    });
    const confirmation = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(`Erledigt: #note in ${ref}`),
    );
    expect(confirmation.subject).toBe(`Re: ${forward.subject}`);
    // In gik's language (German), like its forwards.
    expect(confirmation.text).toContain("Notizen gehen nie an die Person");
    expect(confirmation.text).toContain(`Gespräch: ${ref}`);
    expect(confirmation.text).not.toContain("Notes are never sent");
    const conv = await rig.app.conversations.store.getByRef(ref);
    expect(conv!.history.at(-1)).toMatchObject({
      kind: "note",
      text: "Kennt jemand Leute in Salzburg? Peter fragen.",
    });
    expect(sentTo(clara)).toHaveLength(1);
    // The note shows in the next forward's history.
    const { forward: next } = await contact(clara, "Und gibt es Treffen in Linz?");
    expect(next.text).toContain("Notiz (gik)");
    expect(next.text).toContain("Peter fragen.");
  });

  it("#reroute: hands the whole conversation over, tells the reader, revokes the old token", async () => {
    const dora = reader(4, "Dora");
    const { forward, acked } = await contact(
      dora,
      "Hallo, ich wohne in Innsbruck, schreibe aber lieber mit Leuten in London.",
    );
    await acked();
    const ref = refOf(forward);
    const oldAddress = replyAddressOf(forward);
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: oldAddress,
      text: "#reroute cwo Sie möchte mit der CWO in London schreiben.",
      quote: forward,
    });
    const handover = await rig.waitMailWhere("uk@leftcom.org", (m) => refOf(m) === ref);
    expect(handover.subject).toBe(forward.subject);
    // cwo reads English: the handover is in English, in London time.
    expect(handover.text).toContain(`Conversation ${ref}: handed over to you`);
    expect(handover.text).toContain(
      `by ${GIK} (gik), de@leftcom.org: Sie möchte mit der CWO in London schreiben.`,
    );
    expect(handover.text).toContain("Innsbruck");
    expect(handover.text).toContain("Handed over from gik to cwo");
    const newAddress = replyAddressOf(handover);
    expect(newAddress).not.toBe(oldAddress);
    await waitFor("reroute notice", () => sentTo(dora).length === 2);
    expect(sentTo(dora)[1]).toBe(
      "Dein Gespräch wurde an Communist Workers' Organisation übergeben. Die Antwort kommt von dort.",
    );
    await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(`Erledigt: #reroute in ${ref}`),
    );

    // The old affiliate's token no longer works: refused, kept, explained once.
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: oldAddress,
      text: "Noch eine Ergänzung von uns.",
      quote: forward,
    });
    expect((await quarantined(/^TokenRevokedError/)).stage).toBe("relay");
    const bounce = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(
        `Gespräch ${ref} wurde an Communist Workers' Organisation (cwo) übergeben, darum wurde eure Antwort nicht`,
      ),
    );
    expect(bounce.headers.get("auto-submitted")).toBe("auto-replied");
    expect(bounce.subject).toBe("Eure Antwort wurde nicht weitergeleitet");
    // The new token is the new affiliate's: the old one's inbox cannot use it.
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: newAddress,
      text: "Hallo Dora!",
      quote: handover,
    });
    await quarantined(/^SenderNotAllowedError/);
    // The new affiliate answers.
    await sendReply(rig.relayPort, {
      from: "uk@leftcom.org",
      to: newAddress,
      text: "Hi Dora, happy to talk.",
      quote: handover,
    });
    await waitFor("answer from cwo", () => sentTo(dora).length === 3);
    expect(sentTo(dora)[2]).toBe(
      "Antwort von Communist Workers' Organisation:\n\nHi Dora, happy to talk.\n\nDu kannst hier antworten.",
    );
    expect(sentTo(dora).join("\n")).not.toContain("Ergänzung");
  });

  it("#close: ends the conversation; the reader's next message starts a new one, routed afresh", async () => {
    const emil = reader(5, "Emil");
    const { forward, acked } = await contact(
      emil,
      "Hallo, ich wohne in Wien und suche eure Broschüre.",
    );
    await acked();
    const ref = refOf(forward);
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "#close\nSchon per Post geschickt.",
      quote: forward,
    });
    await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes(`Erledigt: #close in ${ref}`),
    );
    expect((await rig.app.conversations.store.getByRef(ref))?.status).toBe("closed");
    const next = await contact(emil, "Hallo nochmal, ich wohne in Wien: danke für die Broschüre!");
    await next.acked();
    expect(refOf(next.forward)).not.toBe(ref);
    expect(next.forward.subject).not.toMatch(/^Re:/);
    expect(next.forward.text).toContain("ein neuer Kontakt");
    // A reply to the closed conversation is refused.
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Nachtrag",
      quote: forward,
    });
    await quarantined(/^ConversationClosedError/);
  });

  it("a reader who blocked the bot (403) is marked unreachable and the affiliate is told by email", async () => {
    const fritz = reader(6, "Fritz");
    const { forward, acked } = await contact(
      fritz,
      "Hallo, ich wohne in Wien und habe eine kurze Frage.",
    );
    await acked();
    api.failNext("sendMessage", {
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Frag ruhig!",
      quote: forward,
    });
    const notice = await rig.waitMailWhere("de@leftcom.org", (m) =>
      (m.text ?? "").includes("Eure Antwort konnte der Person nicht zugestellt werden."),
    );
    expect(notice.text).toContain("Telegram hat sie endgültig abgelehnt");
    const conv = await rig.app.conversations.store.getByRef(refOf(forward));
    expect(conv!.reader.unreachable).toMatchObject({ channel: "telegram" });
    expect(sentTo(fritz)).toHaveLength(1);
  });

  it("a 5xx from the Bot API is retried with backoff: the answer arrives once", async () => {
    const gabi = reader(7, "Gabi");
    const { forward, acked } = await contact(
      gabi,
      "Hallo, ich wohne in Wien und möchte eure Zeitung abonnieren.",
    );
    await acked();
    api.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    await sendReply(rig.relayPort, {
      from: "de@leftcom.org",
      to: replyAddressOf(forward),
      text: "Gerne, schick uns deine Adresse.",
      quote: forward,
    });
    await waitFor("answer after retry", () => sentTo(gabi).length === 2, 30_000);
    // The relay job failed once (502) and completed on its second attempt.
    const job = await waitFor("relay job done after a retry", async () => {
      const jobs = await rig.app.pipeline.queues.relay.getCompleted();
      return jobs.find((j) => j.attemptsMade === 2);
    });
    expect(job.returnvalue).toMatchObject({ outcome: "answer", sent: 1 });
    expect(sentTo(gabi).filter((t) => t.includes("schick uns deine Adresse"))).toHaveLength(1);
  });
});
