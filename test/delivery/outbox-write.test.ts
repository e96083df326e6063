import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RouterError } from "../../src/errors.js";
import { OutboxWriter, outboxFileName, writeOutboxFile } from "../../src/delivery/outbox.js";

const BUILT_OUTBOX = join(import.meta.dirname, "../../dist/src/delivery/outbox.js");
const BUILT_JOBS = join(import.meta.dirname, "../../dist/src/queue/jobs.js");

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "outbox-write-"));
  // Other users may enter it (the EACCES test writes as an unprivileged user when run as root).
  await chmod(dir, 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeOutboxFile", () => {
  it("writes many emails concurrently: one private file each, exact content, no temp files", async () => {
    const out = join(dir, "outbox");
    const ids = Array.from({ length: 60 }, (_, i) => `c${i}`);
    const paths = await Promise.all(
      ids.map((id) => writeOutboxFile(out, id, Buffer.from(`email for ${id}\r\n`))),
    );
    expect(paths).toEqual(ids.map((id) => join(out, outboxFileName(id))));
    const files = (await readdir(out)).sort();
    expect(files).toEqual(ids.map(outboxFileName).sort());
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    for (const id of ids) {
      const p = join(out, outboxFileName(id));
      expect(await readFile(p, "utf8")).toBe(`email for ${id}\r\n`);
      expect((await stat(p)).mode & 0o777).toBe(0o600);
    }
  });

  it("concurrent resends of one contact leave exactly one whole file", async () => {
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(500));
    await Promise.all(versions.map((v) => writeOutboxFile(dir, "c-same", Buffer.from(v))));
    expect(await readdir(dir)).toEqual([outboxFileName("c-same")]);
    const body = await readFile(join(dir, outboxFileName("c-same")), "utf8");
    expect(versions).toContain(body);
  });

  it("creates the folder again when it was removed after the first write", async () => {
    const out = join(dir, "gone");
    await writeOutboxFile(out, "c1", Buffer.from("one"));
    await rm(out, { recursive: true });
    await writeOutboxFile(out, "c2", Buffer.from("two"));
    expect(await readdir(out)).toEqual([outboxFileName("c2")]);
  });

  it("rejects when the folder cannot be created, and leaves nothing behind", async () => {
    const file = join(dir, "a-file");
    await writeOutboxFile(dir, "seed", Buffer.from("x"));
    await writeFile(file, "not a folder");
    await expect(writeOutboxFile(join(file, "sub"), "c1", Buffer.from("x"))).rejects.toThrow(
      /ENOTDIR|EEXIST/,
    );
    expect((await readdir(dir)).sort()).toEqual([outboxFileName("seed"), "a-file"].sort());
  });

  it("fails the writes in flight as transient when the writer thread dies, and starts a new one", async () => {
    const dying = join(dir, "dying-thread.mjs");
    // Dies on its first request, like a thread hitting a fatal error mid-batch.
    await writeFile(
      dying,
      `import { parentPort } from "node:worker_threads";
       parentPort.on("message", () => process.exit(3));`,
    );
    const writer = new OutboxWriter(dying);
    const err = await writer.write(dir, "x.eml", Buffer.from("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterError);
    expect((err as RouterError).code).toBe("DELIVERY_TRANSIENT");
    expect((err as RouterError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/writer thread stopped \(exit code 3\)/);
    // The next write gets a fresh thread (which dies again here: the error repeats, no hang).
    await expect(writer.write(dir, "y.eml", Buffer.from("y"))).rejects.toThrow(/exit code 3/);
    expect(await readdir(dir)).toEqual(["dying-thread.mjs"]);
  });

  it("fails only the write that cannot be done when others share its batch", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "not a folder");
    const out = join(dir, "ok");
    const results = await Promise.allSettled([
      writeOutboxFile(out, "c1", Buffer.from("one")),
      writeOutboxFile(join(file, "sub"), "c2", Buffer.from("two")),
      writeOutboxFile(out, "c3", Buffer.from("three")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await readdir(out)).sort()).toEqual(
      [outboxFileName("c1"), outboxFileName("c3")].sort(),
    );
    expect(await readFile(join(out, outboxFileName("c3")), "utf8")).toBe("three");
  });

  it("keeps the errno of a write the file system refuses (OUTBOX_WRITE: EACCES …), as a retry", async () => {
    // A folder the writing user may not write to. Root writes anywhere, so as root the write runs
    // in a child process as the unprivileged user 65534; the built module is what both run.
    const locked = join(dir, "locked");
    await mkdir(locked, { mode: 0o755 });
    await chmod(locked, 0o555);
    const script = join(dir, "write-locked.mjs");
    await writeFile(
      script,
      `const { writeOutboxFile } = await import(${JSON.stringify(pathToFileURL(BUILT_OUTBOX).href)});
       const { safeReason } = await import(${JSON.stringify(pathToFileURL(BUILT_JOBS).href)});
       try {
         await writeOutboxFile(process.argv[2], "c1", Buffer.from("x"));
         console.log(JSON.stringify({ written: true }));
       } catch (err) {
         console.log(JSON.stringify({ name: err.name, code: err.code, retryable: err.retryable,
           errno: err.errno, reason: safeReason(err) }));
       }`,
    );
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [script, join(locked, "outbox")], {
      encoding: "utf8",
      timeout: 20_000,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      name: "RouterError",
      code: "OUTBOX_WRITE",
      retryable: true,
      errno: "EACCES",
    });
    expect(out.reason).toMatch(/^OUTBOX_WRITE: EACCES: permission denied, mkdir '/);
    expect(await readdir(locked)).toEqual([]);
  });
});
