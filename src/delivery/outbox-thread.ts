/**
 * The outbox writer thread (started by `./outbox.ts`). It takes write requests as they come and
 * handles them in batches: each email goes to a temporary file, the files are flushed together,
 * renamed to their final names, then each folder is flushed once. The event loop that runs the
 * queues never waits on a disk or pays for the callbacks of five system calls per email.
 */
import { randomBytes } from "node:crypto";
import {
  close,
  closeSync,
  fdatasync,
  fsync,
  mkdirSync,
  open,
  openSync,
  rename,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parentPort } from "node:worker_threads";
import type { WriteRequest, WriteResult } from "./outbox.js";

if (!parentPort) throw new Error("outbox-thread runs as a worker thread");
const port = parentPort;

/** Folders created by this thread (owner-only). Forgotten when a write finds one gone. */
const created = new Set<string>();

function ensureDir(dir: string): void {
  if (created.has(dir)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  created.add(dir);
}

/** Writes the whole buffer to a new temporary file in the folder and returns its open fd and path. */
function writeTemp(req: WriteRequest): { fd: number; tmp: string } {
  const tmp = join(req.dir, `.${req.name}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number;
  try {
    ensureDir(req.dir);
    fd = openSync(tmp, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    // The folder was removed since it was created: create it again, once.
    created.delete(req.dir);
    ensureDir(req.dir);
    fd = openSync(tmp, "wx", 0o600);
  }
  try {
    const data = req.data;
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  return { fd, tmp };
}

function failure(id: number, err: unknown): WriteResult {
  const e = err as NodeJS.ErrnoException;
  return { id, error: { code: e.code ?? "EIO", message: e.message || String(err) } };
}

const flushFile = promisify(fdatasync);
const flushAll = promisify(fsync);
const closeFile = promisify(close);
const renameFile = promisify(rename);
const openFile = promisify(open);
const flushFolder = async (dir: string): Promise<void> => {
  const fd = await openFile(dir, "r");
  try {
    await flushAll(fd);
  } finally {
    await closeFile(fd);
  }
};

/**
 * One batch: the temporary files are written here (page cache, cheap), flushed concurrently (a
 * disk flush waits on the device; issued together, they share the journal's commits), renamed,
 * and each folder flushed once.
 */
async function writeBatch(batch: WriteRequest[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  const written: { req: WriteRequest; fd: number; tmp: string }[] = [];
  for (const req of batch) {
    try {
      written.push({ req, ...writeTemp(req) });
    } catch (err) {
      results.push(failure(req.id, err));
    }
  }
  // Flushed before the rename, so a file under its final name is never empty after a power loss.
  const renamed = new Map<string, WriteRequest[]>();
  await Promise.all(
    written.map(async ({ req, fd, tmp }) => {
      try {
        try {
          await flushFile(fd);
        } finally {
          await closeFile(fd);
        }
        await renameFile(tmp, join(req.dir, req.name));
        const list = renamed.get(req.dir) ?? [];
        list.push(req);
        renamed.set(req.dir, list);
      } catch (err) {
        rmSync(tmp, { force: true });
        results.push(failure(req.id, err));
      }
    }),
  );
  // One folder flush makes every rename of the batch durable.
  await Promise.all(
    [...renamed].map(async ([dir, reqs]) => {
      try {
        await flushFolder(dir);
        for (const req of reqs) results.push({ id: req.id, path: join(dir, req.name) });
      } catch (err) {
        for (const req of reqs) results.push(failure(req.id, err));
      }
    }),
  );
  return results;
}

let queue: WriteRequest[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  // Batches may overlap: a new one starts while earlier ones wait on the disk.
  void writeBatch(batch).then((results) => port.postMessage(results));
}

port.on("message", (req: WriteRequest) => {
  queue.push(req);
  // Requests that arrive in the same turn join one batch.
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
});
