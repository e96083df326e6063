import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Command } from "commander";
import { createAuditLog } from "../audit/log.js";
import { createConversationStore } from "../conversation/store.js";
import { forget, forgetDepsFrom, formatReceipt, IDENTITY_SYNTAX } from "../erasure/forget.js";
import { retentionConfigFromEnv, retentionPolicies } from "../retention/policies.js";
import { purgeExpired } from "../retention/purge.js";
import { print, withQueues } from "./queue-admin.js";

/**
 * `contact-router forget <identity>`, `contact-router audit list|export|verify` and
 * `contact-router retention show|purge`: erasure requests, the audit log and retention.
 */
export function registerPrivacyCommands(program: Command): void {
  program
    .command("forget <identity>")
    .description(`erase everything the router holds about one reader: ${IDENTITY_SYNTAX}`)
    .option("--json", "print the receipt as JSON")
    .option("--actor <name>", "who asks, for the audit log", "cli")
    .action(async (identity: string, o: { json?: boolean; actor: string }) => {
      const receipt = await withQueues(async (p, ctx) => {
        const store = createConversationStore({
          redis: ctx.redis,
          prefix: ctx.prefix,
          envelope: p.envelope,
          keyring: p.keyring.entries,
          retentionDays: retentionConfigFromEnv(process.env).conversationDays,
        });
        const deps = forgetDepsFrom({
          pipeline: p,
          store,
          redis: ctx.redis,
          prefix: ctx.prefix,
          outboxDir: ctx.config.delivery.outboxDir,
          smtp: ctx.config.delivery.smtp !== null,
          actor: o.actor,
        });
        return forget(deps, identity);
      });
      console.log(o.json ? JSON.stringify(receipt, null, 2) : formatReceipt(receipt));
    });

  const audit = program
    .command("audit")
    .description("the audit log: who did what, when, to which object (append-only)");
  audit
    .command("list")
    .option("--json", "print JSON")
    .option("--limit <n>", "how many, newest first", "50")
    .option("--before <id>", "only entries older than this id")
    .action(async (o: { json?: boolean; limit: string; before?: string }) => {
      const rows = await withQueues((p, ctx) =>
        createAuditLog({ redis: ctx.redis, prefix: ctx.prefix, envelope: p.envelope }).list({
          limit: Number(o.limit) || 50,
          ...(o.before ? { before: o.before } : {}),
        }),
      );
      print(
        rows.map((r) => ({ ...r, detail: r.detail ? JSON.stringify(r.detail) : "" })),
        o.json ?? false,
        "the audit log is empty",
      );
    });
  audit
    .command("export")
    .description("write every entry, oldest first, as JSON lines")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (o: { out?: string }) => {
      const out = o.out ? createWriteStream(o.out, { flags: "wx", mode: 0o600 }) : process.stdout;
      const n = await withQueues(async (p, ctx) => {
        const log = createAuditLog({ redis: ctx.redis, prefix: ctx.prefix, envelope: p.envelope });
        let count = 0;
        for await (const entry of log.entries()) {
          if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, "drain");
          count++;
        }
        return count;
      });
      if (o.out) {
        const file = out as ReturnType<typeof createWriteStream>;
        file.end();
        await once(file, "close");
        console.error(`wrote ${n} audit entr${n === 1 ? "y" : "ies"} to ${o.out}`);
      }
    });
  audit
    .command("verify")
    .description("check that no entry was altered, removed or inserted through raw Redis access")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const v = await withQueues((p, ctx) =>
        createAuditLog({ redis: ctx.redis, prefix: ctx.prefix, envelope: p.envelope }).verify(),
      );
      if (o.json) console.log(JSON.stringify(v, null, 2));
      else {
        console.log(`checked ${v.checked} entries`);
        console.log(`altered: ${v.altered.length ? v.altered.join(", ") : "none"}`);
        console.log(
          `links broken (removed or inserted before): ${v.broken.length ? v.broken.join(", ") : "none"}`,
        );
        if (v.unverifiable) console.log(`sealed with a key no longer held: ${v.unverifiable}`);
      }
      if (v.altered.length > 0 || v.broken.length > 0) process.exitCode = 1;
    });

  const retention = program
    .command("retention")
    .description("how long each kind of data is kept, and the purge");
  retention
    .command("show")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      print(retentionPolicies(retentionConfigFromEnv(process.env)), o.json ?? false, "");
    });
  retention
    .command("purge")
    .description("delete now what is past its retention period (the service also does it hourly)")
    .action(async () => {
      const config = retentionConfigFromEnv(process.env);
      const counts = await withQueues((p, ctx) =>
        purgeExpired(
          {
            redis: ctx.redis,
            prefix: ctx.prefix,
            store: createConversationStore({
              redis: ctx.redis,
              prefix: ctx.prefix,
              envelope: p.envelope,
              keyring: p.keyring.entries,
              retentionDays: config.conversationDays,
            }),
            queues: p.queues,
            quarantine: p.quarantine,
            held: p.held,
            audit: createAuditLog({ redis: ctx.redis, prefix: ctx.prefix, envelope: p.envelope }),
            outboxDir: ctx.config.delivery.outboxDir,
          },
          config,
        ),
      );
      print(
        Object.entries(counts).map(([dataType, deleted]) => ({ dataType, deleted })),
        false,
        "",
      );
    });
}
