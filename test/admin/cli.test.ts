import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminAccounts } from "../../src/admin/accounts.js";
import { projectRoot } from "../../src/paths.js";
import { REDIS_URL, cleanup, testPrefix, testRedis } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

/* `contact-router admin …` as an operator runs it: the built binary, the password on stdin. */

describe("contact-router admin (accounts)", () => {
  let redis: Redis;
  let prefix: string;
  let varDir: string;

  beforeAll(() => {
    redis = testRedis();
    prefix = testPrefix();
  });
  afterAll(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  function run(args: string[], input = "") {
    const res = spawnSync(
      process.execPath,
      [join(projectRoot(), "bin", "contact-router.js"), "admin", ...args],
      {
        input,
        encoding: "utf8",
        env: {
          ...process.env,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          VAR_DIR: varDir,
          LOG_LEVEL: "silent",
        },
        timeout: 60_000,
      },
    );
    return { code: res.status, out: res.stdout, err: res.stderr };
  }

  it("adds, lists, changes and removes an account; the password comes from stdin", async () => {
    varDir = testDir("cr-admin-cli-");
    const added = run(["add", "Alice"], "secret-pass\n");
    expect(added.err).toBe("");
    expect(added.out).toContain("added alice");
    const accounts = new AdminAccounts(redis, prefix);
    expect(await accounts.verify("alice", "secret-pass")).toMatchObject({ name: "alice" });
    // The hash is scrypt; the password is nowhere in Redis.
    const stored = await redis.hget(`${prefix}:admin:accounts`, "alice");
    expect(stored).toMatch(/"hash":"scrypt\$32768\$8\$3\$/);
    expect(stored).not.toContain("secret-pass");

    // Bad input is refused with the reason (in-process: each CLI start costs seconds under load).
    await expect(accounts.add("alice", "another-pass")).rejects.toThrow("exists");
    await expect(accounts.add("bob", "short")).rejects.toThrow("at least 8 characters");
    await expect(accounts.add("no spaces", "long-enough")).rejects.toThrow("account name");
    const empty = run(["add", "bob"], "");
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("no password on stdin");

    expect(JSON.parse(run(["list", "--json"]).out)).toEqual([
      expect.objectContaining({ name: "alice" }),
    ]);
    expect(run(["passwd", "alice"], "new-secret-pass\n").out).toContain(
      "password of alice changed",
    );
    expect(await accounts.verify("alice", "secret-pass")).toBeNull();
    expect(await accounts.verify("alice", "new-secret-pass")).not.toBeNull();
    expect(run(["remove", "alice"]).out).toContain("removed alice");
    expect(await accounts.list()).toEqual([]);
    // Five starts of the CLI: each takes seconds on a loaded two-core machine.
  }, 180_000);
});
