import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DeliveryConfig } from "./config.js";
import { smtpTransport } from "./index.js";

/** One readiness check's answer (a `/readyz` entry). */
export interface Check {
  ok: boolean;
  detail: string;
}

/** How long an SMTP answer is reused: probes every few seconds must not each open a session. */
const SMTP_CHECK_TTL_MS = 30_000;

/**
 * Can the deliver role send? With SMTP: the server accepts a connection (and the login, when one
 * is set), checked at most every 30 s. With the outbox: a file can be written there and removed.
 * Details name the errno or SMTP code, never a recipient.
 */
export function deliveryReadiness(config: DeliveryConfig): () => Promise<Check> {
  if (!config.smtp) {
    const dir = config.outboxDir;
    return async () => {
      const probe = join(dir, `.readyz-${randomBytes(6).toString("hex")}`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(probe, "");
        await unlink(probe);
        return { ok: true, detail: `outbox ${dir} writable` };
      } catch (err) {
        return { ok: false, detail: `outbox ${dir} not writable (${errCode(err)})` };
      }
    };
  }
  let last: { check: Check; at: number } | null = null;
  let running: Promise<Check> | null = null;
  const verify = async (): Promise<Check> => {
    const transport = smtpTransport(config, { pool: false, timeoutMs: 10_000 });
    try {
      await transport.verify();
      return { ok: true, detail: "SMTP server answers" };
    } catch (err) {
      const why = err instanceof Error ? `: ${err.message}` : "";
      return { ok: false, detail: `SMTP server not reachable (${errCode(err)}${why})` };
    } finally {
      transport.close();
    }
  };
  return () => {
    if (last && Date.now() - last.at < SMTP_CHECK_TTL_MS) return Promise.resolve(last.check);
    running ??= verify().then((check) => {
      last = { check, at: Date.now() };
      running = null;
      return check;
    });
    return running;
  };
}

function errCode(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown };
  const code = e.responseCode ?? e.code;
  return typeof code === "string" || typeof code === "number"
    ? String(code)
    : err instanceof Error
      ? err.message
      : "error";
}
