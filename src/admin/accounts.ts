import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { Redis } from "ioredis";
import { RouterError } from "../errors.js";

/**
 * Console accounts, kept in one Redis hash (`<prefix>:admin:accounts`, name → record). Passwords
 * are stored as scrypt hashes (Node's own, no native add-on): `scrypt$N$r$p$salt$hash`.
 */

export interface AdminAccount {
  name: string;
  createdAt: string;
  passwordChangedAt: string;
}

interface StoredAccount extends AdminAccount {
  hash: string;
}

/**
 * One of OWASP's equivalent scrypt minimums (N=2^15, r=8, p=3): 32 MiB per check instead of the
 * 128 MiB of N=2^17/p=1, so parallel login attempts cannot exhaust a small server's memory.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keylen: 32 };
const MAXMEM = 64 * 1024 * 1024;

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

function scrypt(password: string, salt: Buffer, o: ScryptOptions & { keylen: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize("NFC"), salt, o.keylen, { ...o, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** A new password hash in the stored format. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Whether `password` matches a stored hash (constant-time compare; parameters read from the hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const got = await scrypt(password, Buffer.from(salt, "base64"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Checks a name and returns it lower-cased; throws INVALID_PAYLOAD saying what is allowed. */
export function accountName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME_PATTERN.test(name)) {
    throw new RouterError(
      "INVALID_PAYLOAD",
      "account name: 1-64 characters, letters, digits, dot, dash or underscore, starting with a letter or digit",
    );
  }
  return name;
}

/** Throws INVALID_PAYLOAD when a password is too short or too long. */
export function checkPassword(password: string): void {
  if ([...password].length < PASSWORD_MIN) {
    throw new RouterError("INVALID_PAYLOAD", `password: at least ${PASSWORD_MIN} characters`);
  }
  if (password.length > PASSWORD_MAX) {
    throw new RouterError("INVALID_PAYLOAD", `password: at most ${PASSWORD_MAX} characters`);
  }
}

/** A password hash to compare against when the name is unknown, so both cases take as long. */
let dummyHash: Promise<string> | null = null;

export class AdminAccounts {
  private readonly key: string;
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:admin:accounts`;
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.key);
  }

  async list(): Promise<AdminAccount[]> {
    const all = await this.redis.hgetall(this.key);
    return Object.values(all)
      .map((v) => {
        const { name, createdAt, passwordChangedAt } = JSON.parse(v) as StoredAccount;
        return { name, createdAt, passwordChangedAt };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Adds an account; throws INVALID_PAYLOAD when the name is taken or the input is bad. */
  async add(rawName: string, password: string): Promise<AdminAccount> {
    const name = accountName(rawName);
    checkPassword(password);
    const now = new Date().toISOString();
    const record: StoredAccount = {
      name,
      createdAt: now,
      passwordChangedAt: now,
      hash: await hashPassword(password),
    };
    if ((await this.redis.hsetnx(this.key, name, JSON.stringify(record))) === 0) {
      throw new RouterError("INVALID_PAYLOAD", `account ${name} exists; use admin passwd`);
    }
    return { name, createdAt: now, passwordChangedAt: now };
  }

  /** Sets a new password; false when there is no such account. */
  async passwd(rawName: string, password: string): Promise<boolean> {
    const name = accountName(rawName);
    checkPassword(password);
    const old = await this.redis.hget(this.key, name);
    if (old === null) return false;
    const record = JSON.parse(old) as StoredAccount;
    record.hash = await hashPassword(password);
    record.passwordChangedAt = new Date().toISOString();
    await this.redis.hset(this.key, name, JSON.stringify(record));
    return true;
  }

  /** Removes an account; false when there was none. */
  async remove(rawName: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, accountName(rawName))) === 1;
  }

  /** The account when name and password match, else null (same work either way). */
  async verify(rawName: string, password: string): Promise<AdminAccount | null> {
    let name: string;
    try {
      name = accountName(rawName);
    } catch {
      name = "";
    }
    const raw = name ? await this.redis.hget(this.key, name) : null;
    if (raw === null) {
      dummyHash ??= hashPassword("not a password of anyone");
      await verifyPassword(password, await dummyHash);
      return null;
    }
    const record = JSON.parse(raw) as StoredAccount;
    if (password.length > PASSWORD_MAX || !(await verifyPassword(password, record.hash)))
      return null;
    return {
      name: record.name,
      createdAt: record.createdAt,
      passwordChangedAt: record.passwordChangedAt,
    };
  }
}
