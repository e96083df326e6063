import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit, outboxFileName, writeOutboxFile } from "../../src/delivery/outbox.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "outbox-write-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A flush whose completion the test controls, recording when each flush started. */
function controlledFlush() {
  const started: number[] = [];
  const finish: ((err?: Error) => void)[] = [];
  let n = 0;
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      started.push(n++);
      finish.push((err) => (err ? reject(err) : resolve()));
    });
  return { flush, started, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("GroupCommit", () => {
  it("callers arriving together share one flush", async () => {
    const f = controlledFlush();
    const g = new GroupCommit(f.flush);
    const a = g.run();
    // These arrive while flush 0 runs, so they must wait for a flush that starts after them.
    const b = g.run();
    const c = g.run();
    expect(f.started).toEqual([0]);
    let bDone = false;
    void b.then(() => (bDone = true));
    f.finish[0]!();
    await a;
    await tick();
    expect(bDone).toBe(false);
    expect(f.started).toEqual([0, 1]);
    f.finish[1]!();
    await Promise.all([b, c]);
    expect(f.started).toEqual([0, 1]);
  });

  it("never lets a caller ride on a flush that started before it", async () => {
    const f = controlledFlush();
    const g = new GroupCommit(f.flush);
    const first = g.run();
    const second = g.run();
    f.finish[0]!();
    await first;
    await tick();
    // Flush 1 is now running; a caller arriving now needs flush 2.
    const third = g.run();
    f.finish[1]!();
    await second;
    await tick();
    let thirdDone = false;
    void third.then(() => (thirdDone = true));
    await tick();
    expect(thirdDone).toBe(false);
    expect(f.started).toEqual([0, 1, 2]);
    f.finish[2]!();
    await third;
  });

  it("a failed flush fails its callers; the next callers get a fresh flush", async () => {
    const f = controlledFlush();
    const g = new GroupCommit(f.flush);
    const a = g.run();
    f.finish[0]!(new Error("EIO"));
    await expect(a).rejects.toThrow("EIO");
    const b = g.run();
    expect(f.started).toEqual([0, 1]);
    f.finish[1]!();
    await expect(b).resolves.toBeUndefined();
  });
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
    const { writeFile } = await import("node:fs/promises");
    await writeFile(file, "not a folder");
    await expect(writeOutboxFile(join(file, "sub"), "c1", Buffer.from("x"))).rejects.toThrow(
      /ENOTDIR|EEXIST/,
    );
    expect((await readdir(dir)).sort()).toEqual([outboxFileName("seed"), "a-file"].sort());
  });
});
