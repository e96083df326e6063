import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { Redis } from "ioredis";
import { RouterError } from "../errors.js";
import { withServiceRedis } from "./queue-admin.js";

/** Opens the running service's Redis with its bounded waits (./queue-admin.ts), runs `fn`. */
function withRedis<T>(fn: (redis: Redis, prefix: string) => Promise<T>): Promise<T> {
  return withServiceRedis((redis, config) => fn(redis, config.prefix));
}

/** The first line of stdin (the password), without its line ending. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter): ");
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new RouterError(
    "INVALID_PAYLOAD",
    "no password on stdin (printf 'secret\\n' | … admin add <name>)",
  );
}

/**
 * `contact-router admin add|passwd <name>` (password on stdin), `admin list`, `admin remove
 * <name>`: the admin console's accounts, in the service's Redis.
 */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command("admin")
    .description("admin console accounts (the password is read from stdin)");
  admin
    .command("add <name>")
    .description("create an account: printf 'secret-pass\\n' | contact-router admin add alice")
    .action(async (name: string) => {
      const password = await readPassword();
      const { AdminAccounts } = await import("../admin/accounts.js");
      const account = await withRedis((r, p) => new AdminAccounts(r, p).add(name, password));
      console.log(`added ${account.name}; log in at /admin`);
    });
  admin
    .command("passwd <name>")
    .description("set a new password (from stdin); ends the account's sessions")
    .action(async (name: string) => {
      const password = await readPassword();
      const { AdminAccounts } = await import("../admin/accounts.js");
      const { AdminSessions } = await import("../admin/sessions.js");
      await withRedis(async (r, p) => {
        if (!(await new AdminAccounts(r, p).passwd(name, password))) {
          throw new RouterError("INVALID_PAYLOAD", `no account ${name}`);
        }
        await new AdminSessions(r, p, { idleMs: 1, maxAgeMs: 1 }).destroyAll(name.toLowerCase());
      });
      console.log(`password of ${name} changed; its sessions ended`);
    });
  admin
    .command("remove <name>")
    .description("delete an account and end its sessions")
    .action(async (name: string) => {
      const { AdminAccounts } = await import("../admin/accounts.js");
      const { AdminSessions } = await import("../admin/sessions.js");
      await withRedis(async (r, p) => {
        if (!(await new AdminAccounts(r, p).remove(name))) {
          throw new RouterError("INVALID_PAYLOAD", `no account ${name}`);
        }
        await new AdminSessions(r, p, { idleMs: 1, maxAgeMs: 1 }).destroyAll(name.toLowerCase());
      });
      console.log(`removed ${name}`);
    });
  admin
    .command("list")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const { AdminAccounts } = await import("../admin/accounts.js");
      const rows = await withRedis((r, p) => new AdminAccounts(r, p).list());
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log("no admin accounts");
      else console.table(rows);
    });
}
