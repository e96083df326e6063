import { describe, expect, it } from "vitest";
import {
  CATALOG,
  LANGUAGES,
  ackText,
  askLocationText,
  pickLanguage,
  startText,
  t,
} from "../../src/i18n/texts.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("texts", () => {
  it("has every key, non-empty, with the same placeholders as English, in all eleven languages", () => {
    expect(LANGUAGES).toHaveLength(11);
    const keys = Object.keys(CATALOG.en);
    for (const lang of LANGUAGES) {
      expect(Object.keys(CATALOG[lang]).sort()).toEqual([...keys].sort());
      for (const key of keys as (keyof typeof CATALOG.en)[]) {
        const text = CATALOG[lang][key];
        expect(text.trim().length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(CATALOG.en[key]));
      }
    }
  });

  it("is actually translated: no language reuses the English form texts", () => {
    for (const lang of LANGUAGES.filter((l) => l !== "en")) {
      expect(CATALOG[lang]["form.intro"]).not.toBe(CATALOG.en["form.intro"]);
      expect(CATALOG[lang].ack).not.toBe(CATALOG.en.ack);
      expect(CATALOG[lang]["ask.location"]).not.toBe(CATALOG.en["ask.location"]);
      expect(CATALOG[lang].start).not.toBe(CATALOG.en.start);
    }
  });

  it("fills placeholders, takes any tag, and falls back to English", () => {
    expect(ackText("de-AT", "GIK")).toContain("an GIK weitergeleitet");
    expect(t("pt-BR", "form.messageHint", { max: 5 })).toBe("No máximo 5 caracteres.");
    expect(t("zh", "form.submit")).toBe("Send");
    expect(t("", "form.submit")).toBe("Send");
    expect(t("en", "ack")).toContain("{affiliate}");
    expect(askLocationText("fr")).toMatch(/d'où nous écrivez-vous \?/);
    expect(askLocationText("fa")).toContain("از کجا می‌نویسید؟");
  });
});

describe("startText", () => {
  it("is a distinct welcome in each of the eleven languages", () => {
    expect(new Set(LANGUAGES.map((l) => startText(l))).size).toBe(11);
  });

  it.each([
    ["fa", "سلام! پیام خود را اینجا بنویسید"],
    ["pt-br", "Olá! Escreva aqui a sua mensagem"],
    ["de-AT", "Hallo! Schreib uns hier deine Nachricht"],
    ["ja", "Hello! Write your message here"],
    ["", "Hello! Write your message here"],
  ])("answers a %s reader", (code, opening) => {
    expect(startText(code).startsWith(opening)).toBe(true);
  });
});

describe("pickLanguage", () => {
  it.each([
    [undefined, undefined, "en"],
    ["de-AT,de;q=0.9,en;q=0.5", undefined, "de"],
    ["zh-CN,zh;q=0.9,fa;q=0.8,en;q=0.7", undefined, "fa"],
    ["en;q=0.3,pt-BR;q=0.9", undefined, "pt"],
    ["ja", undefined, "en"],
    ["*", undefined, "en"],
    ["garbage;;;q=x", undefined, "en"],
    ["de", "ru", "ru"],
    ["de", "RU-ru", "ru"],
    ["de", "xx", "de"],
    ["de", ["ru"], "de"],
  ])("%s, override %s → %s", (header, override, expected) => {
    expect(pickLanguage(header, override)).toBe(expected);
  });
});
