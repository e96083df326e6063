import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";

/**
 * The outbox file name of a contact: a hash of its id, so a resend overwrites the same file
 * instead of duplicating it, and the name says nothing about the reader.
 */
export function outboxFileName(contactId: string): string {
  return `${createHash("sha256").update(contactId, "utf8").digest("hex").slice(0, 32)}.eml`;
}

/**
 * Group commit for one flush operation: `run()` resolves (or rejects) with a flush that started
 * after the call, so everything the caller did before it is covered, while callers that arrive
 * together share one flush instead of paying one each.
 */
export class GroupCommit {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly flush: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.start();
    // The running flush may have started before this caller's work: wait for the next one.
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.next = after.then(() => {
      this.next = null;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<void> {
    const run = this.flush().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}

/** One outbox folder: created once per process (owner-only), its entries flushed by group commit. */
class OutboxDir {
  private created: Promise<void> | null = null;
  readonly sync: GroupCommit;

  constructor(readonly path: string) {
    this.sync = new GroupCommit(() => fsyncPath(path));
  }

  ensure(): Promise<void> {
    this.created ??= mkdir(this.path, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (err: unknown) => {
        this.created = null;
        throw err;
      },
    );
    return this.created;
  }

  /** Forgets that the folder exists (someone removed it); the next write creates it again. */
  forget(): void {
    this.created = null;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const dirs = new Map<string, OutboxDir>();

function outboxDir(dir: string): OutboxDir {
  const key = resolve(dir);
  let d = dirs.get(key);
  if (!d) {
    d = new OutboxDir(key);
    dirs.set(key, d);
  }
  return d;
}

/** Writes, flushes and closes a new file. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const fh = await open(path, "wx", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes one email atomically and durably: to a temporary file in the same folder, flushed,
 * renamed, then the folder flushed, so a reader of the folder never sees half an email and an
 * email whose write resolved survives a crash or power loss. Concurrent writes share the folder
 * flush (group commit). The folder is created owner-only, once per process.
 */
export async function writeOutboxFile(
  dir: string,
  contactId: string,
  eml: Buffer,
): Promise<string> {
  const d = outboxDir(dir);
  const name = outboxFileName(contactId);
  const final = join(d.path, name);
  const tmp = join(d.path, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  await d.ensure();
  try {
    try {
      await writeDurably(tmp, eml);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      // The folder was removed since it was created: create it again, once.
      d.forget();
      await d.ensure();
      await writeDurably(tmp, eml);
    }
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await d.sync.run();
  return final;
}
