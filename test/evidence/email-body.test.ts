import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEmailBody } from "../../src/evidence/email-body.js";

const body = (...lines: string[]): string => lines.join("\n");

/** [name, body, own words, signature or null, hadQuote] */
type Case = readonly [string, string, string, string | null, boolean];

const QUOTE_HEADERS: readonly Case[] = [
  [
    "Gmail en, top-posted",
    body(
      "I can come on Saturday.",
      "",
      "On Mon, 3 Mar 2025 at 10:00, CWO <uk@leftcom.org> wrote:",
      "> Can you come?",
    ),
    "I can come on Saturday.",
    null,
    true,
  ],
  [
    "Gmail fr with a space before the colon",
    body("Je viendrai.", "", "Le lun. 3 mars 2025 à 10:00, BP <fr@leftcom.org> a écrit :", "> ?"),
    "Je viendrai.",
    null,
    true,
  ],
  [
    "Thunderbird de",
    body("Ich komme.", "", "Am 03.03.2025 um 10:00 schrieb GIK:", "> Kommst du?"),
    "Ich komme.",
    null,
    true,
  ],
  [
    "Gmail it",
    body(
      "Vengo.",
      "",
      "Il giorno lun 3 mar 2025 alle ore 10:00 PCInt <it@leftcom.org> ha scritto:",
      "> vieni?",
    ),
    "Vengo.",
    null,
    true,
  ],
  [
    "Gmail es",
    body("Iré.", "", "El lun, 3 mar 2025 a las 10:00, CWO (<uk@leftcom.org>) escribió:", "> ¿?"),
    "Iré.",
    null,
    true,
  ],
  [
    "Gmail pt",
    body("Vou.", "", "Em seg., 3 de mar. de 2025 às 10:00, CWO <uk@leftcom.org> escreveu:", ">"),
    "Vou.",
    null,
    true,
  ],
  [
    "Gmail nl",
    body("Ik kom.", "", "Op ma 3 mrt 2025 om 10:00 schreef CWO <uk@leftcom.org>:", "> kom je?"),
    "Ik kom.",
    null,
    true,
  ],
  [
    "Apple Mail sv",
    body("Jag kommer.", "", "3 mars 2025 kl. 10:00 skrev CWO <uk@leftcom.org>:", "> Kommer du?"),
    "Jag kommer.",
    null,
    true,
  ],
  [
    "Thunderbird pl",
    body("Przyjdę.", "", "W dniu 3.03.2025 o 10:00, CWO pisze:", "> Przyjdziesz?"),
    "Przyjdę.",
    null,
    true,
  ],
  [
    "Thunderbird ru",
    body("Приду.", "", "03.03.2025 10:00, CWO пишет:", "> Придёшь?"),
    "Приду.",
    null,
    true,
  ],
  [
    "Gmail ru without a verb",
    body("Приду.", "", "пн, 3 мар. 2025 г. в 10:00, CWO <uk@leftcom.org>:", "> Придёшь?"),
    "Приду.",
    null,
    true,
  ],
  [
    "Gmail fa with direction marks",
    body(
      "شنبه می‌آیم.",
      "",
      "\u202Bدر تاریخ دوشنبه ۳ مارس ۲۰۲۵، CWO <uk@leftcom.org> نوشت:\u202C",
      "> می‌آیی؟",
    ),
    "شنبه می‌آیم.",
    null,
    true,
  ],
  [
    "header wrapped over two lines",
    body(
      "See you there.",
      "",
      "On Mon, 3 Mar 2025 at 10:00, Communist Workers Organisation <",
      "uk@leftcom.org> wrote:",
      "> Will you come?",
    ),
    "See you there.",
    null,
    true,
  ],
  [
    "header followed by an unquoted original",
    body("Sure.", "", "On Mon, 3 Mar 2025 at 10:00, CWO <uk@leftcom.org> wrote:", "old text"),
    "Sure.",
    null,
    true,
  ],
];

const OUTLOOK_AND_FORWARDS: readonly Case[] = [
  [
    "Outlook en block",
    body(
      "Thanks!",
      "",
      "________________________________",
      "From: CWO <uk@leftcom.org>",
      "Sent: Monday, March 3, 2025 10:00 AM",
      "To: me",
      "Subject: Re: hi",
      "",
      "I live in London.",
    ),
    "Thanks!",
    null,
    true,
  ],
  [
    "Outlook fr block",
    body(
      "Merci !",
      "",
      "De : BP <fr@leftcom.org>",
      "Envoyé : lundi 3 mars 2025 10:00",
      "À : moi",
      "Objet : RE: salut",
      "",
      "J'habite à Paris.",
    ),
    "Merci !",
    null,
    true,
  ],
  [
    "Outlook de bold labels",
    body(
      "Danke.",
      "*Von:* GIK <de@leftcom.org>",
      "*Gesendet:* Montag, 3. März 2025 10:00",
      "*An:* mich",
      "*Betreff:* Hallo",
      "",
      "Ich wohne in Berlin.",
    ),
    "Danke.",
    null,
    true,
  ],
  [
    "Outlook it, es, nl, sv, pl, ru blocks",
    body(
      "Ok.",
      "Da: PCInt <it@leftcom.org>",
      "Inviato: lunedì 3 marzo 2025 10:00",
      "A: me",
      "Oggetto: ciao",
      "",
      "Vivo a Roma.",
    ),
    "Ok.",
    null,
    true,
  ],
  [
    "Outlook es",
    body("Vale.", "De: X <x@y.es>", "Enviado: lunes", "Para: yo", "Asunto: hola", "", "Madrid"),
    "Vale.",
    null,
    true,
  ],
  [
    "Outlook nl",
    body("Top.", "Van: X <x@y.nl>", "Verzonden: maandag", "Aan: mij", "Onderwerp: hoi", "", "A"),
    "Top.",
    null,
    true,
  ],
  [
    "Outlook sv",
    body("Bra.", "Från: X <x@y.se>", "Skickat: måndag", "Till: mig", "Ämne: hej", "", "Lund"),
    "Bra.",
    null,
    true,
  ],
  [
    "Outlook pl",
    body("Dobrze.", "Od: X <x@y.pl>", "Wysłano: poniedziałek", "Do: mnie", "Temat: hej", "", "Ł"),
    "Dobrze.",
    null,
    true,
  ],
  [
    "Outlook ru",
    body("Хорошо.", "От: X <x@y.ru>", "Отправлено: понедельник", "Кому: мне", "Тема: привет"),
    "Хорошо.",
    null,
    true,
  ],
  [
    "Outlook fa",
    body("باشه.", "از: X <x@y.ir>", "تاریخ: دوشنبه", "به: من", "موضوع: سلام", "", "تهران"),
    "باشه.",
    null,
    true,
  ],
  [
    "Outlook original message banner, de",
    body("Danke!", "", "-----Ursprüngliche Nachricht-----", "Von: GIK", "Text"),
    "Danke!",
    null,
    true,
  ],
  [
    "Gmail forward with a French block inside",
    body(
      "Have a look at this.",
      "",
      "---------- Forwarded message ---------",
      "De : Jean <jean@example.fr>",
      "Date: lun. 3 mars 2025 à 10:00",
      "Subject: Réunion",
      "To: <me@example.org>",
      "",
      "J'habite à Lyon et je viendrai.",
    ),
    "Have a look at this.",
    null,
    true,
  ],
  [
    "Thunderbird forward fr",
    body("Pour info.", "", "-------- Message transféré --------", "Sujet : x", "Date : y"),
    "Pour info.",
    null,
    true,
  ],
  [
    "Yahoo forward ru",
    body("Смотри.", "", "----- Пересылаемое сообщение -----", "От: X", "Москва"),
    "Смотри.",
    null,
    true,
  ],
  [
    "Apple Mail forward, it",
    body("Guarda.", "", "Inizio messaggio inoltrato:", "", "Da: X <x@y.it>", "Oggetto: y", "", "z"),
    "Guarda.",
    null,
    true,
  ],
  [
    "Apple Mail forward, pt",
    body("Veja.", "", "Início da mensagem encaminhada:", "", "De: X <x@y.br>", "", "Recife"),
    "Veja.",
    null,
    true,
  ],
];

const INLINE_AND_BELOW: readonly Case[] = [
  [
    "reply written below the quote",
    body(
      "On Mon, 3 Mar 2025 at 10:00, CWO <uk@leftcom.org> wrote:",
      "> Where are you writing from?",
      "",
      "I live in Leeds and work in a warehouse.",
    ),
    "I live in Leeds and work in a warehouse.",
    null,
    true,
  ],
  [
    "inline answers between quotes",
    body(
      "Le lun. 3 mars 2025 à 10:00, BP <fr@leftcom.org> a écrit :",
      "> Où habitez-vous ?",
      "J'habite à Marseille.",
      "> Quand pouvez-vous venir ?",
      "",
      "Samedi.",
      "> À bientôt",
    ),
    "J'habite à Marseille.\n\nSamedi.",
    null,
    true,
  ],
];

const SIGNATURES: readonly Case[] = [
  [
    "a sign-off of any language: a short line ending in a comma",
    body(
      "Kia ora,",
      "",
      "Is there a mailing list I can join?",
      "",
      "Ngā mihi,",
      "Aroha",
      "Wellington, NZ",
    ),
    "Kia ora,\n\nIs there a mailing list I can join?",
    "Ngā mihi,\nAroha\nWellington, NZ",
    false,
  ],
  [
    "a confidentiality notice after the signature",
    body(
      "Quisiera saber cómo adquirirlas.",
      "",
      "Atentamente,",
      "",
      "Laura Benítez",
      "C1043AAZ CABA, Argentina",
      "",
      "La información contenida en este mensaje es confidencial y está dirigida exclusivamente a su destinatario.",
    ),
    "Quisiera saber cómo adquirirlas.",
    "Atentamente,\nLaura Benítez\nC1043AAZ CABA, Argentina\nLa información contenida en este mensaje es confidencial y está dirigida exclusivamente a su destinatario.",
    false,
  ],
  [
    "-- delimiter",
    body("Hasta pronto.", "-- ", "Juan Pérez", "Sevilla", "+34 600 000 000"),
    "Hasta pronto.",
    "Juan Pérez\nSevilla\n+34 600 000 000",
    false,
  ],
  [
    "-- delimiter above the quote (Thunderbird)",
    body(
      "Jasne.",
      "-- ",
      "Anna Nowak",
      "Gdańsk",
      "",
      "W dniu 3.03.2025 o 10:00, CWO pisze:",
      "> Przyjdziesz?",
    ),
    "Jasne.",
    "Anna Nowak\nGdańsk",
    true,
  ],
  [
    "en sign-off",
    body("I would like to join.", "", "Best,", "Sam Taylor", "Bristol"),
    "I would like to join.",
    "Best,\nSam Taylor\nBristol",
    false,
  ],
  [
    "de sign-off with a tagline below",
    body(
      "Ich möchte mitmachen.",
      "",
      "Grüße",
      "Jonas",
      "Leipzig",
      "",
      "Von meinem iPhone gesendet",
    ),
    "Ich möchte mitmachen.",
    "Grüße\nJonas\nLeipzig",
    false,
  ],
  [
    "it sign-off",
    body("Vorrei partecipare.", "Saluti,", "Giulia", "Bologna"),
    "Vorrei partecipare.",
    "Saluti,\nGiulia\nBologna",
    false,
  ],
  [
    "fr sign-off",
    body("Je voudrais adhérer.", "", "Cordialement,", "Luc Martin", "12 rue X, 69001 Lyon"),
    "Je voudrais adhérer.",
    "Cordialement,\nLuc Martin\n12 rue X, 69001 Lyon",
    false,
  ],
  [
    "es sign-off on one line with a name",
    body("Quiero colaborar.", "", "Saludos, Ana", "Valencia"),
    "Quiero colaborar.",
    "Saludos, Ana\nValencia",
    false,
  ],
  [
    "pl sign-off",
    body("Chcę pomóc.", "Pozdrawiam", "Kasia", "Poznań"),
    "Chcę pomóc.",
    "Pozdrawiam\nKasia\nPoznań",
    false,
  ],
  [
    "ru sign-off",
    body("Хочу помочь.", "", "С уважением,", "Иван", "Новосибирск"),
    "Хочу помочь.",
    "С уважением,\nИван\nНовосибирск",
    false,
  ],
  [
    "nl sign-off",
    body("Ik wil helpen.", "", "Met vriendelijke groet,", "Daan", "Utrecht"),
    "Ik wil helpen.",
    "Met vriendelijke groet,\nDaan\nUtrecht",
    false,
  ],
  [
    "sv sign-off",
    body("Jag vill hjälpa till.", "", "Hälsningar", "Elsa", "Uppsala"),
    "Jag vill hjälpa till.",
    "Hälsningar\nElsa\nUppsala",
    false,
  ],
  [
    "pt sign-off",
    body("Quero ajudar.", "", "Abraços,", "João", "Porto"),
    "Quero ajudar.",
    "Abraços,\nJoão\nPorto",
    false,
  ],
  [
    "fa sign-off",
    body("می‌خواهم کمک کنم.", "", "با احترام", "علی", "شیراز"),
    "می‌خواهم کمک کنم.",
    "با احترام\nعلی\nشیراز",
    false,
  ],
  [
    "contact block without sign-off",
    body("Please add me to the list.", "", "Anna Berg", "Malmö", "+46 70 123 45 67"),
    "Please add me to the list.",
    "Anna Berg\nMalmö\n+46 70 123 45 67",
    false,
  ],
  [
    "a sign-off word inside a sentence is not a signature",
    body("Thanks!", "", "Also, I live in Rome and can help."),
    "Thanks!\n\nAlso, I live in Rome and can help.",
    null,
    false,
  ],
  [
    "a message that is only a sign-off keeps its words",
    body("Thanks!", "Anna"),
    "Thanks!\nAnna",
    null,
    false,
  ],
];

const FOOTERS_AND_TAGLINES: readonly Case[] = [
  [
    "Google Groups footer after --",
    body(
      "Bonjour à tous.",
      "",
      "-- ",
      'You received this message because you are subscribed to the Google Groups "x" group.',
      "To unsubscribe from this group and stop receiving emails from it, send an email to x.",
    ),
    "Bonjour à tous.",
    null,
    false,
  ],
  [
    "Mailman footer",
    body(
      "Hallo allerseits.",
      "_______________________________________________",
      "Diskussion mailing list",
      "https://lists.example.org/mailman/listinfo/diskussion",
    ),
    "Hallo allerseits.",
    null,
    false,
  ],
  ["iOS tagline", body("Count me in.", "", "Sent from my iPhone"), "Count me in.", null, false],
  ["Android tagline ru", body("Я с вами.", "Отправлено с Android"), "Я с вами.", null, false],
  ["Outlook mobile", body("Yes.", "", "Get Outlook for Android"), "Yes.", null, false],
];

describe("readEmailBody", () => {
  for (const [group, cases] of [
    ["quote headers", QUOTE_HEADERS],
    ["Outlook blocks and forwards", OUTLOOK_AND_FORWARDS],
    ["replies below and between quotes", INLINE_AND_BELOW],
    ["signatures", SIGNATURES],
    ["footers and taglines", FOOTERS_AND_TAGLINES],
  ] as const) {
    describe(group, () => {
      it.each(cases)("%s", (_name, text, own, signature, hadQuote) => {
        expect(readEmailBody(text)).toEqual({ own, signature, hadQuote });
      });
    });
  }

  it("keeps the reader's own 'X wrote:' sentence and a sentence that opens like a header", () => {
    expect(readEmailBody(body("My comrade wrote:", "we should meet.")).own).toBe(
      "My comrade wrote:\nwe should meet.",
    );
    expect(
      readEmailBody(body("On 1 May we march.", "On Mon, 3 Mar 2025, CWO <a@b.org> wrote:", "> x"))
        .own,
    ).toBe("On 1 May we march.");
    expect(readEmailBody(body("On 5 May I wrote:", "we need more members.")).own).toBe(
      "On 5 May I wrote:\nwe need more members.",
    );
    expect(readEmailBody(body("From: the heart", "To: the people")).own).toBe(
      "From: the heart\nTo: the people",
    );
  });

  it("drops everything from the first cut-marker line, quoted or not", () => {
    const marker = "—— reply above this line ——";
    const forward = body("Yes, Saturday at 10.", "", "> —— Reply above this line ——", "> Hello");
    expect(readEmailBody(forward, { cutMarkers: [marker] })).toEqual({
      own: "Yes, Saturday at 10.",
      signature: null,
      hadQuote: true,
    });
    const plain = body("Ja.", "", "-- reply above this line --", "Kontakt von …");
    expect(readEmailBody(plain, { cutMarkers: [marker] }).own).toBe("Ja.");
    expect(readEmailBody(plain).own).toContain("Kontakt");
  });

  it("strips NUL and other control characters, keeps tabs", () => {
    expect(readEmailBody("a\u0000b\tc\u0007").own).toBe("ab\tc");
  });

  it("returns nothing for nothing", () => {
    expect(readEmailBody("")).toEqual({ own: "", signature: null, hadQuote: false });
    expect(readEmailBody("> only a quote")).toEqual({ own: "", signature: null, hadQuote: true });
  });

  it("never throws, and own words are always lines of the input", () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        "\n",
        "> ",
        "-- \n",
        "On 1 Jan 2025, A <a@b.cd> wrote:\n",
        "From: a\nSent: b\n",
        "Best,\n",
        "-----Original Message-----\n",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const read = readEmailBody(text);
        expect(typeof read.own).toBe("string");
        for (const line of read.own.split("\n")) {
          if (line !== "") expect(text).toContain(line.trim());
        }
      }),
      { numRuns: 300 },
    );
  });
});
