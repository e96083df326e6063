import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cuesOf } from "../../src/evidence/location-cues.js";
import { findSelfReport } from "../../src/evidence/self-report.js";

/** [text, country, city (or division) or null]: the writer lives in or writes from there. */
type Row = [string, string, string | null];

const SELF_REPORTS: Record<string, Row[]> = {
  en: [
    ["Hi! I live in New York and want to help.", "US", "New York City"],
    ["I'm from the UK, how can I join?", "GB", null],
    ["I'm from Córdoba, Argentina.", "AR", "Córdoba"],
    ["I am from Italy but I live in Berlin.", "DE", "Berlin"],
    ["We are from Brazil.", "BR", null],
    ["hey, writing from glasgow. any reading group up here?", "GB", "Glasgow"],
    ["I'm a staff nurse at the Royal Infirmary in Edinburgh.", "GB", "Edinburgh"],
    ["Our little study group in Bristol finished Capital.", "GB", "Bristol"],
    ["Greetings from Toronto!", "CA", "Toronto"],
    ["Leeds-based teacher here, keen to help.", "GB", "Leeds"],
    ["Originally from Lyon, now in Leeds.", "GB", "Leeds"],
    [
      "Profile still says Manchester but I've been driving buses in Cork since March.",
      "IE",
      "Cork",
    ],
    ["I moved to Melbourne last year.", "AU", "Melbourne"],
    ["Over here in Accra things are hard.", "GH", "Accra"],
    ["I live in Perth, WA.", "AU", "Perth"],
    ["I work in Ontario.", "CA", "Ontario"],
  ],
  it: [
    ["Ciao, abito a Roma da due anni.", "IT", "Rome"],
    ["Sono di Napoli.", "IT", "Naples"],
    ["Vivo a Torino e leggo il giornale.", "IT", "Turin"],
    ["Vivo negli Stati Uniti", "US", null],
    ["Sono di Bari ma vivo a Manchester.", "GB", "Manchester"],
    ["Un saluto da Bologna!", "IT", "Bologna"],
    ["Lavoro come infermiera a Genova.", "IT", "Genoa"],
    ["Da un anno mi sono trasferito a Lisbona.", "PT", "Lisbon"],
  ],
  de: [
    ["Hallo, ich wohne in Wien …", "AT", "Vienna"],
    ["Ich komme aus Österreich.", "AT", null],
    ["Ich lebe in München seit 2010.", "DE", "Munich"],
    ["Wir kommen aus den Niederlanden.", "NL", null],
    ["Ich lebe in der Schweiz.", "CH", null],
    ["Seit Mai wohne ich in Leipzig.", "DE", "Leipzig"],
    ["In Graz arbeite ich als Pfleger.", "AT", "Graz"],
    ["Bei uns in Hamburg gibt es eine Lesegruppe.", "DE", "Hamburg"],
    ["Ich bin aus Italien, wohne aber jetzt in Zürich.", "CH", "Zürich"],
    ["Grüße aus Kreuzberg!", "DE", "Berlin"],
  ],
  fr: [
    ["Bonjour, je suis à Lyon.", "FR", "Lyon"],
    ["J'habite en Belgique.", "BE", null],
    ["J'habite au Canada depuis peu.", "CA", null],
    ["Je viens de Marseille.", "FR", "Marseille"],
    ["Je vis aux États-Unis.", "US", null],
    ["Salutations de Dakar.", "SN", "Dakar"],
    ["Originaire de Lille, je travaille maintenant à Montréal.", "CA", "Montréal"],
  ],
  sv: [
    ["Hej, jag bor i Göteborg.", "SE", "Göteborg"],
    ["Jag kommer från Finland.", "FI", null],
    ["Vi bor i Malmö och vill hjälpa till.", "SE", "Malmö"],
    ["Nu bor jag i Uppsala.", "SE", "Uppsala"],
    ["I Stockholm jobbar jag på ett lager.", "SE", "Stockholm"],
    ["Hälsningar från Oslo", "NO", "Oslo"],
  ],
  es: [
    ["Hola, vivo en Madrid.", "ES", "Madrid"],
    ["Soy de Argentina.", "AR", null],
    ["Soy de Córdoba, España.", "ES", "Córdoba"],
    ["Vivimos en Ciudad de México.", "MX", "Mexico City"],
    ["Les escribo desde Rosario.", "AR", "Rosario"],
    ["Saludos desde Bogotá, compañeros.", "CO", "Bogotá"],
    ["Nací en Lima pero ahora vivo en Santiago de Chile.", "CL", "Santiago"],
  ],
  fa: [
    ["سلام، من در تهران زندگی می‌کنم.", "IR", "Tehran"],
    ["من اهل ایران هستم.", "IR", null],
    ["در شیراز زندگی میکنم", "IR", "Shiraz"],
    ["من از آلمان هستم", "DE", null],
    ["من در كرج زندگي مي‌كنم", "IR", "Karaj"],
    ["ساکن مشهد هستم", "IR", "Mashhad"],
  ],
  pl: [
    ["Cześć, mieszkam w Warszawie.", "PL", "Warsaw"],
    ["Mieszkam w Krakowie.", "PL", "Kraków"],
    ["Jestem z Polski.", "PL", null],
    ["Mieszkam we Wrocławiu.", "PL", "Wrocław"],
    ["Mieszkam w Niemczech.", "DE", null],
    ["Pracuję w Gdańsku od dwóch lat.", "PL", "Gdańsk"],
    ["Pozdrawiam z Poznania!", "PL", "Poznań"],
    ["Pochodzę z Lublina, ale teraz mieszkam w Łodzi.", "PL", "Łódź"],
  ],
  ru: [
    ["Привет, я живу в Москве.", "RU", "Moscow"],
    ["Я живу в Санкт-Петербурге.", "RU", "Saint Petersburg"],
    ["Я из России.", "RU", null],
    ["Мы живём в Германии.", "DE", null],
    ["Живу в Нижнем Новгороде.", "RU", "Nizhniy Novgorod"],
    ["У нас в Казани холодно.", "RU", "Kazan"],
    ["Работаю в Новосибирске на заводе.", "RU", "Novosibirsk"],
    ["Родом из Омска, сейчас живу в Екатеринбурге.", "RU", "Yekaterinburg"],
  ],
  nl: [
    ["Hallo, ik woon in Amsterdam.", "NL", "Amsterdam"],
    ["Ik kom uit België.", "BE", null],
    ["Wij wonen in Rotterdam.", "NL", "Rotterdam"],
    ["Groetjes uit Utrecht!", "NL", "Utrecht"],
    ["Sinds vorig jaar woon ik in Gent.", "BE", "Gent"],
  ],
  pt: [
    ["Olá, moro em São Paulo.", "BR", "São Paulo"],
    ["Sou do Brasil.", "BR", null],
    ["Moro no Porto.", "PT", "Porto"],
    ["Vivo em Lisboa.", "PT", "Lisbon"],
    ["Abraços de Recife!", "BR", "Recife"],
    ["Sou de Angola mas moro em Lisboa há cinco anos.", "PT", "Lisbon"],
    ["Moro em Sampa.", "BR", "São Paulo"],
  ],
};

/** Places named as a topic, an origin alone, or someone else's: not where the writer is. */
const NOT_RESIDENCE: [string, string][] = [
  ["en", "The war in Ukraine must end."],
  ["en", "News from Berlin: strikes again."],
  ["en", "I read about the protests in Paris."],
  ["en", "Our trip to Rome last summer opened my eyes."],
  ["en", "What do you think of the Spanish Civil War and the strikes in Belgium?"],
  ["en", "My brother lives in Paris."],
  ["en", "I live in hope."],
  ["en", "I'm in trouble with my boss."],
  ["en", "I'm from the future."],
  ["en", "I live in nice weather"],
  ["en", "I'm based in the north."],
  ["en", "I don't live in London."],
  ["de", "Der Krieg in der Ukraine muss enden."],
  ["de", "Mein Bruder wohnt in Hamburg."],
  ["fr", "La guerre en Ukraine continue."],
  ["fr", "Je suis de retour."],
  ["es", "La guerra en Ucrania."],
  ["es", "No vivo en Madrid."],
  ["ru", "Война в Украине."],
  ["ru", "Я не живу в Москве."],
  ["ru", "Я из тех, кто верит."],
  ["pl", "Wojna w Ukrainie."],
  ["pl", "Nie mieszkam w Warszawie."],
  ["fa", "جنگ در اوکراین"],
  ["fa", "من از شما ممنونم"],
  ["pt", "A greve em Lisboa foi grande."],
  ["nl", "De staking in Amsterdam."],
  ["nl", "Ik kom uit een arbeidersgezin."],
  ["sv", "Kriget i Ukraina."],
  ["sv", "Jag kommer från en liten stad."],
  ["it", "Lo sciopero a Milano."],
  ["it", "Ho letto delle proteste a Parigi."],
];

describe("findSelfReport", () => {
  for (const [lang, rows] of Object.entries(SELF_REPORTS)) {
    it.each(rows)(`${lang}: %s`, (text, country, name) => {
      const place = findSelfReport(text, { lang });
      expect(place?.country).toBe(country);
      expect(place?.city ?? place?.division ?? null).toBe(name);
      expect(text).toContain(place?.matched);
    });
  }

  it("covers the eleven languages", () => {
    expect(Object.keys(SELF_REPORTS).sort()).toEqual(
      ["de", "en", "es", "fa", "fr", "it", "nl", "pl", "pt", "ru", "sv"].sort(),
    );
  });

  it.each(NOT_RESIDENCE)("%s: not a residence: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
    // Nor when the language is not known.
    expect(findSelfReport(text)).toBeNull();
  });

  it("explains itself: the words that decided, with their weights", () => {
    const place = findSelfReport("Originally from Lyon, now living in Leeds.", { lang: "en" });
    expect(place).toMatchObject({ country: "GB", city: "Leeds", matched: "now living in Leeds" });
    expect(place?.explanation).toMatch(/^"Leeds" [\d.]+ \("in" \+0\.3, "living" \+0\.45/);
    expect(place?.explanation).toMatch(/over "Lyon" .*marked as origin −0\.35/);
  });

  it("settles an ambiguous name with a disambiguator, then the reader's other evidence", () => {
    expect(findSelfReport("I live in Kingston 🇨🇦", { lang: "en" })?.country).toBe("CA");
    expect(findSelfReport("I live in Kingston", { lang: "en" })?.country).toBe("JM");
    expect(findSelfReport("I live in Portland, Maine", { lang: "en" })?.point?.lon).toBeCloseTo(
      -70.3,
      0,
    );
    const perth = findSelfReport("I live in Perth", { lang: "en", hints: { countries: ["GB"] } });
    expect(perth).toMatchObject({ country: "GB", settledBy: "the reader's other evidence (GB)" });
  });

  it("reads nicknames, abbreviations and city districts", () => {
    expect(findSelfReport("hello from Jo'burg", { lang: "en" })?.city).toBe("Johannesburg");
    expect(findSelfReport("Vivo en BsAs", { lang: "es" })?.city).toBe("Buenos Aires");
    expect(findSelfReport("I'm in NYC now", { lang: "en" })?.city).toBe("New York City");
    expect(findSelfReport("I live in Brooklyn", { lang: "en" })?.city).toBe("New York City");
    expect(findSelfReport("Ich wohne in Kreuzberg", { lang: "de" })?.city).toBe("Berlin");
    expect(findSelfReport("Живу в Питере", { lang: "ru" })?.city).toBe("Saint Petersburg");
    // A code in capitals only: "la" is an article.
    expect(findSelfReport("I live in LA", { lang: "en" })?.city).toBe("Los Angeles");
  });

  it("settles a name by a division or a place named elsewhere in the text", () => {
    // The division is in another phrase, not next to the name.
    const alessandria = findSelfReport(
      "Abito ad Alessandria, quella in Piemonte, e lavoro in un magazzino.",
      { lang: "it" },
    );
    expect(alessandria).toMatchObject({ country: "IT", city: "Alessandria" });
    expect(alessandria?.settledBy).toMatch(/Piedmont|Piemonte/u);
    // A division word between the name and its division: "Vancouver, Washington State".
    expect(
      findSelfReport("I live in Vancouver, state of Washington.", { lang: "en" })?.country,
    ).toBe("US");
    // An unambiguous place of the same country named nearby.
    const tyne = findSelfReport("Newcastle here, I take the Metro to Whitley Bay every day.", {
      lang: "en",
    });
    expect(tyne).toMatchObject({ country: "GB", settledBy: "a place of GB named in the text" });
  });

  it("takes the place the writer lives in over the one they are from", () => {
    expect(findSelfReport("Sou de Guimarães, mas vivo em Genebra.", { lang: "pt" })?.city).toBe(
      "Genève",
    );
    expect(
      findSelfReport("Ik kom oorspronkelijk uit Groningen maar woon nu al drie jaar in Keulen.", {
        lang: "nl",
      })?.city,
    ).toBe("Köln");
    // Without a place where they live, "I'm from X" still places them.
    expect(findSelfReport("I'm from Leeds, how can I help?", { lang: "en" })?.city).toBe("Leeds");
  });

  it("reads the opening 'from X' as a greeting, but not someone else's 'from X'", () => {
    expect(findSelfReport("Kia ora from Hamilton NZ. Any advice?", { lang: "en" })).toMatchObject({
      country: "NZ",
      city: "Hamilton",
    });
    expect(
      findSelfReport("Hallo, ein Bekannter aus England hat mir das geschickt.", { lang: "de" }),
    ).toBeNull();
  });

  it("does not take a country one is outside of, or a function word, for a place", () => {
    expect(
      findSelfReport("Please let me know the cost of delivery outside the UK.", { lang: "en" }),
    ).toBeNull();
    // "als" is Als (Denmark) only as a name; here it is Dutch "as".
    expect(
      findSelfReport("werk als verpleegkundige in het ziekenhuis in Amsterdam", { lang: "nl" }),
    ).toMatchObject({ city: "Amsterdam" });
  });

  it("reads grammar's contractions and diminutives", () => {
    expect(cuesOf("numa", ["pt"])).toContain("loc");
    expect(cuesOf("nell", ["it"])).toContain("loc");
    expect(cuesOf("groepje", ["nl"])).toContain("group");
    expect(findSelfReport("Wij zijn een klein groepje in Den Haag.", { lang: "nl" })?.city).toBe(
      "The Hague",
    );
    expect(findSelfReport("Mumbai resident here.", { lang: "en" })?.city).toBe("Mumbai");
  });

  it("reads a flag right after the preposition", () => {
    expect(findSelfReport("I live in 🇩🇪 and read your paper", { lang: "en" })).toBeNull();
  });

  it("reads hostile repetition (its work is counted in self-report-work.test.ts)", () => {
    for (const text of [
      "I live in ".repeat(10_000),
      "я живу в ".repeat(10_000) + "Москве",
      "در ".repeat(30_000),
      "mieszkam w Krakowie ".repeat(5_000),
      "Berlin Paris London ".repeat(3_000),
    ]) {
      expect(() => findSelfReport(text)).not.toThrow();
    }
  });

  it("never throws on any input", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 2_000 }),
          fc.string({ unit: "grapheme", maxLength: 500 }),
          fc.string({ unit: "binary", maxLength: 500 }),
          fc
            .array(
              fc.constantFrom(
                "I",
                "live",
                "in",
                "я",
                "живу",
                "в",
                "من",
                "در",
                "Berlin",
                "Москве",
                "from",
                "but",
                " ",
                ",",
                ".",
              ),
              { maxLength: 200 },
            )
            .map((words) => words.join(" ")),
        ),
        fc.option(fc.constantFrom("en", "de", "ru", "pl", "fa", "xx")),
        (s, lang) => {
          const place = findSelfReport(s, { lang });
          if (place) {
            expect(place.country).toMatch(/^[A-Z]{2}$/);
            expect(s).toContain(place.matched);
            expect(place.score).toBeGreaterThanOrEqual(0.5);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("native places, questions for people, introductions, names with an article", () => {
  /** [lang, text, country, city]: born there and still there, unless a move is said. */
  const NATIVE: [string, string, string, string][] = [
    ["en", "Born and raised in Leeds, never left. Thoughts on the ballot?", "GB", "Leeds"],
    ["en", "Sheffield born and still here after forty years on the buses.", "GB", "Sheffield"],
    ["it", "Nata e cresciuta a Lecce, e ancora qui. Vorrei la rivista.", "IT", "Lecce"],
    ["de", "Geboren und aufgewachsen in Dortmund, wohne immer noch hier.", "DE", "Dortmund"],
    ["fr", "Né et grandi à Marseille, j'y suis toujours.", "FR", "Marseille"],
    ["es", "Nacida y criada en Rosario, y sigo aquí.", "AR", "Rosario"],
    ["pt", "Nascido e criado em Recife, um leitor antigo.", "BR", "Recife"],
    ["sv", "Född och uppvuxen i Malmö, bor kvar.", "SE", "Malmö"],
    ["nl", "Geboren en getogen in Rotterdam, en nog steeds daar.", "NL", "Rotterdam"],
    ["pl", "Urodzona i wychowana w Gdańsku, dalej czytam wasze teksty.", "PL", "Gdańsk"],
    ["ru", "Родился и вырос в Самаре, читаю вас давно.", "RU", "Samara"],
  ];
  it.each(NATIVE)("%s: %s", (lang, text, country, city) => {
    expect(findSelfReport(text, { lang })).toMatchObject({ country, city });
  });

  it("lets a move, or a place said to be current, beat the native place", () => {
    expect(
      findSelfReport("Born and bred in Glasgow but moved to Toronto in 2015.", { lang: "en" })
        ?.city,
    ).toBe("Toronto");
    expect(
      findSelfReport("Born and raised in Tehran. Now I live in Hamburg.", { lang: "en" })?.city,
    ).toBe("Hamburg");
    // a move without a place: the native place is only an origin, and nothing else is said
    expect(
      findSelfReport("Nato e cresciuto a Bari, poi mi sono trasferito.", { lang: "it" }),
    ).toBeNull();
    // born there alone is an origin
    expect(findSelfReport("I was born in Leeds.", { lang: "en" })).toBeNull();
  });

  /** Asking for people in a city: weaker than "I live in", but a self-report. */
  const ASKS: [string, string, string, string][] = [
    ["en", "any readers in Bristol? I'd like to start a reading group", "GB", "Bristol"],
    ["en", "Any comrades in Porto Alegre? Would love to meet up.", "BR", "Porto Alegre"],
    ["it", "Ci sono compagni a Bologna? Vorrei conoscervi.", "IT", "Bologna"],
    ["de", "Gibt es Leser in Graz? Ich würde gern mitmachen.", "AT", "Graz"],
    ["fr", "Y a-t-il des lecteurs à Lyon ? J'aimerais vous rencontrer.", "FR", "Lyon"],
    ["es", "¿Hay alguien en Zaragoza? Me gustaría participar.", "ES", "Zaragoza"],
    ["pt", "Alguém em Curitiba? Quero participar.", "BR", "Curitiba"],
    ["sv", "Finns det några läsare i Umeå? Jag vill gärna träffas.", "SE", "Umeå"],
    ["nl", "Zijn er lezers in Utrecht? Ik wil graag meedoen.", "NL", "Utrecht"],
    ["ru", "Есть ли читатели в Казани? Хотел бы встретиться.", "RU", "Kazan"],
  ];
  it.each(ASKS)("%s: %s", (lang, text, country, city) => {
    const place = findSelfReport(text, { lang });
    expect(place).toMatchObject({ country, city });
    expect(place?.score).toBeLessThan(0.8);
  });

  it.each([
    ["en", "Are there any workers' councils in Iran today?"],
    ["en", "Any news from Paris about the strike?"],
    ["en", "Do you have any articles about Berlin?"],
    ["de", "Gibt es Leser in Graz. Das habe ich gelesen"],
    ["es", "Hay muchos lectores en Valencia."],
  ])("%s: a question about a place, not for people there: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it("reads a leading '<place> lad', 'lass', 'checking in' as the writer's place", () => {
    expect(
      findSelfReport("Leeds lass, been reading your stuff a while.", { lang: "en" })?.city,
    ).toBe("Leeds");
    expect(findSelfReport("hey all, Cork lad, looking for a group", { lang: "en" })?.city).toBe(
      "Cork",
    );
    expect(findSelfReport("Manchester checking in! Great piece.", { lang: "en" })?.city).toBe(
      "Manchester",
    );
    expect(findSelfReport("I'm a Bristol girl at heart.", { lang: "en" })?.city).toBe("Bristol");
    // someone else's town, or a lad in the middle of a sentence
    expect(findSelfReport("My brother is a Hull lad.", { lang: "en" })).toBeNull();
    expect(findSelfReport("We watched the film about a Liverpool lad.", { lang: "en" })).toBeNull();
  });

  it("reads 'the X' as the name's own article form when one is known (Le Plateau)", () => {
    const plateau = findSelfReport("I'm a student at McGill, living in the Plateau.", {
      lang: "en",
    });
    expect(plateau).toMatchObject({ country: "CA" });
    expect(plateau?.settledBy).toBe('"the Plateau" read as "le Plateau"');
    // without the article, the name is read as before
    expect(findSelfReport("I live in Plateau State.", { lang: "en" })?.country).toBe("NG");
  });
});

describe("datelines, genitive phrases and inflected names", () => {
  it("reads a message that opens with a place and its division as its dateline", () => {
    expect(
      findSelfReport("Evening. Perth WA, not the Scottish one. Love the paper.", { lang: "en" }),
    ).toMatchObject({ country: "AU", city: "Perth" });
    expect(findSelfReport("London, Ontario. Long-time reader.", { lang: "en" })?.country).toBe(
      "CA",
    );
    // a topic right after, a country rather than a division, or not at the opening: a mention
    expect(findSelfReport("Paris, Texas. What a film that was.", { lang: "en" })).toBeNull();
    expect(findSelfReport("Gaza, Palestine: the siege goes on.", { lang: "en" })).toBeNull();
    expect(
      findSelfReport("We watched a lot about it. Portland, Maine was in the news.", { lang: "en" }),
    ).toBeNull();
  });

  it.each([
    ["ru", "Я живу в центре Екатеринбурга.", "RU", "Yekaterinburg"],
    ["pl", "Pracuję w centrum Wrocławia.", "PL", "Wrocław"],
    ["fa", "من در شهر شیراز زندگی می‌کنم.", "IR", "Shiraz"],
    ["fa", "پرستار هستم در یکی از بیمارستان‌های تبریز.", "IR", "Tabriz"],
  ])("%s: a locative through a genitive phrase: %s", (lang, text, country, city) => {
    expect(findSelfReport(text, { lang })).toMatchObject({ country, city });
  });

  it.each([
    ["ru", "Я читал об истории Самары."],
    ["pl", "Czytałem o historii Krakowa."],
    ["fa", "در مورد اعتصاب کارگران تبریز چه فکر می‌کنید؟"],
  ])("%s: a genitive that is no locative: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it("prefers the name that is the stem itself for an inflected Polish or Russian word", () => {
    expect(findSelfReport("Mieszkam w Lublinie.", { lang: "pl" })?.city).toBe("Lublin");
    expect(findSelfReport("Я живу в Казани.", { lang: "ru" })?.city).toBe("Kazan");
  });
});

describe("what is read about, verb-second clauses, openings", () => {
  it.each([
    ["pt", "Ando a ler sobre a greve geral de 1918 no Porto. Têm textos?"],
    ["es", "Estoy leyendo sobre la comuna de 1871 en París, ¿tienen algo?"],
    ["en", "I'm reading about the 1926 general strike in Newcastle."],
    ["it", "Sto leggendo sul biennio rosso a Torino, avete materiale?"],
    ["fr", "Je lis sur les grèves de 1936 à Lille."],
  ])("%s: a place inside what is read about is a mention: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it("keeps a dated place when the writer lives or is there now", () => {
    expect(findSelfReport("Seit 2019 wohne ich in Kassel.", { lang: "de" })?.city).toBe("Kassel");
    expect(findSelfReport("I moved to Cardiff in 2016.", { lang: "en" })?.city).toBe("Cardiff");
    expect(findSelfReport("Vivo a Padova dal 2012.", { lang: "it" })?.city).toBe("Padova");
  });

  it("keeps a place in its own clause after an 'about' clause", () => {
    expect(findSelfReport("I read about the strike, I live in Leeds.", { lang: "en" })?.city).toBe(
      "Leeds",
    );
  });

  it("gives a verb right after a place (verb second) to that place, not a later one", () => {
    expect(
      findSelfReport("In Graz arbeite ich seit Mai, komme aber aus Kärnten.", { lang: "de" })?.city,
    ).toBe("Graz");
    expect(
      findSelfReport("I Uppsala bor jag sedan 2020, men jag kommer från Luleå.", { lang: "sv" })
        ?.city,
    ).toBe("Uppsala");
  });

  it("reads an opening '<place> resident' and 'writing to you from'", () => {
    expect(
      findSelfReport("Coventry resident, 41, warehouse picker. Where do I start?", { lang: "en" })
        ?.city,
    ).toBe("Coventry");
    expect(
      findSelfReport("Hello all, writing to you from Derby about the bus strike.", { lang: "en" })
        ?.city,
    ).toBe("Derby");
  });
});

describe("hashtags, durations, head nouns and colloquial verbs", () => {
  it("reads a closing place hashtag, but not one after a topic or in the middle", () => {
    expect(
      findSelfReport("who's coming to the picket on friday? bring a flask #Leeds", { lang: "en" })
        ?.city,
    ).toBe("Leeds");
    expect(
      findSelfReport("domani presidio davanti al magazzino #Bologna ✊", { lang: "it" })?.city,
    ).toBe("Bologna");
    expect(findSelfReport("Stoppt den Krieg jetzt! #Kyjiw", { lang: "de" })).toBeNull();
    expect(
      findSelfReport("Great piece on #Glasgow rent strikes, thanks", { lang: "en" }),
    ).toBeNull();
  });

  it("reads a duration after a place with a later 'anyone here?'", () => {
    expect(
      findSelfReport(
        "Hi, a Geordie by birth, Auckland for the last nine years. Is there anyone from the group out here?",
        { lang: "en" },
      )?.city,
    ).toBe("Auckland");
    // a duration alone is not enough
    expect(
      findSelfReport("Rome, for many years the capital of an empire.", { lang: "en" }),
    ).toBeNull();
  });

  it("takes the place after 'of', not a lower-case head noun that is also a place", () => {
    expect(
      findSelfReport("je bosse sur le port de Marseille depuis trois ans", { lang: "fr" })?.city,
    ).toBe("Marseille");
  });

  it.each([
    ["es", "Llevo un año currando en Zaragoza en la logística.", "ES", "Zaragoza"],
    ["fr", "je bosse à Lille dans un entrepôt", "FR", "Lille"],
    ["it", "Pugliese trapiantata a Torino da dieci anni.", "IT", "Turin"],
  ])("%s: colloquial work and move words: %s", (lang, text, country, city) => {
    expect(findSelfReport(text, { lang })).toMatchObject({ country, city });
  });

  it("reads 'here' as written: Swedish 'har' (has) is not 'här' (here)", () => {
    expect(
      findSelfReport(
        "Läste om strejken 1909. Stämmer det att ledningen i Göteborg blåste av den? Har ni mer, finns det något?",
        {
          lang: "sv",
        },
      ),
    ).toBeNull();
  });
});

describe("the new readings do not take mentions for residence", () => {
  it.each([
    ["en", "Any thoughts on what happened in Minneapolis last week?"],
    ["en", "Do you have any contacts in Lagos? My cousin wants the paper."],
    ["it", "Qualcuno ha notizie dello sciopero a Genova?"],
    ["de", "Gibt es Texte über die Streiks in Hamburg?"],
    ["es", "¿Hay algo escrito sobre la huelga en Vigo?"],
    ["pt", "Alguém tem textos sobre a greve em Setúbal?"],
    ["ru", "Есть ли статьи о забастовке в Самаре?"],
    ["pl", "Czy ktoś ma teksty o strajku w Gdańsku?"],
    ["sv", "Finns det något om strejken i Kiruna?"],
    ["nl", "Is er iets geschreven over de staking in Gent?"],
    ["en", "He was born and raised in Glasgow, my dad."],
    ["en", "My mum, born and raised in Cork, still talks about it."],
    ["it", "Mio padre, nato e cresciuto a Bari, ne parla ancora."],
    ["en", "Chicago, Illinois. The Haymarket affair of 1886 is what I want to read about."],
    ["en", "Solidarity with the dockers! #Liverpool #Rotterdam"],
    ["ru", "Я читал о жизни в центре Москвы."],
    ["fa", "کتابی درباره تاریخ شهر تبریز خواندم."],
  ])("%s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });
});

describe("native places without a preposition, and words that fold alike", () => {
  it("reads '<place> born and bred' and French 'né' (born, not the negation 'ne')", () => {
    expect(findSelfReport("Hull born and bred, never left.", { lang: "en" })?.city).toBe(
      "Kingston upon Hull",
    );
    expect(findSelfReport("Né et élevé à Nantes, j'y vis toujours.", { lang: "fr" })?.city).toBe(
      "Nantes",
    );
    expect(findSelfReport("Geboren en getogen in Zwolle.", { lang: "nl" })?.city).toBe("Zwolle");
    // the French negation still counts
    expect(findSelfReport("Je ne vis pas à Nantes.", { lang: "fr" })).toBeNull();
  });
});

describe("a place said to be far from the writer", () => {
  it.each([
    ["en", "hi, any group near us or is it all across the ditch in Perth?"],
    ["es", "¿Hay un grupo cerca o está todo allá en Buenos Aires?"],
    ["de", "Gibt es was bei uns oder nur drüben in Basel?"],
  ])("%s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it("keeps a place the writer lives in across something", () => {
    expect(findSelfReport("I live across the river in Salford.", { lang: "en" })?.city).toBe(
      "Salford",
    );
  });
});
