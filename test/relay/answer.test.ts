import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LANGUAGES, t } from "../../src/i18n/texts.js";
import { PLATFORM_LIMIT, frameAnswer, splitText } from "../../src/relay/answer.js";

describe("answer frame", () => {
  it("frames a short answer in the reader's language, in one message", () => {
    expect(
      frameAnswer({
        text: "Ciao!",
        language: "it",
        affiliateName: "PCInt",
        writeBack: "chat",
        limit: 4096,
      }),
    ).toEqual(["Risposta da PCInt:\n\nCiao!\n\nPuoi rispondere qui."]);
  });

  it("has the frame in all eleven languages, each its own", () => {
    for (const key of [
      "answer.intro",
      "answer.outro.chat",
      "answer.outro.email",
      "reroute.notice",
    ] as const) {
      const texts = LANGUAGES.map((l) => t(l, key, { affiliate: "X" }));
      expect(new Set(texts).size, key).toBe(11);
    }
  });

  it("splits a long answer between paragraphs into numbered parts within the platform limit", () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, i) => `Absatz ${i + 1}. ${"Wort ".repeat(80).trim()}`,
    );
    const parts = frameAnswer({
      text: paragraphs.join("\n\n"),
      language: "de",
      affiliateName: "GIK",
      writeBack: "chat",
      limit: PLATFORM_LIMIT.discord,
    });
    expect(parts.length).toBe(3);
    parts.forEach((p, i) => {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.startsWith(`Antwort von GIK: (Teil ${i + 1} von ${parts.length})\n\n`)).toBe(true);
    });
    expect(parts.at(-1)!.endsWith("Du kannst hier antworten.")).toBe(true);
    for (const p of paragraphs) expect(parts.filter((x) => x.includes(p))).toHaveLength(1);
  });

  it("never exceeds the limit nor loses text, whatever the text (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 900 }), fc.constant("\n\n"), fc.constant("😀")), {
          maxLength: 40,
        }),
        fc.constantFrom(2000, 4096),
        (chunks, limit) => {
          const text = chunks.join("").trim();
          if (text === "") return;
          const parts = frameAnswer({
            text,
            language: "fa",
            affiliateName: "A",
            writeBack: "chat",
            limit,
          });
          for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
          const squash = (s: string) => s.replace(/\s+/g, "");
          const bodies = parts.map((p) => p.split("\n\n").slice(1).join("\n\n"));
          expect(squash(bodies.join(""))).toContain(squash(text).slice(0, 50));
          expect(squash(bodies.join("")).length).toBeGreaterThanOrEqual(squash(text).length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("cuts a paragraph longer than the limit between sentences, else words, never inside a surrogate pair", () => {
    const sentence = "Das ist ein Satz mit einigen Wörtern. ";
    const pieces = splitText(sentence.repeat(100).trim(), 300);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(300);
      expect(p.endsWith(".")).toBe(true);
    }
    const emoji = "😀".repeat(500);
    for (const p of splitText(emoji, 101)) expect(p).toMatch(/^(😀)+$/u);
  });
});
