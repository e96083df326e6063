import { describe, expect, it } from "vitest";
import { findSelfReport } from "../../src/evidence/self-report.js";

// Classes of phrasing, each read by a general rule in every language; the sentences here are
// written for these tests.

describe("a past visit is a mention, not where the writer lives", () => {
  it.each([
    ["en", "I was in Porto for a week in May and loved it."],
    ["en", "We went to Glasgow last spring for the march."],
    ["de", "Ich war im Herbst in Hamburg und habe dort Genossen getroffen."],
    ["de", "Letztes Jahr war ich in Krakau, eine schöne Stadt."],
    ["it", "Ero a Lisbona ad aprile con degli amici."],
    ["it", "Sono stato a Madrid l'anno scorso."],
    ["fr", "J'étais à Bordeaux en juin pour un mariage."],
    ["fr", "Je suis allé à Gênes cet été."],
    ["es", "Estuve en Oporto en agosto, qué ciudad."],
    ["pt", "Estive em Sevilha no ano passado."],
    ["sv", "Jag var i Bergen i somras."],
    ["nl", "Ik was vorige maand in Antwerpen voor een congres."],
    ["pl", "Byłem w Wiedniu na wakacjach."],
    ["ru", "Я был в Минске прошлым летом."],
    ["fa", "من تابستان پارسال در استانبول بودم."],
  ])("%s: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it.each([
    ["en", "I was born in Dublin and still live there.", "IE"],
    ["en", "I have been living in Lyon for six years.", "FR"],
    ["de", "Ich war lange in Köln, jetzt wohne ich in Bremen.", "DE"],
    ["it", "Ero a Roma fino al 2019, ora vivo a Bari.", "IT"],
    ["es", "Estuve en Madrid unos años, pero ahora vivo en Bilbao.", "ES"],
    ["pl", "Byłem w Gdańsku rok temu, a teraz mieszkam w Poznaniu.", "PL"],
  ])("%s: residence still wins: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });

  it("a residence later in the text beats the visit", () => {
    const r = findSelfReport("Ich war in Barcelona im Urlaub. Ich wohne in Graz.", { lang: "de" });
    expect(r?.city).toBe("Graz");
  });
});

describe("who the writer says they are is the writer, not someone else", () => {
  it.each([
    ["en", "I'm a teacher's daughter living in Cardiff.", "GB"],
    ["en", "We're a group of Bristol residents interested in your work.", "GB"],
    ["fr", "Nous sommes deux camarades installés à Nantes.", "FR"],
    ["es", "Somos tres compañeros radicados en Valencia.", "ES"],
    ["it", "Sono un figlio di operai, vivo a Bergamo.", "IT"],
  ])("%s: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });

  it("someone else's place is still theirs", () => {
    expect(findSelfReport("My daughter lives in Cardiff.", { lang: "en" })).toBeNull();
  });

  it('"we\'re" is not "re:" (about)', () => {
    expect(findSelfReport("we're a small collective based in Leeds", { lang: "en" })?.city).toBe(
      "Leeds",
    );
  });
});

describe("colloquial verbs of working", () => {
  it.each([
    ["es", "Curro en Valladolid en un almacén.", "ES"],
    ["fr", "Je bosse à Grenoble dans la logistique.", "FR"],
    ["de", "Ich schufte in Dortmund bei einem Paketdienst.", "DE"],
    ["sv", "Jag knegar i Malmö på ett lager.", "SE"],
    ["pl", "Haruję w Łodzi na magazynie.", "PL"],
    ["ru", "Вкалываю в Самаре на заводе.", "RU"],
    ["nl", "Ik buffel in Utrecht in een magazijn.", "NL"],
    ["pt", "Trampo em Campinas numa fábrica.", "BR"],
  ])("%s: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });
});

describe("lower-case words are not small places", () => {
  it.each([
    ["nl", "ik woon nu al jaren in Utrecht, werk in de zorg.", "NL", "Utrecht"],
    ["pt", "moro em Pelotas. alguém aqui no sul?", "BR", "Pelotas"],
  ])("%s: %s", (lang, text, country, city) => {
    expect(findSelfReport(text, { lang })).toMatchObject({ country, city });
  });

  it.each([
    ["en", "moved to leeds last year", "GB"],
    ["en", "hello from brisbane", "AU"],
    ["en", "i live in frome", "GB"],
  ])("lower-case chat keeps real places: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });
});

describe("a place written with its division, and direction words", () => {
  it("London, Ontario beats a direction word", () => {
    const r = findSelfReport("I study at Western in London, Ontario, in the union.", {
      lang: "en",
    });
    expect(r?.country).toBe("CA");
  });

  it("a bare direction word is no place", () => {
    expect(findSelfReport("I work at Central, a small firm.", { lang: "en" })).toBeNull();
  });
});

describe("demonyms derived from place names describe the writer", () => {
  it.each([
    ["fr", "Nantaise depuis toujours, je travaille à l'hôpital.", "FR", "Nantes"],
    ["fr", "Je suis genevoise et infirmière.", "CH", "Genève"],
    ["nl", "rotterdammer hier, werk in de haven", "NL", "Rotterdam"],
    ["de", "Hamburger seit 30 Jahren, Hafenarbeiter.", "DE", "Hamburg"],
    ["de", "Ich bin Kölner und arbeite bei Ford.", "DE", "Köln"],
    ["en", "I'm a Torontonian, a teacher.", "CA", "Toronto"],
    ["it", "Sono bolognese, lavoro in un magazzino.", "IT", "Bologna"],
    ["es", "Soy zaragozano de toda la vida.", "ES", "Zaragoza"],
    ["sv", "Jag är göteborgare och jobbar i hamnen.", "SE", "Göteborg"],
    ["pl", "Jestem poznaniakiem, pracuję w magazynie.", "PL", "Poznań"],
    ["fa", "سلام، تهرانی هستم و معلمم.", "IR", "Tehran"],
  ])("%s: %s", (lang, text, country, city) => {
    expect(findSelfReport(text, { lang })).toMatchObject({ country, city });
  });

  it.each([
    ["de", "Die Berliner Mauer fiel 1989."],
    ["de", "Berliner Mauer und Kalter Krieg: habt ihr Texte?"],
    ["en", "I love Parisian cafés."],
    ["en", "I'm a porter at a hotel."],
    ["it", "Sono rider, consegno cibo."],
    ["fr", "Le maire lyonnais a encore parlé."],
  ])("%s: not the writer's place: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });
});

describe("country demonyms and the writer counting themselves in", () => {
  it.each([
    ["en", "Aussie here, nurse in a public hospital.", "AU"],
    ["en", "I'm a Kiwi, teaching in a school.", "NZ"],
    ["fr", "Je suis québécoise, infirmière.", "CA"],
  ])("%s: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });

  it.each([
    ["en", "I ate a kiwi this morning."],
    ["en", "Is there an Aussie group?"],
  ])("%s: not a self-description: %s", (lang, text) => {
    expect(findSelfReport(text, { lang })).toBeNull();
  });

  it.each([
    ["it", "Le infermiere di Torino sono stanche. Sono una di loro.", "IT"],
    ["de", "Die Pflegekräfte in Leipzig sind am Limit. Ich bin eine davon.", "DE"],
    ["es", "Los profesores de Sevilla están hartos. Soy uno de ellos.", "ES"],
    ["en", "Bus drivers in Leeds are striking. I'm one of them.", "GB"],
  ])("%s: one of them: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });

  it("someone else being one of them is not the writer", () => {
    expect(
      findSelfReport("Nurses in Ohio walked out. My sister is one of them.", { lang: "en" }),
    ).toBeNull();
  });
});

describe("resident nouns, in their plural and feminine forms", () => {
  it.each([
    ["ru", "Я жительница Самары.", "RU"],
    ["pl", "Jesteśmy mieszkańcami Lublina.", "PL"],
    ["sv", "Jag är invånare i Uppsala.", "SE"],
    ["de", "Ich bin Einwohnerin von Linz.", "AT"],
    ["fr", "Nous sommes habitantes de Nantes.", "FR"],
    ["es", "Somos residentes en Lima.", "PE"],
    ["nl", "Wij zijn inwoners van Gent.", "BE"],
  ])("%s: %s", (lang, text, country) => {
    expect(findSelfReport(text, { lang })?.country).toBe(country);
  });
});
