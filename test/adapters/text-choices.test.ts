import { describe, expect, it } from "vitest";
import {
  foldAnswer,
  matchTextChoice,
  renderTextChoices,
  withTextChoices,
  type TextChoice,
} from "../../adapters/text-choices.js";

const CHOICES: TextChoice[] = [
  { data: "loc:DE", label: "Germany", aliases: ["Deutschland", "Allemagne", "DE"] },
  { data: "loc:AT", label: "Österreich" },
  { data: "loc:IR", label: "ایران" },
  { data: "loc:other", label: "Another country" },
  { data: "loc:decline", label: "I'd rather not say" },
];

function picked(reply: string): string | null {
  return matchTextChoice(reply, CHOICES)?.choice.data ?? null;
}

describe("renderTextChoices", () => {
  it("lists the choices, numbered, under the text", () => {
    expect(renderTextChoices("Where do you write from?  \n", CHOICES)).toBe(
      "Where do you write from?\n\n1. Germany\n2. Österreich\n3. ایران\n4. Another country\n5. I'd rather not say",
    );
  });

  it("withTextChoices folds the choices into the text and drops them", () => {
    const plain = { to: "email:a@example.org", text: "Hi", idempotencyKey: "k" };
    expect(withTextChoices(plain)).toBe(plain);
    expect(withTextChoices({ ...plain, choices: [] })).toEqual({ ...plain, choices: [] });
    expect(withTextChoices({ ...plain, choices: CHOICES.slice(0, 2) })).toEqual({
      ...plain,
      text: "Hi\n\n1. Germany\n2. Österreich",
    });
  });
});

describe("matchTextChoice", () => {
  it("matches a number of the list, however it is typed", () => {
    for (const reply of ["2", "2.", " 2) ", "#2", "(2)", "٢", "۲", "２", "2. Österreich"]) {
      expect(matchTextChoice(reply, CHOICES), reply).toMatchObject({
        choice: { data: "loc:AT" },
        number: 2,
        by: "number",
      });
    }
  });

  it("matches a label or an alias, ignoring case, accents, emoji and punctuation", () => {
    expect(matchTextChoice("germany 🇩🇪", CHOICES)).toMatchObject({ number: 1, by: "label" });
    expect(picked("GERMANY!")).toBe("loc:DE");
    expect(picked("osterreich")).toBe("loc:AT");
    expect(picked("ایران")).toBe("loc:IR");
    expect(picked("I'd rather not say.")).toBe("loc:decline");
    expect(picked("id rather not say")).toBe("loc:decline");
    expect(matchTextChoice("Deutschland", CHOICES)).toMatchObject({ number: 1, by: "alias" });
    expect(picked("de")).toBe("loc:DE");
  });

  it("does not guess: sentences, other numbers and conflicts match nothing", () => {
    for (const reply of [
      "",
      "   ",
      "I live in Germany",
      "0",
      "6",
      "2 Germany",
      "I have 2 kids",
      "Germany or Österreich",
    ]) {
      expect(picked(reply), reply).toBeNull();
    }
    const twins: TextChoice[] = [
      { data: "a", label: "Georgia" },
      { data: "b", label: "georgia" },
    ];
    expect(matchTextChoice("Georgia", twins)).toBeNull();
    expect(matchTextChoice("2", twins)?.choice.data).toBe("b");
  });

  it("reads the reader's own words above a quote or a signature, not the quoted list", () => {
    const quoted = renderTextChoices("Where do you write from?", CHOICES)
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n");
    expect(
      picked(`4\n\nOn Tue, 1 Dec 2026 at 10:00, Contact <c@example.org> wrote:\n${quoted}`),
    ).toBe("loc:other");
    expect(picked(`Hi,\n\nÖsterreich\n\nThanks, Anna`)).toBe("loc:AT");
    // A client that quotes without ">" : reading stops at the separator or attribution line.
    const unprefixed = renderTextChoices("Where?", CHOICES);
    expect(picked(`Thanks!\n-----Original Message-----\n${unprefixed}`)).toBeNull();
    expect(
      picked(`Danke\nAm 01.12.2026 um 10:00 schrieb Contact <c@example.org>:\n${unprefixed}`),
    ).toBeNull();
    expect(picked(`Danke!\n-- \nGermany`)).toBeNull();
    // Only the first five lines of the reader's words are read.
    expect(picked("a\nb\nc\nd\ne\n2")).toBeNull();
    expect(picked("a\nb\nc\nd\n2")).toBe("loc:AT");
  });

  it("folds as documented", () => {
    expect(foldAnswer("  Österreich 🇦🇹 ")).toBe("osterreich");
    expect(foldAnswer("#２.")).toBe("2");
    expect(foldAnswer("Côte d’Ivoire")).toBe("cote divoire");
    expect(foldAnswer("I'd rather not say.")).toBe("id rather not say");
  });
});
