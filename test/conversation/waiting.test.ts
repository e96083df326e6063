import { describe, expect, it } from "vitest";
import {
  appendReaderMessage,
  newConversation,
  recordAnswer,
  recordNote,
  reroute,
  turnStart,
  waitingSince,
  waitKey,
} from "../../src/conversation/history.js";
import { readerInput } from "./fixtures.js";

/* Which wait escalation measures (history.ts): from the turn's start, or from a follow-up. */

const T0 = "2026-12-01T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function opened() {
  const c = newConversation("conv0000000000aa", "C-ABCDE", readerInput(1, {}, T0), {
    channel: "telegram",
    country: null,
    language: "de",
    words: "Hallo",
  });
  return c;
}

describe("waitingSince", () => {
  it("runs from the turn's start until the affiliate answers", () => {
    const c = opened();
    expect(waitingSince(c)).toBe(T0);
    expect(waitKey(c, 0, T0)).toBe("0");
    recordAnswer(c, { id: "a1", at: at(10), affiliate: c.affiliate, text: "Hallo!" });
    expect(waitingSince(c)).toBeNull();
  });

  it("a note is not an answer", () => {
    const c = opened();
    recordNote(c, { id: "n1", at: at(5), affiliate: c.affiliate, by: "x@y", text: "later" });
    expect(waitingSince(c)).toBe(T0);
  });

  it("a follow-up after the answer starts a new wait, with its own key; a second one does not", () => {
    const c = opened();
    recordAnswer(c, { id: "a1", at: at(10), affiliate: c.affiliate, text: "Hallo!" });
    appendReaderMessage(c, readerInput(2, {}, at(20)));
    expect(waitingSince(c)).toBe(at(20));
    expect(waitKey(c, 0, at(20))).toBe(`0.${Date.parse(at(20))}`);
    appendReaderMessage(c, readerInput(3, {}, at(30)));
    expect(waitingSince(c)).toBe(at(20));
    recordAnswer(c, { id: "a2", at: at(40), affiliate: c.affiliate, text: "Ja." });
    expect(waitingSince(c)).toBeNull();
  });

  it("a reroute starts a new turn: the new affiliate has not answered", () => {
    const c = opened();
    recordAnswer(c, { id: "a1", at: at(10), affiliate: c.affiliate, text: "Hallo!" });
    reroute(c, { id: "r1", at: at(15), to: "cwo", by: "de@leftcom.org", reason: "" });
    expect(turnStart(c)).toBe(at(15));
    expect(waitingSince(c)).toBe(at(15));
    expect(waitKey(c, 1, at(15))).toBe("1");
  });
});
