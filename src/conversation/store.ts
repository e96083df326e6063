import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import { createIdentityHasher, type KeyringEntry } from "../crypto/identity-hash.js";
import { RouterError } from "../errors.js";
import { base32, isConversationId } from "../relay/token.js";
import { newReference, parseReference } from "./reference.js";
import { CREATE, CURRENT_OR_CREATE, DELETE, UPDATE } from "./scripts.js";
import type { Conversation, ConversationSummary } from "./types.js";

/**
 * The one place conversation state is read and written. Sticky routing, relay tokens, history,
 * the reply ledger and (later) escalation timers all go through this interface; nothing else
 * touches these Redis keys, so erasure and the admin pages have one place to ask.
 */
export interface ConversationStore {
  /** How long a conversation lives after its last message. */
  readonly retentionMs: number;
  /** One conversation by id; null when unknown, erased or past its retention. */
  get(id: string): Promise<Conversation | null>;
  /** One conversation by its reference (`C-7KQ2M`, any case); null when unknown. */
  getByRef(ref: string): Promise<Conversation | null>;
  /** The reader's conversation that their next message continues (not closed), if any. */
  current(identity: string): Promise<Conversation | null>;
  /** Every stored conversation of a reader (closed ones too), newest first: for erasure requests. */
  findByIdentity(identity: string): Promise<Conversation[]>;
  /** One conversation's summary by its reference, without opening the sealed record; null: none. */
  summaryByRef(ref: string): Promise<ConversationSummary | null>;
  /** Summaries (ids, codes, times: nothing sealed), most recent activity first. */
  list(opts?: { offset?: number; limit?: number }): Promise<ConversationSummary[]>;
  /** How many conversations are stored. */
  count(): Promise<number>;
  /** Conversations that are not closed, per affiliate (counted since this version was deployed). */
  openCounts(): Promise<Record<string, number>>;
  /**
   * Stores a new conversation built by `build(id, ref)`: the id is derived from `seed` (the first
   * message's contact id), so a retried create finds the same record; the reference is fresh and
   * collision-checked. When the reader (`identity`) already has a current conversation, nothing
   * is stored and that one is returned with `created: false`.
   */
  create(
    seed: string,
    identity: string | null,
    build: (id: string, ref: string) => Conversation,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  /**
   * `current(identity)` and, when the reader has none, `create(seed, identity, build)`, in one
   * round trip: `{ current }` is the reader's current conversation (null when its pointer names
   * a record that is gone or past its retention); otherwise what `create` returns. The new record
   * is built and sealed before knowing, so a follow-up pays for one it does not store.
   */
  currentOrCreate(
    seed: string,
    identity: string,
    build: (id: string, ref: string) => Conversation,
  ): Promise<{ current: Conversation | null } | { conversation: Conversation; created: boolean }>;
  /**
   * Changes a conversation under an optimistic lock: `mutate` runs on the newest record (again
   * after a concurrent change) and returns false to leave it as it is. Null when the conversation
   * is gone. Closing it (status `closed`) frees the reader's identity for a new conversation.
   * `from`: the record as this store returned it just now (`currentOrCreate`), tried first
   * instead of reading it again; `mutate` then changes that object, and a stale one costs only
   * a failed compare-and-set.
   */
  update(
    id: string,
    mutate: (c: Conversation) => boolean | void,
    from?: Conversation,
  ): Promise<Conversation | null>;
  /** Removes every record and index entry of a conversation. False when there was none. */
  delete(id: string): Promise<boolean>;
  /** Erases conversations past their retention (and their index entries); returns how many. */
  purgeExpired(now?: Date, limit?: number): Promise<number>;
  /**
   * The per-send ledger of a conversation, so a retried job never sends twice: `begin` records
   * the send before it happens and says what an earlier attempt left (`null`: nothing).
   */
  sends: {
    begin(conversationId: string, key: string): Promise<"pending" | "done" | null>;
    done(conversationId: string, key: string): Promise<void>;
    /** Forgets a send that certainly did not happen, so a retry makes it. */
    clear(conversationId: string, key: string): Promise<void>;
  };
  /**
   * Claims a reply (by the hash of its Message-ID) for one relay job: false when another job
   * already took a message with that Message-ID to this conversation (a duplicate).
   */
  claimReply(conversationId: string, replyId: string, jobId: string): Promise<boolean>;
  /** True at most once an hour per address: whether an explanatory bounce may go to it now. */
  allowBounce(address: string): Promise<boolean>;
}

export interface ConversationStoreOptions {
  redis: Redis;
  /** The pipeline's hash-tagged key prefix. */
  prefix: string;
  /** Seals records (the data key). */
  envelope: Envelope;
  /** Keys for identity hashes and conversation ids, current first. */
  keyring: readonly KeyringEntry[];
  /** Retention after the last message (default 180 days). */
  retentionDays?: number;
}

export const DEFAULT_RETENTION_DAYS = 180;
/** Redis keeps keys this much longer than the retention, as a backstop to the purge. */
const TTL_GRACE_MS = 24 * 3600_000;
const BOUNCE_INTERVAL_MS = 3600_000;
const CAS_ATTEMPTS = 50;
const REF_ATTEMPTS = 20;

interface IndexKeys {
  ref: string;
  cur?: string;
  who?: string;
}

/** The store's scripts as ioredis commands: EVALSHA (the script's text is sent once per connection). */
interface StoreCommands {
  crConvCreate(numKeys: number, ...args: (string | number)[]): Promise<[number, string?]>;
  crConvCurrentOrCreate(
    numKeys: number,
    ...args: (string | number)[]
  ): Promise<[number, ...(string | null)[]]>;
  crConvUpdate(numKeys: number, ...args: (string | number)[]): Promise<number>;
  crConvDelete(numKeys: number, ...args: (string | number)[]): Promise<number>;
}

function storeCommands(redis: Redis): StoreCommands {
  const defined = redis as unknown as Partial<StoreCommands>;
  if (typeof defined.crConvCreate !== "function") {
    redis.defineCommand("crConvCreate", { lua: CREATE });
    redis.defineCommand("crConvCurrentOrCreate", { lua: CURRENT_OR_CREATE });
    redis.defineCommand("crConvUpdate", { lua: UPDATE });
    redis.defineCommand("crConvDelete", { lua: DELETE });
  }
  return redis as unknown as StoreCommands;
}

/** The Redis-backed store; see docs/conversations.md for the keys. */
export function createConversationStore(opts: ConversationStoreOptions): ConversationStore {
  const { redis, prefix, envelope } = opts;
  const scripts = storeCommands(redis);
  const hasher = createIdentityHasher(opts.keyring);
  const retentionMs = (opts.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  const k = {
    rec: (id: string) => `${prefix}:conv:${id}`,
    ref: (ref: string) => `${prefix}:conv:ref:${ref}`,
    cur: (h: string) => `${prefix}:conv:cur:${h}`,
    who: (h: string) => `${prefix}:conv:who:${h}`,
    sends: (id: string) => `${prefix}:conv:${id}:sends`,
    replies: (id: string) => `${prefix}:conv:${id}:replies`,
    index: `${prefix}:conv:index`,
    /** Not-closed conversations per affiliate, kept by the scripts (`<index>:open`). */
    open: `${prefix}:conv:index:open`,
    bounce: (h: string) => `${prefix}:relay:bounce:${h}`,
  };
  const context = (id: string) => `conversation:${id}`;

  function expiry(c: Conversation): { expireAt: number; pttl: number } {
    const expireAt = Date.parse(c.lastMessageAt) + retentionMs;
    return { expireAt, pttl: Math.max(1000, expireAt + TTL_GRACE_MS - Date.now()) };
  }

  /** A new record's script arguments, in the order both create scripts take them. */
  function createArgs(c: Conversation, keys: IndexKeys): (string | number)[] {
    const { expireAt, pttl } = expiry(c);
    return [
      c.id,
      envelope.seal(JSON.stringify(c), context(c.id)),
      JSON.stringify(summary(c)),
      JSON.stringify(keys),
      expireAt,
      pttl,
    ];
  }

  function summary(c: Conversation): ConversationSummary {
    return {
      id: c.id,
      ref: c.ref,
      status: c.status,
      affiliate: c.affiliate,
      channel: c.reader.channel,
      createdAt: c.createdAt,
      lastMessageAt: c.lastMessageAt,
      ...(c.firstAnswerAt ? { firstAnswerAt: c.firstAnswerAt } : {}),
      ...(c.lastAckAt ? { lastAckAt: c.lastAckAt } : {}),
      expiresAt: new Date(expiry(c).expireAt).toISOString(),
    };
  }

  async function read(id: string): Promise<{ v: string; c: Conversation } | null> {
    if (!isConversationId(id)) return null;
    const [v, s] = await redis.hmget(k.rec(id), "v", "s");
    return opened(id, v, s);
  }

  /** The version each record object was read at, for `update(id, mutate, from)`. */
  const versions = new WeakMap<Conversation, string>();

  /** A record's fields as read; null when absent or past its retention. */
  function opened(
    id: string,
    v: string | null | undefined,
    s: string | null | undefined,
  ): { v: string; c: Conversation } | null {
    if (v === null || s === null || v === undefined || s === undefined) return null;
    const c = JSON.parse(envelope.openText(s, context(id))) as Conversation;
    versions.set(c, v);
    if (c.schema !== 1) {
      throw new RouterError("INVALID_PAYLOAD", `conversation record schema ${String(c.schema)}`);
    }
    // Past its retention: as good as gone (the purge removes it soon).
    if (expiry(c).expireAt <= Date.now()) return null;
    return { v, c };
  }

  /** A conversation's id from its first message's contact id, so a retried create finds it. */
  function conversationIdOf(seed: string): string {
    return base32(
      Buffer.from(hasher.hash("conversation-id", seed).split(".")[1]!, "hex").subarray(0, 10),
    );
  }

  async function firstId(keys: string[]): Promise<string | null> {
    if (keys.length === 0) return null;
    const values = await redis.mget(...keys);
    return values.find((v): v is string => v !== null) ?? null;
  }

  const store: ConversationStore = {
    retentionMs,

    async get(id) {
      return (await read(id))?.c ?? null;
    },

    async getByRef(text) {
      const ref = parseReference(text);
      if (!ref) return null;
      const id = await redis.get(k.ref(ref));
      return id ? store.get(id) : null;
    },

    async current(identity) {
      const id = await firstId(hasher.candidates("conversation", identity).map(k.cur));
      return id ? store.get(id) : null;
    },

    async findByIdentity(identity) {
      const ids = new Set<string>();
      for (const h of hasher.candidates("conversation", identity)) {
        for (const id of await redis.smembers(k.who(h))) ids.add(id);
      }
      const found = await Promise.all([...ids].map((id) => store.get(id)));
      return found
        .filter((c): c is Conversation => c !== null)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    async summaryByRef(text) {
      const ref = parseReference(text);
      if (!ref) return null;
      const id = await redis.get(k.ref(ref));
      if (!id) return null;
      const m = await redis.hget(k.rec(id), "m");
      if (!m) return null;
      const s = JSON.parse(m) as ConversationSummary;
      return Date.parse(s.expiresAt) > Date.now() ? s : null;
    },

    async list(o = {}) {
      const offset = Math.max(0, o.offset ?? 0);
      const limit = Math.max(1, Math.min(1000, o.limit ?? 100));
      const ids = await redis.zrevrangebyscore(k.index, "+inf", Date.now(), "LIMIT", offset, limit);
      const metas = await Promise.all(ids.map((id) => redis.hget(k.rec(id), "m")));
      return metas.flatMap((m) => (m ? [JSON.parse(m) as ConversationSummary] : []));
    },

    count() {
      return redis.zcount(k.index, Date.now(), "+inf");
    },

    async openCounts() {
      const raw = await redis.hgetall(k.open);
      // Records from before the count existed may take it below zero when they close.
      return Object.fromEntries(Object.entries(raw).map(([a, n]) => [a, Math.max(0, Number(n))]));
    },

    async currentOrCreate(seed, identity, build) {
      const id = conversationIdOf(seed);
      const candidates = hasher.candidates("conversation", identity);
      const h = candidates[0]!;
      for (let attempt = 0; attempt < REF_ATTEMPTS; attempt++) {
        const ref = newReference();
        const c = build(id, ref);
        const keys: IndexKeys = { ref: k.ref(ref), cur: k.cur(h), who: k.who(h) };
        const res = await scripts.crConvCurrentOrCreate(
          4 + candidates.length,
          k.rec(id),
          keys.ref,
          k.index,
          keys.who!,
          ...candidates.map(k.cur),
          ...createArgs(c, keys),
          k.rec(""),
        );
        switch (res[0]) {
          case 0:
            return { conversation: c, created: true };
          case 1: {
            // Made by an earlier attempt of the same job.
            const existing = opened(id, res[1], res[2]);
            if (existing) return { conversation: existing.c, created: false };
            break;
          }
          case 2: {
            const cur = res[1];
            return {
              current:
                cur && isConversationId(cur) ? (opened(cur, res[2], res[3])?.c ?? null) : null,
            };
          }
          case 3:
            break; // reference taken: draw another
        }
      }
      throw new RouterError("STATE_CONFLICT", "could not store a new conversation", {
        retryable: true,
      });
    },

    async create(seed, identity, build) {
      const id = conversationIdOf(seed);
      const h = identity === null ? null : hasher.hash("conversation", identity);
      for (let attempt = 0; attempt < REF_ATTEMPTS; attempt++) {
        const ref = newReference();
        const c = build(id, ref);
        const keys: IndexKeys = { ref: k.ref(ref), ...(h ? { cur: k.cur(h), who: k.who(h) } : {}) };
        const res = await scripts.crConvCreate(
          h ? 5 : 3,
          k.rec(id),
          keys.ref,
          k.index,
          ...(h ? [keys.cur!, keys.who!] : []),
          ...createArgs(c, keys),
        );
        switch (res[0]) {
          case 0:
            return { conversation: c, created: true };
          case 1: {
            // Made by an earlier attempt of the same job.
            const existing = await store.get(id);
            if (existing) return { conversation: existing, created: false };
            break;
          }
          case 2: {
            const existing = res[1] ? await store.get(res[1]) : null;
            if (existing) return { conversation: existing, created: false };
            break;
          }
          case 3:
            break; // reference taken: draw another
        }
      }
      throw new RouterError("STATE_CONFLICT", "could not store a new conversation", {
        retryable: true,
      });
    },

    async update(id, mutate, from) {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const known = attempt === 0 && from?.id === id ? versions.get(from) : undefined;
        const found = known !== undefined ? { v: known, c: from! } : await read(id);
        if (!found) return null;
        const { v, c } = found;
        const wasClosed = c.status === "closed";
        if (mutate(c) === false) return c;
        const { expireAt, pttl } = expiry(c);
        const res = await scripts.crConvUpdate(
          2,
          k.rec(id),
          k.index,
          id,
          v,
          envelope.seal(JSON.stringify(c), context(id)),
          JSON.stringify(summary(c)),
          expireAt,
          pttl,
          !wasClosed && c.status === "closed" ? "1" : "0",
        );
        if (res === 1) return c;
        if (res === -1) return null;
        // Changed meanwhile by another worker: read again and re-apply.
      }
      throw new RouterError("STATE_CONFLICT", "conversation kept changing; try again", {
        retryable: true,
      });
    },

    async delete(id) {
      return (await scripts.crConvDelete(2, k.rec(id), k.index, id)) === 1;
    },

    async purgeExpired(now = new Date(), limit = 500) {
      const ids = await redis.zrangebyscore(k.index, "-inf", now.getTime(), "LIMIT", 0, limit);
      for (const id of ids) await store.delete(id);
      return ids.length;
    },

    sends: {
      async begin(conversationId, key) {
        const hash = k.sends(conversationId);
        const set = await redis.hsetnx(hash, key, `pending ${Date.now()}`);
        await redis.pexpire(hash, retentionMs + TTL_GRACE_MS);
        if (set === 1) return null;
        const state = await redis.hget(hash, key);
        return state?.startsWith("done") ? "done" : "pending";
      },
      async done(conversationId, key) {
        await redis.hset(k.sends(conversationId), key, `done ${Date.now()}`);
      },
      async clear(conversationId, key) {
        await redis.hdel(k.sends(conversationId), key);
      },
    },

    async claimReply(conversationId, replyId, jobId) {
      const hash = k.replies(conversationId);
      const set = await redis.hsetnx(hash, replyId, jobId);
      await redis.pexpire(hash, retentionMs + TTL_GRACE_MS);
      return set === 1 || (await redis.hget(hash, replyId)) === jobId;
    },

    async allowBounce(address) {
      const key = k.bounce(hasher.hash("bounce", address.trim().toLowerCase()));
      return (await redis.set(key, "1", "PX", BOUNCE_INTERVAL_MS, "NX")) === "OK";
    },
  };
  return store;
}
