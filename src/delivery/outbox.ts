import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The outbox file name of a contact: a hash of its id, so a resend overwrites the same file
 * instead of duplicating it, and the name says nothing about the reader.
 */
export function outboxFileName(contactId: string): string {
  return `${createHash("sha256").update(contactId, "utf8").digest("hex").slice(0, 32)}.eml`;
}

/**
 * Writes one email atomically: to a temporary file in the same folder, flushed, then renamed, so
 * a reader of the folder never sees half an email, even after a crash mid-write.
 * The folder is created owner-only because the files hold readers' messages.
 */
export async function writeOutboxFile(
  dir: string,
  contactId: string,
  eml: Buffer,
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const final = join(dir, outboxFileName(contactId));
  const tmp = join(dir, `.${outboxFileName(contactId)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, eml, { mode: 0o600, flush: true });
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return final;
}
