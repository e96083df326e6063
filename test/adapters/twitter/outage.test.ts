import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { QUEUE } from "../../../src/queue/keys.js";
import { inboundJobId } from "../../queue/helpers.js";
import { FakeTwitterApi } from "../../fakes/twitter-api.js";
import { reader } from "./rig.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const BUILD = path.join(ROOT, "var/test-build/twitter-outage");
const CHILD = path.join(BUILD, "out/test/adapters/twitter/outage-child.js");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Compiles the child and only what it imports (tsc follows the imports), into var/. */
beforeAll(() => {
  mkdirSync(BUILD, { recursive: true });
  const tsconfig = path.join(BUILD, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.json"),
      compilerOptions: {
        noEmit: false,
        outDir: path.join(BUILD, "out"),
        rootDir: ROOT,
        sourceMap: false,
      },
      files: [path.join(ROOT, "test/adapters/twitter/outage-child.ts")],
      include: [],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", tsconfig], { stdio: "pipe" });
  } catch (err) {
    // Type errors elsewhere (work in progress) still emit JavaScript; only a missing file is fatal.
    if (!existsSync(CHILD)) throw err;
  }
});

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const prefix = `{tw-outage-${randomBytes(4).toString("hex")}}`;
const fake = new FakeTwitterApi({ pageSize: 5 });
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await fake.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

function startChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, REDIS_URL, PREFIX: prefix, KEY_HEX, FAKE_URL: fake.baseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("started")) resolve(child);
    });
  });
}

function sigkill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const KEY_HEX = randomBytes(32).toString("hex");
const MAX_INJECTED = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("SIGKILLed while messages keep arriving, then restarted: 0 lost, 0 duplicate jobs", async () => {
  await fake.start();
  const expected: string[] = [];
  const alice = reader(11, "Wien");
  const bob = reader(12);
  let n = 0;
  const injector = setInterval(() => {
    // Capped so the test ends; a backlog of any length is read down to the cursor
    // (backlog.test.ts covers one of more than 100 pages).
    if (n >= MAX_INJECTED) return;
    n += 1;
    expected.push(
      n % 3 === 0
        ? `twitter:tweet:${fake.injectMention(bob, `outage mention ${n}`)}`
        : `twitter:dm:${fake.injectDm(alice, `outage dm ${n}`)}`,
    );
  }, 30);

  try {
    // Kill at different moments of the poll cycle: mid-page, mid-submit, between polls.
    for (const lifeMs of [40, 260, 5, 520, 130]) {
      const child = await startChild();
      await sleep(lifeMs);
      await sigkill(child);
      await sleep(150); // messages keep arriving while nobody polls
    }
  } finally {
    clearInterval(injector);
  }

  const final = await startChild();
  const queue = new Queue(QUEUE.inbound, { connection: redis, prefix });
  try {
    // Wait while the catch-up makes progress (on a loaded machine it takes a while), not for a
    // fixed time: a lost message shows as a count that stops short of the expected one.
    let count = 0;
    let progressAt = Date.now();
    while (count < expected.length && Date.now() - progressAt < 15_000) {
      await sleep(100);
      const now = await queue.getJobCountByTypes("wait");
      if (now > count) progressAt = Date.now();
      count = now;
    }
    await sleep(300); // a late duplicate would show up now
    const jobs = await queue.getJobs(["wait"], 0, -1);
    const jobIds = jobs.map((j) => j.id);
    const rawSubmits = Number(await redis.get(`${prefix}:test:raw-submits`));
    const wanted = new Set(expected.map((id) => inboundJobId(KEY_HEX, id)));
    const lost = [...wanted].filter((id) => !jobIds.includes(id)).length;
    const duplicates = jobIds.length - new Set(jobIds).size;
    console.log(
      `[twitter outage] injected ${expected.length}, jobs ${jobIds.length}, lost ${lost}, ` +
        `duplicate jobs ${duplicates}, raw submit calls ${rawSubmits} ` +
        `(${rawSubmits - expected.length} replays absorbed by the intake), 5 SIGKILLs`,
    );
    expect(expected.length).toBeGreaterThan(50);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(jobIds.length).toBe(expected.length);
    expect(new Set(jobIds)).toEqual(wanted);
  } finally {
    await queue.close();
    await new Promise<void>((resolve) => {
      final.once("exit", () => resolve());
      final.kill("SIGTERM");
    });
  }
  // A ceiling, not a speed check: five child restarts take 30 s alone and over 60 s when the
  // whole adapter suite shares two loaded cores.
}, 180_000);
