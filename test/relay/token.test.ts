import { describe, expect, it } from "vitest";
import {
  RELAY_TOKEN_LENGTH,
  createRelayToken,
  relayAddress,
  relayRef,
  verifyRelayToken,
} from "../../src/relay/token.js";

const SECRET = "s".repeat(40);

describe("relay token", () => {
  it("round-trips and carries the contact's ref", () => {
    const token = createRelayToken("c:telegram:1:2", SECRET);
    expect(token).toMatch(/^[0-9a-f]+$/);
    expect(token).toHaveLength(RELAY_TOKEN_LENGTH);
    expect(verifyRelayToken(token, SECRET)).toEqual({ ref: relayRef("c:telegram:1:2") });
  });

  it("survives MTAs that upper-case the local part", () => {
    const token = createRelayToken("c:x", SECRET);
    expect(verifyRelayToken(token.toUpperCase(), SECRET)).not.toBeNull();
  });

  it("is deterministic per contact and distinct across contacts", () => {
    expect(createRelayToken("a", SECRET)).toBe(createRelayToken("a", SECRET));
    expect(createRelayToken("a", SECRET)).not.toBe(createRelayToken("b", SECRET));
  });

  it("rejects forged, altered, malformed and other-secret tokens", () => {
    const token = createRelayToken("c:x", SECRET);
    const flipped = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    expect(verifyRelayToken(flipped, SECRET)).toBeNull();
    const otherRef = relayRef("c:y") + token.slice(16);
    expect(verifyRelayToken(otherRef, SECRET)).toBeNull();
    expect(verifyRelayToken(token, "t".repeat(40))).toBeNull();
    expect(verifyRelayToken("", SECRET)).toBeNull();
    expect(verifyRelayToken(`${token}00`, SECRET)).toBeNull();
    expect(verifyRelayToken("zz" + token.slice(2), SECRET)).toBeNull();
  });

  it("refuses short secrets", () => {
    expect(() => createRelayToken("c", "short")).toThrow(/at least 32/);
  });

  it("makes an address whose local part fits the 64-octet limit", () => {
    const address = relayAddress("c:".padEnd(600, "x"), SECRET, "relay.example.org");
    const local = address.split("@")[0]!;
    expect(local.startsWith("relay+")).toBe(true);
    expect(local.length).toBeLessThanOrEqual(64);
  });
});
