import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "../../../adapters/email/normalize.js";
import { runAdapterContract, type AdapterRig } from "../contract.js";
import { dovecotAvailable, startDovecot } from "../../support/dovecot.js";
import { appender, emailConfig, FakeSmtp, newAdapter, readerMail } from "./rig.js";

const fixtures = join(import.meta.dirname, "../../fixtures/email");
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));

const haveDovecot = dovecotAvailable();

/** Starts Dovecot and the SMTP fake for one test and wires them into the contract's rig. */
async function setup(): Promise<AdapterRig> {
  const dovecot = await startDovecot();
  const smtp = new FakeSmtp();
  await smtp.start();
  const imap = await appender(dovecot);
  const config = emailConfig(dovecot, smtp.port);
  return {
    createAdapter: () => newAdapter(config),
    async injectInbound(text) {
      const mail = readerMail(text);
      await imap.append("INBOX", mail.raw);
      return mail.id;
    },
    sentTexts: () =>
      Promise.resolve(smtp.received.map((m) => ({ to: `email:${m.to}`, text: m.text }))),
    replyTarget: "email:reader@example.de",
    rateLimitNextSend: (seconds) => smtp.throttleNextSend(seconds),
    async teardown() {
      await imap.logout().catch(() => imap.close());
      await smtp.stop();
      await dovecot.stop();
    },
  };
}

if (!haveDovecot) {
  console.warn(
    "\n*** email adapter: `dovecot` is not on PATH, the IMAP tests are SKIPPED. " +
      "Run `bash .ci/install-system.sh` to install it. ***\n",
  );
  if (process.env.CI === "true") {
    it("dovecot is installed in CI", () => {
      expect.fail("dovecot missing in CI: .ci/install-system.sh did not run or failed");
    });
  }
}

(haveDovecot ? describe : describe.skip)("email adapter against Dovecot", () => {
  runAdapterContract({
    channel: "email",
    normalize: (raw) => normalize(raw),
    validPayloads: [
      fixture("multipart-alternative.eml"),
      fixture("qp-latin1.eml"),
      fixture("koi8r.eml").toString("latin1"),
      fixture("html-only.eml"),
      fixture("no-message-id.eml"),
    ].map((b) => (typeof b === "string" ? Buffer.from(b, "latin1") : b)),
    malformedPayloads: [
      { payload: { not: "an email" }, reason: /must be a string or a Buffer/ },
      { payload: fixture("no-from.eml"), reason: /no usable From address/ },
      { payload: fixture("auto-submitted.eml"), reason: /not routed: Auto-Submitted/ },
      { payload: fixture("bounce.eml"), reason: /not routed: .*report/ },
      { payload: "", reason: /empty/ },
    ],
    setup,
  });
});
