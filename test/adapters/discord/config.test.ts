import { describe, expect, it } from "vitest";
import { createDiscordAdapter, loadDiscordConfig } from "../../../adapters/discord/index.js";
import { RouterError } from "../../../src/errors.js";

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcDE.abcdefghijklmnopqrstuvwxyz012345";

function configError(env: NodeJS.ProcessEnv): RouterError {
  try {
    loadDiscordConfig(env);
  } catch (err) {
    if (err instanceof RouterError) return err;
    throw err;
  }
  throw new Error("config was accepted");
}

describe("Discord configuration", () => {
  it("stays off when no DISCORD_* variable is set", () => {
    expect(loadDiscordConfig({})).toBeNull();
    expect(createDiscordAdapter({ DISCORD_BOT_TOKEN: "" })).toBeNull();
  });

  it("reads a full configuration", () => {
    expect(
      loadDiscordConfig({
        DISCORD_BOT_TOKEN: TOKEN,
        DISCORD_CONTACT_CHANNEL_ID: "1109876543210987654",
        DISCORD_API_URL: "http://127.0.0.1:9999/api/",
        DISCORD_SEND_MAX_WAIT_MS: "2500",
      }),
    ).toEqual({
      token: TOKEN,
      contactChannelId: "1109876543210987654",
      apiUrl: "http://127.0.0.1:9999/api",
      sendMaxWaitMs: 2500,
    });
    expect(createDiscordAdapter({ DISCORD_BOT_TOKEN: TOKEN })?.channel).toBe("discord");
  });

  it.each([
    [{ DISCORD_CONTACT_CHANNEL_ID: "1109876543210987654" }, /DISCORD_BOT_TOKEN is required/],
    [{ DISCORD_BOT_TOKEN: "Bot abc def ghi jkl mno pqr" }, /DISCORD_BOT_TOKEN/],
    [
      { DISCORD_BOT_TOKEN: TOKEN, DISCORD_CONTACT_CHANNEL_ID: "general" },
      /DISCORD_CONTACT_CHANNEL_ID/,
    ],
    [{ DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: "ftp://x" }, /DISCORD_API_URL/],
    [{ DISCORD_BOT_TOKEN: TOKEN, DISCORD_SEND_MAX_WAIT_MS: "soon" }, /DISCORD_SEND_MAX_WAIT_MS/],
  ])("names the wrong variable (%o)", (env, reason) => {
    const err = configError(env);
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain(TOKEN);
  });
});
