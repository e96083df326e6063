import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "./support.js";

describe("relay: web-form reader, answer by email (running app, real SMTP)", () => {
  let rig: RelayRig | null = null;
  afterEach(async () => {
    await rig?.stop();
    rig = null;
  });

  it("forwards with reference, relay Reply-To and instructions; the reply reaches the reader without quote or signature", async () => {
    rig = await relayRig();
    const res = await rig.postForm({
      country: "IT",
      email: "lettrice@example.com",
      message: "Ciao, vorrei sapere quando vi riunite a Milano.",
    });
    expect(res.status).toBe(200);
    const forward = await rig.waitMail("it@leftcom.org");
    const ref = refOf(forward);
    const relay = replyAddressOf(forward);
    expect(relay).toMatch(/^relay\+[a-z2-7]{53}@relay\.example\.net$/);
    // pcint reads Italian, in Rome time: the forward is written so.
    const text = forward.text ?? "";
    expect(text.split("\n")[0]).toBe("## Rispondi sopra questa riga ##");
    expect(text).toContain(`Conversazione ${ref}: un nuovo contatto`);
    expect(text).toMatch(new RegExp(`^ {2}Riferimento: +${ref}$`, "m"));
    expect(text).toContain(`La vostra risposta va a ${relay}, che la inoltra.`);
    expect(text).toMatch(
      /^ {2}#reroute <id> \[motivo\] +affidare la conversazione a un altro gruppo: cwo, gik, /m,
    );
    expect(text).toMatch(/^ {2}Inviato: +\d{1,2} \w+ 20\d\d alle ore \d\d:\d\d (CET|CEST)$/m);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(text).toContain("Perché questo contatto è arrivato a voi");
    expect(forward.headers.get("x-contact-router-ref")).toBe(ref);

    await sendReply(rig.relayPort, {
      from: "Volontaria <it@leftcom.org>",
      to: relay,
      text: "Ciao! Ci riuniamo ogni giovedì alle 19.\n\nA presto.",
      signature: "Giulia\nBattaglia Comunista, Milano\n+39 02 1234567",
      quote: forward,
    });
    const answer = await rig.waitMail("lettrice@example.com");
    expect(answer.text).toContain("Ci riuniamo ogni giovedì alle 19.\n\nA presto.");
    expect(answer.text).toContain("Risposta da Partito Comunista Internazionalista");
    expect(answer.text).not.toContain("Giulia");
    expect(answer.text).not.toContain("+39");
    expect(answer.text).not.toContain("vorrei sapere");
    expect(answer.text).not.toContain(ref);
    expect(answer.subject).toContain("Risposta da");

    const conv = await rig.app.conversations.store.getByRef(ref);
    expect(conv?.status).toBe("answered");
    expect(conv?.firstAnswerAt).toBeDefined();
    expect(conv?.history.map((e) => e.kind)).toEqual(["reader", "answer"]);

    // The relay step is counted like the pipeline's steps (issue 10, metrics).
    const r = rig;
    await waitFor("the relay step counted", async () =>
      (
        await r.app.metrics.registry.getSingleMetricAsString("contact_router_contacts_total")
      ).includes('contact_router_contacts_total{channel="email",step="relay",affiliate="pcint"} 1'),
    );
    expect(
      await r.app.metrics.registry.getSingleMetricAsString("contact_router_stage_duration_seconds"),
    ).toMatch(/^contact_router_stage_duration_seconds_count\{step="relay"\} [1-9]/m);
  });

  it("a web-form reader without an address: the forward says no answer is possible, and an answer is refused", async () => {
    rig = await relayRig();
    await rig.postForm({ country: "IT", message: "Ciao, solo un saluto dalla Sicilia." });
    const forward = await rig.waitMail("it@leftcom.org");
    expect(forward.text).toContain(
      "Non è possibile rispondere: la persona ha usato il modulo web senza lasciare un indirizzo email.",
    );
    expect(forward.text).not.toContain("contact the reader on Web form");
    await sendReply(rig.relayPort, {
      from: "it@leftcom.org",
      to: replyAddressOf(forward),
      text: "Grazie del saluto!",
      quote: forward,
    });
    const [entry] = await waitFor("quarantine", async () => {
      const l = await rig!.app.pipeline.quarantine.list();
      return l.length > 0 ? l : null;
    });
    expect(entry!.reason).toMatch(/^ReaderUnreachableError: /);
    const bounce = await rig.waitMail("it@leftcom.org", 2);
    // In pcint's language (Italian).
    expect(bounce.text).toContain(
      "ha usato il modulo web senza lasciare un indirizzo email, quindi nessuna risposta può raggiungerla",
    );
  });
});
