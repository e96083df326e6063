import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { RouterError } from "../errors.js";
import { projectRoot } from "../paths.js";

/**
 * The outbox file name of a contact: a hash of its id, so a resend overwrites the same file
 * instead of duplicating it, and the name says nothing about the reader.
 */
export function outboxFileName(contactId: string): string {
  return `${createHash("sha256").update(contactId, "utf8").digest("hex").slice(0, 32)}.eml`;
}

/**
 * The outbox's email files (`.eml`) and the temporary files a crash may have left (`.tmp`), by
 * name; none when the folder does not exist yet. Erasure and retention both sweep these.
 */
export async function listOutboxFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names.filter((name) => name.endsWith(".eml") || name.endsWith(".tmp"));
}

/** A request to the writer thread: `data` goes durably to `dir/name`. */
export interface WriteRequest {
  id: number;
  dir: string;
  name: string;
  data: Uint8Array;
}

/** The writer thread's answer: the final path, or the error as code and message. */
export type WriteResult =
  | { id: number; path: string; error?: undefined }
  | { id: number; error: { code: string; message: string } };

/**
 * A failed write as a RouterError that keeps the errno (`OUTBOX_WRITE: EACCES: permission
 * denied, open '…'`), so the failure reason and the metrics say what the operator must fix. The
 * message names only the outbox path and hashed file names. Retryable: a full disk or a wrong
 * owner is fixed by the operator, and the email is written then.
 */
function outboxWriteError(error: { code: string; message: string }): RouterError {
  const message = error.message.startsWith(`${error.code}:`)
    ? error.message
    : `${error.code}: ${error.message}`;
  return Object.assign(new RouterError("OUTBOX_WRITE", message, { retryable: true }), {
    errno: error.code,
  });
}

/**
 * The compiled thread entry. Under the test runner this module is TypeScript from src/, which a
 * worker thread cannot load, so it uses the build in dist/ (the test setup builds it first).
 */
function threadEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "outbox-thread.js");
  return join(projectRoot(), "dist", "src", "delivery", "outbox-thread.js");
}

/**
 * The process's outbox writer: one worker thread that writes, flushes and renames emails in
 * batches (see `./outbox-thread.ts`). It keeps the process alive only while writes are pending,
 * and is started again after a crash.
 */
export class OutboxWriter {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (path: string) => void; reject: (err: Error) => void }
  >();

  /** `entry`: the thread's script; tests pass a failing one. */
  constructor(private readonly entry: string = threadEntry()) {}

  write(dir: string, name: string, data: Uint8Array): Promise<string> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, dir: resolvePath(dir), name, data } satisfies WriteRequest);
    });
  }

  private start(): Worker {
    const worker = new Worker(this.entry);
    worker.on("message", (results: WriteResult[]) => {
      for (const r of results) {
        const p = this.pending.get(r.id);
        if (!p) continue;
        this.pending.delete(r.id);
        if (r.error) p.reject(outboxWriteError(r.error));
        else p.resolve(r.path);
      }
      if (this.pending.size === 0) worker.unref();
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const lost = new RouterError(
        "DELIVERY_TRANSIENT",
        `the outbox writer thread stopped (${err.message}); the write will be retried`,
        { retryable: true },
      );
      for (const p of this.pending.values()) p.reject(lost);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

const writer = new OutboxWriter();

/**
 * Writes one email atomically and durably: to a temporary file in the same folder, flushed,
 * renamed, then the folder flushed, so a reader of the folder never sees half an email and an
 * email whose write resolved survives a crash or power loss. The folder is created owner-only;
 * a resend replaces the contact's file. Writes run on the outbox writer thread, in batches.
 */
export function writeOutboxFile(dir: string, contactId: string, eml: Uint8Array): Promise<string> {
  return writer.write(dir, outboxFileName(contactId), eml);
}
