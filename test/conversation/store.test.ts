import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { keyId } from "../../src/crypto/identity-hash.js";
import { createConversationStore } from "../../src/conversation/store.js";
import {
  close,
  newConversation,
  readerIdentity,
  recordNote,
} from "../../src/conversation/history.js";
import { parseReference } from "../../src/conversation/reference.js";
import type { ConversationStore } from "../../src/conversation/store.js";
import { cleanup, keysUnder, testPrefix, testRedis } from "../queue/helpers.js";
import { readerInput, testKeyring, testStore } from "./fixtures.js";

const opening = { channel: "telegram" as const, country: "AT", language: "de", words: "Hallo" };

describe("conversation store (real Redis)", () => {
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

  async function open(n: number | string, identity = "telegram:1000") {
    const input = readerInput(n);
    return store.create(input.contactId, identity, (id, ref) =>
      newConversation(id, ref, input, opening),
    );
  }

  it("creates a conversation with a reference, finds it by id, reference and reader", async () => {
    const { conversation: c, created } = await open(1);
    expect(created).toBe(true);
    expect(c.id).toMatch(/^[a-z2-7]{16}$/);
    expect(parseReference(c.ref)).toBe(c.ref);
    expect((await store.get(c.id))?.ref).toBe(c.ref);
    expect((await store.getByRef(c.ref.toLowerCase()))?.id).toBe(c.id);
    expect((await store.current("telegram:1000"))?.id).toBe(c.id);
    expect(await store.current("telegram:2000")).toBeNull();
    expect(readerIdentity(c.lastReaderMessage)).toBe("telegram:1000");
    const [summary] = await store.list();
    expect(summary).toMatchObject({ id: c.id, ref: c.ref, status: "open", affiliate: "gik" });
    expect(await store.count()).toBe(1);
  });

  it("is idempotent for the same first message, and keeps one current conversation per reader", async () => {
    const first = await open(1);
    const retry = await open(1);
    expect(retry.created).toBe(false);
    expect(retry.conversation.id).toBe(first.conversation.id);
    const other = await open(2);
    expect(other.created).toBe(false);
    expect(other.conversation.id).toBe(first.conversation.id);
  });

  it("looks up and creates in one round trip: a new reader's conversation, then theirs again", async () => {
    const one = (n: number, identity = "telegram:1000") => {
      const input = readerInput(n);
      return store.currentOrCreate(input.contactId, identity, (id, ref) =>
        newConversation(id, ref, input, opening),
      );
    };
    const first = await one(1);
    if (!("conversation" in first)) throw new Error("expected a new conversation");
    expect(first.created).toBe(true);
    expect((await store.current("telegram:1000"))?.id).toBe(first.conversation.id);
    expect((await store.getByRef(first.conversation.ref))?.id).toBe(first.conversation.id);
    expect((await store.findByIdentity("telegram:1000")).map((c) => c.id)).toEqual([
      first.conversation.id,
    ]);
    expect(await store.openCounts()).toEqual({ gik: 1 });
    // The reader's next message (or a retry of the first) finds it; nothing new is stored.
    const again = await one(2);
    expect(again).toEqual({ current: first.conversation });
    expect(await store.count()).toBe(1);
    // Another reader gets their own.
    const other = await one(3, "telegram:2000");
    expect("conversation" in other && other.created).toBe(true);
    expect(await store.count()).toBe(2);
  });

  it("updates from the record it just returned, and re-reads when that one is stale", async () => {
    const { conversation: made } = await open(1);
    const a = await store.get(made.id);
    const b = await store.get(made.id);
    // `a` is current: its version is used as read, no second read is needed.
    const first = await store.update(
      made.id,
      (c) => void (c.lastAckAt = "2026-01-01T00:00:00.000Z"),
      a!,
    );
    expect(first?.lastAckAt).toBe("2026-01-01T00:00:00.000Z");
    // `b` was read before that change: the compare-and-set fails and the newest record is used.
    const second = await store.update(made.id, (c) => void (c.lastAckFor = "c2"), b!);
    expect(second).toMatchObject({ lastAckAt: "2026-01-01T00:00:00.000Z", lastAckFor: "c2" });
    expect(await store.get(made.id)).toMatchObject({
      lastAckAt: "2026-01-01T00:00:00.000Z",
      lastAckFor: "c2",
    });
  });

  it("one round trip finds a reader's conversation under an older key of the keyring", async () => {
    const oldKey = randomBytes(32);
    const before = testStore(redis, prefix, testKeyring(oldKey));
    const input = readerInput(1);
    const { conversation: c } = await before.create(input.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, input, opening),
    );
    const newKey = randomBytes(32);
    const after = createConversationStore({
      redis,
      prefix,
      envelope: createEnvelope(oldKey),
      keyring: [{ kid: keyId(newKey), key: newKey }, ...testKeyring(oldKey)],
    });
    const next = readerInput(2);
    const found = await after.currentOrCreate(next.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, next, opening),
    );
    expect("current" in found && found.current?.id).toBe(c.id);
    expect(await after.count()).toBe(1);
  });

  it("frees the reader for a new conversation once closed; both stay findable for erasure", async () => {
    const { conversation: a } = await open(1);
    await store.update(a.id, (c) =>
      close(c, { id: "close-1", at: new Date().toISOString(), by: "x" }),
    );
    expect(await store.current("telegram:1000")).toBeNull();
    const { conversation: b, created } = await open(2);
    expect(created).toBe(true);
    expect(b.id).not.toBe(a.id);
    const all = await store.findByIdentity("telegram:1000");
    expect(all.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });

  it("applies concurrent updates without losing one (optimistic lock)", async () => {
    const { conversation: c } = await open(1);
    const at = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update(c.id, (x) =>
          recordNote(x, { id: `n${i}`, at, affiliate: "gik", by: "a@b", text: `note ${i}` }),
        ),
      ),
    );
    const after = await store.get(c.id);
    expect(after!.history.filter((e) => e.kind === "note")).toHaveLength(20);
  });

  it("deletes every record and index entry of a conversation", async () => {
    const { conversation: c } = await open(1);
    await store.sends.begin(c.id, "answer-1");
    expect(await store.claimReply(c.id, "r1", "job-1")).toBe(true);
    expect(await store.delete(c.id)).toBe(true);
    expect(await store.get(c.id)).toBeNull();
    expect(await store.getByRef(c.ref)).toBeNull();
    expect(await store.current("telegram:1000")).toBeNull();
    expect(await store.findByIdentity("telegram:1000")).toEqual([]);
    expect(await keysUnder(redis, prefix)).toEqual([]);
    expect(await store.delete(c.id)).toBe(false);
  });

  it("expires a conversation after the retention period, with its index entries", async () => {
    const old = new Date(Date.now() - 181 * 86_400_000).toISOString();
    const input = readerInput(1, {}, old);
    const { conversation: c } = await store.create(input.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, input, opening),
    );
    expect(await store.get(c.id)).toBeNull();
    expect(await store.current("telegram:1000")).toBeNull();
    expect(await store.list()).toEqual([]);
    expect(await store.purgeExpired()).toBe(1);
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it("keeps nothing readable in Redis: records sealed, reader ids hashed", async () => {
    const { conversation: c } = await open(1);
    for (const k of await keysUnder(redis, prefix)) {
      expect(k).not.toContain("1000");
      const raw = (await redis.dumpBuffer(k))?.toString("latin1") ?? "";
      for (const secret of ["geheim-7f3a", "Anna", "anna_b", "telegram:1000"]) {
        expect(raw, `${k} holds ${secret}`).not.toContain(secret);
      }
    }
    expect(c.lastReaderMessage.text).toContain("geheim-7f3a");
  });

  it("finds a reader's conversation by every key of the keyring after a rotation", async () => {
    const oldKey = randomBytes(32);
    const before = testStore(redis, prefix, testKeyring(oldKey));
    const input = readerInput(1);
    const { conversation: c } = await before.create(input.contactId, "telegram:1000", (id, ref) =>
      newConversation(id, ref, input, opening),
    );
    const newKey = randomBytes(32);
    // Records stay sealed with the key they were written with; the identity index is looked up
    // under every key's hash, current first.
    const after = createConversationStore({
      redis,
      prefix,
      envelope: createEnvelope(oldKey),
      keyring: [{ kid: keyId(newKey), key: newKey }, ...testKeyring(oldKey)],
    });
    expect((await after.current("telegram:1000"))?.id).toBe(c.id);
    expect((await after.findByIdentity("telegram:1000")).map((x) => x.id)).toEqual([c.id]);
  });

  it("allows one bounce an hour per address", async () => {
    expect(await store.allowBounce("Volunteer@Example.org")).toBe(true);
    expect(await store.allowBounce("volunteer@example.org")).toBe(false);
    expect(await store.allowBounce("other@example.org")).toBe(true);
  });

  it("records sends before they happen, so a retry sees what an earlier attempt left", async () => {
    const { conversation: c } = await open(1);
    expect(await store.sends.begin(c.id, "k")).toBeNull();
    expect(await store.sends.begin(c.id, "k")).toBe("pending");
    await store.sends.done(c.id, "k");
    expect(await store.sends.begin(c.id, "k")).toBe("done");
    await store.sends.clear(c.id, "k");
    expect(await store.sends.begin(c.id, "k")).toBeNull();
  });

  it("claims a reply's Message-ID for one job only", async () => {
    const { conversation: c } = await open(1);
    expect(await store.claimReply(c.id, "m1", "job-a")).toBe(true);
    expect(await store.claimReply(c.id, "m1", "job-a")).toBe(true);
    expect(await store.claimReply(c.id, "m1", "job-b")).toBe(false);
  });
});
