import { afterEach, describe, expect, it } from "vitest";
import { cursorKey } from "../../../adapters/twitter/index.js";
import type { ChannelAdapter } from "../../../adapters/types.js";
import { FakeTwitterApi } from "../../fakes/twitter-api.js";
import type { RecordingIntake } from "../../support/recording-intake.js";
import { adapterFor, eventually, reader, recordingContext } from "./rig.js";

let fake: FakeTwitterApi | undefined;
let adapter: ChannelAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

/** The cursor is written just after submit resolves, so wait for the write itself. */
function cursorReaches(intake: RecordingIntake, key: string, value: string): Promise<void> {
  return intake.waitUntil(
    () => intake.events.some((e) => e.kind === "cursor" && e.key === key && e.value === value),
    `cursor ${key} = ${value}`,
  );
}

async function startFake(pageSize?: number): Promise<FakeTwitterApi> {
  fake = new FakeTwitterApi(pageSize === undefined ? {} : { pageSize });
  await fake.start();
  return fake;
}

describe("TwitterAdapter polling", () => {
  it("pages down across several pages between two polls, oldest first, and stops at the high-water mark", async () => {
    const f = await startFake(2);
    const alice = reader(1, "Zürich");
    const old = [1, 2, 3].map((i) => f.injectDm(alice, `old ${i}`));
    const { intake, ctx, cursors } = recordingContext();
    // A slow poll, so the next batch surely lands between two polls.
    adapter = adapterFor(f.baseUrl, { TWITTER_POLL_INTERVAL_MS: "1500" });
    await adapter.start(ctx);
    await intake.waitForIds(old.map((id) => `twitter:dm:${id}`));
    const readsBefore = f.requests.filter((r) => r.path === "/2/dm_events").length;

    const fresh = [1, 2, 3, 4, 5, 6, 7].map((i) => f.injectDm(alice, `new ${i}`));
    await intake.waitForIds(fresh.map((id) => `twitter:dm:${id}`));

    expect(intake.acceptedIds()).toEqual([...old, ...fresh].map((id) => `twitter:dm:${id}`));
    expect(intake.submitCalls).toBe(10);
    const reads = f.requests.filter((r) => r.path === "/2/dm_events").slice(readsBefore);
    // 7 new in pages of 2 = 4 pages, the 4th also holding the high-water mark: no 5th page fetched.
    expect(reads.length).toBe(4);
    expect(reads.filter((r) => r.query.has("pagination_token")).length).toBe(3);
    const q = reads[0]!.query;
    expect(q.get("expansions")).toBe("sender_id");
    expect(q.get("user.fields")?.split(",")).toContain("location");
    expect(q.get("event_types")).toBe("MessageCreate");
    expect(q.get("dm_event.fields")?.split(",")).toEqual(
      expect.arrayContaining(["sender_id", "dm_conversation_id", "created_at", "text"]),
    );
    await cursorReaches(intake, cursorKey("dm_events"), fresh[6]!);
    expect(await cursors.get(cursorKey("dm_events"))).toBe(fresh[6]);
    expect(intake.accepted[0]?.evidence.profileLocation).toBe("Zürich");
  });

  it("asks for mentions since the stored high-water mark", async () => {
    const f = await startFake(5);
    const bob = reader(2, "Paris");
    const { intake, ctx, cursors } = recordingContext();
    const first = f.injectMention(bob, "first");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    await intake.waitForIds([`twitter:tweet:${first}`]);
    const second = f.injectMention(bob, "second");
    await intake.waitForIds([`twitter:tweet:${second}`]);
    const mentionReads = f.requests.filter((r) => r.path.endsWith("/mentions"));
    expect(mentionReads.some((r) => r.query.get("since_id") === first)).toBe(true);
    expect(mentionReads[0]?.query.get("expansions")).toBe("author_id");
    await cursorReaches(intake, cursorKey("mentions"), second);
    expect(await cursors.get(cursorKey("mentions"))).toBe(second);
    expect(intake.accepted.map((m) => m.text)).toEqual(["first", "second"]);
  });

  it("waits out a 429 until x-rate-limit-reset, says so in health, then carries on", async () => {
    const f = await startFake();
    const { intake, ctx } = recordingContext();
    f.rateLimitNextReads(1, 1);
    const id = f.injectDm(reader(3), "during a rate limit");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    const a = adapter;
    await eventually(
      () => /rate limited \(429\) on dm_events until/.test(a.health().detail ?? ""),
      "health to show the 429",
    );
    expect(a.health().state).toBe("retrying");
    expect(intake.submitCalls).toBe(0);
    await intake.waitForIds([`twitter:dm:${id}`]);
    await eventually(() => a.health().state === "running", "health back to running");
    expect(a.health().lastInboundAt).toBeDefined();
  });

  it("a 429 on mentions pauses only mentions: DMs keep flowing", async () => {
    const f = await startFake();
    const { intake, ctx } = recordingContext();
    f.rateLimitNextReads(1, 2, "mentions");
    const mention = f.injectMention(reader(9), "a mention");
    const dm = f.injectDm(reader(10), "a DM");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    const a = adapter;
    await intake.waitForIds([`twitter:dm:${dm}`]);
    expect(intake.acceptedIds()).not.toContain(`twitter:tweet:${mention}`);
    await eventually(
      () => /on mentions until/.test(a.health().detail ?? ""),
      "health to name mentions",
    );
    expect(a.health().detail).not.toMatch(/dm_events/);
    await intake.waitForIds([`twitter:tweet:${mention}`]);
  });

  it("with TWITTER_START_FROM=now, a first start skips history and takes in what comes after", async () => {
    const f = await startFake();
    const { intake, ctx } = recordingContext();
    for (const i of [1, 2, 3]) f.injectDm(reader(11), `history ${i}`);
    f.injectMention(reader(12), "old mention");
    adapter = adapterFor(f.baseUrl, { TWITTER_START_FROM: "now" });
    await adapter.start(ctx);
    await intake.waitUntil(
      () => intake.events.filter((e) => e.kind === "cursor").length >= 2,
      "both cursors set",
    );
    const fresh = f.injectDm(reader(11), "new");
    await intake.waitForIds([`twitter:dm:${fresh}`]);
    expect(intake.acceptedIds()).toEqual([`twitter:dm:${fresh}`]);
  });

  it("steps over the bot's own DMs and never routes them", async () => {
    const f = await startFake();
    const alice = reader(4);
    const { intake, ctx, cursors } = recordingContext();
    const first = f.injectDm(alice, "hello bot");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    await intake.waitForIds([`twitter:dm:${first}`]);
    await adapter.send({
      to: `twitter:dm:${alice.id}-${f.bot.id}`,
      text: "Thanks, forwarded.",
      idempotencyKey: "k1",
    });
    const second = f.injectDm(alice, "thank you");
    await intake.waitForIds([`twitter:dm:${second}`]);
    expect(intake.acceptedIds()).toEqual([`twitter:dm:${first}`, `twitter:dm:${second}`]);
    expect(intake.accepted.every((m) => m.sender.id !== `twitter:user:${f.bot.id}`)).toBe(true);
    await cursorReaches(intake, cursorKey("dm_events"), second);
    expect(await cursors.get(cursorKey("dm_events"))).toBe(second);
  });

  it("quarantines a payload that fails normalize, moves past it and keeps going", async () => {
    const f = await startFake();
    const { intake, ctx } = recordingContext();
    const bad = f.injectDm(reader(5, "x".repeat(300)), "profile too long");
    const good = f.injectDm(reader(6), "fine");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    await intake.waitForIds([`twitter:dm:${good}`]);
    expect(intake.quarantined).toHaveLength(1);
    expect(intake.quarantined[0]).toMatchObject({
      ref: `twitter:dm:${bad}`,
      reason: expect.stringMatching(/user\.location is longer than 200/),
    });
  });

  it("quarantines a row without a usable id once, without making it a cursor", async () => {
    const f = await startFake();
    const { intake, ctx, cursors } = recordingContext();
    const before = f.injectDm(reader(13), "before");
    f.injectRawDmEvent({ event_type: "MessageCreate", text: "no id", sender_id: reader(13).id });
    const after = f.injectDm(reader(13), "after");
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    await intake.waitForIds([`twitter:dm:${before}`, `twitter:dm:${after}`]);
    await cursorReaches(intake, cursorKey("dm_events"), after);
    const reads = f.requests.length;
    await eventually(() => f.requests.length >= reads + 6, "three more polls");
    expect(intake.quarantined.map((q) => q.ref)).toEqual(["twitter:dm:no-id"]);
    expect(intake.quarantined[0]?.reason).toMatch(/data\.id/);
    expect(await cursors.get(cursorKey("dm_events"))).toBe(after);
  });

  it("survives rejected credentials at start, reports them, and recovers with backoff", async () => {
    const f = await startFake();
    f.authFails = true;
    const { intake, ctx } = recordingContext();
    adapter = adapterFor(f.baseUrl);
    await adapter.start(ctx);
    const a = adapter;
    await eventually(() => /HTTP 401/.test(a.health().detail ?? ""), "health to report the 401");
    expect(a.health().state).toBe("retrying");
    f.authFails = false;
    const id = f.injectDm(reader(7), "after the fix");
    await intake.waitForIds([`twitter:dm:${id}`]);
  });

  it("survives the platform being unreachable, and stops promptly", async () => {
    const f = await startFake();
    const url = f.baseUrl;
    await f.close();
    const { ctx } = recordingContext();
    adapter = adapterFor(url);
    await adapter.start(ctx);
    const a = adapter;
    await eventually(() => a.health().state === "retrying", "health to report the failure");
    await a.stop();
    expect(a.health().state).toBe("stopped");
  });

  it("stop() ends the wait between polls at once", async () => {
    const f = await startFake();
    const { intake, ctx } = recordingContext();
    const id = f.injectDm(reader(9), "one message, then an hour's pause");
    // An hour between polls, far past the test's timeout: only stop() can end the pause.
    adapter = adapterFor(f.baseUrl, {
      TWITTER_POLL_INTERVAL_MS: "3600000",
      TWITTER_MENTIONS: "false",
    });
    await adapter.start(ctx);
    await intake.waitForIds([`twitter:dm:${id}`]);
    await eventually(() => adapter!.health().state === "running", "the round to finish");
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });

  it("stops promptly even while a request to a hung server is in flight", async () => {
    const f = await startFake();
    f.hang = true;
    // The call would time out only after 10 minutes, past the test's timeout: stop() must cut it.
    adapter = adapterFor(f.baseUrl, { TWITTER_REQUEST_TIMEOUT_MS: "600000" });
    await adapter.start(recordingContext().ctx);
    await eventually(() => f.requests.length > 0, "the first request");
    await adapter.stop();
    expect(adapter.health().state).toBe("stopped");
  });
});

describe("TwitterAdapter hung server", () => {
  it("times a silent call out, reports it and carries on once the server answers again", async () => {
    const f = await startFake();
    f.hang = true;
    const { intake, ctx } = recordingContext();
    adapter = adapterFor(f.baseUrl, { TWITTER_REQUEST_TIMEOUT_MS: "300" });
    await adapter.start(ctx);
    const a = adapter;
    await eventually(() => a.health().state === "retrying", "health to report the timeout");
    f.hang = false;
    const id = f.injectDm(reader(8), "after the hang");
    await intake.waitForIds([`twitter:dm:${id}`]);
  });
});
