import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { simpleParser } from "mailparser";
import type { Envelope } from "../../src/crypto/envelope.js";
import { STAGE_QUEUES } from "../../src/queue/keys.js";
import { keysUnder } from "../queue/helpers.js";

/** Where a canary was found. */
export interface Hit {
  canary: string;
  where: string;
}

export interface ScanResult {
  hits: Hit[];
  /** Sealed values seen, and those no candidate context opened (must be 0 for a trustworthy scan). */
  sealed: number;
  unopened: string[];
  keys: number;
}

const SEALED = /v[12]\.(?:[0-9a-f]{8}\.)?[A-Za-z0-9_-]{30,}/g;

/**
 * Reads every key under the prefix, whatever its type (string, hash, list, set, sorted set,
 * stream), including key names, and looks for the canaries (case-insensitive). Every sealed value
 * (`v1.` / `v2.` envelopes) is opened with the keyring, trying the contexts the service seals
 * under (conversations, stage jobs, relay jobs, quarantine, audit), and what it holds is searched
 * too, recursively. A sealed value that opens under no context is reported in `unopened`.
 */
export async function scanRedis(
  redis: Redis,
  prefix: string,
  envelope: Envelope,
  canaries: string[],
): Promise<ScanResult> {
  const keys = await keysUnder(redis, prefix);
  const texts: { where: string; text: string }[] = [];
  const contexts = new Set<string>(["audit"]);
  const hashes = new Set<string>();
  for (const key of keys) {
    texts.push({ where: `key name ${key}`, text: key });
    const type = await redis.type(key);
    const add = (field: string, value: string) =>
      texts.push({ where: `${key} ${field}`, text: value });
    switch (type) {
      case "string":
        add("", (await redis.get(key)) ?? "");
        break;
      case "hash": {
        const all = await redis.hgetall(key);
        for (const [f, v] of Object.entries(all)) {
          add(`field ${f}`, f);
          add(f, v);
          contexts.add(`quarantine:${f}`);
        }
        break;
      }
      case "list":
        for (const [i, v] of (await redis.lrange(key, 0, -1)).entries()) add(`[${i}]`, v);
        break;
      case "set":
        for (const v of await redis.smembers(key)) add("member", v);
        break;
      case "zset":
        for (const v of await redis.zrange(key, "0", "-1")) add("member", v);
        break;
      case "stream":
        for (const [id, flat] of (await redis.xrange(key, "-", "+")) as [string, string[]][]) {
          add(id, flat.join("\n"));
        }
        break;
      default:
        add(`(${type})`, "");
    }
    const conv = /:conv:([a-z2-7]{16})$/.exec(key)?.[1];
    if (conv) contexts.add(`conversation:${conv}`);
  }
  // Message hashes named in job data (`"h":"…"`): the context of stage and relay jobs.
  for (const t of texts) {
    for (const m of t.text.matchAll(/"h":"([0-9a-f.]+)"/g)) hashes.add(m[1]!);
  }
  const candidate = (): string[] => {
    const out = [...contexts];
    for (const h of hashes) {
      for (const q of STAGE_QUEUES)
        out.push(`${q}:${h}`, `${q}:${h}:meta`, `${q}:${h}:raw`, `${q}:${h}:plan`);
    }
    return out;
  };
  let sealed = 0;
  const unopened: string[] = [];
  const hits: Hit[] = [];
  const queue = [...texts];
  const opened = new Set<string>();
  while (queue.length > 0) {
    const t = queue.shift()!;
    for (const c of canaries) {
      if (t.text.toLowerCase().includes(c.toLowerCase())) hits.push({ canary: c, where: t.where });
    }
    for (const m of t.text.matchAll(SEALED)) {
      const value = m[0];
      if (opened.has(value)) continue;
      opened.add(value);
      sealed++;
      let plain: string | null = null;
      for (const ctx of candidate()) {
        try {
          plain = envelope.openText(value, ctx);
          break;
        } catch {
          // another context
        }
      }
      if (plain === null) {
        unopened.push(t.where);
        continue;
      }
      for (const h of plain.matchAll(/"h":"([0-9a-f.]+)"/g)) hashes.add(h[1]!);
      queue.push({ where: `${t.where} (opened)`, text: plain });
    }
  }
  return { hits, sealed, unopened, keys: keys.length };
}

/** Every file of the outbox folder, raw and decoded (encoded words, base64, quoted-printable). */
export async function scanOutbox(dir: string, canaries: string[]): Promise<Hit[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const hits: Hit[] = [];
  for (const name of names) {
    const raw = await readFile(join(dir, name));
    const mail = await simpleParser(raw);
    const text = [
      raw.toString("utf8"),
      mail.subject ?? "",
      mail.text ?? "",
      typeof mail.html === "string" ? mail.html : "",
      ...[mail.to, mail.from, mail.replyTo, mail.cc]
        .flatMap((a) => (a ? (Array.isArray(a) ? a : [a]) : []))
        .map((a) => a.text),
    ]
      .join("\n")
      .toLowerCase();
    for (const c of canaries)
      if (text.includes(c.toLowerCase())) hits.push({ canary: c, where: `outbox ${name}` });
  }
  return hits;
}
