import { describe, expect, it } from "vitest";
import {
  composeMail,
  escapeHtml,
  firstWords,
  messageIdFor,
  subjectFor,
} from "../../src/delivery/compose.js";
import { REPLY_MARKER } from "../../src/delivery/receipt.js";
import { config, contact } from "./fixtures.js";

describe("compose", () => {
  it("cuts the first words at a word boundary, on one line, without control characters", () => {
    expect(firstWords("short")).toBe("short");
    expect(firstWords("a\u202Eb\n\n  c\td")).toBe("a b c d");
    const long = "word ".repeat(40);
    const cut = firstWords(long, 22);
    expect(cut).toBe("word word word word…");
  });

  it("marks unknown country and language, and falls back to the subject", () => {
    const c = contact({ text: "", conversation: undefined });
    c.decision = { ...c.decision, country: null, language: null };
    c.message = { ...c.message, subject: "Question" };
    expect(subjectFor(c)).toBe("[contact] Telegram · ?? · ?? — Question");
  });

  it("builds stable Message-IDs that hide the contact id", () => {
    expect(messageIdFor("c:1", "example.org")).toBe(messageIdFor("c:1", "example.org"));
    expect(messageIdFor("c:1", "example.org")).not.toContain("c:1");
  });

  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("without a relay, replies straight to the reader's email, else says there is no reply address", () => {
    const withEmail = contact();
    withEmail.message = { ...withEmail.message, evidence: { emailAddress: "reader@example.net" } };
    const noRelay = config({ relay: undefined });
    expect(composeMail(withEmail, noRelay).replyTo).toEqual({ address: "reader@example.net" });
    const plain = composeMail(contact(), noRelay);
    expect(plain.replyTo).toBeUndefined();
    expect(plain.text).toContain("There is no reply address; the reader wrote on Telegram.");
    expect(plain.text).not.toContain(REPLY_MARKER);
  });

  it("says which rule decided and flags translation", () => {
    const c = contact();
    c.decision = {
      ...c.decision,
      step: "rule",
      rule: "ca",
      needs_translation: true,
      language: "pt",
    };
    c.affiliate = { id: "klasbatalo", name: "Klasbatalo", inbox: "ca@leftcom.org" };
    const mail = composeMail(c, config());
    expect(mail.text).toContain('rule "ca" of routing-rules.yaml');
    expect(mail.text).toContain("yes: klasbatalo does not list pt");
    expect(mail.headers).toMatchObject({
      "X-Contact-Router-Step": "rule ca",
      "X-Contact-Router-Needs-Translation": "yes",
    });
  });

  it("shows the SPF/DKIM/DMARC verdicts of an email contact, and nothing for other channels", () => {
    const c = contact();
    expect(composeMail(c, config()).text).not.toContain("Sender checks");
    c.message = {
      ...c.message,
      evidence: { emailAuth: { spf: "pass", dkim: "fail", dmarc: "none" } },
    };
    const mail = composeMail(c, config());
    expect(mail.text).toMatch(/Sender checks: +SPF pass, DKIM fail, DMARC none/);
    expect(mail.html).toContain("SPF pass, DKIM fail, DMARC none");
  });
});
