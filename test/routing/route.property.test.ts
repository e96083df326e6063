import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routeLine } from "../../src/cli/route-line.js";
import { DecisionSchema } from "../../src/message/decision.js";
import { loadRulesFile } from "../../src/routing/load.js";

const rules = loadRulesFile();

/** Every line must give a valid decision or a clear error: never a throw, never a hang. */
async function expectDecisionOrError(line: string) {
  const result = await routeLine(line, rules);
  if (result.ok) {
    const { id, ...decision } = result.output;
    expect(typeof id).toBe("string");
    DecisionSchema.parse(decision);
  } else {
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error.length).toBeLessThan(2000);
  }
  return result;
}

// Names of Object.prototype's members among cue words: lookup tables built as object literals
// once found "constructor" in them ('constructor Berlin' threw, 'Constructor here' gave a
// function as the country).
const prototypeWords = fc
  .array(
    fc.constantFrom(
      ...["constructor", "Constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"],
      ...["prototype", "isPrototypeOf", "I", "live", "in", "here", "from", "ich", "wohne", "w"],
      ...["mieszkam", "à", "de", "lad", "#constructor", "Berlin", ",", "."],
    ),
    { maxLength: 12 },
  )
  .map((words) => words.join(" "));

const hostileText = fc.oneof(
  prototypeWords,
  fc.string({ maxLength: 500 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    "I live in ".repeat(2000),
    "ich wohne in Wien ".repeat(500),
    "a".repeat(19_999),
    "🇦🇺".repeat(3000),
    "\u0000\u202e\ufeff",
    "(((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))",
    "من در تهران زندگی می‌کنم ".repeat(100),
    "я живу в ".repeat(1000) + "Москве",
  ),
);

describe("route: any input gives a decision or a clear error", () => {
  it("hostile texts on every channel", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        fc.option(fc.string({ maxLength: 80 })),
        fc.constantFrom("telegram", "discord", "twitter", "web", "email"),
        async (text, extra, channel) => {
          const lines: Record<string, unknown> = {
            telegram: {
              channel,
              payload: {
                update_id: 1,
                message: {
                  message_id: 1,
                  date: 1767225600,
                  chat: { id: 1, type: "private" },
                  from: { id: 1, is_bot: false, first_name: "x", language_code: extra },
                  text,
                },
              },
            },
            discord: {
              channel,
              payload: {
                id: "1",
                channel_id: "2",
                author: { id: "3", username: "u" },
                content: text,
                timestamp: "2026-01-01T00:00:00.000Z",
                locale: extra,
              },
            },
            twitter: {
              channel,
              payload: {
                data: {
                  id: "9",
                  event_type: "MessageCreate",
                  text,
                  sender_id: "5",
                  dm_conversation_id: "5-6",
                  created_at: "2026-01-01T00:00:00.000Z",
                },
                includes: { users: [{ id: "5", name: "n", username: "u", location: extra }] },
              },
            },
            web: { channel, payload: { message: text, country: extra } },
            email: {
              channel,
              raw: `From: a@b.${extra ?? "de"}\r\nSubject: ${extra ?? ""}\r\nMessage-ID: <x@y>\r\nDate: Thu, 01 Jan 2026 10:00:00 +0000\r\n\r\n${text}`,
            },
          };
          await expectDecisionOrError(JSON.stringify(lines[channel]));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        await expectDecisionOrError(JSON.stringify(value));
      }),
      { numRuns: 200 },
    );
  });

  it("a 1 MB message is refused with a reason, not routed or crashed", async () => {
    const r = await expectDecisionOrError(
      JSON.stringify({ channel: "web", payload: { message: "x".repeat(1_000_000) } }),
    );
    expect(r.ok).toBe(false);
  });
});
