import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { cursorKey } from "../../../adapters/twitter/index.js";
import type { ChannelAdapter } from "../../../adapters/types.js";
import { createMetrics } from "../../../src/metrics.js";
import { FakeTwitterApi, type FakeTwitterOptions } from "../../fakes/twitter-api.js";
import { adapterFor, eventually, reader, recordingContext } from "./rig.js";

// Issue 10: a DM backlog longer than 100 pages used to be cut to its newest 100 pages and the
// cursor moved past the rest, so older DMs were lost with one log line. Now the page-down goes
// on to the saved cursor (resuming after a 429 where it stopped), and only the platform's own
// history limit can leave a gap, which is reported with counts and a metric.

let fake: FakeTwitterApi | undefined;
let adapter: ChannelAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

async function startFake(options: FakeTwitterOptions): Promise<FakeTwitterApi> {
  fake = new FakeTwitterApi(options);
  await fake.start();
  return fake;
}

/** A logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

async function gapCount(metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const m = await metrics.historyGaps.get();
  return m.values.reduce((sum, v) => sum + v.value, 0);
}

describe("Twitter DM backlog", () => {
  it("reads a backlog of more than 100 pages down to the saved cursor, every DM in order", async () => {
    const f = await startFake({ pageSize: 1 });
    const alice = reader(1, "Wien");
    const seen = f.injectDm(alice, "already taken in");
    const backlog = Array.from({ length: 130 }, (_, i) => f.injectDm(alice, `backlog ${i}`));
    const { intake, ctx, cursors } = recordingContext();
    await cursors.set(cursorKey("dm_events"), seen);
    const { lines, logger } = capturingLogger();
    const metrics = createMetrics();
    adapter = adapterFor(f.baseUrl, { TWITTER_MENTIONS: "false" });
    await adapter.start({ ...ctx, logger, metrics });

    await intake.waitForIds(
      backlog.map((id) => `twitter:dm:${id}`),
      20_000,
    );
    expect(intake.acceptedIds()).toEqual(backlog.map((id) => `twitter:dm:${id}`));
    // 130 pages of one DM, and one more holding the saved cursor: the walk stopped there.
    const firstRound = f.requests.filter((r) => r.path === "/2/dm_events").slice(0, 131);
    expect(firstRound.filter((r) => !r.query.has("pagination_token"))).toHaveLength(1);
    expect(await gapCount(metrics)).toBe(0);
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it("a 429 in the middle of the page-down resumes at the next page, nothing skipped", async () => {
    const f = await startFake({ pageSize: 2 });
    const bob = reader(2, "Lyon");
    const seen = f.injectDm(bob, "already taken in");
    const backlog = Array.from({ length: 9 }, (_, i) => f.injectDm(bob, `backlog ${i}`));
    const { intake, ctx, cursors } = recordingContext();
    await cursors.set(cursorKey("dm_events"), seen);
    f.rateLimitAfterReads(2, 1);
    adapter = adapterFor(f.baseUrl, { TWITTER_MENTIONS: "false" });
    await adapter.start(ctx);

    await intake.waitForIds(backlog.map((id) => `twitter:dm:${id}`));
    expect(intake.acceptedIds()).toEqual(backlog.map((id) => `twitter:dm:${id}`));
    const reads = f.requests.filter((r) => r.path === "/2/dm_events");
    expect(f.answered.filter((status) => status === 429)).toHaveLength(1);
    // The read after the 429 asks for the page the 429 refused, not the newest page again.
    expect(reads[3]?.query.get("pagination_token")).toBe(reads[2]?.query.get("pagination_token"));
    expect(reads[3]?.query.has("pagination_token")).toBe(true);
  });

  it("when the platform's history ends before the saved cursor: takes in what is listed, and says so with counts and a metric", async () => {
    const f = await startFake({ pageSize: 3, dmHistoryLimit: 7 });
    const carol = reader(3, "Porto");
    const seen = f.injectDm(carol, "already taken in");
    const expired = Array.from({ length: 4 }, (_, i) => f.injectDm(carol, `expired ${i}`));
    const listed = Array.from({ length: 7 }, (_, i) => f.injectDm(carol, `listed ${i}`));
    const { intake, ctx, cursors } = recordingContext();
    await cursors.set(cursorKey("dm_events"), seen);
    const { lines, logger } = capturingLogger();
    const metrics = createMetrics();
    adapter = adapterFor(f.baseUrl, { TWITTER_MENTIONS: "false" });
    await adapter.start({ ...ctx, logger, metrics });

    await intake.waitForIds(listed.map((id) => `twitter:dm:${id}`));
    expect(intake.acceptedIds()).toEqual(listed.map((id) => `twitter:dm:${id}`));
    expect(intake.acceptedIds()).not.toContain(`twitter:dm:${expired[0]}`);
    expect(await gapCount(metrics)).toBe(1);
    const gap = lines.find((l) => String(l.msg).includes("history ends before the saved cursor"));
    expect(gap).toMatchObject({
      level: 50,
      stream: "dm_events",
      savedCursor: seen,
      oldestListed: listed[0],
      taken: 7,
      pagesRead: 3,
    });
    // Once taken in, the cursor is inside the listed history: the next polls find no gap.
    await eventually(
      () => f.requests.filter((r) => r.path === "/2/dm_events").length >= 6,
      "two more polls",
    );
    expect(await gapCount(metrics)).toBe(1);
  });
});
