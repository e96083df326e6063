import type { Redis } from "ioredis";
import type { CursorStore } from "../../adapters/types.js";

/**
 * Platform cursors in Redis. Written only after the messages before the cursor were durably
 * enqueued, so a crash replays (and the intake dedupes) rather than skips.
 */
export class RedisCursorStore implements CursorStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | null> {
    return this.redis.get(`${this.prefix}:cursor:${key}`);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.set(`${this.prefix}:cursor:${key}`, value);
  }
}

/** In-memory store for tests and for the CLI, where nothing outlives the process. */
export class MemoryCursorStore implements CursorStore {
  private readonly values = new Map<string, string>();
  get(key: string): Promise<string | null> {
    return Promise.resolve(this.values.get(key) ?? null);
  }
  set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}
