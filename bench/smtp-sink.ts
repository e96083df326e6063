import { fork } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

/** One accepted email: its envelope recipient and Message-ID, and when it was accepted. */
export interface Accepted {
  to: string;
  messageId: string;
  contactRef: string | null;
  at: number;
}

/**
 * A local SMTP sink for benchmarks and the fault script: accepts everything, keeps the
 * Message-ID (and the X-Contact-Router-Ref header) of each email.
 */
export async function startSmtpSink(
  port = 0,
  onAccept?: (a: Accepted) => void,
): Promise<{ port: number; accepted: Accepted[]; close(): Promise<void> }> {
  const accepted: Accepted[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
        const a: Accepted = {
          to: session.envelope.rcptTo[0]?.address ?? "",
          messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? "",
          contactRef: /^x-contact-router-ref:\s*(\S+)/im.exec(head)?.[1] ?? null,
          at: Date.now(),
        };
        accepted.push(a);
        onAccept?.(a);
        cb();
      });
    },
  });
  // A client killed mid-session resets its connection: expected here, not fatal.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The sink in a child process, as a real mail server would be: its parsing then does not count
 * in the CPU of the process under test. Resolves with its port once it listens.
 */
export async function startSmtpSinkProcess(): Promise<{ port: number; close(): Promise<void> }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: "inherit" });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve(Number(m)));
    child.once("exit", (code) => reject(new Error(`SMTP sink exited (${code})`)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

if (process.argv.includes("--serve") && process.send) {
  const sink = await startSmtpSink();
  process.send(sink.port);
  process.on("SIGTERM", () => void sink.close().then(() => process.exit(0)));
}
