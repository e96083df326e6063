import { describe, expect, it } from "vitest";
import { parseReply } from "../../src/relay/commands.js";

describe("reply commands", () => {
  it("reads no command from an ordinary answer", () => {
    expect(parseReply("Hello Anna,\n\nsee you on Thursday.")).toEqual({
      commands: [],
      text: "Hello Anna,\n\nsee you on Thursday.",
      invalid: [],
    });
  });

  it("reads #note with its text, and the lines below as part of the note", () => {
    expect(parseReply("#note knows Peter\nwrote to us in 2024").commands).toEqual([
      { kind: "note", text: "knows Peter\nwrote to us in 2024" },
    ]);
  });

  it("reads #reroute with the id (any case) and the reason", () => {
    expect(parseReply("\n#Reroute CWO she lives in Leeds\n").commands).toEqual([
      { kind: "reroute", to: "cwo", reason: "she lives in Leeds" },
    ]);
    expect(parseReply("#reroute bp\n\nLives in Lyon, writes French.").commands).toEqual([
      { kind: "reroute", to: "bp", reason: "Lives in Lyon, writes French." },
    ]);
  });

  it("reads #close, with an optional remark", () => {
    expect(parseReply("#close").commands).toEqual([{ kind: "close", remark: "" }]);
    expect(parseReply("#close sent the pamphlet").commands).toEqual([
      { kind: "close", remark: "sent the pamphlet" },
    ]);
  });

  it("reads several command lines at the top, but never a command further down", () => {
    expect(parseReply("#note first\n#close").commands).toEqual([
      { kind: "note", text: "first" },
      { kind: "close", remark: "" },
    ]);
    expect(parseReply("Thanks!\n#close").commands).toEqual([]);
    expect(parseReply("Thanks!\n\n#reroute cwo").commands).toEqual([]);
  });

  it("flags lines that look like commands but are not, so nothing mistyped reaches the reader", () => {
    expect(parseReply("#reroot cwo").invalid).toEqual(["#reroot cwo"]);
    expect(parseReply("#reroute").invalid).toEqual(["#reroute (no affiliate id)"]);
    expect(parseReply("#note").invalid).toEqual(["#note (no text)"]);
  });
});
