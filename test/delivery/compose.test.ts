import { describe, expect, it } from "vitest";
import {
  composeMail,
  escapeHtml,
  firstWords,
  messageIdFor,
  subjectFor,
} from "../../src/delivery/compose.js";
import { REPLY_MARKER } from "../../src/delivery/receipt.js";
import { config, contact } from "./fixtures.js";

describe("compose", () => {
  it("cuts the first words at a word boundary, on one line, without control characters", () => {
    expect(firstWords("short")).toBe("short");
    expect(firstWords("a\u202Eb\n\n  c\td")).toBe("a b c d");
    const long = "word ".repeat(40);
    const cut = firstWords(long, 22);
    expect(cut).toBe("word word word word…");
  });

  it("marks unknown country and language, and falls back to the subject", () => {
    const c = contact({ text: "", conversation: undefined });
    c.decision = { ...c.decision, country: null, language: null };
    c.message = { ...c.message, subject: "Question" };
    expect(subjectFor(c)).toBe("[contact] Telegram · ?? · ?? — Question");
  });

  it("builds stable Message-IDs that hide the contact id", () => {
    expect(messageIdFor("c:1", "example.org")).toBe(messageIdFor("c:1", "example.org"));
    expect(messageIdFor("c:1", "example.org")).not.toContain("c:1");
  });

  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("without a relay, replies straight to the reader's email, else says there is no reply address", () => {
    const withEmail = contact();
    withEmail.message = { ...withEmail.message, evidence: { emailAddress: "reader@example.net" } };
    const noRelay = config({ relay: undefined });
    expect(composeMail(withEmail, noRelay).replyTo).toEqual({ address: "reader@example.net" });
    const plain = composeMail(contact(), noRelay);
    expect(plain.replyTo).toBeUndefined();
    expect(plain.text).toContain(
      "No answer is possible by email: the reader wrote on Telegram, and this router passes no answers on.",
    );
    expect(plain.text).not.toContain(REPLY_MARKER);
  });

  it("says which rule decided and flags translation", () => {
    const c = contact();
    c.decision = {
      ...c.decision,
      step: "rule",
      rule: "ca",
      needs_translation: true,
      language: "pt",
    };
    c.affiliate = { id: "klasbatalo", name: "Klasbatalo", inbox: "ca@leftcom.org" };
    const mail = composeMail(c, config());
    expect(mail.text).toContain("rule “ca” of routing-rules.yaml");
    expect(mail.text).toContain(
      "needed: you do not list Portuguese, and nobody in the network is listed for it.",
    );
    expect(mail.headers).toMatchObject({
      "X-Contact-Router-Step": "rule ca",
      "X-Contact-Router-Needs-Translation": "yes",
    });
  });

  it("shows the SPF/DKIM/DMARC verdicts of an email contact, and nothing for other channels", () => {
    const c = contact();
    expect(composeMail(c, config()).text).not.toContain("Sender checks");
    c.message = {
      ...c.message,
      evidence: { emailAuth: { spf: "pass", dkim: "fail", dmarc: "none" } },
    };
    const mail = composeMail(c, config());
    expect(mail.text).toMatch(/Sender checks: +SPF pass, DKIM fail, DMARC none/);
    expect(mail.html).toContain("SPF pass, DKIM fail, DMARC none");
  });
});

/** The text part's value of a labelled row (`  Label:   value`). */
function row(text: string, label: string): string | undefined {
  const re = new RegExp(`^  ${label}\\u202f?: +(.*)$`, "m");
  return re.exec(text)?.[1];
}

describe("the forward, as a volunteer reads it", () => {
  /** The fixture contact, for an affiliate with these languages and time zone. */
  function forAffiliate(languages: string[], timezone: string) {
    const c = contact();
    c.affiliate = { ...c.affiliate, languages, timezone };
    c.affiliateIds = ["cwo", "gik", "pcint"];
    return c;
  }

  it("German, Berlin time: labels, date, reference, reply address and commands in the body", () => {
    const mail = composeMail(forAffiliate(["de"], "Europe/Berlin"), config());
    const text = mail.text;
    expect(text.split("\n")[0]).toBe("## Antwort oberhalb dieser Zeile schreiben ##");
    expect(text).toContain("Gespräch C-7KQ2M: ein neuer Kontakt");
    expect(row(text, "Referenz")).toBe("C-7KQ2M");
    // 2026-11-22T02:00:00Z is 03:00 in Berlin (CET), written as Germans write dates.
    expect(row(text, "Gesendet")).toBe("22. November 2026 um 03:00 MEZ");
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(text).toContain(
      "Eure Antwort geht an relay+aeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqc@relay.example.org",
    );
    expect(text).toMatch(
      /^ {2}#reroute <id> \[Grund\] +das Gespräch einer anderen Gruppe übergeben: cwo, pcint$/m,
    );
    expect(text).toMatch(/^ {2}#note <Text> +eine interne Notiz/m);
    expect(text).toMatch(/^ {2}#close +das Gespräch beenden/m);
    expect(row(text, "Anhänge")).toBe(
      "flyer.pdf (20,0 KB, application/pdf) (nicht weitergeleitet)",
    );
    expect(row(text, "Land")).toBe(
      "Österreich (Vienna), laut der Angabe der Person in der Nachricht",
    );
    expect(row(text, "Sprache")).toBe("Deutsch, am Text erkannt");
    expect(row(text, "Übersetzung")).toBe("nicht nötig");
    expect(mail.html).toContain('<html lang="de">');
  });

  it("folds the detector, the certainty and the second choice under the reasons, in plain words", () => {
    const text = composeMail(forAffiliate(["de"], "Europe/Berlin"), config()).text;
    const why = text.indexOf("Warum dieser Kontakt zu euch kam");
    const tech = text.indexOf("Technische Einzelheiten");
    expect(why).toBeGreaterThan(text.indexOf("----- Ende der Nachricht -----"));
    expect(tech).toBeGreaterThan(why);
    // Above the technical part: no detector, no decimals, no "Runner-up".
    const plain = text.slice(0, tech);
    for (const jargon of ["eld", "0.95", "0.85", "confidence", "Runner-up", "Confidence"])
      expect(plain).not.toContain(jargon);
    const technical = text.slice(tech);
    // Intl writes "95 %" with a no-break space in German.
    expect(technical).toMatch(/Spracherkennung: Programm eld, zu 95\s%\ssicher/);
    expect(technical).toMatch(/Wie sicher sich der Router bei dieser Zuordnung war: 86\s%/);
    expect(technical).toContain("Zweite Wahl: pcint, 622 km, weil: does not speak de");
    expect(technical).toContain("Vienna is 523 km from Berlin (gik, speaks de)");
    const html = composeMail(forAffiliate(["de"], "Europe/Berlin"), config()).html;
    expect(html).toMatch(/<details><summary>Technische Einzelheiten[^<]*<\/summary>/);
  });

  it("Italian, Rome time", () => {
    const text = composeMail(forAffiliate(["it"], "Europe/Rome"), config()).text;
    expect(text.split("\n")[0]).toBe("## Rispondi sopra questa riga ##");
    expect(text).toContain("Conversazione C-7KQ2M: un nuovo contatto");
    expect(row(text, "Riferimento")).toBe("C-7KQ2M");
    expect(row(text, "Inviato")).toBe("22 novembre 2026 alle ore 03:00 CET");
    expect(text).toContain("Come rispondere: rispondete a questa email");
    expect(text).toMatch(/^ {2}#reroute <id> \[motivo\] +affidare la conversazione/m);
    expect(row(text, "Paese")).toBe(
      "Austria (Vienna), secondo quanto la persona dice nel messaggio",
    );
    expect(row(text, "Lingua")).toBe("tedesco, riconosciuta dal testo");
    expect(text).toContain("Riconoscimento della lingua: programma eld, sicuro al 95%");
  });

  it("French for an affiliate listing fr before en, Montreal time (the day before in UTC−5)", () => {
    const text = composeMail(forAffiliate(["fr", "en"], "America/Toronto"), config()).text;
    expect(text.split("\n")[0]).toBe("## Répondez au-dessus de cette ligne ##");
    expect(text).toContain("Conversation C-7KQ2M : un nouveau contact");
    expect(row(text, "Envoyé")).toBe("21 novembre 2026 à 21:00 UTC−5");
    expect(row(text, "Pays")).toBe(
      "Autriche (Vienna), d'après ce que la personne dit dans son message",
    );
    expect(text).toContain("Pour répondre : répondez à cet e-mail");
  });

  it("falls back to English and UTC for an affiliate without a forward language or time zone", () => {
    const text = composeMail(forAffiliate(["sv"], "UTC"), config()).text;
    expect(row(text, "Sent")).toBe("November 22, 2026 at 02:00 AM UTC");
    expect(text).toContain("Conversation C-7KQ2M: a new contact");
    const old = contact(); // a job queued before forwards knew languages
    expect(row(composeMail(old, config()).text, "Sent")).toBe("November 22, 2026 at 02:00 AM UTC");
  });

  it("names who in the network reads the reader's language when it needs translation", () => {
    const c = forAffiliate(["de"], "Europe/Berlin");
    c.decision = { ...c.decision, language: "fr", needs_translation: true };
    c.translators = [
      { id: "bp", name: "Bilan et Perspectives" },
      { id: "klasbatalo", name: "Klasbatalo" },
    ];
    expect(row(composeMail(c, config()).text, "Übersetzung")).toBe(
      "nötig: ihr führt Französisch nicht. Im Netzwerk liest Französisch: Bilan et Perspectives (bp), Klasbatalo (klasbatalo).",
    );
    c.translators = [];
    c.decision.reasons = [
      "Needs translation: gik does not list Swedish; the network has Swedish speakers.",
    ];
    c.decision.language = "sv";
    expect(row(composeMail(c, config()).text, "Übersetzung")).toMatch(
      /^nötig: ihr führt Schwedisch nicht, und keine Gruppe tut es\. Im Netzwerk gibt es Leute/,
    );
  });

  it("says plainly that no answer is possible to a web-form reader without an address", () => {
    const c = forAffiliate(["it"], "Europe/Rome");
    c.message = { ...c.message, channel: "web", evidence: {} };
    c.conversation = { ...c.conversation!, canAnswer: false };
    const text = composeMail(c, config()).text;
    expect(text).toContain(
      "Non è possibile rispondere: la persona ha usato il modulo web senza lasciare un indirizzo email.",
    );
    expect(text).not.toContain("Come rispondere");
    expect(text).not.toMatch(/Web form\b.*contatt|contact the reader/i);
    // Without a relay at all, the same plain statement and no reply address.
    const noRelay = composeMail({ ...c, conversation: undefined }, config({ relay: undefined }));
    expect(noRelay.replyTo).toBeUndefined();
    expect(noRelay.text).toContain("Non è possibile rispondere: la persona ha usato il modulo web");
  });

  it("writes the history's times in the affiliate's zone", () => {
    const c = forAffiliate(["de"], "Europe/Berlin");
    c.conversation = {
      ...c.conversation!,
      followUp: true,
      history: [{ kind: "reader", at: "2026-07-01T22:30:00.000Z", text: "Erste Nachricht" }],
    };
    const text = composeMail(c, config()).text;
    expect(text).toContain("Bisher in diesem Gespräch (älteste zuerst):");
    expect(text).toContain("[2. Juli 2026 um 00:30 MESZ] Person:");
  });
});
