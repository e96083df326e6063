import { pino } from "pino";
import { afterEach, expect, describe, it } from "vitest";
import type { ChannelAdapter } from "../../../adapters/types.js";
import { AdapterError, InvalidPayloadError, RateLimitError } from "../../../src/errors.js";
import { FakeTwitterApi } from "../../fakes/twitter-api.js";
import { adapterFor, eventually, recordingContext } from "./rig.js";

let fake: FakeTwitterApi | undefined;
let adapter: ChannelAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

async function startFake(): Promise<FakeTwitterApi> {
  fake = new FakeTwitterApi();
  await fake.start();
  return fake;
}

describe("TwitterAdapter send", () => {
  it("replies to a mention with a reply tweet", async () => {
    const f = await startFake();
    adapter = adapterFor(f.baseUrl);
    await adapter.start(recordingContext().ctx);
    const res = await adapter.send({
      to: "twitter:tweet:1860000000000000303",
      text: "Check your DMs",
      idempotencyKey: "k",
    });
    expect(res.platformMessageId).toMatch(/^twitter:tweet:\d+$/);
    expect(f.sentTexts()).toEqual([
      { to: "twitter:tweet:1860000000000000303", text: "Check your DMs" },
    ]);
  });

  it("DMs a user directly for a twitter:user target", async () => {
    const f = await startFake();
    adapter = adapterFor(f.baseUrl);
    await adapter.start(recordingContext().ctx);
    const res = await adapter.send({
      to: "twitter:user:1570000000000000009",
      text: "hi",
      idempotencyKey: "k",
    });
    expect(res.platformMessageId).toMatch(/^twitter:dm:\d+$/);
    expect(f.sentTexts()[0]?.to).toBe(`twitter:dm:1570000000000000009-${f.bot.id}`);
  });

  it("gives up with RateLimitError when the reset is further away than the bound", async () => {
    const f = await startFake();
    adapter = adapterFor(f.baseUrl, { TWITTER_SEND_MAX_WAIT_MS: "500" });
    await adapter.start(recordingContext().ctx);
    f.rateLimitNextSends(1, 30);
    const err: unknown = await adapter
      .send({ to: "twitter:dm:1-2", text: "hi", idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThan(25_000);
    expect(f.sentTexts()).toEqual([]);
  });

  it("stop() ends a pending 429 wait at once", async () => {
    const f = await startFake();
    // The reset is half an hour away, far past the test's timeout, and within the hour the
    // adapter may wait: only stop() can end the wait.
    adapter = adapterFor(f.baseUrl, { TWITTER_SEND_MAX_WAIT_MS: "3600000" });
    // The adapter's own log line says it is in the wait; the fake having answered 429 is not
    // enough, since on a loaded machine the answer may still be on its way to the client.
    const messages: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void messages.push(line) });
    await adapter.start({ ...recordingContext().ctx, logger });
    f.rateLimitNextSends(1, 1_800);
    const pending = adapter
      .send({ to: "twitter:dm:1-2", text: "hi", idempotencyKey: "k" })
      .catch((e: unknown) => e);
    await eventually(
      () => messages.some((l) => l.includes("send rate limited (429), waiting")),
      "the adapter waiting out the 429",
    );
    await adapter.stop();
    const err = await pending;
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).message).toMatch(/adapter stopped/);
    expect(f.sentTexts()).toEqual([]);
  });

  it("rejects bad targets and over-long texts before calling X", async () => {
    const f = await startFake();
    adapter = adapterFor(f.baseUrl);
    await adapter.start(recordingContext().ctx);
    const a = adapter;
    const attempt = (to: string, text = "hi") =>
      a.send({ to, text, idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(await attempt("telegram:123")).toBeInstanceOf(InvalidPayloadError);
    expect(await attempt("twitter:group:1")).toBeInstanceOf(InvalidPayloadError);
    expect(await attempt("nonsense")).toBeInstanceOf(InvalidPayloadError);
    const long = await attempt("twitter:tweet:1", "x".repeat(281));
    expect(long).toMatchObject({ code: "MESSAGE_TOO_LARGE" });
    const refused = await attempt("twitter:dm:bad id");
    expect(refused).toBeInstanceOf(AdapterError);
    expect(refused).toMatchObject({ code: "DELIVERY_PERMANENT", retryable: false });
    expect(f.sentTexts()).toEqual([]);
  });
});
