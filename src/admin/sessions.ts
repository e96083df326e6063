import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Console sessions in Redis. The cookie holds a random id; Redis holds only its SHA-256, so a
 * Redis dump cannot be replayed as a login. Each request renews the idle expiry; a session also
 * ends `maxAgeMs` after login however busy it is.
 */

export interface AdminSession {
  name: string;
  /** Synchroniser token every state-changing form carries. */
  csrf: string;
  createdAt: number;
}

export interface SessionOptions {
  idleMs: number;
  maxAgeMs: number;
}

const idHash = (id: string) => createHash("sha256").update(id).digest("hex");

export class AdminSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly opts: SessionOptions,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:admin:session:${idHash(id)}`;
  }

  /** Starts a session; returns the cookie value. */
  async create(name: string): Promise<{ id: string; session: AdminSession }> {
    const id = randomBytes(32).toString("base64url");
    const session: AdminSession = {
      name,
      csrf: randomBytes(24).toString("base64url"),
      createdAt: Date.now(),
    };
    await this.redis.set(this.key(id), JSON.stringify(session), "PX", this.opts.idleMs);
    return { id, session };
  }

  /** The live session for a cookie value, its idle expiry renewed; null when none or expired. */
  async get(id: string | undefined): Promise<AdminSession | null> {
    if (!id || id.length > 100) return null;
    const key = this.key(id);
    const raw = await this.redis.get(key);
    if (raw === null) return null;
    const session = JSON.parse(raw) as AdminSession;
    if (Date.now() - session.createdAt > this.opts.maxAgeMs) {
      await this.redis.del(key);
      return null;
    }
    await this.redis.pexpire(key, this.opts.idleMs);
    return session;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.key(id));
  }

  /** Ends every session of an account (after `admin remove` or `admin passwd`). */
  async destroyAll(name: string): Promise<number> {
    let removed = 0;
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        "MATCH",
        `${this.prefix}:admin:session:*`,
        "COUNT",
        500,
      );
      cursor = next;
      for (const key of keys) {
        const raw = await this.redis.get(key);
        if (raw && (JSON.parse(raw) as AdminSession).name === name) {
          removed += await this.redis.del(key);
        }
      }
    } while (cursor !== "0");
    return removed;
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(session: AdminSession, submitted: unknown): boolean {
  if (typeof submitted !== "string") return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
