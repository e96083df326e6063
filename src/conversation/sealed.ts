import type { Redis } from "ioredis";
import type { Envelope } from "../crypto/envelope.js";
import {
  SealedTally,
  resealValue,
  type KeyCensus,
  type ResealReport,
  type SealedStore,
} from "../crypto/sealed-store.js";
import { RESEAL } from "./scripts.js";

const PAGE = 500;

/**
 * The conversation records as a sealed store, so `keys status` counts them and `keys rotate`
 * re-seals them under the current key. Walks the expiry index (every stored conversation, expired
 * ones too until the purge). The record's version is left alone: a concurrent update still
 * applies (its value is sealed with the current key anyway).
 */
export class ConversationSealedStore implements SealedStore {
  readonly name = "conversations";

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private record(id: string): string {
    return `${this.prefix}:conv:${id}`;
  }

  async census(envelope: Envelope): Promise<KeyCensus> {
    const tally = new SealedTally(this.name);
    await this.walk(async (id) => {
      const s = await this.redis.hget(this.record(id), "s");
      if (s !== null) tally.count(envelope, s);
    });
    return tally.census;
  }

  async reseal(envelope: Envelope): Promise<ResealReport> {
    const tally = new SealedTally(this.name);
    const r = tally.report;
    await this.walk(async (id) => {
      const key = this.record(id);
      const s = await this.redis.hget(key, "s");
      if (s === null) return; // erased meanwhile
      r.total++;
      let next: string | null;
      try {
        next = resealValue(envelope, s, `conversation:${id}`);
      } catch (err) {
        tally.unreadable(`conversation/${id}`, err);
        return;
      }
      if (next === null) {
        r.current++;
        return;
      }
      const swapped = (await this.redis.eval(RESEAL, 1, key, s, next)) as number;
      if (swapped === 1) r.resealed++;
      else r.changed++;
    });
    return r;
  }

  /** Conversation ids from the expiry index, a page at a time. */
  private async walk(visit: (id: string) => Promise<void>): Promise<void> {
    const index = `${this.prefix}:conv:index`;
    let cursor = "0";
    do {
      const [next, flat] = await this.redis.zscan(index, cursor, "COUNT", PAGE);
      cursor = next;
      // ZSCAN returns member, score, member, score …
      for (let i = 0; i < flat.length; i += 2) await visit(flat[i]!);
    } while (cursor !== "0");
  }
}
