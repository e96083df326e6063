import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { close, newConversation } from "../../src/conversation/history.js";
import { countConversations, searchConversations } from "../../src/conversation/search.js";
import type { ConversationStore } from "../../src/conversation/store.js";
import { cleanup, testPrefix, testRedis } from "../queue/helpers.js";
import { readerInput, testStore } from "./fixtures.js";

const DAY = 86_400_000;

describe("conversation search (real Redis)", () => {
  let redis: Redis;
  let prefix: string;
  let store: ConversationStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    store = testStore(redis, prefix);
  });
  afterEach(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  /** Opens a conversation for reader `n`, last active `daysAgo` days ago. */
  async function open(n: number, daysAgo: number, over: Parameters<typeof readerInput>[1] = {}) {
    const at = new Date(Date.now() - daysAgo * DAY).toISOString();
    const input = readerInput(n, { id: `telegram:${n}:1`, replyTo: `telegram:${n}`, ...over }, at);
    const { conversation } = await store.create(input.contactId, `telegram:${n}`, (id, ref) =>
      newConversation(id, ref, input, {
        channel: input.message.channel,
        country: null,
        language: null,
        words: "hi",
      }),
    );
    return conversation;
  }

  it("filters by reference, affiliate, channel, status and dates, most recent activity first", async () => {
    // fakeRoute: a German language tag goes to gik, anything else to cwo.
    const a = await open(1, 1, { evidence: { languageTag: "de" } });
    const b = await open(2, 3, { evidence: { languageTag: "en" } });
    const c = await open(3, 10, { evidence: { languageTag: "de" } });
    await store.update(
      b.id,
      (x) => void close(x, { id: "close-1", at: new Date().toISOString(), by: "x@example.org" }),
    );

    const all = await searchConversations(store, {}, { limit: 10, offset: 0 });
    // Closing is activity: b moves to the front.
    expect(all.map((s) => s.ref)).toEqual([b.ref, a.ref, c.ref]);
    expect(all[1]).toMatchObject({ affiliate: "gik", channel: "telegram", status: "open" });
    // Summaries only: nothing a reader wrote.
    expect(JSON.stringify(all)).not.toMatch(/Wien|Anna|telegram:1"/);

    const refOnly = await searchConversations(
      store,
      { ref: c.ref.toLowerCase() },
      { limit: 10, offset: 0 },
    );
    expect(refOnly.map((s) => s.id)).toEqual([c.id]);
    expect(await searchConversations(store, { ref: "C-22222" }, { limit: 10, offset: 0 })).toEqual(
      [],
    );
    expect(await searchConversations(store, { ref: "nonsense" }, { limit: 10, offset: 0 })).toEqual(
      [],
    );

    const gik = await searchConversations(store, { affiliate: "gik" }, { limit: 10, offset: 0 });
    expect(gik.map((s) => s.id)).toEqual([a.id, c.id]);
    const closed = await searchConversations(store, { status: "closed" }, { limit: 10, offset: 0 });
    expect(closed.map((s) => s.id)).toEqual([b.id]);
    expect(
      await searchConversations(store, { channel: "email" }, { limit: 10, offset: 0 }),
    ).toEqual([]);

    const recent = await searchConversations(
      store,
      { from: new Date(Date.now() - 5 * DAY) },
      { limit: 10, offset: 0 },
    );
    expect(recent.map((s) => s.id)).toEqual([b.id, a.id]);
    const older = await searchConversations(
      store,
      { to: new Date(Date.now() - 5 * DAY) },
      { limit: 10, offset: 0 },
    );
    expect(older.map((s) => s.id)).toEqual([c.id]);

    const page2 = await searchConversations(store, {}, { limit: 1, offset: 1 });
    expect(page2.map((s) => s.id)).toEqual([all[1]!.id]);
    expect(await countConversations(store, {})).toBe(3);
    expect(
      await countConversations(store, { affiliate: "gik", from: new Date(Date.now() - 2 * DAY) }),
    ).toBe(1);
  });
});
