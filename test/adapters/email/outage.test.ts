import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { QUEUE } from "../../../src/queue/keys.js";
import { inboundJobId } from "../../queue/helpers.js";
import { dovecotAvailable, startDovecot } from "../../support/dovecot.js";
import { appender, emailConfig, readerMail } from "./rig.js";

const ROOT = join(import.meta.dirname, "../../..");
const DIST = join(ROOT, "dist");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function spawnAdapter(env: object): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "outage-child.mjs")], {
    cwd: ROOT,
    env: { ...process.env, EMAIL_OUTAGE_CHILD: JSON.stringify(env) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`adapter child exited early (${code})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once("exit", () => r()));
}

(dovecotAvailable() ? describe : describe.skip)(
  "email adapter outage (SIGKILL, real Redis)",
  () => {
    it("mail keeps arriving while the adapter process is killed: 0 lost, 0 duplicate jobs", async () => {
      expect(
        existsSync(join(DIST, "adapters/email/adapter.js")),
        "dist/ missing: npm run build",
      ).toBe(true);
      const dovecot = await startDovecot();
      const prefix = `{email-outage-${randomUUID().slice(0, 8)}}`;
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUE.inbound, { connection: redis, prefix });
      const imap = await appender(dovecot);
      const childEnv = {
        dist: DIST,
        redisUrl: REDIS_URL,
        prefix,
        key: randomBytes(32).toString("hex"),
        config: emailConfig(dovecot, 1),
      };
      const jobs = async (): Promise<number> => {
        const c = await queue.getJobCounts(
          "waiting",
          "prioritized",
          "delayed",
          "active",
          "completed",
        );
        return Object.values(c).reduce((a, b) => a + b, 0);
      };
      const TOTAL = 30;
      const ids: string[] = [];
      let a: ChildProcess | undefined;
      let b: ChildProcess | undefined;
      try {
        a = await spawnAdapter(childEnv);
        // Mail keeps arriving during the whole test, one every 60 ms.
        const injecting = (async () => {
          for (let i = 0; i < TOTAL; i++) {
            const m = readerMail(`outage message ${i}`);
            ids.push(m.id);
            await imap.append("INBOX", m.raw);
            await new Promise((r) => setTimeout(r, 60));
          }
        })();
        while ((await jobs()) < 8) await new Promise((r) => setTimeout(r, 25));
        a.kill("SIGKILL");
        await exited(a);
        const atKill = await jobs();
        await new Promise((r) => setTimeout(r, 500)); // down for a while; mail still arrives
        b = await spawnAdapter(childEnv);
        await injecting;
        const deadline = Date.now() + 45_000;
        while ((await jobs()) < TOTAL && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 500)); // let any late duplicate show up
        const all = await queue.getJobs([
          "waiting",
          "prioritized",
          "delayed",
          "active",
          "completed",
        ]);
        const jobIds = all.map((j) => j.id);
        const expected = ids.map((id) => inboundJobId(childEnv.key, id));
        const lost = expected.filter((j) => !jobIds.includes(j)).length;
        const duplicates = jobIds.length - new Set(jobIds).size;
        const strays = jobIds.filter((j) => j === undefined || !expected.includes(j)).length;
        console.log(
          `[email outage] ${TOTAL} mails appended, adapter SIGKILLed at ${atKill} jobs and restarted: ` +
            `${new Set(jobIds).size} jobs, ${lost} lost, ${duplicates} duplicate jobs, ${strays} strays`,
        );
        expect(lost).toBe(0);
        expect(duplicates).toBe(0);
        expect(strays).toBe(0);
        expect(jobIds).toHaveLength(TOTAL);
        // A graceful stop must leave nothing open: the process then ends by itself (exit 0).
        b.kill("SIGTERM");
        await exited(b);
        expect(b.exitCode, "adapter process left handles open after stop()").toBe(0);
      } finally {
        for (const c of [a, b])
          if (c && c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
        await Promise.all([a, b].map((c) => (c ? exited(c) : Promise.resolve())));
        await imap.logout().catch(() => imap.close());
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
        await dovecot.stop();
      }
    }, 120_000);
  },
);
