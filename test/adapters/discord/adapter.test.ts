import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DiscordAdapter } from "../../../adapters/discord/adapter.js";
import { KNOWN_DMS_KEY, lastKey } from "../../../adapters/discord/inbox.js";
import type { AdapterContext } from "../../../adapters/types.js";
import { AdapterError, RateLimitError } from "../../../src/errors.js";
import { MemoryCursorStore } from "../../../src/state/cursor-store.js";
import { RecordingCursorStore, RecordingIntake } from "../../support/recording-intake.js";
import { discordRig, reader, type DiscordRig } from "./rig.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "silent" });

let rig: DiscordRig;
let intake: RecordingIntake;
let cursors: MemoryCursorStore;
let ctx: AdapterContext;
const running: DiscordAdapter[] = [];

beforeEach(async () => {
  rig = await discordRig();
  intake = new RecordingIntake();
  cursors = new MemoryCursorStore();
  ctx = { intake, cursors: new RecordingCursorStore(cursors, intake), logger: log };
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop()));
  await rig.teardown();
});

/** Polls a condition outside the intake (health), failing with what it waited for. */
async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function started(extra: Parameters<DiscordRig["createAdapter"]>[0] = {}) {
  const adapter = rig.createAdapter(extra);
  running.push(adapter);
  await adapter.start(ctx);
  return adapter;
}

describe("Discord adapter against the fake gateway", () => {
  it("takes a DM in with the reader's ids and remembers the DM channel", async () => {
    const adapter = await started();
    expect(adapter.health().state).toBe("running");
    const id = await rig.injectInbound("Bonjour, j'habite à Lyon.");
    await intake.waitForIds([id]);
    const msg = intake.accepted[0]!;
    expect(msg.replyTo).toBe(`discord:${rig.dm}`);
    expect(msg.sender.id).toBe(`discord:${reader.id}`);
    expect(await cursors.get(KNOWN_DMS_KEY)).toBe(JSON.stringify([rig.dm]));
    await waitFor(() => adapter.health().lastInboundAt !== undefined, "lastInboundAt");
    // The fake only dispatches DMs to sessions that asked for DIRECT_MESSAGES.
    expect(rig.fake.identifies).toBe(1);
  });

  it("ignores the bot's own messages but moves its cursor past them", async () => {
    const adapter = await started();
    const first = await rig.injectInbound("hello");
    await intake.waitForIds([first]);
    await adapter.send({
      to: rig.replyTarget,
      text: "Thanks, we got it.",
      idempotencyKey: "ack-1",
    });
    const [own] = rig.fake.botMessages();
    const second = await rig.injectInbound("one more thing");
    await intake.waitForIds([second]);
    expect(intake.calls.map((m) => m.id)).toEqual([first, second]);
    expect(intake.quarantined).toEqual([]);
    const cursorWrites = intake.events.filter((e) => e.kind === "cursor").map((e) => e.value);
    expect(cursorWrites).toContain(own!.id);
  });

  it("quarantines a reader message it cannot normalise and goes on", async () => {
    await started();
    const empty = rig.fake.post(rig.dm, reader, "");
    const next = await rig.injectInbound("real text");
    await intake.waitForIds([next]);
    expect(intake.quarantined).toHaveLength(1);
    expect(intake.quarantined[0]!.ref).toBe(`discord:${rig.dm}:${empty.id}`);
    expect(intake.quarantined[0]!.reason).toMatch(/empty content/);
    expect(intake.calls.map((m) => m.id)).toEqual([next]);
  });

  it("takes the configured guild contact channel, ignores other guild channels and old history", async () => {
    const contact = rig.fake.guildChannel();
    const other = rig.fake.guildChannel();
    rig.fake.post(contact, reader, "history from before the bot was set up");
    await started({ contactChannelId: contact });
    const ignored = rig.fake.post(other, reader, "not for us");
    const taken = rig.fake.post(contact, reader, "Hi, I'm from Melbourne");
    await intake.waitForIds([`discord:${contact}:${taken.id}`]);
    expect(intake.calls.map((m) => m.id)).toEqual([`discord:${contact}:${taken.id}`]);
    expect(intake.calls.some((m) => m.id.includes(ignored.id))).toBe(false);
    expect(intake.accepted[0]!.text).toBe("Hi, I'm from Melbourne");
  });

  it("resumes after a dropped connection and receives what was dispatched meanwhile, once", async () => {
    await started();
    const before = await rig.injectInbound("before the drop");
    await intake.waitForIds([before]);
    rig.fake.dropConnections();
    const during = await rig.injectInbound("while the socket is down");
    await intake.waitForIds([during]);
    expect(rig.fake.resumes).toBe(1);
    expect(rig.fake.identifies).toBe(1);
    expect(intake.calls.map((m) => m.id)).toEqual([before, during]);
  });

  it("after an invalid session re-IDENTIFYs and catches up through REST", async () => {
    await started();
    const before = await rig.injectInbound("before");
    await intake.waitForIds([before]);
    rig.fake.invalidateSessions();
    rig.fake.dropConnections();
    const missed = [await rig.injectInbound("missed 1"), await rig.injectInbound("missed 2")];
    await intake.waitForIds(missed);
    expect(rig.fake.identifies).toBe(2);
    expect(
      rig.fake.requests.some(
        (r) => r.method === "GET" && r.path.endsWith(`/channels/${rig.dm}/messages`),
      ),
    ).toBe(true);
    expect(intake.calls.map((m) => m.id)).toEqual([before, ...missed]);
  });

  it("catches up more than one page (100) of missed messages, in order, after a restart", async () => {
    const contact = rig.fake.guildChannel();
    const first = await started({ contactChannelId: contact });
    const hello = await rig.injectInbound("hello");
    await intake.waitForIds([hello]);
    await first.stop();
    const missedDm = Array.from({ length: 230 }, (_, i) =>
      rig.fake.post(rig.dm, reader, `dm ${i}`),
    );
    const missedContact = [rig.fake.post(contact, reader, "in the contact channel")];
    await started({ contactChannelId: contact });
    const expected = [
      ...missedDm.map((m) => `discord:${rig.dm}:${m.id}`),
      ...missedContact.map((m) => `discord:${contact}:${m.id}`),
    ];
    await intake.waitForIds(expected);
    const dmCalls = intake.calls.filter((m) => m.replyTo === `discord:${rig.dm}`).map((m) => m.id);
    expect(dmCalls).toEqual([hello, ...expected.slice(0, 230)]);
    expect(intake.calls).toHaveLength(232);
    const pages = rig.fake.requests.filter((r) => r.path.endsWith(`/channels/${rig.dm}/messages`));
    expect(pages.length).toBe(3);
  });

  it("resends idempotently: the same idempotency key posts once (nonce + enforce_nonce)", async () => {
    const adapter = await started();
    const out = {
      to: rig.replyTarget,
      text: "Your message went to the Berlin group.",
      idempotencyKey: "ack:x",
    };
    const a = await adapter.send(out);
    const b = await adapter.send(out);
    const c = await adapter.send({ ...out, idempotencyKey: "ack:y" });
    expect(b.platformMessageId).toBe(a.platformMessageId);
    expect(c.platformMessageId).not.toBe(a.platformMessageId);
    const sent = rig.fake.botMessages();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.nonce).toMatch(/^[\w-]{1,25}$/);
  });

  it("splits a long reply into parts that each carry their own nonce", async () => {
    const adapter = await started();
    const text = Array.from({ length: 700 }, (_, i) => `w${i}`)
      .join(" ")
      .repeat(2);
    await adapter.send({ to: rig.replyTarget, text, idempotencyKey: "long" });
    await adapter.send({ to: rig.replyTarget, text, idempotencyKey: "long" });
    const sent = rig.fake.botMessages();
    expect(sent.length).toBeGreaterThan(1);
    expect(new Set(sent.map((m) => m.nonce)).size).toBe(sent.length);
    expect(sent.map((m) => m.content).join(" ")).toBe(text);
  });

  it("waits out a 429 through discord.js's REST layer, pointed at the fake", async () => {
    const adapter = await started();
    rig.fake.rateLimitNextSend(1);
    const t0 = Date.now();
    await adapter.send({ to: rig.replyTarget, text: "after the limit", idempotencyKey: "rl-1" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const posts = rig.fake.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(rig.fake.botMessages()).toHaveLength(1);
  });

  it("throws RateLimitError when the wait would exceed DISCORD_SEND_MAX_WAIT_MS", async () => {
    const adapter = await started({ sendMaxWaitMs: 500 });
    rig.fake.rateLimitNextSend(3);
    const err: unknown = await adapter
      .send({ to: rig.replyTarget, text: "too soon", idempotencyKey: "rl-2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(2_900);
    expect(rig.fake.botMessages()).toHaveLength(0);
  });

  it("reports a refused send as a permanent AdapterError", async () => {
    const adapter = await started();
    const err: unknown = await adapter
      .send({ to: "discord:1234567", text: "nobody there", idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe("DELIVERY_PERMANENT");
    expect((err as AdapterError).retryable).toBe(false);
  });

  it("does not crash on a rejected token: reports it and retries with backoff", async () => {
    const adapter = await started({ token: "wrong.token.0123456789abcdef" });
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/ADAPTER_AUTH/),
    });
    await new Promise((r) => setTimeout(r, 500));
    const lookups = rig.fake.requests.filter((r) => r.path.endsWith("/gateway/bot"));
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(lookups.every((r) => r.status === 401)).toBe(true);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });

  it("after the gateway rejects the token mid-run, retries until it is valid again and catches up", async () => {
    const adapter = await started();
    const before = await rig.injectInbound("before");
    await intake.waitForIds([before]);
    const valid = rig.fake.token;
    rig.fake.token = "revoked.token.0123456789abcdef";
    rig.fake.closeConnections(4004, "Authentication failed.");
    await waitFor(() => adapter.health().detail?.includes("ADAPTER_AUTH") === true, "ADAPTER_AUTH");
    const during = await rig.injectInbound("while the bot is locked out");
    rig.fake.token = valid;
    await intake.waitForIds([during]);
    expect(adapter.health().state).toBe("running");
    expect(rig.fake.identifies).toBe(2);
    expect(intake.calls.map((m) => m.id)).toEqual([before, during]);
  });

  it("keeps retrying while the platform is unreachable, then comes up", async () => {
    const adapter = rig.createAdapter({ apiUrl: "http://127.0.0.1:9/api" });
    running.push(adapter);
    await adapter.start(ctx);
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/ADAPTER_NETWORK/),
    });
    const t0 = Date.now();
    await adapter.stop();
    expect(Date.now() - t0).toBeLessThan(2_500);
  });

  it("retries start-up while the cursor store is down, then comes up", async () => {
    let failures = 3;
    const flaky: AdapterContext["cursors"] = {
      get: (key) => (failures-- > 0 ? Promise.reject(new Error("ECONNREFUSED")) : cursors.get(key)),
      set: (key, value) => cursors.set(key, value),
    };
    const adapter = rig.createAdapter();
    running.push(adapter);
    await adapter.start({ ...ctx, cursors: flaky });
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/cursor store unavailable/),
    });
    await waitFor(() => adapter.health().state === "running", "running");
    const id = await rig.injectInbound("after the store came back");
    await intake.waitForIds([id]);
  });

  it("stops promptly while the intake is down, without moving the cursor; the next start delivers", async () => {
    const adapter = await started();
    const first = await rig.injectInbound("first");
    await intake.waitForIds([first]);
    intake.failNextSubmits(1_000);
    const stuck = await rig.injectInbound("while Redis is down");
    await intake.waitUntil(() => intake.calls.some((m) => m.id === stuck), "a failed submit");
    const t0 = Date.now();
    await adapter.stop();
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(await cursors.get(lastKey(rig.dm))).toBe(first.split(":")[2]);
    // Redis is back: cancel the failures not yet used.
    const failed = intake.events.filter((e) => e.kind === "submit" && e.outcome === "failed");
    intake.failNextSubmits(-(1_000 - failed.length));
    await started();
    await intake.waitForIds([stuck]);
    expect(intake.acceptedIds()).toEqual([first, stuck]);
  });

  it("retries the cursor store and intake until they come back, without losing the message", async () => {
    await started();
    intake.failNextSubmits(3);
    const id = await rig.injectInbound("while Redis blinks");
    await intake.waitForIds([id]);
    expect(intake.calls.filter((m) => m.id === id)).toHaveLength(4);
    const messageId = id.split(":")[2];
    await intake.waitUntil(
      () =>
        intake.events.some(
          (e) => e.kind === "cursor" && e.key === lastKey(rig.dm) && e.value === messageId,
        ),
      "the cursor at the message once it was enqueued",
    );
  });
});
