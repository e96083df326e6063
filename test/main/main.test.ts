import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RULES_PATH } from "../../src/routing/load.js";
import { startApp, type RunningApp } from "../../src/main.js";
import { freePort } from "../../src/redis/server.js";
import { REDIS_URL, cleanup, testPrefix, testRedis, waitFor } from "../queue/helpers.js";
import { SmtpSink } from "./smtp-sink.js";
import { testDir } from "../support/temp-dir.js";

describe("contact-router app (web form → queue → SMTP)", () => {
  let app: RunningApp | null = null;
  let sink: SmtpSink | null = null;
  let prefix = "";

  afterEach(async () => {
    await app?.stop();
    await sink?.close();
    const r = testRedis();
    await cleanup(r, prefix);
    r.disconnect();
    app = null;
    sink = null;
  });

  function env(smtpPort: number): NodeJS.ProcessEnv {
    prefix = testPrefix();
    return {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      VAR_DIR: testDir("cr-app-"),
      PORT: "0",
      INTERNAL_PORT: "0",
      HOST: "127.0.0.1",
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SMTP_REQUIRE_TLS: "false",
      MAIL_FROM: "contact-router <router@example.net>",
      RELAY_SMTP_PORT: "0",
    };
  }

  async function post(fields: Record<string, string>): Promise<Response> {
    return fetch(`${app!.address}/contact`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "it" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  it("delivers a web form contact by email to the right affiliate with the receipt headers", async () => {
    sink = new SmtpSink();
    const port = await sink.listen();
    app = await startApp({ env: env(port) });
    expect(app.roles).toEqual(["ingest", "route", "deliver"]);
    const res = await post({
      country: "IT",
      message: "Ciao, vorrei partecipare alle vostre attività a Milano.",
    });
    expect(res.status).toBe(200);
    const [got] = await waitFor("email", () =>
      sink!.received.length === 1 ? sink!.received : null,
    );
    expect(got!.to).toEqual(["it@leftcom.org"]);
    const h = got!.mail.headers;
    expect(h.get("x-contact-router-affiliate")).toBe("pcint");
    expect(h.get("x-contact-router-channel")).toBe("web");
    expect(got!.mail.messageId).toMatch(/^<.+@.+>$/);
    expect(got!.mail.text).toContain("vorrei partecipare");
    expect((await app.health()).ready).toBe(true);
    const metrics = await app.metrics.registry.metrics();
    expect(metrics).toMatch(/contact_router_inbound_total\{channel="web"\} 1/);
    expect(metrics).toMatch(/contact_router_routed_total\{affiliate="pcint"\} 1/);
  });

  it("SMTP down, then back: every contact is delivered after it returns", async () => {
    const port = await freePort();
    app = await startApp({ env: env(port) });
    const n = 5;
    for (let i = 0; i < n; i++) {
      expect(
        (await post({ country: "DE", message: `Hallo, Nachricht Nummer ${i} aus Berlin.` })).status,
      ).toBe(200);
    }
    await waitFor("every contact failed once", async () => {
      const m = await app!.metrics.failures.get();
      return (
        m.values.filter((v) => v.labels.queue === "deliver").reduce((a, v) => a + v.value, 0) >= n
      );
    });
    sink = new SmtpSink();
    await sink.listen(port);
    await waitFor("all delivered", () => sink!.received.length >= n, 25_000);
    // Wait until no deliver job is left: a second send of any contact would have arrived by then.
    await waitFor("the deliver queue drained", async () => {
      const c = await app!.pipeline.queues.deliver.getJobCounts(
        "wait",
        "active",
        "delayed",
        "prioritized",
      );
      return Object.values(c).every((v) => v === 0);
    });
    expect(sink.received).toHaveLength(n);
    expect(new Set(sink.received.map((r) => r.mail.messageId)).size).toBe(n);
    expect(sink.received.every((r) => r.to[0] === "de@leftcom.org")).toBe(true);
  });

  it("routes by the rules file as edited while it runs, and keeps them when an edit is broken", async () => {
    sink = new SmtpSink();
    const port = await sink.listen();
    const rulesFile = join(testDir("cr-app-rules-"), "routing-rules.yaml");
    const original = await readFile(DEFAULT_RULES_PATH, "utf8");
    await writeFile(rulesFile, original);
    app = await startApp({ env: { ...env(port), RULES_FILE: rulesFile } });
    const italian = (i: number) => ({ country: "IT", message: `Ciao, messaggio ${i} da Milano.` });
    expect((await post(italian(1))).status).toBe(200);
    await waitFor("first email", () => sink!.received.length === 1);
    expect(sink.received[0]!.to).toEqual(["it@leftcom.org"]);

    // Each edit is followed by the reload it triggers (the watch settles after 250 ms): wait for
    // the reload count to move and check what that reload did, rather than sleep and hope.
    const live = app.rules!;
    const reloadAfter = async (edit: () => Promise<void>) => {
      const before = live.lastReload.count;
      await edit();
      await waitFor("the rules reload", () => live.lastReload.count > before);
      return live.lastReload.outcome;
    };
    const good = await reloadAfter(() =>
      writeFile(rulesFile, original.replace("inbox: it@leftcom.org", "inbox: italia@leftcom.org")),
    );
    expect(good).toMatchObject({ ok: true });
    expect(live.current.affiliateById.get("pcint")?.inbox).toBe("italia@leftcom.org");
    expect((await post(italian(2))).status).toBe(200);
    await waitFor("second email", () => sink!.received.length === 2);
    expect(sink.received[1]!.to).toEqual(["italia@leftcom.org"]);

    const broken = await reloadAfter(() => writeFile(rulesFile, "affiliates: [\n"));
    expect(broken).toMatchObject({ ok: false });
    expect(broken?.ok === false && broken.error).toMatch(/routing-rules\.yaml/);
    // The previous rules stay in force.
    expect(live.current.affiliateById.get("pcint")?.inbox).toBe("italia@leftcom.org");
    expect((await post(italian(3))).status).toBe(200);
    await waitFor("third email", () => sink!.received.length === 3);
    expect(sink.received[2]!.to).toEqual(["italia@leftcom.org"]);
  });

  it("refuses a bad setting with the variable's name", async () => {
    await expect(startApp({ env: { ...env(1), ROLE: "routing" } })).rejects.toThrow(
      /^ROLE: unknown role routing/,
    );
    await expect(startApp({ env: { ...env(1), DATA_KEY: "c2hvcnQ=" } })).rejects.toThrow(
      /DATA_KEY must be 32 bytes/,
    );
  });
});
