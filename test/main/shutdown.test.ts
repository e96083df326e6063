import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REDIS_URL, cleanup, testPrefix, testRedis } from "../queue/helpers.js";
import { testDir } from "../support/temp-dir.js";

// Runs the built entry point (vitest's global setup builds dist/) as `npm start` would.
describe("npm start process", () => {
  it("serves the form with no credentials and exits cleanly on SIGTERM", async () => {
    const prefix = testPrefix();
    const child = spawn(process.execPath, ["dist/src/main.js"], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        VAR_DIR: testDir("cr-start-"),
        PORT: "0",
        INTERNAL_PORT: "0",
        HOST: "127.0.0.1",
        RELAY_SMTP_PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /"url":"(http:\/\/[^"]+)","msg":"web form listening/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(m[1]!);
          }
          if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`exited early: ${out.slice(-500)}`));
          }
        }, 50);
      });
      const form = await fetch(`${address}/contact`);
      expect(form.status).toBe(200);
      // Readiness is on the internal listener, not the public form port.
      const internal = /"url":"(http:\/\/[^"]+)","msg":"internal listener/.exec(out)?.[1];
      expect(internal).toBeDefined();
      expect((await fetch(`${internal}/readyz`)).status).toBe(200);
      expect((await fetch(`${address}/readyz`)).status).toBe(404);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      child.kill("SIGKILL");
      const r = testRedis();
      await cleanup(r, prefix);
      r.disconnect();
    }
  });
});
