import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { simpleParser } from "mailparser";
import { createAuditLog, type AuditLog } from "../audit/log.js";
import type { ConversationStore } from "../conversation/store.js";
import type { Conversation } from "../conversation/types.js";
import type { Envelope } from "../crypto/envelope.js";
import { createIdentityHasher } from "../crypto/identity-hash.js";
import type { Keyring } from "../crypto/keyring.js";
import { KeyUnavailableError } from "../errors.js";
import { listOutboxFiles, outboxFileName } from "../delivery/outbox.js";
import type { ContactToDeliver } from "../delivery/types.js";
import type { InboundMessage } from "../message/inbound.js";
import type { HeldEntry, HeldStore } from "../queue/held.js";
import {
  HASH_PURPOSE,
  QUEUE,
  STAGE_QUEUES,
  contactIdFor,
  legacyIdHash,
  pipelineKeys,
  type QueueName,
} from "../queue/keys.js";
import type { QuarantineStore } from "../queue/quarantine.js";
import type { AckJob } from "../queue/types.js";
import type { Pipeline } from "../queue/pipeline.js";
import { createRelayTokens, isConversationId, type RelayTokens } from "../relay/token.js";
import { Person, normaliseId, parseIdentity, type IdentityKind } from "./identity.js";

export { IDENTITY_SYNTAX, parseIdentity, type IdentityKind } from "./identity.js";

/** What an erasure removed, and what it cannot reach. No personal data. */
export interface ErasureReceipt {
  kind: IdentityKind;
  /** Removed items by type (every type listed, 0 when there was none). */
  removed: Record<string, number>;
  /** What the router cannot erase: copies outside it, and anything left to run again for. */
  outOfReach: string[];
  /** When the erasure ran (ISO). */
  at: string;
}

/** Everything `forget` reads and deletes: the service's stores, opened with its keyring. */
export interface ForgetDeps {
  redis: Redis;
  prefix: string;
  keyring: Keyring;
  envelope: Envelope;
  store: ConversationStore;
  /** The stage queues (inbound, deliver, outbound, relay). */
  queues: Record<QueueName, Queue>;
  quarantine: QuarantineStore;
  held: HeldStore;
  /** Relay tokens of the keyring: a relay job names its conversation only in its token. */
  tokens: RelayTokens;
  /** The outbox folder, when mail is (or was) written there; null: none. */
  outboxDir: string | null;
  /** Whether mail also goes out by SMTP (then sent copies are out of reach). */
  smtp: boolean;
  audit: AuditLog;
  /** Who asks: an admin account name, or `cli`. */
  actor: string;
}

/** Receipt types, in the order the receipt lists them. */
export const REMOVED_TYPES = [
  "conversations",
  "decision records",
  "relay tokens",
  "send-ledger entries",
  "queued jobs",
  "delayed jobs",
  "active jobs",
  "completed jobs",
  "dead letters",
  "relay jobs",
  "quarantine entries",
  "held messages",
  "seen records",
  "delivered records",
  "flood records",
  "conversation index records",
  "queue event records",
  "outbox files",
] as const;
type RemovedType = (typeof REMOVED_TYPES)[number];

const JOB_STATES = [
  "wait",
  "prioritized",
  "waiting-children",
  "delayed",
  "active",
  "failed",
  "completed",
] as const;
const PAGE = 500;
/** Outbox files read at once. */
const OUTBOX_READERS = 4;
/** Passes at most: a pass after the first finds what the running service wrote meanwhile. */
const MAX_PASSES = 3;

/**
 * Erases everything the router holds about one reader: conversations (with their decisions,
 * evidence, relay tokens and send ledger), jobs in every state on every stage queue (queued,
 * delayed, active once it finishes, completed, dead letters, relay jobs), quarantine and held
 * entries, the keyed records that name their messages and them (seen, delivered, flood,
 * conversation index), and outbox emails not yet collected. See docs/privacy.md.
 *
 * Sealed values are opened with the keyring to see whose they are; keyed names are computed
 * with every key of it. The audit log gets one entry naming the identity by keyed hash only.
 * A second run finds nothing.
 */
export async function forget(deps: ForgetDeps, identity: string): Promise<ErasureReceipt> {
  const parsed = parseIdentity(identity);
  const person = new Person();
  person.addIdentity(parsed);
  const removed = Object.fromEntries(REMOVED_TYPES.map((t) => [t, 0])) as Record<
    RemovedType,
    number
  >;
  const notes = new Set<string>();
  const found = new Found();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = total(removed);
    await erasePass(deps, parsed.ref ?? null, person, found, removed, notes);
    if (total(removed) === before) break;
  }
  // Outbox emails not yet collected: once, with everything the passes learned (reading and
  // decoding every file is the slowest part of an erasure).
  if (deps.outboxDir) {
    removed["outbox files"] += await eraseOutbox(deps.outboxDir, found, [
      ...person.patterns(),
      ...refPatterns(found),
    ]);
  }
  const hasher = createIdentityHasher(deps.keyring.entries);
  await deps.audit.record({
    actor: deps.actor,
    action: "forget",
    object: `identity:${hasher.hash("audit", parsed.canonical)}`,
    detail: {
      kind: parsed.kind,
      ...Object.fromEntries(Object.entries(removed).filter(([, n]) => n > 0)),
    },
  });
  return {
    kind: parsed.kind,
    removed,
    outOfReach: outOfReach(parsed.kind, deps, found, notes),
    at: new Date().toISOString(),
  };
}

/** What earlier steps learned, so later steps (and passes) find the rest. */
class Found {
  conversations = new Set<string>();
  refs = new Set<string>();
  /** Hex part of the message id hashes (`contactIdFor` without the `c`). */
  hashes = new Set<string>();
  messageIds = new Set<string>();
  /** Sender ids exactly as the messages carry them (the flood limit hashes them unchanged). */
  senders = new Set<string>();
  affiliates = new Set<string>();
  channels = new Set<string>();

  addHash(h: string): void {
    this.hashes.add(h.slice(h.lastIndexOf(".") + 1));
  }
  addContact(contactId: string): void {
    if (/^c[0-9a-f]{32}$/.test(contactId)) this.hashes.add(contactId.slice(1));
  }
}

async function erasePass(
  deps: ForgetDeps,
  ref: string | null,
  person: Person,
  found: Found,
  removed: Record<RemovedType, number>,
  notes: Set<string>,
): Promise<void> {
  const keys = pipelineKeys(deps.prefix);
  const hasher = createIdentityHasher(deps.keyring.entries);

  // 1. Conversations: the reader's, and the one a reference names (whose reader is then erased).
  const convs = await readConversations(deps, notes);
  if (ref) {
    const id = await deps.redis.get(`${deps.prefix}:conv:ref:${ref}`);
    const named = convs.find((c) => c.id === id || c.ref === ref);
    if (named) {
      found.conversations.add(named.id);
      person.add(named.reader.identity);
      person.add(named.lastReaderMessage.sender.id);
    }
  }
  const mine = convs.filter(
    (c) =>
      found.conversations.has(c.id) ||
      (c.reader.identity !== null && person.ids.has(normaliseId(c.reader.identity))) ||
      person.wrote(c.lastReaderMessage),
  );
  for (const c of mine) {
    found.conversations.add(c.id);
    found.refs.add(c.ref);
    found.channels.add(c.reader.channel);
    found.messageIds.add(c.lastReaderMessage.id);
    found.senders.add(c.lastReaderMessage.sender.id);
    person.add(c.reader.identity);
    for (const d of c.decisions) {
      found.addContact(d.contactId);
      found.affiliates.add(d.deliveredTo);
    }
    for (const e of c.history) if (e.kind === "reader") found.addContact(e.id);
    for (const f of c.forwards) found.addContact(f);
    found.addContact(c.openedBy);
    for (const t of c.tokens) found.affiliates.add(t.affiliate);
  }

  // 2. Jobs on every stage queue, in every state.
  const jobs: { queue: QueueName; job: Job; h: string | null; mine: boolean }[] = [];
  for (const name of STAGE_QUEUES) {
    for (const state of JOB_STATES) {
      for (let start = 0; ; start += PAGE) {
        const page = (await deps.queues[name].getJobs([state], start, start + PAGE - 1, true)) as (
          Job | undefined
        )[];
        for (const job of page) {
          if (!job?.id) continue;
          const judged = judgeJob(deps, name, job, person, found, notes);
          jobs.push({ queue: name, job, h: judged.h, mine: judged.mine });
        }
        if (page.length < PAGE) break;
      }
    }
  }
  for (const j of jobs) if (j.mine && j.h) found.addHash(j.h);
  const mineJob = (j: (typeof jobs)[number]) =>
    j.mine || (j.h !== null && found.hashes.has(j.h.slice(j.h.lastIndexOf(".") + 1)));
  const seenJobs = new Set<string>();
  for (const j of jobs.filter(mineJob)) {
    const key = `${j.queue}/${j.job.id}`;
    if (seenJobs.has(key)) continue;
    seenJobs.add(key);
    const state = await j.job.getState();
    if (state === "unknown") continue;
    if (!(await removeJob(j.job))) {
      notes.add(
        "A job of this reader was being processed and could not be removed; run the erasure again in a minute.",
      );
      continue;
    }
    if (j.queue === QUEUE.relay) removed["relay jobs"]++;
    else removed[jobType(state)]++;
  }

  // 3. Quarantine: by the job it came from, or by what its sealed payload says.
  const patterns = () => [...person.patterns(), ...refPatterns(found)];
  for (const qref of await allFields(deps.redis, keys.quarantineMeta, keys.quarantineIndex)) {
    if (await quarantinedIsMine(deps, qref, person, found, patterns(), notes)) {
      if (await deps.quarantine.discard(qref)) removed["quarantine entries"]++;
      await deps.redis.zrem(keys.quarantineIndex, qref);
    }
  }

  // 4. Held messages: by the sender's keyed flood hash, or by the sealed message.
  const floodHashes = new Set<string>();
  for (const id of [...person.ids, ...found.senders]) {
    for (const h of hasher.candidates(HASH_PURPOSE.flood, id)) floodHashes.add(h);
  }
  for (const href of await allFields(deps.redis, keys.heldMeta, keys.heldIndex)) {
    if (await heldIsMine(deps, href, person, found, floodHashes, notes)) {
      if (await deps.held.discard(href)) removed["held messages"]++;
      await deps.redis.zrem(keys.heldIndex, href);
    }
  }

  // 5. Keyed records naming the reader's messages and the reader.
  const kids = deps.keyring.entries.map((k) => k.kid);
  const named: { type: RemovedType; key: string }[] = [];
  for (const hex of found.hashes) {
    for (const kid of kids) {
      named.push({ type: "seen records", key: keys.seen(`${kid}.${hex}`) });
      named.push({ type: "delivered records", key: keys.delivered(`${kid}.${hex}`) });
    }
  }
  for (const id of found.messageIds) {
    for (const h of [...hasher.candidates(HASH_PURPOSE.message, id), legacyIdHash(id)]) {
      named.push({ type: "seen records", key: keys.seen(h) });
      named.push({ type: "delivered records", key: keys.delivered(h) });
    }
  }
  for (const h of floodHashes) named.push({ type: "flood records", key: keys.flood(h) });
  for (const id of person.ids) {
    for (const h of hasher.candidates("conversation", id)) {
      named.push({ type: "conversation index records", key: `${deps.prefix}:conv:cur:${h}` });
      named.push({ type: "conversation index records", key: `${deps.prefix}:conv:who:${h}` });
    }
  }

  // BullMQ's event streams name jobs by id (a keyed hash of the message id): drop those entries.
  if (found.hashes.size > 0) {
    for (const name of STAGE_QUEUES) {
      removed["queue event records"] += await eraseEvents(
        deps.redis,
        `${deps.prefix}:${name}:events`,
        found.hashes,
      );
    }
  }

  // 6. The conversations themselves, with their send ledgers (after the index records above
  //    were listed, so a pointer the delete leaves is still removed below).
  for (const c of mine) {
    const ledger =
      (await deps.redis.hlen(`${deps.prefix}:conv:${c.id}:sends`)) +
      (await deps.redis.hlen(`${deps.prefix}:conv:${c.id}:replies`));
    if (await deps.store.delete(c.id)) {
      removed.conversations++;
      removed["decision records"] += c.decisions.length;
      removed["relay tokens"] += c.tokens.length;
      removed["send-ledger entries"] += ledger;
    }
  }
  for (const n of named) {
    if ((await deps.redis.del(n.key)) > 0) removed[n.type]++;
  }
}

/** Whose a job is: opens its sealed payload; `h` is the message id hash its id is made of. */
function judgeJob(
  deps: ForgetDeps,
  queue: QueueName,
  job: Job,
  person: Person,
  found: Found,
  notes: Set<string>,
): { h: string | null; mine: boolean } {
  const data = job.data as { h?: unknown; s?: unknown; m?: unknown; r?: unknown } | null;
  const h = typeof data?.h === "string" ? data.h : null;
  if (!data || !h) return { h, mine: false };
  try {
    if (queue === QUEUE.relay) {
      if (typeof data.m !== "string") return { h, mine: false };
      const meta = JSON.parse(deps.envelope.openText(data.m, `${QUEUE.relay}:${h}:meta`)) as {
        token?: string;
      };
      const claims = meta.token ? deps.tokens.open(meta.token) : null;
      if (claims?.ok && found.conversations.has(claims.claims.conversationId)) {
        return { h: null, mine: true };
      }
      const raw =
        typeof data.r === "string" ? deps.envelope.openText(data.r, `${QUEUE.relay}:${h}:raw`) : "";
      return { h: null, mine: person.patterns().some((p) => p.test(raw)) };
    }
    if (typeof data.s !== "string") return { h, mine: false };
    const payload = JSON.parse(deps.envelope.openText(data.s, `${queue}:${h}`)) as unknown;
    const mine = payloadIsMine(queue, payload, person, found);
    if (mine) {
      const m = messageOf(queue, payload);
      if (m?.id) found.messageIds.add(m.id);
      if (typeof m?.sender?.id === "string") found.senders.add(m.sender.id);
      found.addContact(contactIdFor(h));
      const c = payload as Partial<ContactToDeliver>;
      if (queue === QUEUE.deliver && c.affiliate?.id) found.affiliates.add(c.affiliate.id);
      if (m?.channel) found.channels.add(m.channel);
    }
    return { h, mine };
  } catch (err) {
    notes.add(unopenedNote(err));
    return { h, mine: false };
  }
}

function messageOf(queue: QueueName, payload: unknown): InboundMessage | null {
  if (!payload || typeof payload !== "object") return null;
  if (queue === QUEUE.inbound) return payload as InboundMessage;
  if (queue === QUEUE.deliver) return (payload as ContactToDeliver).message ?? null;
  return null;
}

function payloadIsMine(queue: QueueName, payload: unknown, person: Person, found: Found): boolean {
  if (!payload || typeof payload !== "object") return false;
  if (queue === QUEUE.inbound) return person.wrote(payload as InboundMessage);
  if (queue === QUEUE.deliver) {
    const c = payload as Partial<ContactToDeliver>;
    return (
      person.wrote(c.message) ||
      (typeof c.conversation?.id === "string" && found.conversations.has(c.conversation.id))
    );
  }
  if (queue === QUEUE.outbound) {
    const a = payload as Partial<AckJob>;
    return typeof a.message?.to === "string" && person.ids.has(normaliseId(a.message.to));
  }
  return false;
}

async function quarantinedIsMine(
  deps: ForgetDeps,
  ref: string,
  person: Person,
  found: Found,
  patterns: RegExp[],
  notes: Set<string>,
): Promise<boolean> {
  // `<queue>/<queue>-<hash>`: quarantined by a stage; its hash links it to the reader's messages.
  const h = /^[a-z]+\/[a-z]+-(?:[0-9a-f]{8}\.)?([0-9a-f]{32})$/.exec(ref)?.[1];
  if (h && found.hashes.has(h)) return true;
  let text: string | null;
  try {
    text = await deps.quarantine.raw(ref);
  } catch (err) {
    notes.add(unopenedNote(err));
    return false;
  }
  if (text === null) return false;
  // A job that did not open in its stage is kept as its sealed job data: open that too.
  const slash = ref.indexOf("/");
  const queue = ref.slice(0, slash) as QueueName;
  if (slash > 0 && STAGE_QUEUES.includes(queue)) {
    const job = tryJson(text) as { h?: unknown; s?: unknown } | null;
    if (job && typeof job.h === "string" && typeof job.s === "string") {
      try {
        const payload = JSON.parse(deps.envelope.openText(job.s, `${queue}:${job.h}`)) as unknown;
        if (payloadIsMine(queue, payload, person, found)) return true;
        text = JSON.stringify(payload);
      } catch {
        // Quarantined because it does not open; judged by its text below.
      }
    } else if (job && payloadIsMine(queue, job, person, found)) {
      return true;
    }
  }
  if (patterns.some((p) => p.test(text))) return true;
  return relayTokensIn(text).some((t) => {
    const o = deps.tokens.open(t);
    return o.ok && found.conversations.has(o.claims.conversationId);
  });
}

async function heldIsMine(
  deps: ForgetDeps,
  ref: string,
  person: Person,
  found: Found,
  floodHashes: Set<string>,
  notes: Set<string>,
): Promise<boolean> {
  const keys = pipelineKeys(deps.prefix);
  const meta = tryJson((await deps.redis.hget(keys.heldMeta, ref)) ?? "") as HeldEntry | null;
  const value = await deps.redis.hget(keys.heldJobs, ref);
  const job = tryJson(value ?? "") as { h?: unknown; s?: unknown } | null;
  const h = typeof job?.h === "string" ? job.h : null;
  // The held message's hash names its seen record: erase that too.
  if (meta && floodHashes.has(meta.sender)) {
    if (h) found.addHash(h);
    return true;
  }
  if (!job || !h || typeof job.s !== "string") return false;
  if (found.hashes.has(h.slice(h.lastIndexOf(".") + 1))) return true;
  try {
    const m = JSON.parse(deps.envelope.openText(job.s, `${QUEUE.inbound}:${h}`)) as InboundMessage;
    if (!person.wrote(m)) return false;
    found.messageIds.add(m.id);
    found.senders.add(m.sender.id);
    found.addHash(h);
    return true;
  } catch (err) {
    notes.add(unopenedNote(err));
    return false;
  }
}

/** Every conversation record (by scanning, so none outside the index is missed), opened. */
async function readConversations(deps: ForgetDeps, notes: Set<string>): Promise<Conversation[]> {
  const head = `${deps.prefix}:conv:`;
  const ids = new Set<string>(await deps.redis.zrange(`${head}index`, "0", "-1"));
  let cursor = "0";
  do {
    const [next, batch] = await deps.redis.scan(cursor, "MATCH", `${head}*`, "COUNT", 1000);
    cursor = next;
    for (const key of batch) {
      const id = key.slice(head.length);
      if (isConversationId(id)) ids.add(id);
    }
  } while (cursor !== "0");
  const out: Conversation[] = [];
  const all = [...ids];
  for (let i = 0; i < all.length; i += PAGE) {
    const batch = all.slice(i, i + PAGE);
    const p = deps.redis.pipeline();
    for (const id of batch) p.hget(`${head}${id}`, "s");
    const res = (await p.exec()) ?? [];
    batch.forEach((id, j) => {
      const s = res[j]?.[1];
      if (typeof s !== "string") return;
      try {
        out.push(JSON.parse(deps.envelope.openText(s, `conversation:${id}`)) as Conversation);
      } catch (err) {
        notes.add(unopenedNote(err));
      }
    });
  }
  return out;
}

/** Fields of a hash and members of its index (an entry may be in either after a crash). */
async function allFields(redis: Redis, hash: string, index: string): Promise<string[]> {
  const set = new Set<string>([
    ...(await redis.hkeys(hash)),
    ...(await redis.zrange(index, "0", "-1")),
  ]);
  return [...set];
}

/** Deletes the entries of an event stream that mention one of the hashes. */
async function eraseEvents(redis: Redis, key: string, hashes: Set<string>): Promise<number> {
  const doomed: string[] = [];
  let start = "-";
  for (;;) {
    const rows = (await redis.xrange(key, start, "+", "COUNT", 1000)) as [string, string[]][];
    for (const [id, fields] of rows) {
      const text = fields.join("\n");
      for (const m of text.matchAll(/[0-9a-f]{32}/g)) {
        if (hashes.has(m[0])) {
          doomed.push(id);
          break;
        }
      }
    }
    if (rows.length < 1000) break;
    start = `(${rows[rows.length - 1]![0]}`;
  }
  let n = 0;
  for (let i = 0; i < doomed.length; i += 500)
    n += await redis.xdel(key, ...doomed.slice(i, i + 500));
  return n;
}

/** Removes a job; an active one is waited for (its worker holds a lock) a few seconds. */
async function removeJob(job: Job): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      await job.remove();
      return true;
    } catch {
      if ((await job.getState()) === "unknown") return true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

function jobType(state: string): RemovedType {
  switch (state) {
    case "delayed":
      return "delayed jobs";
    case "active":
      return "active jobs";
    case "completed":
      return "completed jobs";
    case "failed":
      return "dead letters";
    default:
      return "queued jobs";
  }
}

/** References of the reader's conversations, as they appear in emails and notices. */
function refPatterns(found: Found): RegExp[] {
  return [...found.refs].map((r) => new RegExp(`(?<![A-Z0-9])${r}(?![A-Z0-9])`));
}

function relayTokensIn(text: string): string[] {
  return [...text.matchAll(/relay\+([a-z2-7]{53})(?![a-z2-7])/gi)].map((m) => m[1]!.toLowerCase());
}

/** Deletes outbox emails of the reader: by the contact's file name, or by what the email says. */
async function eraseOutbox(dir: string, found: Found, patterns: RegExp[]): Promise<number> {
  const candidates = await listOutboxFiles(dir);
  const byName = new Set([...found.hashes].map((h) => outboxFileName(`c${h}`)));
  let n = 0;
  // A few files at a time: reading overlaps decoding.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < candidates.length; i = next++) {
      const name = candidates[i]!;
      const path = join(dir, name);
      let mine = byName.has(name);
      if (!mine) {
        let raw: Buffer;
        try {
          raw = await readFile(path);
        } catch {
          continue; // collected meanwhile
        }
        mine = await emailMentions(raw, patterns);
      }
      if (!mine) continue;
      try {
        await unlink(path);
        n++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: OUTBOX_READERS }, worker));
  return n;
}

/** Whether an email mentions the reader: in its raw form or decoded (encoded words, base64, QP). */
async function emailMentions(raw: Buffer, patterns: RegExp[]): Promise<boolean> {
  if (patterns.length === 0) return false;
  const text = raw.toString("utf8");
  if (patterns.some((p) => p.test(text))) return true;
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const decoded = [
    mail.subject ?? "",
    mail.text ?? "",
    typeof mail.html === "string" ? mail.html : "",
    ...[mail.to, mail.cc, mail.replyTo, mail.from]
      .flatMap((a) => (a ? (Array.isArray(a) ? a : [a]) : []))
      .map((a) => a.text),
  ].join("\n");
  return patterns.some((p) => p.test(decoded));
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function unopenedNote(err: unknown): string {
  if (err instanceof KeyUnavailableError) {
    return "Some stored values are sealed with a data key this process lacks and could not be checked; add the key to DATA_KEYS and run the erasure again.";
  }
  return "Some stored values could not be opened (altered or unreadable) and could not be checked; see `contact-router keys status`.";
}

function total(r: Record<string, number>): number {
  return Object.values(r).reduce((a, b) => a + b, 0);
}

const OWN_CHATS: Record<Exclude<IdentityKind, "reference">, string> = {
  email:
    "The reader's own mailbox: their messages and the answers sent to them stay there (theirs to delete).",
  telegram:
    "The reader's Telegram chat with the bot: messages there stay on Telegram (the reader can delete the chat).",
  discord:
    "The reader's Discord messages and DMs with the bot: they stay on Discord (the reader can delete them).",
  twitter:
    "The reader's X direct messages with the bot: they stay on X (the reader can delete them).",
};

function outOfReach(
  kind: IdentityKind,
  deps: ForgetDeps,
  found: Found,
  notes: Set<string>,
): string[] {
  const out: string[] = [];
  if (found.affiliates.size > 0) {
    const refs = found.refs.size > 0 ? ` (references ${[...found.refs].sort().join(", ")})` : "";
    out.push(
      `Forwards and answers already in affiliate mailboxes: ${[...found.affiliates].sort().join(", ")}${refs}; ask them to delete these emails.`,
    );
  } else {
    out.push("Forwards already delivered to affiliate mailboxes, if any: ask the affiliates.");
  }
  if (deps.smtp)
    out.push("Emails already handed to the SMTP server and the mail systems after it.");
  if (deps.outboxDir) out.push("Outbox emails that were already collected from the outbox folder.");
  const channels = kind === "reference" ? [...found.channels] : [kind];
  for (const c of channels) {
    const line = OWN_CHATS[c as Exclude<IdentityKind, "reference">];
    if (line && !out.includes(line)) out.push(line);
  }
  out.push("Copies in backups of Redis and of the outbox folder, until those backups expire.");
  out.push(...notes);
  return out;
}

/** The receipt as text for the CLI and the console. */
export function formatReceipt(r: ErasureReceipt): string {
  const lines = [`Erasure receipt (${r.kind}), ${r.at}`];
  const removed = Object.entries(r.removed).filter(([, n]) => n > 0);
  if (removed.length === 0) lines.push("Removed: nothing (no data of this reader was found).");
  else {
    lines.push("Removed:");
    const width = Math.max(...removed.map(([t]) => t.length));
    for (const [t, n] of removed) lines.push(`  ${t.padEnd(width)}  ${n}`);
  }
  lines.push("Out of reach of the router:");
  for (const o of r.outOfReach) lines.push(`  - ${o}`);
  return lines.join("\n");
}

/** `ForgetDeps` from a pipeline (its queues, stores and keyring) and the conversation store. */
export function forgetDepsFrom(o: {
  pipeline: Pick<Pipeline, "keyring" | "envelope" | "queues" | "quarantine" | "held">;
  store: ConversationStore;
  redis: Redis;
  prefix: string;
  outboxDir: string | null;
  smtp: boolean;
  actor: string;
  audit?: AuditLog;
}): ForgetDeps {
  const p = o.pipeline;
  return {
    redis: o.redis,
    prefix: o.prefix,
    keyring: p.keyring,
    envelope: p.envelope,
    store: o.store,
    queues: p.queues,
    quarantine: p.quarantine,
    held: p.held,
    tokens: createRelayTokens(p.keyring.entries),
    outboxDir: o.outboxDir,
    smtp: o.smtp,
    audit: o.audit ?? createAuditLog({ redis: o.redis, prefix: o.prefix, envelope: p.envelope }),
    actor: o.actor,
  };
}
