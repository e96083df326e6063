import { describe, expect, it } from "vitest";
import { KNOWN_DMS_KEY, lastKey } from "../../../adapters/discord/inbox.js";
import type { AdapterContext } from "../../../adapters/types.js";
import { reader, useDiscordRig, waitFor } from "./rig.js";

const env = useDiscordRig();

describe("Discord adapter: messages in, start and stop", () => {
  it("takes a DM in with the reader's ids and remembers the DM channel", async () => {
    const adapter = await env.started();
    expect(adapter.health().state).toBe("running");
    const id = await env.rig.injectInbound("Bonjour, j'habite à Lyon.");
    await env.intake.waitForIds([id]);
    const msg = env.intake.accepted[0]!;
    expect(msg.replyTo).toBe(`discord:${env.rig.dm}`);
    expect(msg.sender.id).toBe(`discord:${reader.id}`);
    expect(await env.cursors.get(KNOWN_DMS_KEY)).toBe(JSON.stringify([env.rig.dm]));
    await waitFor(() => adapter.health().lastInboundAt !== undefined, "lastInboundAt");
    // The fake only dispatches DMs to sessions that asked for DIRECT_MESSAGES.
    expect(env.rig.fake.identifies).toBe(1);
  });

  it("ignores the bot's own messages but moves its cursor past them", async () => {
    const adapter = await env.started();
    const first = await env.rig.injectInbound("hello");
    await env.intake.waitForIds([first]);
    await adapter.send({
      to: env.rig.replyTarget,
      text: "Thanks, we got it.",
      idempotencyKey: "ack-1",
    });
    const [own] = env.rig.fake.botMessages();
    const second = await env.rig.injectInbound("one more thing");
    await env.intake.waitForIds([second]);
    expect(env.intake.calls.map((m) => m.id)).toEqual([first, second]);
    expect(env.intake.quarantined).toEqual([]);
    const cursorWrites = env.intake.events.filter((e) => e.kind === "cursor").map((e) => e.value);
    expect(cursorWrites).toContain(own!.id);
  });

  it("quarantines a reader message it cannot normalise and goes on", async () => {
    await env.started();
    const empty = env.rig.fake.post(env.rig.dm, reader, "");
    const next = await env.rig.injectInbound("real text");
    await env.intake.waitForIds([next]);
    expect(env.intake.quarantined).toHaveLength(1);
    expect(env.intake.quarantined[0]!.ref).toBe(`discord:${env.rig.dm}:${empty.id}`);
    expect(env.intake.quarantined[0]!.reason).toMatch(/empty content/);
    expect(env.intake.calls.map((m) => m.id)).toEqual([next]);
  });

  it("takes the configured guild contact channel, ignores other guild channels and old history", async () => {
    const contact = env.rig.fake.guildChannel();
    const other = env.rig.fake.guildChannel();
    env.rig.fake.post(contact, reader, "history from before the bot was set up");
    await env.started({ contactChannelId: contact });
    const ignored = env.rig.fake.post(other, reader, "not for us");
    const taken = env.rig.fake.post(contact, reader, "Hi, I'm from Melbourne");
    await env.intake.waitForIds([`discord:${contact}:${taken.id}`]);
    expect(env.intake.calls.map((m) => m.id)).toEqual([`discord:${contact}:${taken.id}`]);
    expect(env.intake.calls.some((m) => m.id.includes(ignored.id))).toBe(false);
    expect(env.intake.accepted[0]!.text).toBe("Hi, I'm from Melbourne");
  });

  it("resumes after a dropped connection and receives what was dispatched meanwhile, once", async () => {
    await env.started();
    const before = await env.rig.injectInbound("before the drop");
    await env.intake.waitForIds([before]);
    env.rig.fake.dropConnections();
    const during = await env.rig.injectInbound("while the socket is down");
    await env.intake.waitForIds([during]);
    expect(env.rig.fake.resumes).toBe(1);
    expect(env.rig.fake.identifies).toBe(1);
    expect(env.intake.calls.map((m) => m.id)).toEqual([before, during]);
  });

  it("after an invalid session re-IDENTIFYs and catches up through REST", async () => {
    await env.started();
    const before = await env.rig.injectInbound("before");
    await env.intake.waitForIds([before]);
    env.rig.fake.invalidateSessions();
    env.rig.fake.dropConnections();
    const missed = [
      await env.rig.injectInbound("missed 1"),
      await env.rig.injectInbound("missed 2"),
    ];
    await env.intake.waitForIds(missed);
    expect(env.rig.fake.identifies).toBe(2);
    expect(
      env.rig.fake.requests.some(
        (r) => r.method === "GET" && r.path.endsWith(`/channels/${env.rig.dm}/messages`),
      ),
    ).toBe(true);
    expect(env.intake.calls.map((m) => m.id)).toEqual([before, ...missed]);
  });

  it("catches up more than one page (100) of missed messages, in order, after a restart", async () => {
    const contact = env.rig.fake.guildChannel();
    const first = await env.started({ contactChannelId: contact });
    const hello = await env.rig.injectInbound("hello");
    await env.intake.waitForIds([hello]);
    await first.stop();
    const missedDm = Array.from({ length: 230 }, (_, i) =>
      env.rig.fake.post(env.rig.dm, reader, `dm ${i}`),
    );
    const missedContact = [env.rig.fake.post(contact, reader, "in the contact channel")];
    await env.started({ contactChannelId: contact });
    const expected = [
      ...missedDm.map((m) => `discord:${env.rig.dm}:${m.id}`),
      ...missedContact.map((m) => `discord:${contact}:${m.id}`),
    ];
    await env.intake.waitForIds(expected);
    const dmCalls = env.intake.calls
      .filter((m) => m.replyTo === `discord:${env.rig.dm}`)
      .map((m) => m.id);
    expect(dmCalls).toEqual([hello, ...expected.slice(0, 230)]);
    expect(env.intake.calls).toHaveLength(232);
    const pages = env.rig.fake.requests.filter((r) =>
      r.path.endsWith(`/channels/${env.rig.dm}/messages`),
    );
    expect(pages.length).toBe(3);
  });

  it("does not crash on a rejected token: reports it and retries with backoff", async () => {
    const adapter = await env.started({ token: "wrong.token.0123456789abcdef" });
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/ADAPTER_AUTH/),
    });
    const lookups = () => env.rig.fake.requests.filter((r) => r.path.endsWith("/gateway/bot"));
    // A retry, however slow the machine: a second lookup, not a fixed wait for one.
    await waitFor(() => lookups().length >= 2, "a second gateway lookup");
    expect(lookups().every((r) => r.status === 401)).toBe(true);
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });

  it("after the gateway rejects the token mid-run, retries until it is valid again and catches up", async () => {
    const adapter = await env.started();
    const before = await env.rig.injectInbound("before");
    await env.intake.waitForIds([before]);
    const valid = env.rig.fake.token;
    env.rig.fake.token = "revoked.token.0123456789abcdef";
    env.rig.fake.closeConnections(4004, "Authentication failed.");
    await waitFor(() => adapter.health().detail?.includes("ADAPTER_AUTH") === true, "ADAPTER_AUTH");
    const during = await env.rig.injectInbound("while the bot is locked out");
    env.rig.fake.token = valid;
    await env.intake.waitForIds([during]);
    expect(adapter.health().state).toBe("running");
    expect(env.rig.fake.identifies).toBe(2);
    expect(env.intake.calls.map((m) => m.id)).toEqual([before, during]);
  });

  it("keeps retrying while the platform is unreachable, then comes up", async () => {
    // An hour's backoff, far past the test's timeout: only stop() can end the wait.
    const adapter = env.rig.createAdapter({
      apiUrl: "http://127.0.0.1:9/api",
      reconnectMinMs: 3_600_000,
      reconnectMaxMs: 3_600_000,
    });
    env.running.push(adapter);
    await adapter.start(env.ctx);
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/ADAPTER_NETWORK/),
    });
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });

  it("retries start-up while the cursor store is down, then comes up", async () => {
    let failures = 3;
    const flaky: AdapterContext["cursors"] = {
      get: (key) =>
        failures-- > 0 ? Promise.reject(new Error("ECONNREFUSED")) : env.cursors.get(key),
      set: (key, value) => env.cursors.set(key, value),
    };
    const adapter = env.rig.createAdapter();
    env.running.push(adapter);
    await adapter.start({ ...env.ctx, cursors: flaky });
    expect(adapter.health()).toMatchObject({
      state: "retrying",
      detail: expect.stringMatching(/cursor store unavailable/),
    });
    await waitFor(() => adapter.health().state === "running", "running");
    const id = await env.rig.injectInbound("after the store came back");
    await env.intake.waitForIds([id]);
  });

  it("stops promptly while the intake is down, without moving the cursor; the next start delivers", async () => {
    // An hour between intake retries, far past the test's timeout: only stop() can end the wait.
    const adapter = await env.started({ retryMinMs: 3_600_000, retryMaxMs: 3_600_000 });
    const first = await env.rig.injectInbound("first");
    await env.intake.waitForIds([first]);
    env.intake.failNextSubmits(1_000);
    const stuck = await env.rig.injectInbound("while Redis is down");
    await env.intake.waitUntil(
      () => env.intake.calls.some((m) => m.id === stuck),
      "a failed submit",
    );
    await adapter.stop();
    expect(await env.cursors.get(lastKey(env.rig.dm))).toBe(first.split(":")[2]);
    // Redis is back: cancel the failures not yet used.
    const failed = env.intake.events.filter((e) => e.kind === "submit" && e.outcome === "failed");
    env.intake.failNextSubmits(-(1_000 - failed.length));
    await env.started();
    await env.intake.waitForIds([stuck]);
    expect(env.intake.acceptedIds()).toEqual([first, stuck]);
  });

  it("retries the cursor store and intake until they come back, without losing the message", async () => {
    await env.started();
    env.intake.failNextSubmits(3);
    const id = await env.rig.injectInbound("while Redis blinks");
    await env.intake.waitForIds([id]);
    expect(env.intake.calls.filter((m) => m.id === id)).toHaveLength(4);
    const messageId = id.split(":")[2];
    await env.intake.waitUntil(
      () =>
        env.intake.events.some(
          (e) => e.kind === "cursor" && e.key === lastKey(env.rig.dm) && e.value === messageId,
        ),
      "the cursor at the message once it was enqueued",
    );
  });
});
