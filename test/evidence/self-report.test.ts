import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSelfReport } from "../../src/evidence/self-report.js";

/** [text, country, city or null, the `matched` phrase]. */
type Row = [string, string, string | null, string];

const SELF_REPORTS: Record<string, Row[]> = {
  en: [
    ["Hi! I live in New York and want to help.", "US", "New York City", "I live in New York"],
    ["I'm from the UK, how can I join?", "GB", null, "I'm from the UK"],
    ["I am based in Melbourne.", "AU", "Melbourne", "I am based in Melbourne"],
    ["Here in Toronto we organise too.", "CA", "Toronto", "Here in Toronto"],
    ["I'm from Córdoba, Argentina.", "AR", "Córdoba", "I'm from Córdoba, Argentina"],
    ["I am from Italy but I live in Berlin.", "IT", null, "I am from Italy"],
    ["We are from Brazil.", "BR", null, "We are from Brazil"],
  ],
  it: [
    ["Ciao, abito a Roma da due anni.", "IT", "Rome", "abito a Roma"],
    ["Sono di Napoli.", "IT", "Naples", "Sono di Napoli"],
    ["Vivo a Torino e leggo il giornale.", "IT", "Turin", "Vivo a Torino"],
    ["Vivo negli Stati Uniti", "US", null, "Vivo negli Stati Uniti"],
  ],
  de: [
    ["Hallo, ich wohne in Wien …", "AT", "Vienna", "wohne in Wien"],
    ["Ich komme aus Österreich.", "AT", null, "komme aus Österreich"],
    ["Ich lebe in München seit 2010.", "DE", "Munich", "lebe in München"],
    ["Wir kommen aus den Niederlanden.", "NL", null, "kommen aus den Niederlanden"],
    ["Ich lebe in der Schweiz.", "CH", null, "lebe in der Schweiz"],
  ],
  fr: [
    ["Bonjour, je suis à Lyon.", "FR", "Lyon", "je suis à Lyon"],
    ["J'habite en Belgique.", "BE", null, "J'habite en Belgique"],
    ["J'habite au Canada depuis peu.", "CA", null, "J'habite au Canada"],
    ["Je viens de Marseille.", "FR", "Marseille", "Je viens de Marseille"],
    ["Je vis aux États-Unis.", "US", null, "Je vis aux États-Unis"],
  ],
  sv: [
    ["Hej, jag bor i Göteborg.", "SE", "Göteborg", "jag bor i Göteborg"],
    ["Jag kommer från Finland.", "FI", null, "Jag kommer från Finland"],
    ["Vi bor i Malmö och vill hjälpa till.", "SE", "Malmö", "Vi bor i Malmö"],
  ],
  es: [
    ["Hola, vivo en Madrid.", "ES", "Madrid", "vivo en Madrid"],
    ["Soy de Argentina.", "AR", null, "Soy de Argentina"],
    ["Soy de Córdoba, España.", "ES", "Córdoba", "Soy de Córdoba, España"],
    ["Vivimos en Ciudad de México.", "MX", "Mexico City", "Vivimos en Ciudad de México"],
  ],
  fa: [
    ["سلام، من در تهران زندگی می‌کنم.", "IR", "Tehran", "من در تهران زندگی می‌کنم"],
    ["من اهل ایران هستم.", "IR", null, "من اهل ایران"],
    ["در شیراز زندگی میکنم", "IR", "Shiraz", "در شیراز زندگی میکنم"],
    ["من از آلمان هستم", "DE", null, "من از آلمان هستم"],
    ["من در كرج زندگي مي‌كنم", "IR", "Karaj", "من در كرج زندگي مي‌كنم"],
  ],
  pl: [
    ["Cześć, mieszkam w Warszawie.", "PL", "Warsaw", "mieszkam w Warszawie"],
    ["Mieszkam w Krakowie.", "PL", "Kraków", "Mieszkam w Krakowie"],
    ["Jestem z Polski.", "PL", null, "Jestem z Polski"],
    ["Mieszkam we Wrocławiu.", "PL", "Wrocław", "Mieszkam we Wrocławiu"],
    ["Mieszkam w Niemczech.", "DE", null, "Mieszkam w Niemczech"],
    ["Pochodzę z Gdańska.", "PL", "Gdańsk", "Pochodzę z Gdańska"],
  ],
  ru: [
    ["Привет, я живу в Москве.", "RU", "Moscow", "живу в Москве"],
    ["Я живу в Санкт-Петербурге.", "RU", "Saint Petersburg", "живу в Санкт-Петербурге"],
    ["Я из России.", "RU", null, "Я из России"],
    ["Мы живём в Германии.", "DE", null, "живём в Германии"],
    ["Я из Казани.", "RU", "Kazan", "Я из Казани"],
    ["Живу в Нижнем Новгороде.", "RU", "Nizhniy Novgorod", "Живу в Нижнем Новгороде"],
  ],
  nl: [
    ["Hallo, ik woon in Amsterdam.", "NL", "Amsterdam", "ik woon in Amsterdam"],
    ["Ik kom uit België.", "BE", null, "Ik kom uit België"],
    ["Wij wonen in Rotterdam.", "NL", "Rotterdam", "Wij wonen in Rotterdam"],
  ],
  pt: [
    ["Olá, moro em São Paulo.", "BR", "São Paulo", "moro em São Paulo"],
    ["Sou do Brasil.", "BR", null, "Sou do Brasil"],
    ["Moro no Porto.", "PT", "Porto", "Moro no Porto"],
    ["Vivo em Lisboa.", "PT", "Lisbon", "Vivo em Lisboa"],
  ],
};

const BARE_MENTIONS = [
  "The war in Ukraine must end.",
  "News from Berlin: strikes again.",
  "I read about the protests in Paris.",
  "Der Krieg in der Ukraine muss enden.",
  "La guerre en Ukraine continue.",
  "La guerra en Ucrania.",
  "Война в Украине.",
  "Wojna w Ukrainie.",
  "جنگ در اوکراین",
  "A greve em Lisboa foi grande.",
  "De staking in Amsterdam.",
  "Kriget i Ukraina.",
  "Lo sciopero a Milano.",
  "I live in hope.",
  "I'm in trouble with my boss.",
  "I'm from the future.",
  "No vivo en Madrid.",
  "Nie mieszkam w Warszawie.",
  "Я не живу в Москве.",
  "I live in nice weather",
  "I'm based in the north.",
  "Vivo en paz.",
  "Je suis de retour.",
  "Ik kom uit een arbeidersgezin.",
  "Jag kommer från en liten stad.",
  "Я из тех, кто верит.",
  "من از شما ممنونم",
];

describe("findSelfReport", () => {
  for (const [lang, rows] of Object.entries(SELF_REPORTS)) {
    it.each(rows)(`${lang}: %s`, (text, country, city, matched) => {
      const place = findSelfReport(text);
      expect(place).toMatchObject({ country, city, matched });
      expect(place?.pointKind).toBe(city ? "city" : "capital");
    });
  }

  it("covers the eleven languages", () => {
    expect(Object.keys(SELF_REPORTS).sort()).toEqual([
      "de",
      "en",
      "es",
      "fa",
      "fr",
      "it",
      "nl",
      "pl",
      "pt",
      "ru",
      "sv",
    ]);
  });

  it.each(BARE_MENTIONS)("a bare mention is not a self-report: %s", (text) => {
    expect(findSelfReport(text)).toBeNull();
  });

  it("reads articles as part of a name only when the name has them", () => {
    expect(findSelfReport("Vivo en La Paz.")).toMatchObject({ country: "BO", city: "La Paz" });
    expect(findSelfReport("I live in Los Angeles")).toMatchObject({
      country: "US",
      city: "Los Angeles",
    });
    expect(findSelfReport("Ik woon in de Verenigde Staten")).toMatchObject({
      country: "US",
      city: null,
    });
  });

  it("needs a capital letter after the weaker phrases only", () => {
    expect(findSelfReport("i live in berlin")).toMatchObject({ country: "DE", city: "Berlin" });
    expect(findSelfReport("here in berlin")).toBeNull();
    expect(findSelfReport("Here in Berlin")).toMatchObject({ country: "DE" });
  });

  it("uses a country after the city to choose it, and quotes it only then", () => {
    expect(findSelfReport("I live in Paris, TX")).toMatchObject({
      country: "US",
      matched: "I live in Paris, TX",
    });
    expect(findSelfReport("I live in Berlin. Spain is where I grew up.")).toMatchObject({
      country: "DE",
      matched: "I live in Berlin",
    });
  });

  it("reads a flag right after the phrase", () => {
    expect(findSelfReport("I live in 🇩🇪 and read your paper")).toMatchObject({
      country: "DE",
      city: null,
      matched: "I live in 🇩🇪",
    });
    expect(findSelfReport("Soy de 🇦🇷")).toMatchObject({ country: "AR" });
    expect(findSelfReport("I live in a flat 🇩🇪")).toBeNull();
  });

  it("prefers the longest place after the phrase", () => {
    expect(findSelfReport("I live in New York")?.city).toBe("New York City");
    expect(findSelfReport("I live in York")?.city).toBe("York");
  });

  it("takes the first statement and quotes no more than the phrase and the place", () => {
    const text = `My name is Jane Doe, phone 555-0100. ${"blah ".repeat(50)} I live in Leeds. I'm from Lagos.`;
    const place = findSelfReport(text);
    expect(place).toMatchObject({ country: "GB", city: "Leeds", matched: "I live in Leeds" });
  });

  it("stays bounded on hostile repetition", () => {
    for (const text of [
      "I live in ".repeat(10_000),
      "я живу в ".repeat(10_000) + "Москве",
      "در ".repeat(30_000),
      "mieszkam w Krakowie ".repeat(5_000),
    ]) {
      const started = performance.now();
      findSelfReport(text);
      // A generous bound on a loaded two-core machine: the point is "not quadratic".
      expect(performance.now() - started).toBeLessThan(5_000);
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
                " ",
                ",",
              ),
              {
                maxLength: 200,
              },
            )
            .map((words) => words.join(" ")),
        ),
        (s) => {
          const place = findSelfReport(s);
          if (place) {
            expect(place.country).toMatch(/^[A-Z]{2}$/);
            expect(s).toContain(place.matched);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
