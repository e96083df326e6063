import { describe, expect, it } from "vitest";
import {
  channelOf,
  nonceFor,
  replyReference,
  splitForDiscord,
} from "../../../adapters/discord/outbound.js";
import { InvalidPayloadError } from "../../../src/errors.js";

describe("Discord outbound helpers", () => {
  it("derives a stable nonce of at most 25 characters per key and part", () => {
    expect(nonceFor("ack:discord:1:2", 0)).toBe(nonceFor("ack:discord:1:2", 0));
    expect(nonceFor("ack:discord:1:2", 0)).not.toBe(nonceFor("ack:discord:1:2", 1));
    expect(nonceFor("ack:discord:1:2", 0)).not.toBe(nonceFor("ack:discord:1:3", 0));
    expect(nonceFor("x".repeat(1000), 0).length).toBeLessThanOrEqual(25);
  });

  it("splits long texts under 2,000 characters, at spaces, losing nothing but the break", () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(" ");
    const parts = splitForDiscord(words);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join(" ")).toBe(words);
    expect(splitForDiscord("x".repeat(4001))).toHaveLength(3);
    expect(splitForDiscord("short")).toEqual(["short"]);
  });

  it("accepts only discord:<channel id> as a target", () => {
    expect(channelOf("discord:1201234567890123456")).toBe("1201234567890123456");
    for (const bad of ["telegram:1", "discord:abc", "discord:1:2", "nope"]) {
      expect(() => channelOf(bad)).toThrow(InvalidPayloadError);
    }
  });

  it("replies only to a message in the same channel", () => {
    expect(replyReference("10", "discord:10:99")).toBe("99");
    expect(replyReference("10", "discord:11:99")).toBeUndefined();
    expect(replyReference("10", undefined)).toBeUndefined();
  });
});
