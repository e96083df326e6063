import { describe, expect, it } from "vitest";
import { findSelfReport } from "../../src/evidence/self-report.js";

// General rules of time, topic, negation and wording around a place name; every sentence here
// is written for these tests.

const where = (text: string, lang: string) => findSelfReport(text, { lang });

describe("a planned move is not where the writer is", () => {
  it.each([
    ["en", "We're moving to Leeds next year, so I'd like to meet people there."],
    ["en", "I will move to Bristol in the autumn."],
    ["en", "My partner and I are planning to move to Cardiff."],
    ["it", "Forse l'anno prossimo mi trasferisco a Torino."],
    ["sv", "Vi flyttar till Uppsala i höst och undrar om ni har möten där."],
    ["de", "Ich ziehe nächsten Monat nach Leipzig."],
    ["de", "Wir werden im Sommer nach Dresden ziehen."],
    ["fr", "Je vais déménager à Nantes cet été."],
    ["pl", "Przeprowadzam się do Gdańska w maju."],
    ["ru", "Переезжаю в Казань осенью."],
    ["es", "El año que viene me mudo a Valencia."],
  ])("%s: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });

  it.each([
    ["en", "I moved to Leeds in 2019.", "GB"],
    ["en", "Since moving to Leeds I have joined a union.", "GB"],
    ["sv", "Vi flyttade till Malmö förra året.", "SE"],
    ["de", "Ich bin vor drei Jahren nach Leipzig gezogen.", "DE"],
    ["fr", "J'ai déménagé à Nantes en mars.", "FR"],
    ["it", "Mi sono trasferita a Torino due anni fa.", "IT"],
    ["pl", "Przeprowadziłem się do Gdańska w zeszłym roku.", "PL"],
    ["ru", "Я переехал в Казань два года назад.", "RU"],
  ])("%s: a move that happened still counts: %s", (lang, text, country) => {
    expect(where(text, lang)?.country).toBe(country);
  });

  it("the current place wins over the planned one", () => {
    const r = where("Ich wohne in Graz und ziehe nächstes Jahr nach Berlin.", "de");
    expect(r?.city).toBe("Graz");
  });
});

describe("'now' beside a name after another place says where the writer is now", () => {
  it.each([
    ["de", "Bis letztes Jahr war ich in Rostock, jetzt Greifswald.", "Greifswald"],
    ["fr", "je ne suis plus à lyon, grenoble maintenant.", "Grenoble"],
    ["en", "I was in Leeds until last year, now Sheffield.", "Sheffield"],
    ["it", "Fino all'anno scorso ero a Bologna, ora Modena.", "Modena"],
    ["pl", "Do zeszłego roku byłem w Łodzi, teraz Poznań.", "Poznań"],
  ])("%s: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });

  it.each([
    ["en", "Now Berlin wants to ban the march."],
    ["de", "Jetzt Berlin: die Mieten steigen."],
  ])("%s: 'now' with no earlier place is no self-report: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });
});

describe("a past event is a mention", () => {
  it.each([
    ["de", "Ich war letzten Sommer bei eurer Veranstaltung in Graz, sehr spannend."],
    ["en", "I came to your event in Glasgow and loved the talk."],
    ["it", "Sono venuta al vostro evento a Firenze, bellissimo."],
    ["sv", "Jag var på ert evenemang i Göteborg."],
  ])("%s: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });
});

describe("a negated 'be' or a negation in another clause", () => {
  it("'je ne suis plus à X' denies X", () => {
    expect(where("Je ne suis plus à Rennes depuis longtemps.", "fr")).toBeNull();
  });

  it.each([
    ["pl", "Niestety do Poznania nie dam rady, mieszkam w Krakowie.", "PL"],
    ["en", "Sadly I can't make it to Paris, I live in Leeds.", "GB"],
    ["de", "Nein, ich wohne in Graz.", "AT"],
    ["it", "No, vivo a Bari.", "IT"],
  ])("%s: a negation before a comma leaves the next clause alone: %s", (lang, text, country) => {
    expect(where(text, lang)?.country).toBe(country);
  });

  it.each([
    ["en", "I don't live in London."],
    ["de", "Ich wohne nicht in Hamburg."],
  ])("%s: a negation in the clause still denies: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });
});

describe("topic prepositions: a place talked about", () => {
  it.each([
    ["fr", "J'aimerais une brochure sur l'Ukraine."],
    ["fr", "Vous avez des textes sur la Syrie ?"],
    ["en", "Do you have anything about Ukraine?"],
    ["de", "Habt ihr Texte über die Ukraine?"],
    ["pl", "Macie coś o Ukrainie?"],
    ["ru", "Есть что-нибудь об Украине?"],
    ["es", "¿Tienen textos sobre Ucrania?"],
    ["sv", "Har ni något om Ukraina?"],
    ["nl", "Hebben jullie iets over Oekraïne?"],
    ["fa", "چیزی درباره اوکراین دارید؟"],
  ])("%s: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });

  it("French 'sur' before a city is still 'in'", () => {
    expect(where("Je bosse sur Lyon depuis deux ans.", "fr")?.city).toBe("Lyon");
  });
});

describe("origin and current: 'we here are from X' is an origin", () => {
  it("the current place wins", () => {
    const r = where(
      "I'm a nurse, currently on a one-year contract in Doha. Most of us here are from Nepal.",
      "en",
    );
    expect(r?.country).toBe("QA");
  });

  it("an origin alone is still an origin, not a place 'here'", () => {
    const r = where("We here are from Ghana.", "en");
    expect(r?.explanation ?? "").not.toContain('"here"');
  });

  it("'here in X' still counts", () => {
    expect(where("We are here in Accra, a small group.", "en")?.country).toBe("GH");
  });
});

describe("negated disambiguators are excluded", () => {
  it.each([
    ["Hi, I'm in Richmond (the Virginia one, not Richmond BC).", "US"],
    ["I'm in Portland (Maine, not Oregon), a small group of us.", "US"],
    ["We're a reading group in London (not London, Ontario), the English one.", "GB"],
  ])("%s", (text, country) => {
    expect(where(text, "en")?.country).toBe(country);
  });

  it("an affirmed division still settles the name", () => {
    expect(where("I live in Richmond, BC.", "en")?.country).toBe("CA");
  });
});

describe("an adjective between the preposition and the name", () => {
  it.each([
    ["en", "Hello from sunny Brighton, we have a small group.", "Brighton"],
    ["en", "Greetings from rainy Manchester!", "Manchester"],
    ["it", "Saluti dalla piovosa Milano!", "Milan"],
    ["de", "Grüße aus dem verregneten Hamburg!", "Hamburg"],
    ["ru", "Привет из солнечного Сочи!", "Sochi"],
    ["es", "Saludos desde la calurosa Sevilla.", "Sevilla"],
    ["fr", "Bonjour de la pluvieuse Brest !", "Brest"],
  ])("%s: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });

  it("a topic word before the adjective still makes it a mention", () => {
    expect(where("I read about the strike in nearby Bristol.", "en")).toBeNull();
  });
});

describe("colloquial forms", () => {
  it.each([
    ["fr", "on est à Abidjan, quelques enseignants.", "CI"],
    ["fr", "Chez nous à Rennes, il pleut.", "FR"],
    ["fr", "Salut, on est quelques-uns ici dans la ville rose.", "FR"],
    ["es", "Hola, aquí en el Defe somos un grupo de estudiantes.", "MX"],
    ["pl", "Mieszkam na Nowej Hucie od dziecka.", "PL"],
    ["fa", "من توی تجریش زندگی می‌کنم.", "IR"],
  ])("%s: %s", (lang, text, country) => {
    expect(where(text, lang)?.country).toBe(country);
  });

  it.each([
    ["es", "Queremos la paz en Colombia y vivo en Madrid.", "Madrid"],
    ["fr", "Je vis à Paris, la capitale est chère.", "Paris"],
  ])("%s: two words of prose after an article stay prose: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });
});

describe("a lower-case form of a common noun is no place", () => {
  it.each([
    ["ru", "я в самаре, работаю в порту.", "Samara"],
    ["ru", "я в одессе, работаю в порту и на заводе.", "Odesa"],
  ])("%s: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });

  it.each([
    ["ru", "работаю в порту."],
    ["pl", "mieszkam na wyspie."],
  ])("%s: the noun alone gives nothing: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });

  it("capitalised, the name is the place", () => {
    expect(where("Я живу в Порту.", "ru")?.country).toBe("PT");
  });
});

describe("'more precisely': the narrower place after a wider one", () => {
  it.each([
    ["it", "Vi scrivo dalla provincia di Bari, precisamente da Molfetta.", "Molfetta"],
    ["de", "Ich wohne im Ruhrgebiet, genauer in Bochum.", "Bochum"],
    ["pl", "Mieszkam na Śląsku, dokładnie w Gliwicach.", "Gliwice"],
    ["fr", "J'habite en Bretagne, plus précisément à Lorient.", "Lorient"],
  ])("%s: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });

  it("without the word, someone else's place stays theirs", () => {
    const r = where("I live in Leeds, exactly like my brother in York.", "en");
    expect(r?.city).toBe("Leeds");
  });

  it("an area read 'from' takes the writing cue: 'vi scrivo dalla provincia di X'", () => {
    expect(where("Vi scrivo dalla provincia di Cuneo.", "it")?.country).toBe("IT");
  });
});

describe("a big city written with one typo, after a strong cue", () => {
  it.each([
    ["en", "hi, I'm living in manchster and looking for a group", "Manchester"],
    ["en", "Greetings from Amsterdm!", "Amsterdam"],
    ["en", "I live in Barcleona these days.", "Barcelona"],
    ["de", "Ich wohne in Dortmunt.", "Dortmund"],
    ["it", "Vivo a Bolgna da tre anni.", "Bologna"],
  ])("%s: %s", (lang, text, city) => {
    expect(where(text, lang)?.city).toBe(city);
  });

  it.each([
    ["en", "The match in Amsterdm was cancelled."],
    ["en", "I work in marketing."],
    ["en", "I live in Swindin."],
    ["en", "I live in Rme."],
  ])("%s: no strong cue, a small place, or a short word: %s", (lang, text) => {
    expect(where(text, lang)).toBeNull();
  });
});
