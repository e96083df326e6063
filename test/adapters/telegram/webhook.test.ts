import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramAdapter } from "../../../adapters/telegram/adapter.js";
import { SECRET_HEADER } from "../../../adapters/telegram/webhook.js";
import { ANNA, privateText } from "./fixtures.js";
import { TelegramRig, eventually } from "./rig.js";

const SECRET = "s3cret_token-for-tests-0123456789";
const PATH = "/telegram/hook";

let rig: TelegramRig;
let adapter: TelegramAdapter;
let port: number;

beforeEach(async () => {
  rig = await new TelegramRig().start();
  adapter = rig.adapter(undefined, {
    url: `https://router.example.org${PATH}`,
    path: PATH,
    secret: SECRET,
    port: 0,
    host: "127.0.0.1",
  });
  await adapter.start(rig.ctx);
  await eventually("webhook running", () => adapter.health().state === "running");
  port = adapter.webhookPort()!;
});
afterEach(async () => {
  await rig.close();
});

/** POSTs to the webhook; with `endBody: false` the body is never finished. */
function post(
  body: string,
  headers: Record<string, string>,
  { path = PATH, endBody = true } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    req.write(body);
    if (endBody) req.end();
  });
}

describe("TelegramAdapter webhook mode", () => {
  it("registers the webhook with its secret token and allowed updates", () => {
    expect(rig.api.webhook).toEqual({
      url: `https://router.example.org${PATH}`,
      secret_token: SECRET,
      allowed_updates: ["message", "edited_message", "callback_query"],
    });
  });

  it("refuses a wrong or missing secret before reading the body", async () => {
    // The body is never finished: an answer proves the server did not wait to read it.
    expect(await post('{"update_id":1,', { [SECRET_HEADER]: "wrong" }, { endBody: false })).toBe(
      401,
    );
    expect(await post("{", {}, { endBody: false })).toBe(401);
    expect(await post("{}", { [SECRET_HEADER]: SECRET }, { path: "/elsewhere" })).toBe(404);
    expect(rig.intake.calls).toEqual([]);
    expect(rig.intake.quarantined).toEqual([]);
  });

  it("answers 200 only once the update is enqueued, 500 when the intake fails", async () => {
    const update = JSON.stringify(privateText(500, ANNA, 3, "Hallo aus Wien"));
    rig.intake.failNextSubmits(1);
    expect(await post(update, { [SECRET_HEADER]: SECRET })).toBe(500);
    expect(rig.intake.accepted).toEqual([]);
    expect(await rig.offset()).toBe(0);
    // Telegram delivers again after a non-2xx answer.
    expect(await post(update, { [SECRET_HEADER]: SECRET })).toBe(200);
    expect(rig.intake.acceptedIds()).toEqual([`telegram:${ANNA.id}:3`]);
    expect(await rig.offset()).toBe(501);
    expect(await post(update, { [SECRET_HEADER]: SECRET })).toBe(200);
    expect(rig.intake.accepted).toHaveLength(1);
  });

  it("takes a re-delivered press (same update) as one answer and answers the press", async () => {
    const { platformMessageId } = await adapter.send({
      to: `telegram:${ANNA.id}`,
      text: "Von wo schreibst du?",
      idempotencyKey: "ask",
      choices: [
        { data: "loc:DE", label: "Deutschland" },
        { data: "loc:decline", label: "Möchte ich nicht sagen" },
      ],
    });
    const [, chat, message] = platformMessageId.split(":").map(Number);
    rig.api.pressButton(ANNA, chat!, message!, "loc:decline");
    // The webhook gets what getUpdates would have: the queued callback_query update.
    const update = JSON.stringify(rig.api.pendingUpdates().at(-1));
    expect(await post(update, { [SECRET_HEADER]: SECRET })).toBe(200);
    expect(await post(update, { [SECRET_HEADER]: SECRET })).toBe(200);
    const answerId = `telegram:${chat}:${message}:choice`;
    expect(rig.intake.acceptedIds()).toEqual([answerId]);
    expect(rig.intake.calls.map((m) => m.id)).toEqual([answerId, answerId]);
    expect(rig.intake.accepted[0]!.choice).toEqual({
      data: "loc:decline",
      inReplyTo: platformMessageId,
    });
    expect(rig.api.unansweredCallbacks()).toEqual([]);
    expect(rig.api.keyboardOf(chat!, message!)).toBeNull();
  });

  it("keeps bodies it cannot use in quarantine instead of dropping them", async () => {
    expect(await post("not json", { [SECRET_HEADER]: SECRET })).toBe(200);
    expect(
      await post('{"update_id":7,"message":{"message_id":1}}', { [SECRET_HEADER]: SECRET }),
    ).toBe(200);
    expect(rig.intake.quarantined.map((q) => [q.ref, q.reason])).toEqual([
      ["telegram:webhook:unparseable", "webhook body is not JSON"],
      ["telegram:update:7", expect.stringMatching(/invalid Telegram update: message\./)],
    ]);
  });

  it("refuses oversized bodies", async () => {
    expect(await post("x".repeat(1_100_000), { [SECRET_HEADER]: SECRET })).toBe(413);
  });
});
