import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseLocationText } from "../../src/evidence/places.js";
import { findSelfReport } from "../../src/evidence/self-report.js";

// Every Polish and Russian name in place-names.yaml must reach its place from the forms it
// takes after "w"/"z" and "в"/"из", where the grammar gives them by rule. The forms are made
// here from the nominative by the textbook endings, not listed by hand.

interface Entry {
  place?: string;
  division?: string;
  country: string;
  names?: string[];
}

const entries = parse(
  readFileSync(join(import.meta.dirname, "../../scripts/place-names.yaml"), "utf8"),
) as Entry[];

/** Letters only Polish writes among the eleven languages. */
const POLISH_LETTERS = /[ąćęłńśźż]/iu;
/** Person nouns (demonyms) and abbreviations are not names of a place in a case. */
const PERSON_PL = /(?:ak|anin|anka|ianka)$/u;
const PERSON_RU = /(?:ич|ичка|ец|енка)$/u;

function names(test: (e: Entry, name: string) => boolean): [string, Entry][] {
  return entries.flatMap((e) =>
    (e.names ?? []).filter((n) => test(e, n)).map((n): [string, Entry] => [n, e]),
  );
}

/**
 * A district whose name alone means a larger place abroad (Praga, Warsaw: Prague) is read as
 * that place in its cases too ("z Pragi"); it is left out.
 */
const meansElsewhere = (e: Entry, n: string) =>
  e.place !== undefined && parseLocationText(n)?.country !== e.country;

const polish = names(
  (e, n) =>
    (e.country === "PL" || POLISH_LETTERS.test(n)) &&
    !meansElsewhere(e, n) &&
    /^\p{Lu}\p{Ll}{3,}$/u.test(n) &&
    !PERSON_PL.test(n) &&
    !/kie$/u.test(n),
);
const russian = names(
  (_, n) =>
    /^[А-ЯЁ][а-яё]{3,}$/u.test(n) &&
    /[аеёиоуыэюя]/u.test(n) &&
    !PERSON_RU.test(n) &&
    !/[оеиюу]$/u.test(n),
);

/** Genitive ("z …") and locative ("w …") of a Polish nominative, where a rule gives them. */
function polishForms(n: string): { gen: string[]; loc: string[] } {
  if (/(?:ia|ja)$/u.test(n)) {
    const f = n.slice(0, -1) + "i";
    return { gen: [f], loc: [f] };
  }
  if (/[kg]a$/u.test(n)) return { gen: [`${n.slice(0, -1)}i`], loc: [] };
  if (/[wbpmnf]a$/u.test(n)) return { gen: [`${n.slice(0, -1)}y`], loc: [`${n.slice(0, -1)}ie`] };
  if (/a$/u.test(n)) return { gen: [`${n.slice(0, -1)}y`], loc: [] };
  // Pomorze, Mazowsze, Podkarpacie: soft neuters.
  if (/(?:rz|sz|cz|ż|i)e$/u.test(n)) {
    const s = n.slice(0, -1);
    return { gen: [`${s}a`], loc: [`${s}u`] };
  }
  // Katowice, Kielce: plural; the genitive has no ending.
  if (/ce$/u.test(n)) return { gen: [n.slice(0, -1)], loc: [`${n.slice(0, -1)}ach`] };
  // Kujawy, Mazury, Suwałki: plural.
  if (/[yi]$/u.test(n)) return { gen: [n.slice(0, -1)], loc: [`${n.slice(0, -1)}ach`] };
  // Śląsk, Gdańsk: a hard masculine in k, g, ch.
  if (/(?:k|g|ch)$/u.test(n)) return { gen: [`${n}a`], loc: [`${n}u`] };
  return { gen: [], loc: [] };
}

/** Genitive ("из …") and prepositional ("в …") of a Russian nominative. */
function russianForms(n: string): { gen: string[]; loc: string[] } {
  if (/ая$/u.test(n)) return { gen: [`${n.slice(0, -2)}ой`], loc: [`${n.slice(0, -2)}ой`] };
  if (/ия$/u.test(n)) return { gen: [`${n.slice(0, -1)}и`], loc: [`${n.slice(0, -1)}и`] };
  if (/я$/u.test(n)) return { gen: [`${n.slice(0, -1)}и`], loc: [`${n.slice(0, -1)}е`] };
  if (/[кгхжшщч]а$/u.test(n)) return { gen: [`${n.slice(0, -1)}и`], loc: [`${n.slice(0, -1)}е`] };
  if (/а$/u.test(n)) return { gen: [`${n.slice(0, -1)}ы`], loc: [`${n.slice(0, -1)}е`] };
  if (/ь$/u.test(n)) return { gen: [`${n.slice(0, -1)}и`], loc: [`${n.slice(0, -1)}и`] };
  if (/ий$/u.test(n)) return { gen: [`${n.slice(0, -2)}его`], loc: [`${n.slice(0, -2)}ем`] };
  if (/[бвгдзклмнпрстфхцжшщч]$/u.test(n)) return { gen: [`${n}а`], loc: [`${n}е`] };
  return { gen: [], loc: [] };
}

/** The place a name means in the text's language, read in the nominative ("Praga tutaj!"). */
function nominal(name: string, lang: string) {
  return (
    findSelfReport(`${name} ${lang === "pl" ? "tutaj" : "здесь"}!`, { lang }) ??
    parseLocationText(name)
  );
}

function expectSamePlace(sentence: string, lang: string, nominative: string) {
  const want = nominal(nominative, lang);
  const got = findSelfReport(sentence, { lang });
  expect(want, nominative).not.toBeNull();
  expect({ country: got?.country, city: got?.city ?? null }, sentence).toEqual({
    country: want?.country,
    city: want?.city ?? null,
  });
}

describe("every Polish name of place-names.yaml in its cases", () => {
  it("finds Polish names to test", () => {
    expect(polish.length).toBeGreaterThan(20);
  });
  it.each(polish)("%s", (name) => {
    const { gen, loc } = polishForms(name);
    for (const f of gen) expectSamePlace(`Pozdrawiam wszystkich, jestem z ${f}.`, "pl", name);
    for (const f of loc) expectSamePlace(`Od lat mieszkam w ${f}.`, "pl", name);
  });
});

describe("every Russian name of place-names.yaml in its cases", () => {
  it("finds Russian names to test", () => {
    expect(russian.length).toBeGreaterThan(10);
  });
  it.each(russian)("%s", (name) => {
    const { gen, loc } = russianForms(name);
    for (const f of gen) expectSamePlace(`Всем привет, я из ${f}.`, "ru", name);
    for (const f of loc) expectSamePlace(`Я давно живу в ${f}.`, "ru", name);
  });
});

/** [language, text, country, city or null]. */
type Row = [string, string, string, string | null];

describe("plural city names in the genitive plural, which has no ending", () => {
  const rows: Row[] = [
    ["pl", "Cześć wszystkim z Gliwic!", "PL", "Gliwice"],
    ["pl", "Pochodzę z Katowic, ale mieszkam w Kielcach.", "PL", "Kielce"],
    ["pl", "Jestem z Kielc i czytam was od roku.", "PL", "Kielce"],
    ["pl", "Pozdrowienia z Suwałk!", "PL", "Suwałki"],
    ["pl", "Piszę do was z Siedlec.", "PL", "Siedlce"],
    ["ru", "Всем привет из Мытищ!", "RU", "Mytishchi"],
    ["ru", "Пишу вам из Химок.", "RU", "Khimki"],
    ["ru", "Я из Чебоксар, работаю на заводе.", "RU", "Cheboksary"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    expect(r?.city).toBe(city);
  });

  const unchanged: Row[] = [
    ["pl", "Pochodzę z Lublina, mieszkam tu od zawsze.", "PL", "Lublin"],
    ["pl", "Jestem z Polski.", "PL", null],
    ["pl", "Mieszkam w Krakowie.", "PL", "Kraków"],
    ["ru", "Я живу в Москве.", "RU", "Moscow"],
    ["ru", "Я из Омска.", "RU", "Omsk"],
  ];
  it.each(unchanged)("unchanged: %s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    expect(r?.city ?? null).toBe(city);
  });
});

describe("regions in the locative and slang names in their cases", () => {
  const rows: Row[] = [
    ["pl", "Od urodzenia mieszkam na Śląsku.", "PL", null],
    ["pl", "Mieszkamy na Pomorzu, niedaleko morza.", "PL", null],
    ["pl", "Pracuję na Podkarpaciu.", "PL", null],
    ["pl", "Mieszkam na Kujawach.", "PL", null],
    ["pl", "Siema, piszę z Wawy.", "PL", "Warsaw"],
    ["pl", "Od roku pracuję w Wawie.", "PL", "Warsaw"],
    ["pl", "Mieszkam w Trójmieście.", "PL", "Gdańsk"],
  ];
  it.each(rows)("%s: %s", (lang, text, country, city) => {
    const r = findSelfReport(text, { lang });
    expect(r?.country).toBe(country);
    expect(r?.city ?? null).toBe(city);
  });
});

describe("an inflected word that may be several names", () => {
  it("is the larger current name, not a smaller place's old name (Киров, not Кирово)", () => {
    const r = findSelfReport("Я уже десять лет живу в Кирове.", { lang: "ru" });
    expect(r?.country).toBe("RU");
    expect(r?.city).toBe("Kirov");
  });

  it("is settled by a region named in the same text", () => {
    const r = findSelfReport("Живу в Кирове — это Калужская область, не Вятка.", { lang: "ru" });
    expect(r?.country).toBe("RU");
    expect(r?.settledBy).toContain("Kaluga");
  });
});
