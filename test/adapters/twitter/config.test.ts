import { describe, expect, it } from "vitest";
import { createTwitterAdapter, loadTwitterConfig } from "../../../adapters/twitter/index.js";
import { RouterError } from "../../../src/errors.js";

function configError(env: NodeJS.ProcessEnv): RouterError {
  try {
    loadTwitterConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("CONFIG_INVALID");
    return err as RouterError;
  }
  throw new Error("expected CONFIG_INVALID");
}

describe("Twitter config", () => {
  it("stays off without credentials, even with other TWITTER_ settings", () => {
    expect(createTwitterAdapter({})).toBeNull();
    expect(
      createTwitterAdapter({ TWITTER_POLL_INTERVAL_MS: "1000", TWITTER_USER_TOKEN: "" }),
    ).toBeNull();
  });

  it("takes an OAuth 2.0 user token with defaults", () => {
    expect(loadTwitterConfig({ TWITTER_USER_TOKEN: "t" })).toEqual({
      auth: "t",
      apiBase: "https://api.x.com/2/",
      pollIntervalMs: 65_000,
      sendMaxWaitMs: 60_000,
      requestTimeoutMs: 30_000,
      startFrom: "history",
      mentions: true,
      pageSize: 100,
    });
    expect(createTwitterAdapter({ TWITTER_USER_TOKEN: "t" })?.channel).toBe("twitter");
  });

  it("takes the four OAuth 1.0a keys", () => {
    const config = loadTwitterConfig({
      TWITTER_APP_KEY: "a",
      TWITTER_APP_SECRET: "b",
      TWITTER_ACCESS_TOKEN: "c",
      TWITTER_ACCESS_SECRET: "d",
      TWITTER_USER_ID: "990001",
      TWITTER_MENTIONS: "false",
    });
    expect(config?.auth).toEqual({
      appKey: "a",
      appSecret: "b",
      accessToken: "c",
      accessSecret: "d",
    });
    expect(config?.userId).toBe("990001");
    expect(config?.mentions).toBe(false);
  });

  it.each([
    [
      { TWITTER_APP_KEY: "a", TWITTER_APP_SECRET: "b", TWITTER_ACCESS_TOKEN: "c" },
      /TWITTER_ACCESS_SECRET is required/,
    ],
    [{ TWITTER_USER_TOKEN: "t", TWITTER_API_BASE: "ftp://x/2/" }, /TWITTER_API_BASE/],
    [
      { TWITTER_USER_TOKEN: "t", TWITTER_API_BASE: "https://api.x.com/" },
      /TWITTER_API_BASE must be an http\(s\) URL ending in \/2\//,
    ],
    [{ TWITTER_USER_TOKEN: "t", TWITTER_POLL_INTERVAL_MS: "soon" }, /TWITTER_POLL_INTERVAL_MS/],
    [{ TWITTER_USER_TOKEN: "t", TWITTER_PAGE_SIZE: "500" }, /TWITTER_PAGE_SIZE/],
    [
      { TWITTER_USER_TOKEN: "t", TWITTER_USER_ID: "@bot" },
      /TWITTER_USER_ID must be a numeric user id/,
    ],
    [{ TWITTER_USER_TOKEN: "t", TWITTER_MENTIONS: "yes" }, /TWITTER_MENTIONS/],
  ])("rejects %j naming the variable", (env, reason) => {
    expect(configError(env).message).toMatch(reason);
  });

  it("never puts a secret in the error", () => {
    const err = configError({ TWITTER_APP_KEY: "super-secret-key", TWITTER_APP_SECRET: "s3cr3t" });
    expect(err.message).not.toMatch(/super-secret|s3cr3t/);
  });
});
