import { describe, expect, it } from "vitest";
import { createTelegramAdapter, readTelegramConfig } from "../../../adapters/telegram/index.js";
import { RouterError } from "../../../src/errors.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

function configError(env: NodeJS.ProcessEnv): RouterError {
  try {
    readTelegramConfig(env);
  } catch (err) {
    if (err instanceof RouterError) return err;
    throw err;
  }
  throw new Error("configuration was accepted");
}

describe("Telegram configuration", () => {
  it("stays off without a token", () => {
    expect(createTelegramAdapter({})).toBeNull();
    expect(createTelegramAdapter({ TELEGRAM_BOT_TOKEN: "" })).toBeNull();
  });

  it("defaults to polling the public Bot API", () => {
    expect(readTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN })).toEqual({
      token: TOKEN,
      apiRoot: "https://api.telegram.org",
      webhook: null,
    });
    expect(createTelegramAdapter({ TELEGRAM_BOT_TOKEN: TOKEN })?.channel).toBe("telegram");
  });

  it("reads webhook mode", () => {
    const config = readTelegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_URL: "https://router.example.org/tg/hook",
      TELEGRAM_WEBHOOK_SECRET: "0123456789abcdef_XYZ",
      TELEGRAM_WEBHOOK_PORT: "8088",
    });
    expect(config?.webhook).toEqual({
      url: "https://router.example.org/tg/hook",
      path: "/tg/hook",
      secret: "0123456789abcdef_XYZ",
      port: 8088,
      host: "0.0.0.0",
    });
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: "not-a-token" }, /TELEGRAM_BOT_TOKEN/],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "ftp://x" }, /TELEGRAM_API_ROOT/],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "push" }, /TELEGRAM_MODE/],
    [
      { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "webhook" },
      /TELEGRAM_WEBHOOK_URL.*TELEGRAM_WEBHOOK_SECRET/,
    ],
    [
      {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_MODE: "webhook",
        TELEGRAM_WEBHOOK_URL: "http://insecure.example.org/",
        TELEGRAM_WEBHOOK_SECRET: "short",
      },
      /TELEGRAM_WEBHOOK_URL.*TELEGRAM_WEBHOOK_SECRET/,
    ],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_PORT: "99999" }, /TELEGRAM_WEBHOOK_PORT/],
  ])("names the wrong variable in %j", (env, variable) => {
    const err = configError(env);
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toMatch(variable);
    expect(err.message).not.toContain(TOKEN);
  });
});
