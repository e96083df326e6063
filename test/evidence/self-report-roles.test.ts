import { describe, expect, it } from "vitest";
import { findSelfReport } from "../../src/evidence/self-report.js";

// New sentences, written for these rules; none is taken from a quality set.

/** [language, text, country, city]: the writer says where they are. */
type Row = [string, string, string, string | null];

describe("a job or role noun between a first-person 'be' and the place", () => {
  const rows: Row[] = [
    ["en", "Hi all, I'm a postie in Wollongong and keen to read more.", "AU", "Wollongong"],
    ["en", "I am a care worker at a home in Swansea. Anyone else?", "GB", "Swansea"],
    ["it", "Buonasera, sono un magazziniere a Piacenza.", "IT", "Piacenza"],
    ["it", "Sono maestra elementare a Lecce, vorrei il giornale.", "IT", "Lecce"],
    ["de", "Moin, ich bin Krankenpfleger in Bremen.", "DE", "Bremen"],
    ["fr", "Bonjour, je suis aide-soignante à Rouen.", "FR", "Rouen"],
    ["pl", "Dzień dobry, jestem pielęgniarką w Białymstoku.", "PL", "Białystok"],
    ["es", "Buenas, soy profesora de instituto en Cádiz.", "ES", "Cadiz"],
    ["pt", "Olá, sou enfermeiro no Funchal.", "PT", "Funchal"],
    ["nl", "Hallo, ik ben buschauffeur in Leuven.", "BE", "Leuven"],
    ["sv", "Hej! Jag är undersköterska i Luleå.", "SE", "Luleå"],
    ["ru", "Здравствуйте, я медсестра в Самаре.", "RU", "Samara"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    if (city) expect(r?.city).toBe(city);
    expect(r?.explanation).toContain("who the writer is, there");
  });

  it("beats a place asked about later in the text", () => {
    const r = findSelfReport(
      "I'm a train guard in Bendigo. Are there any members in the Western District?",
      { lang: "en" },
    );
    expect(r?.city).toBe("Bendigo");
  });

  const notTheWriter: [string, string][] = [
    ["en", "My sister is a nurse in Leeds."],
    ["en", "They are teachers in Cardiff."],
    ["es", "Mi hermano es camarero en Vigo."],
    ["pl", "Mój brat jest kierowcą w Lublinie."],
    ["ru", "Мой брат водитель в Томске."],
    ["de", "Ich komme morgen in Berlin an."],
    ["en", "I'm a big fan of the strikes in Lyon."],
  ];
  it.each(notTheWriter)("no role of the writer: %s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })?.explanation ?? "").not.toContain("who the writer is");
  });

  const tourists: [string, string][] = [
    ["en", "I'm a tourist in Rome this week, any tips?"],
    ["it", "Sono turista a Firenze per due giorni."],
    ["fr", "Je suis touriste à Lyon cette semaine."],
    ["de", "Ich bin Tourist in Wien und suche eure Zeitung."],
  ];
  it.each(tourists)("a tourist is not there to stay: %s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });
});

describe("teaching and working at an institution of a place", () => {
  const rows: Row[] = [
    ["nl", "Ik geef les aan een basisschool in Mechelen.", "BE", "Mechelen"],
    ["nl", "Ik geef bijles in Zwolle en lees jullie blad.", "NL", "Zwolle"],
    ["pt", "Dou aulas e sou professor numa escola secundária de Aveiro.", "PT", "Aveiro"],
    ["it", "Insegno in un liceo di Perugia da tre anni.", "IT", "Perugia"],
    ["it", "Lavoro in una cooperativa di Modena.", "IT", "Modena"],
    ["es", "Trabajo en un hospital de Valladolid.", "ES", "Valladolid"],
    ["fr", "Je travaille dans un lycée de Limoges.", "FR", "Limoges"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    if (city) expect(r?.city).toBe(city);
  });

  it("'of' after a plain origin is still an origin", () => {
    const r = findSelfReport("Vengo da un paesino della Calabria, ma vivo a Torino.", {
      lang: "it",
    });
    expect(r?.city).toBe("Turin");
  });

  it("an event of a place is a topic, not the writer's institution", () => {
    const r = findSelfReport("¡Nos vemos en la mani de Burgos! Soy de León.", { lang: "es" });
    expect(r?.city).not.toBe("Burgos");
  });
});

describe("names that start with their article, written in running text", () => {
  const rows: Row[] = [
    ["en", "Hello from the Big Smoke! Any reading groups going?", "GB", "London"],
    ["en", "I've lived in the Gong for ten years.", "AU", "Wollongong"],
    ["en", "Greetings from the Peg, it is minus thirty.", "CA", "Winnipeg"],
    ["fr", "Salut, j'habite dans le 9-3 depuis toujours.", "FR", null],
    ["fr", "Ici dans le 93 on bosse tous dans la logistique.", "FR", null],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    if (city) expect(r?.city).toBe(city);
  });

  it("an article before a bare name that is a name itself is left to the bare name", () => {
    // "la Roma" (a district of Mexico City) is not read for "Roma" with its article.
    const r = findSelfReport("Tifo per la Roma da sempre, ma vivo a Milano.", { lang: "it" });
    expect(r?.city).toBe("Milan");
    const s = findSelfReport("Vivo a Roma e tifo per la Roma.", { lang: "it" });
    expect(s?.country).toBe("IT");
  });

  it("a common noun after an article is no place", () => {
    expect(
      findSelfReport("They rang the gong in the hall and we all sat down.", { lang: "en" }),
    ).toBeNull();
  });
});

describe("two-letter country codes that are jobs, fields or languages", () => {
  const noCountry: [string, string][] = [
    ["en", "I work in IT and want to help with the website."],
    ["en", "Been working in HR for years, happy to help."],
    ["en", "I work as a DE/EN translator, can I volunteer?"],
    ["pl", "Pracuję w IT od pięciu lat."],
    ["pl", "Robię w korpo (dział IT), chętnie pomogę."],
    ["de", "Ich arbeite in der IT-Abteilung eines Krankenhauses."],
    ["it", "Lavoro nell'IT, posso aiutare col sito."],
    ["en", "We have contacts in several countries (IT, CA) already."],
  ];
  it.each(noCountry)("%s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it("the place beside the field is read", () => {
    const r = findSelfReport("Mieszkam w Poznaniu, pracuję w IT.", { lang: "pl" });
    expect(r?.city).toBe("Poznań");
    const s = findSelfReport("I work in PR in Lisbon.", { lang: "en" });
    expect(s?.city).toBe("Lisbon");
  });

  const country: Row[] = [
    ["it", "Un saluto da Bari, IT", "IT", "Bari"],
    ["de", "Viele Grüße aus Kassel, DE", "DE", "Kassel"],
    ["en", "I live in the UK now.", "GB", null],
    ["en", "Moved to the US last year.", "US", null],
    ["en", "Greetings from #PT ✊", "PT", null],
  ];
  it.each(country)("a code written as a country: %s: %s", (lang, text, cc, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(cc);
    if (city) expect(r?.city).toBe(city);
  });
});

describe("the first part of compound names, and the rest of a name written later", () => {
  const rows: Row[] = [
    // The bare first part: every Castelfranco is in Italy, so the country is known.
    ["it", "Abito a Castelfranco da dieci anni.", "IT", null],
    ["en", "Greetings from Castelfranco! Long-time reader.", "IT", null],
    // The qualifier later in the sentence says which.
    ["it", "Lavoro a Castelfranco, quello Veneto, in un magazzino.", "IT", "Castelfranco Veneto"],
    ["it", "Vivo a Castelfranco (Emilia, non Veneto).", "IT", "Castelfranco Emilia"],
    ["en", "I live in Kingston — the one upon Thames — and work in retail.", "GB", "London"],
    ["en", "Writing from Kingston (upon Thames, not Jamaica).", "GB", "London"],
    ["de", "Ich wohne in Frankfurt (Oder), direkt an der Grenze.", "DE", "Frankfurt (Oder)"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    if (city) expect(r?.city).toBe(city);
  });

  it("a name in the next sentence does not complete it", () => {
    const r = findSelfReport("I live in Kingston. The Thames is lovely in May.", { lang: "en" });
    expect(r?.city).not.toBe("London");
  });

  it("a name with its country after it is settled by the country, not a later word", () => {
    const r = findSelfReport("I live in Kingston, Jamaica, a long way upon Thames standards.", {
      lang: "en",
    });
    expect(r?.country).toBe("JM");
  });
});

describe("a region greeted from, and a city the writer lives in", () => {
  const rows: Row[] = [
    ["it", "Saluti dalla Toscana! Abito a Pistoia e leggo il giornale.", "IT", "Pistoia"],
    [
      "es",
      "¡Saludos desde Andalucía! Vivo en Jerez y trabajo en la bodega.",
      "ES",
      "Jerez de la Frontera",
    ],
    ["de", "Grüße aus Bayern! Ich wohne in Regensburg.", "DE", "Regensburg"],
    ["it", "Un saluto dall'Istria: abito a Pola da vent'anni.", "HR", "Pula"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    expect(r?.city).toBe(city);
  });

  it("a city far from the region is not a finer statement of it", () => {
    const r = findSelfReport("Hello from Manitoba! I lived in Seattle for years.", { lang: "en" });
    expect(r?.country).toBe("CA");
  });

  it("a country greeted from is not narrowed by a city lived in elsewhere", () => {
    const r = findSelfReport("Greetings from Canada! I lived in Buffalo before.", { lang: "en" });
    expect(r?.country).toBe("CA");
  });
});

describe("a 'now' that opens a piece of news", () => {
  const news: [string, string, string][] = [
    ["sv", "Nu har ju facket i Finland vunnit igen. Jag bor i Uppsala.", "Uppsala"],
    ["en", "Now the dockers in Antwerp have walked out too. I'm in Hull.", "Kingston upon Hull"],
    ["de", "Jetzt streiken auch die Kollegen in Wien! Ich wohne in Linz.", "Linz"],
  ];
  it.each(news)("is no place of the writer: %s: %s", (lang, text, city) => {
    expect(findSelfReport(text, { lang })?.city).toBe(city);
  });

  const writer: Row[] = [
    ["en", "Originally from Porto, now in Leeds.", "GB", "Leeds"],
    ["de", "Seit drei Jahren in Leipzig, vorher Köln.", "DE", "Leipzig"],
    ["sv", "Numera i Göteborg, uppvuxen i Umeå.", "SE", "Göteborg"],
  ];
  it.each(writer)("next to the place it still counts: %s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    expect(r?.city).toBe(city);
  });
});
