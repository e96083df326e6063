import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { inboundJobId } from "../../queue/helpers.js";
import { FakeDiscord } from "../../fakes/discord-gateway.js";
import { reader } from "./rig.js";
import { transpileForChild } from "./transpile.js";

interface Child {
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function spawnAdapter(main: string, env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, [main], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    proc.once("exit", (code) => resolve(code)),
  );
  proc.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child not ready: ${output.join("")}`)),
      20_000,
    );
    proc.stdout?.on("data", (d: Buffer) => {
      output.push(d.toString());
      if (output.join("").includes("READY running")) {
        clearTimeout(timer);
        resolve({ proc, output, exited });
      }
    });
    void exited.then((code) => reject(new Error(`child exited ${code}: ${output.join("")}`)));
  });
}

describe("Discord outage", () => {
  it("SIGKILLed twice while readers keep writing: 0 lost, 0 duplicate jobs", async () => {
    const fake = await FakeDiscord.start();
    const dm = fake.dmChannel(reader);
    const prefix = `{cr-discord-outage-${randomUUID().slice(0, 8)}}`;
    const redis = new Redis({ host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null });
    const queue = new Queue("inbound", { connection: redis, prefix });
    const build = transpileForChild(join(import.meta.dirname, "outage-child.ts"));
    const key = randomBytes(32).toString("hex");
    const env = {
      OUTAGE_PREFIX: prefix,
      OUTAGE_KEY: key,
      OUTAGE_TOKEN: fake.token,
      OUTAGE_API: fake.apiBase,
    };
    const children: Child[] = [];
    const start = async () => {
      const c = await spawnAdapter(build.main, env);
      children.push(c);
      return c;
    };
    const jobExists = async (id: string) =>
      (await queue.getJob(inboundJobId(key, id))) !== undefined;
    const injected: string[] = [];
    const inject = (i: number) => {
      const m = fake.post(dm, reader, `outage message ${i}, sent at ${new Date().toISOString()}`);
      injected.push(`discord:${dm}:${m.id}`);
    };

    try {
      const first = await start();
      inject(0); // the bot learns the DM channel while it is up
      for (let t = 0; !(await jobExists(injected[0]!)); t++) {
        if (t > 100) throw new Error("first message never enqueued");
        await sleep(100);
      }

      // Readers keep writing every 25 ms while the adapter is killed and restarted twice.
      const total = 80;
      const stream = (async () => {
        for (let i = 1; i < total; i++) {
          inject(i);
          await sleep(25);
        }
      })();
      await sleep(300);
      first.proc.kill("SIGKILL");
      await first.exited;
      await sleep(200); // messages arrive while nobody is connected
      const second = await start();
      await sleep(150);
      second.proc.kill("SIGKILL");
      await second.exited;
      const third = await start();
      await stream;

      const deadline = Date.now() + 20_000;
      let missing = injected;
      while (Date.now() < deadline) {
        const exists = await Promise.all(missing.map((id) => jobExists(id)));
        missing = missing.filter((_, i) => !exists[i]);
        if (missing.length === 0) break;
        await sleep(200);
      }
      const counts = await queue.getJobCounts();
      const jobs = Object.values(counts).reduce((a, b) => a + b, 0);
      const submitCalls = Number(await redis.get(`${prefix}:test:submit-calls`));
      const duplicates = Number(await redis.get(`${prefix}:test:duplicates`));
      console.log(
        `[discord outage] injected ${injected.length}, jobs ${jobs}, lost ${missing.length}, ` +
          `duplicate jobs ${jobs - (injected.length - missing.length)}, raw submit calls ${submitCalls} ` +
          `(replays absorbed by the intake: ${duplicates}), identifies ${fake.identifies}, ` +
          `REST catch-up pages ${fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/messages")).length}`,
      );
      expect(missing).toEqual([]);
      expect(jobs).toBe(injected.length);

      // A graceful stop leaves nothing open: the process exits by itself.
      third.proc.kill("SIGTERM");
      const code = await Promise.race([third.exited, sleep(8_000).then(() => "hung")]);
      expect(code, third.output.join("")).toBe(0);
      expect(third.output.join("")).toContain("STOPPED");
    } finally {
      for (const c of children) c.proc.kill("SIGKILL");
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      build.cleanup();
      await fake.close();
    }
  }, 90_000);
});
