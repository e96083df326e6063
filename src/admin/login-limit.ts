import type { Redis } from "ioredis";

/**
 * Failed login attempts counted per account name and per client (IP as a keyed hash, never in
 * clear), in Redis so every web process shares the count. Over either limit, logins are refused
 * until the window ends; a successful login clears the name's count.
 */
export interface LoginLimitOptions {
  perName: number;
  perIp: number;
  windowMs: number;
  /** Keyed hash of an IP address for the key name. */
  hashIp: (ip: string) => string;
}

export class LoginLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: LoginLimitOptions,
  ) {}

  private keys(name: string, ip: string): [string, string] {
    return [
      `${this.prefix}:admin:login:name:${name.trim().toLowerCase().slice(0, 64)}`,
      `${this.prefix}:admin:login:ip:${this.opts.hashIp(ip)}`,
    ];
  }

  /** Milliseconds until the next attempt is allowed; 0 when one is allowed now. */
  async blockedFor(name: string, ip: string): Promise<number> {
    const [nk, ik] = this.keys(name, ip);
    const [n, i] = await this.redis.mget(nk, ik);
    const waits: Promise<number>[] = [];
    if (Number(n ?? 0) >= this.opts.perName) waits.push(this.redis.pttl(nk));
    if (Number(i ?? 0) >= this.opts.perIp) waits.push(this.redis.pttl(ik));
    const ms = await Promise.all(waits);
    return Math.max(0, ...ms);
  }

  async failed(name: string, ip: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.keys(name, ip)) {
      multi.incr(key);
      multi.pexpire(key, this.opts.windowMs, "NX");
    }
    await multi.exec();
  }

  async succeeded(name: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(name, ip)[0]);
  }
}
