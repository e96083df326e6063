import { describe, expect, it } from "vitest";
import { AdapterError, RateLimitError } from "../../../src/errors.js";
import { useDiscordRig } from "./rig.js";

const env = useDiscordRig();

describe("Discord adapter: send", () => {
  it("resends idempotently: the same idempotency key posts once (nonce + enforce_nonce)", async () => {
    const adapter = await env.started();
    const out = {
      to: env.rig.replyTarget,
      text: "Your message went to the Berlin group.",
      idempotencyKey: "ack:x",
    };
    const a = await adapter.send(out);
    const b = await adapter.send(out);
    const c = await adapter.send({ ...out, idempotencyKey: "ack:y" });
    expect(b.platformMessageId).toBe(a.platformMessageId);
    expect(c.platformMessageId).not.toBe(a.platformMessageId);
    const sent = env.rig.fake.botMessages();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.nonce).toMatch(/^[\w-]{1,25}$/);
  });

  it("splits a long reply into parts that each carry their own nonce", async () => {
    const adapter = await env.started();
    const text = Array.from({ length: 700 }, (_, i) => `w${i}`)
      .join(" ")
      .repeat(2);
    await adapter.send({ to: env.rig.replyTarget, text, idempotencyKey: "long" });
    await adapter.send({ to: env.rig.replyTarget, text, idempotencyKey: "long" });
    const sent = env.rig.fake.botMessages();
    expect(sent.length).toBeGreaterThan(1);
    expect(new Set(sent.map((m) => m.nonce)).size).toBe(sent.length);
    expect(sent.map((m) => m.content).join(" ")).toBe(text);
  });

  it("waits out a 429 through discord.js's REST layer, pointed at the fake", async () => {
    const adapter = await env.started();
    env.rig.fake.rateLimitNextSend(1);
    const t0 = Date.now();
    await adapter.send({
      to: env.rig.replyTarget,
      text: "after the limit",
      idempotencyKey: "rl-1",
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const posts = env.rig.fake.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(env.rig.fake.botMessages()).toHaveLength(1);
  });

  it("throws RateLimitError when the wait would exceed DISCORD_SEND_MAX_WAIT_MS", async () => {
    const adapter = await env.started({ sendMaxWaitMs: 500 });
    env.rig.fake.rateLimitNextSend(3);
    const err: unknown = await adapter
      .send({ to: env.rig.replyTarget, text: "too soon", idempotencyKey: "rl-2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(2_900);
    expect(env.rig.fake.botMessages()).toHaveLength(0);
  });

  it("reports a refused send as a permanent AdapterError", async () => {
    const adapter = await env.started();
    const err: unknown = await adapter
      .send({ to: "discord:1234567", text: "nobody there", idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe("DELIVERY_PERMANENT");
    expect((err as AdapterError).retryable).toBe(false);
  });
});
