import { spawn, type ChildProcess } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { Queue } from "bullmq";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../src/redis/server.js";
import { injectPrivate } from "../adapters/telegram/fixtures.js";
import { FakeTelegramBotApi } from "../fakes/telegram-bot-api.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";
import { replyAddressOf, sendReply } from "./support.js";

/*
 * The built app as a process, as `npm start` runs it (vitest's global setup builds dist/). The
 * first test is the "done when": no credentials, a web-form contact with an address, a
 * reply by plain SMTP to 127.0.0.1:2525 from the affiliate's inbox, and the answer lands in the
 * outbox for the reader, without the quote; from anyone else, or to an altered token, nothing.
 */

/** Two app starts and a restart take a while on a loaded machine. */
const PROCESS_TEST_MS = 180_000;

interface Child {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startChild(env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, ["dist/src/main.js"], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, out: () => out, exited };
}

async function logged(child: Child, re: RegExp): Promise<RegExpExecArray> {
  return waitFor(
    `log ${re}`,
    () => {
      if (child.proc.exitCode !== null) throw new Error(`exited early: ${child.out().slice(-800)}`);
      return re.exec(child.out());
    },
    60_000,
  );
}

/** Is 127.0.0.1:<port> free to listen on? */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** The outbox's emails, parsed. */
async function outbox(dir: string): Promise<ParsedMail[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    files
      .filter((f) => f.endsWith(".eml"))
      .map(async (f) => simpleParser(await readFile(join(dir, f)))),
  );
}
const to = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));

describe("the built app as a process", () => {
  const children: Child[] = [];
  const prefixes: string[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.proc.kill("SIGKILL");
      await c.exited;
    }
    const r = testRedis();
    for (const p of prefixes.splice(0)) await cleanup(r, p);
    r.disconnect();
  });

  it(
    "done when: npm start, a web-form contact, a reply by SMTP to 127.0.0.1:2525 → the answer in the reader's outbox; other senders and altered tokens → nothing",
    async () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      const varDir = testDir("cr-done-");
      // The default port, unless something else on this machine holds it.
      const relayPort = (await portFree(2525)) ? 2525 : await freePort();
      const child = startChild({
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        VAR_DIR: varDir,
        PORT: "0",
        INTERNAL_PORT: "0",
        HOST: "127.0.0.1",
        ...(relayPort === 2525 ? {} : { RELAY_SMTP_PORT: String(relayPort) }),
      });
      children.push(child);
      const [, url] = await logged(child, /"url":"(http:\/\/[^"]+)","msg":"web form listening/);
      const relayLine = (await logged(child, /"msg":"(relay listening on [^"]+)"/))[1]!;
      expect(relayLine).toBe(
        `relay listening on 127.0.0.1:${relayPort} for relay+<token>@localhost; sender authentication is off (localhost is not a public domain)`,
      );

      const res = await fetch(`${url}/contact`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          country: "IT",
          email: "lettrice@example.com",
          message: "Ciao, vorrei sapere quando vi riunite a Torino.",
        }).toString(),
      });
      expect(res.status).toBe(200);
      const dir = join(varDir, "outbox");
      const forward = await waitFor("forward in the outbox", async () =>
        (await outbox(dir)).find((m) => to(m).includes("it@leftcom.org")),
      );
      const relay = replyAddressOf(forward);
      expect(relay).toMatch(/^relay\+[a-z2-7]{53}@localhost$/);

      await sendReply(relayPort, {
        from: "it@leftcom.org",
        to: relay,
        text: "Ciao! Ci vediamo ogni martedì alle 18.",
        signature: "Marco",
        quote: forward,
      });
      const answer = await waitFor("answer in the outbox", async () =>
        (await outbox(dir)).find((m) => to(m).includes("lettrice@example.com")),
      );
      expect(answer.text).toContain("Ci vediamo ogni martedì alle 18.");
      expect(answer.text).not.toContain("vorrei sapere");
      expect(answer.text).not.toContain("Marco");

      // The same reply from anyone else: refused and kept, nothing for the reader.
      await sendReply(relayPort, {
        from: "someone@example.org",
        to: relay,
        text: "Ciao! Ci vediamo ogni martedì alle 18.",
        quote: forward,
      });
      const r = testRedis();
      try {
        await waitFor("refusal kept", async () =>
          (await r.hvals(`${prefix}:quarantine:meta`)).some((v) =>
            v.includes("SenderNotAllowedError"),
          ),
        );
      } finally {
        r.disconnect();
      }
      // To an altered token: refused during SMTP.
      const i = relay.indexOf("@") - 10;
      const altered = relay.slice(0, i) + (relay[i] === "a" ? "b" : "a") + relay.slice(i + 1);
      const err = await sendReply(relayPort, {
        from: "it@leftcom.org",
        to: altered,
        text: "Ciao!",
        quote: forward,
      }).then(
        () => null,
        (e: { responseCode?: number }) => e,
      );
      expect(err?.responseCode).toBe(550);
      expect(
        (await outbox(dir)).filter((m) => to(m).includes("lettrice@example.com")),
      ).toHaveLength(1);

      child.proc.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    },
    PROCESS_TEST_MS,
  );

  it(
    "a SIGKILL after the relay accepted a reply loses nothing: after the restart the answer is sent once",
    async () => {
      const api = new FakeTelegramBotApi();
      await api.start();
      try {
        const prefix = testPrefix();
        prefixes.push(prefix);
        const varDir = testDir("cr-kill-");
        const relayPort = await freePort();
        const env = {
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          VAR_DIR: varDir,
          PORT: "0",
          INTERNAL_PORT: "0",
          HOST: "127.0.0.1",
          RELAY_SMTP_PORT: String(relayPort),
          TELEGRAM_BOT_TOKEN: api.token,
          TELEGRAM_API_ROOT: api.apiRoot,
        };
        const first = startChild(env);
        children.push(first);
        await logged(first, /"msg":"relay listening/);
        const reader = { id: 610_000_001, first_name: "Karl", language_code: "de" };
        injectPrivate(api, reader, "Hallo, ich wohne in Wien und möchte euch treffen.");
        const dir = join(varDir, "outbox");
        const forward = await waitFor("forward", async () =>
          (await outbox(dir)).find((m) => to(m).includes("de@leftcom.org")),
        );
        await waitFor("ack", () => api.sent.some((m) => m.chat_id === reader.id));
        // Telegram is down: the relay takes the reply (250) but cannot send it yet.
        api.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 1000);
        await sendReply(relayPort, {
          from: "de@leftcom.org",
          to: replyAddressOf(forward),
          text: "Gern, am Donnerstag?",
          quote: forward,
        });
        await waitFor("a failed send attempt", () =>
          api.calls.some(
            (c) =>
              c.method === "sendMessage" && String(c.params.text).includes("Gern, am Donnerstag?"),
          ),
        );
        // Killed while the reply waits for its retry (a kill mid-attempt is recovered the same way,
        // once its lock expires, only slower).
        const r0 = testRedis();
        const q0 = new Queue("relay", { connection: r0, prefix });
        try {
          await waitFor("retry scheduled", async () => (await q0.getDelayedCount()) === 1);
        } finally {
          await q0.close();
          r0.disconnect();
        }
        first.proc.kill("SIGKILL");
        await first.exited;

        api.clearFailures();
        const second = startChild(env);
        children.push(second);
        await logged(second, /"msg":"relay listening/);
        const answers = () =>
          api.sent.filter(
            (m) => m.chat_id === reader.id && m.text.includes("Gern, am Donnerstag?"),
          );
        await waitFor("answer after the restart", () => answers().length === 1, 60_000);
        const r = testRedis();
        const queue = new Queue("relay", { connection: r, prefix });
        try {
          await waitFor(
            "relay job completed",
            async () => (await queue.getCompleted()).length === 1,
          );
        } finally {
          await queue.close();
          r.disconnect();
        }
        expect(answers()).toHaveLength(1);
        expect(answers()[0]!.text).toBe(
          "Antwort von Gruppe Internationalistischer Kommunistinnen:\n\nGern, am Donnerstag?\n\nDu kannst hier antworten.",
        );
      } finally {
        await api.stop();
      }
    },
    PROCESS_TEST_MS,
  );
});
