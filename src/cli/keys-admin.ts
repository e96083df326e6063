import type { Command } from "commander";
import { censusAll, resealAll, type ResealReport } from "../crypto/sealed-store.js";
import { KeyUnavailableError } from "../errors.js";
import { countIdentityRecords, countLegacyJobs } from "../queue/identity-records.js";
import { print, withQueues } from "./queue-admin.js";

/** Passes over the stores: a job that moved state during one pass is caught by the next. */
const MAX_PASSES = 3;

/**
 * `contact-router keys status|rotate|migrate`: which data keys sealed what, re-sealing everything
 * stored under the current key, and the records named by unkeyed hashes from before keyed hashes.
 * Prints key ids (fingerprints), counts and references, never keys or personal data.
 */
export function registerKeysCommands(program: Command): void {
  const keys = program
    .command("keys")
    .description("data keys: what each sealed, rotation (DATA_KEY / DATA_KEYS), migration");

  keys
    .command("status")
    .description("key ids in use: sealed values per store and identity records, by key id")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const out = await withQueues(async (p, ctx) => {
        const census = await censusAll(p.sealedStores, p.envelope);
        const { records } = await countIdentityRecords(ctx.redis, ctx.prefix, p.keyring);
        return {
          keyring: {
            current: p.keyring.current.kid,
            source: ctx.keySource,
            readOnly: p.keyring.entries.slice(1).map((k) => k.kid),
          },
          sealed: census.map((c) => ({
            store: c.store,
            total: c.total,
            byKid: c.byKid,
            missing: Object.keys(c.byKid).filter(
              (kid) => kid !== "v1" && kid !== "unknown" && !p.keyring.get(kid),
            ),
          })),
          identityRecords: records,
        };
      });
      if (o.json) {
        console.log(JSON.stringify(out, null, 2));
        return;
      }
      const k = out.keyring;
      console.log(`current key: ${k.current} (${k.source})`);
      console.log(`read-only keys (DATA_KEYS): ${k.readOnly.join(", ") || "none"}`);
      console.log("\nsealed values by key id:");
      console.table(
        out.sealed.map((s) => ({
          store: s.store,
          total: s.total,
          ...s.byKid,
          missing: s.missing.join(", "),
        })),
      );
      console.log("identity records by key id (legacy: unkeyed names from before keyed hashes):");
      console.table(
        out.identityRecords.map((r) => ({
          kind: r.kind,
          total: r.total,
          ...r.byKid,
          unfindable: r.unfindable,
        })),
      );
      const missing = [...new Set(out.sealed.flatMap((s) => s.missing))];
      if (missing.length > 0) {
        console.log(
          `\nvalues sealed with key(s) ${missing.join(", ")} cannot be opened: add those keys to DATA_KEYS`,
        );
      }
    });

  keys
    .command("rotate")
    .description(
      "re-seal every stored value (queued, delayed, failed jobs, quarantine, held messages) under DATA_KEY",
    )
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const result = await withQueues(async (p) => {
        const passes: ResealReport[][] = [];
        for (let i = 0; i < MAX_PASSES; i++) {
          const pass = await resealAll(p.sealedStores, p.envelope);
          passes.push(pass);
          if (!pass.some((r) => r.resealed > 0 || r.changed > 0)) break;
        }
        const left = await censusAll(p.sealedStores, p.envelope);
        return { current: p.keyring.current.kid, passes, left };
      });
      const first = result.passes[0] ?? [];
      const last = result.passes[result.passes.length - 1] ?? [];
      const sum = (i: number, field: "resealed" | "changed") =>
        result.passes.reduce((n, pass) => n + (pass[i]?.[field] ?? 0), 0);
      const summary = first.map((r, i) => ({
        store: r.store,
        total: r.total,
        resealed: sum(i, "resealed"),
        changed: sum(i, "changed"),
        unreadable: last[i]?.unreadable.length ?? 0,
      }));
      const unreadable = last.flatMap((r) => r.unreadable);
      const leftOld = result.left
        .map((c) => ({
          store: c.store,
          old: c.total - (c.byKid[result.current] ?? 0),
        }))
        .filter((c) => c.old > 0);
      if (o.json) {
        console.log(
          JSON.stringify({ current: result.current, summary, unreadable, leftOld }, null, 2),
        );
      } else {
        console.log(`re-sealed under key ${result.current}:`);
        console.table(summary);
        if (unreadable.length > 0) {
          console.log("could not be opened, kept as they were:");
          console.table(unreadable);
        }
        if (leftOld.length > 0) {
          console.log(
            "still under other keys (unreadable ones, or written meanwhile by a process that still seals with an old key):",
          );
          print(leftOld, false, "");
        }
      }
      if (unreadable.length > 0) {
        throw new KeyUnavailableError(
          undefined,
          `${unreadable.length} stored value(s) could not be opened with DATA_KEY and DATA_KEYS (listed above); they are kept as they were`,
        );
      }
    });

  keys
    .command("migrate")
    .description(
      "records still named by unkeyed hashes (from before keyed hashes) or by keys no longer held",
    )
    .option(
      "--purge",
      "delete identity records nothing can find any more (legacy names, removed keys)",
    )
    .option("--json", "print JSON")
    .action(async (o: { purge?: boolean; json?: boolean }) => {
      const out = await withQueues(async (p, ctx) => {
        const { records, purged } = await countIdentityRecords(ctx.redis, ctx.prefix, p.keyring, {
          purge: o.purge ?? false,
        });
        const legacyJobs = await countLegacyJobs(ctx.redis, ctx.prefix, p.queues);
        return { records, purged, legacyJobs };
      });
      if (o.json) {
        console.log(JSON.stringify(out, null, 2));
        return;
      }
      console.log("identity records (seen, thread, delivered, flood):");
      console.table(
        out.records.map((r) => ({
          kind: r.kind,
          total: r.total,
          legacy: r.byKid.legacy ?? 0,
          unfindable: r.unfindable,
        })),
      );
      console.log(
        o.purge
          ? `purged ${out.purged} unfindable record(s)`
          : "legacy records are renamed to keyed names when next looked up and otherwise expire with DEDUPE_TTL_DAYS; --purge deletes the unfindable ones now",
      );
      if (out.legacyJobs.length > 0) {
        console.log(
          "jobs with unkeyed ids (finish under their ids; retry or discard dead letters):",
        );
        console.table(out.legacyJobs);
      } else {
        console.log("no jobs with unkeyed ids");
      }
    });
}
