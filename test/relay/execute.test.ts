import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundText } from "../../adapters/types.js";
import { newConversation } from "../../src/conversation/history.js";
import type { ConversationStore } from "../../src/conversation/store.js";
import type { Conversation } from "../../src/conversation/types.js";
import { AdapterError, RateLimitError } from "../../src/errors.js";
import type { Channel } from "../../src/message/channel.js";
import { runPlan } from "../../src/relay/execute.js";
import type { RelayAction, RelayPlan } from "../../src/relay/plan.js";
import { createRelayTokens } from "../../src/relay/token.js";
import { RecordingDelivery } from "../queue/fixtures.js";
import { cleanup, testPrefix, testRedis } from "../queue/helpers.js";
import { readerInput, testKeyring, testStore } from "../conversation/fixtures.js";

/** A Sender whose behaviour per call is scripted: "ok", or an error to throw after (or before) sending. */
class ScriptedSender {
  readonly delivered: { channel: Channel; m: OutboundText }[] = [];
  readonly attempts: string[] = [];
  script: ((m: OutboundText) => "ok" | { fail: Error; sent: boolean })[] = [];
  send(channel: Channel, m: OutboundText) {
    this.attempts.push(m.text);
    const step = this.script.shift()?.(m) ?? "ok";
    if (step === "ok") {
      this.delivered.push({ channel, m });
      return Promise.resolve({ platformMessageId: "x" });
    }
    if (step.sent) this.delivered.push({ channel, m });
    return Promise.reject(step.fail);
  }
}

describe("relay sends: exactly once (real Redis ledger)", () => {
  let redis: Redis;
  let prefix: string;
  let store: ConversationStore;
  let conv: Conversation;
  const keyring = testKeyring();
  const tokens = createRelayTokens(keyring);

  beforeEach(async () => {
    redis = testRedis();
    prefix = testPrefix();
    store = testStore(redis, prefix, keyring);
    const input = readerInput(1);
    conv = (
      await store.create(input.contactId, "telegram:1000", (id, ref) =>
        newConversation(id, ref, input, {
          channel: "telegram",
          country: "AT",
          language: "de",
          words: "x",
        }),
      )
    ).conversation;
  });
  afterEach(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  function plan(channel: Channel, parts: string[]): RelayPlan {
    const actions: RelayAction[] = parts.map((text, i) => ({
      kind: "reader",
      key: `r1:${i}`,
      channel,
      to: `${channel}:1000`,
      text,
    }));
    return {
      conversationId: conv.id,
      replyId: "r1",
      outcome: "answer",
      affiliate: "gik",
      notify: "de@leftcom.org",
      inReplyTo: null,
      actions,
    };
  }

  function deps(sender: ScriptedSender, delivery = new RecordingDelivery()) {
    return {
      store,
      tokens,
      sender,
      delivery,
      mail: {
        from: "contact-router <router@example.net>",
        messageIdDomain: "example.net",
        relayDomain: "relay.example.net",
      },
    };
  }

  it("skips what was sent when a job is retried", async () => {
    const sender = new ScriptedSender();
    sender.script = [() => "ok", () => ({ fail: new RateLimitError("429", 10), sent: false })];
    const p = plan("telegram", ["part 1", "part 2"]);
    await expect(runPlan(deps(sender), p)).rejects.toThrow(RateLimitError);
    // A 429 certainly sent nothing: the retry sends part 2, and part 1 not again.
    const again = await runPlan(deps(sender), p);
    expect(again).toMatchObject({ sent: 1, skipped: 1, uncertain: 0 });
    expect(sender.delivered.map((d) => d.m.text)).toEqual(["part 1", "part 2"]);
    expect(await runPlan(deps(sender), p)).toMatchObject({ sent: 0, skipped: 2 });
  });

  it("never sends twice on Telegram after an ambiguous network error: the affiliate is told instead", async () => {
    const sender = new ScriptedSender();
    const lost = new AdapterError("telegram", "ADAPTER_NETWORK", "sendMessage failed", {
      retryable: true,
    });
    sender.script = [() => ({ fail: lost, sent: true })];
    const delivery = new RecordingDelivery();
    const p = plan("telegram", ["the answer"]);
    await expect(runPlan(deps(sender, delivery), p)).rejects.toThrow(/sendMessage failed/);
    const again = await runPlan(deps(sender, delivery), p);
    expect(again).toMatchObject({ sent: 0, uncertain: 1 });
    expect(sender.attempts).toEqual(["the answer"]);
    expect(sender.delivered).toHaveLength(1);
    expect(delivery.mails).toHaveLength(1);
    expect(delivery.mails[0]!.mail.text).toContain(
      "We could not confirm that your answer reached the reader.",
    );
    expect(delivery.mails[0]!.mail.to.address).toBe("de@leftcom.org");
  });

  it("repeats a half-done send where the platform dedupes it (Discord nonce)", async () => {
    const sender = new ScriptedSender();
    const lost = new AdapterError("discord", "ADAPTER_NETWORK", "send failed: AbortError", {
      retryable: true,
    });
    sender.script = [() => ({ fail: lost, sent: false })];
    const p = plan("discord", ["the answer"]);
    await expect(runPlan(deps(sender), p)).rejects.toThrow();
    expect(await runPlan(deps(sender), p)).toMatchObject({ sent: 1, uncertain: 0 });
    // Both attempts carry the same idempotency key, so Discord keeps one message.
    expect(new Set(sender.attempts)).toEqual(new Set(["the answer"]));
  });

  it("marks the reader unreachable on a permanent refusal, skips the other parts, tells the affiliate", async () => {
    const sender = new ScriptedSender();
    sender.script = [
      () => ({
        fail: new AdapterError("telegram", "DELIVERY_PERMANENT", "sendMessage refused (403)"),
        sent: false,
      }),
    ];
    const delivery = new RecordingDelivery();
    const result = await runPlan(deps(sender, delivery), plan("telegram", ["a", "b", "c"]));
    expect(result).toMatchObject({ sent: 0, unreachable: true, skipped: 2 });
    expect(sender.attempts).toEqual(["a"]);
    expect((await store.get(conv.id))!.reader.unreachable).toMatchObject({
      channel: "telegram",
      code: "DELIVERY_PERMANENT: telegram: sendMessage refused (403)",
    });
    expect(delivery.mails.map((m) => m.mail.text).join()).toContain("Telegram refused it for good");
  });
});
