import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLEAN_TEXT_MAX_CHARS, cleanForDetection } from "../../src/evidence/clean-text.js";

const body = (...lines: string[]): string => lines.join("\n");

/** [name, body, what must remain, what must be gone] */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  [
    "en Gmail reply header",
    body(
      "I can come on Saturday.",
      "",
      "On Mon, 3 Mar 2025 at 10:00, CWO <uk@leftcom.org> wrote:",
      "Unquoted old text",
    ),
    "I can come on Saturday.",
  ],
  [
    "fr reply header with a space before the colon",
    body(
      "Je viendrai samedi.",
      "Le lun. 3 mars 2025 à 10:00, BP <fr@leftcom.org> a écrit :",
      "ancien texte",
    ),
    "Je viendrai samedi.",
  ],
  [
    "de reply header",
    body(
      "Ich komme am Samstag.",
      "Am 03.03.2025 um 10:00 schrieb GIK <de@leftcom.org>:",
      "alter Text",
    ),
    "Ich komme am Samstag.",
  ],
  [
    "it reply header",
    body(
      "Vengo sabato.",
      "Il giorno lun 3 mar 2025 alle ore 10:00 PCInt <it@leftcom.org> ha scritto:",
      "vecchio",
    ),
    "Vengo sabato.",
  ],
  [
    "es reply header",
    body(
      "Iré el sábado.",
      "El lun, 3 mar 2025 a las 10:00, CWO (<uk@leftcom.org>) escribió:",
      "viejo",
    ),
    "Iré el sábado.",
  ],
  [
    "pt reply header",
    body(
      "Vou no sábado.",
      "Em seg., 3 de mar. de 2025 às 10:00, CWO <uk@leftcom.org> escreveu:",
      "velho",
    ),
    "Vou no sábado.",
  ],
  [
    "nl reply header",
    body("Ik kom zaterdag.", "Op ma 3 mrt 2025 om 10:00 schreef CWO <uk@leftcom.org>:", "oud"),
    "Ik kom zaterdag.",
  ],
  [
    "sv reply header",
    body(
      "Jag kommer på lördag.",
      "Den mån 3 mars 2025 kl 10:00 skrev CWO <uk@leftcom.org>:",
      "gammal",
    ),
    "Jag kommer på lördag.",
  ],
  [
    "pl reply header",
    body("Przyjdę w sobotę.", "W dniu 3.03.2025 o 10:00, CWO napisał(a):", "stary tekst"),
    "Przyjdę w sobotę.",
  ],
  [
    "ru Thunderbird header",
    body("Приду в субботу.", "03.03.2025 10:00, CWO пишет:", "старый текст"),
    "Приду в субботу.",
  ],
  [
    "ru Gmail header without a verb",
    body("Приду в субботу.", "пн, 3 мар. 2025 г. в 10:00, CWO <uk@leftcom.org>:", "старый текст"),
    "Приду в субботу.",
  ],
  [
    "fa Gmail header with direction marks",
    body(
      "شنبه می‌آیم.",
      "\u202Bدر تاریخ دوشنبه ۳ مارس ۲۰۲۵، CWO <uk@leftcom.org> نوشت:\u202C",
      "متن قدیمی",
    ),
    "شنبه می‌آیم.",
  ],
  [
    "en header wrapped over two lines",
    body(
      "See you there.",
      "On Mon, 3 Mar 2025 at 10:00, Communist Workers Organisation <",
      "uk@leftcom.org> wrote:",
      "old",
    ),
    "See you there.",
  ],
  [
    "quoted lines in the middle",
    body("First answer.", "> quoted question one", ">> older quote", "Second answer."),
    "First answer. Second answer.",
  ],
  [
    "Outlook original message banner",
    body("Danke!", "-----Ursprüngliche Nachricht-----", "Von: GIK", "Text"),
    "Danke!",
  ],
  [
    "Outlook From/Sent block",
    body(
      "Merci !",
      "________________________________",
      "De : BP <fr@leftcom.org>",
      "Envoyé : lundi 3 mars 2025 10:00",
      "À : moi",
      "ancien",
    ),
    "Merci !",
  ],
  [
    "Outlook From/Sent block in English",
    body(
      "Thanks!",
      "From: CWO <uk@leftcom.org>",
      "Sent: Monday, March 3, 2025 10:00 AM",
      "To: me",
      "Subject: Re: hi",
      "old",
    ),
    "Thanks!",
  ],
  [
    "Gmail forwarded message banner",
    body("Schaut mal:", "---------- Forwarded message ---------", "From: someone"),
    "Schaut mal:",
  ],
  [
    "signature delimiter",
    body("Hasta pronto.", "-- ", "Juan Pérez", "+34 600 000 000"),
    "Hasta pronto.",
  ],
  ["en mobile tagline", body("Count me in.", "", "Sent from my iPhone"), "Count me in."],
  ["de mobile tagline", body("Bin dabei.", "Von meinem iPhone gesendet"), "Bin dabei."],
  ["fr mobile tagline", body("Je suis partant.", "Envoyé de mon iPhone"), "Je suis partant."],
  ["it mobile tagline", body("Ci sono.", "Inviato da iPhone"), "Ci sono."],
  ["es mobile tagline", body("Cuenten conmigo.", "Enviado desde mi iPhone"), "Cuenten conmigo."],
  ["pt mobile tagline", body("Contem comigo.", "Enviado do meu iPhone"), "Contem comigo."],
  ["nl mobile tagline", body("Ik doe mee.", "Verzonden vanaf mijn iPhone"), "Ik doe mee."],
  ["sv mobile tagline", body("Jag är med.", "Skickat från min iPhone"), "Jag är med."],
  ["pl mobile tagline", body("Wchodzę w to.", "Wysłane z mojego iPhone'a"), "Wchodzę w to."],
  ["ru mobile tagline", body("Я с вами.", "Отправлено с iPhone"), "Я с вами."],
  ["fa mobile tagline", body("من هستم.", "ارسال شده از iPhone من"), "من هستم."],
  ["Outlook mobile tagline", body("Yes.", "Get Outlook for Android"), "Yes."],
  [
    "URLs and email addresses",
    "See https://example.org/a?b=c and www.leftcom.org, write to me at (reader@example.de) or <x@y.org>.",
    "See and write to me at or",
  ],
  ["handles and @ signs are kept", "Ask @comrade at 5 @ the hall", "Ask @comrade at 5 @ the hall"],
  ["whitespace collapsed", "  Hello\t\tthere \r\n\r\n  comrades  ", "Hello there comrades"],
];

describe("cleanForDetection", () => {
  it.each(CASES)("%s", (_name, text, expected) => {
    expect(cleanForDetection({ text })).toBe(expected);
  });

  it("keeps a line that opens like a tagline but names no device or app", () => {
    const text = body("Von meinem Lohn kann ich kaum leben.", "Deshalb möchte ich mitmachen.");
    expect(cleanForDetection({ text })).toBe(
      "Von meinem Lohn kann ich kaum leben. Deshalb möchte ich mitmachen.",
    );
    expect(
      cleanForDetection({ text: body("Bin dabei.", "Gesendet mit der Telekom Mail App") }),
    ).toBe("Bin dabei.");
    expect(
      cleanForDetection({ text: body("Я с вами.", "Отправлено из мобильной Почты Mail.ru") }),
    ).toBe("Я с вами.");
  });

  it("keeps the reader's own 'X wrote:' sentence", () => {
    const text = body("My comrade wrote:", "we should meet on May Day.");
    expect(cleanForDetection({ text })).toBe("My comrade wrote: we should meet on May Day.");
  });

  it("keeps a sentence that opens like a header, before a real header", () => {
    const text = body(
      "On 1 May we march.",
      "On Mon, 3 Mar 2025 at 10:00, CWO <uk@leftcom.org> wrote:",
      "old",
    );
    expect(cleanForDetection({ text })).toBe("On 1 May we march.");
  });

  it("puts a new subject first", () => {
    expect(cleanForDetection({ subject: "Treffen am 1. Mai", text: "Ich komme." })).toBe(
      "Treffen am 1. Mai Ich komme.",
    );
  });

  it("ignores an echoed reply or forward subject when the body has the reader's words", () => {
    // A Hebrew reply to an English mail must not be read as English from its subject.
    expect(
      cleanForDetection({ subject: "Re: Your message to the group", text: "אני גר בחיפה." }),
    ).toBe("אני גר בחיפה.");
    expect(
      cleanForDetection({ subject: "Re: AW: Fwd: Treffen am 1. Mai", text: "Ich komme." }),
    ).toBe("Ich komme.");
    expect(cleanForDetection({ subject: "Odp: RE[2]: spotkanie", text: "" })).toBe("spotkanie");
    expect(cleanForDetection({ subject: "SV: möte", text: "> citat" })).toBe("möte");
  });

  it("issue 9: a French forward block is not the reader's words", () => {
    const text = body(
      "Hi, a friend sent me this, could someone explain it?",
      "",
      "---------- Forwarded message ---------",
      "De : Claire <claire@example.fr>",
      "Date: lun. 10 mars 2025 à 19:04",
      "Objet: Réunion",
      "À : <jo@example.org>",
      "",
      "Bonjour, j'habite à Lyon et nous organisons une réunion.",
    );
    expect(cleanForDetection({ subject: "Fwd: Réunion", text })).toBe(
      "Hi, a friend sent me this, could someone explain it?",
    );
  });

  it("issue 9: a reply written below or between quotes keeps the reader's words", () => {
    const below = body(
      "On Tue, 11 Mar 2025 at 18:02, CWO <uk@leftcom.org> wrote:",
      "> Where are you writing from?",
      "",
      "I live in Winnipeg.",
    );
    expect(cleanForDetection({ subject: "Re: Question", text: below })).toBe("I live in Winnipeg.");
    const between = body("> Où habitez-vous ?", "J'habite à Nantes.", "> Quand ?", "Samedi.");
    expect(cleanForDetection({ text: between })).toBe("J'habite à Nantes. Samedi.");
  });

  it("drops tokens too long to be words", () => {
    expect(cleanForDetection({ text: `Hallo ${"A".repeat(500)} Welt` })).toBe("Hallo Welt");
  });

  it("caps the result and stays fast on 100 KB and on hostile input", () => {
    const long = cleanForDetection({ text: "palabra ".repeat(20_000) });
    expect(long.length).toBeLessThanOrEqual(CLEAN_TEXT_MAX_CHARS);
    expect(long.startsWith("palabra palabra")).toBe(true);
    expect(long.endsWith("palabra")).toBe(true);
    // Shapes that make backtracking regexes quadratic: must return, and return nothing wordy.
    for (const hostile of [
      "@".repeat(100_000),
      "a@".repeat(50_000),
      "!".repeat(100_000),
      "<".repeat(50_000) + "@",
      `On ${"1 ".repeat(50_000)}`,
      "-".repeat(100_000),
      "> ".repeat(50_000),
      "\n".repeat(100_000),
    ]) {
      expect(cleanForDetection({ subject: hostile, text: hostile }).length).toBeLessThanOrEqual(
        CLEAN_TEXT_MAX_CHARS,
      );
    }
  });

  it("returns an empty string for nothing", () => {
    expect(cleanForDetection({ text: "" })).toBe("");
    expect(cleanForDetection({ subject: "", text: "> only a quote" })).toBe("");
  });

  it("never throws and never exceeds the cap", () => {
    const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const piece = fc.oneof(
      fc.string({ unit: anyCodeUnit, maxLength: 50 }),
      fc.constantFrom(
        "\n",
        "> ",
        "-- \n",
        "On 1 Jan 2025, A <a@b.cd> wrote:\n",
        "https://x.y ",
        "@",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.option(fc.string()), (parts, subject) => {
        const out = cleanForDetection({ subject: subject ?? undefined, text: parts.join("") });
        expect(typeof out).toBe("string");
        expect(out.length).toBeLessThanOrEqual(CLEAN_TEXT_MAX_CHARS);
        expect(out).toBe(out.trim());
      }),
      { numRuns: 300 },
    );
  });
});
