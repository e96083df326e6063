import { describe, expect, it } from "vitest";
import {
  classifyMachineMail,
  MachineMailError,
  type HeaderLine,
  type MachineMailFacts,
} from "../../../adapters/email/auto-reply.js";

const h = (...lines: string[]): HeaderLine[] =>
  lines.map((line) => ({ key: line.slice(0, line.indexOf(":")).toLowerCase(), line }));

describe("classifyMachineMail", () => {
  it.each<[string, HeaderLine[], MachineMailFacts, string, RegExp]>([
    ["Auto-Submitted", h("Auto-Submitted: auto-replied"), {}, "auto_reply", /Auto-Submitted/],
    ["Precedence: auto_reply", h("Precedence: auto_reply"), {}, "auto_reply", /Precedence/],
    ["X-Autoreply", h("X-Autoreply: yes"), {}, "auto_reply", /x-autoreply/],
    ["OOO subject (de)", [], { subject: "Automatische Antwort: Treffen" }, "auto_reply", /subject/],
    ["OOO subject (pl)", [], { subject: "Odpowiedź automatyczna: x" }, "auto_reply", /subject/],
    ["multipart/report", h("Content-Type: multipart/report; x=y"), {}, "bounce", /report/],
    ["Return-Path <>", h("Return-Path: <>"), {}, "bounce", /null envelope/],
    ["Return-Path MAILER-DAEMON", h("Return-Path: <MAILER-DAEMON@mx.x>"), {}, "bounce", /envelope/],
    ["bare MAILER-DAEMON", [], { fromAddress: "MAILER-DAEMON" }, "bounce", /mail system/],
    ["Mail Delivery System", [], { fromName: "Mail Delivery System" }, "bounce", /mail system/],
    ["X-Failed-Recipients", h("X-Failed-Recipients: a@b.c"), {}, "bounce", /X-Failed/],
    ["bounce subject", [], { subject: "Undeliverable: hello" }, "bounce", /subject/],
    ["List-Id", h("List-Id: <x.lists.example.org>"), {}, "list", /list-id/],
    ["Precedence: bulk", h("Precedence: bulk"), {}, "list", /Precedence: bulk/],
    ["noreply@", [], { fromAddress: "noreply@example.com" }, "no_reply", /no-reply/],
    ["no-reply+tag@", [], { fromAddress: "No-Reply+x@example.com" }, "no_reply", /no-reply/],
    ["donotreply@", [], { fromAddress: "do_not_reply@example.com" }, "no_reply", /no-reply/],
    ["[AUTO GENERATED]", [], { subject: "[AUTO GENERATED] Report" }, "no_reply", /tag/],
    ["[Automated]", [], { subject: "Build failed [Automated]" }, "no_reply", /tag/],
    ["[auto-generated]", [], { subject: "[auto-generated] x" }, "no_reply", /tag/],
    ["X-Spam-Flag", h("X-Spam-Flag: YES"), {}, "spam", /X-Spam-Flag: yes/],
    ["X-Spam-Status", h("X-Spam-Status: Yes, score=9.1"), {}, "spam", /X-Spam-Status/],
    ["X-SES-Spam-Verdict", h("X-SES-Spam-Verdict: FAIL"), {}, "spam", /X-SES-Spam-Verdict/],
    ["X-SES-Virus-Verdict", h("X-SES-Virus-Verdict: FAIL"), {}, "spam", /Virus/],
    ["Rspamd X-Spam", h("X-Spam: Yes"), {}, "spam", /X-Spam: yes/],
    ["Rspamd action", h("X-Rspamd-Action: add header"), {}, "spam", /Rspamd/],
  ])("%s", (_name, lines, facts, kind, reason) => {
    const verdict = classifyMachineMail(lines, facts);
    expect(verdict?.kind).toBe(kind);
    expect(verdict?.reason).toMatch(reason);
    expect(verdict?.reason).not.toMatch(/@/);
  });

  it.each<[string, HeaderLine[], MachineMailFacts]>([
    ["plain personal mail", h("Content-Type: text/plain"), { fromAddress: "anna@example.de" }],
    ["Auto-Submitted: no", h("Auto-Submitted: no"), { fromAddress: "a@b.de" }],
    ["clean spam verdicts", h("X-Spam-Flag: NO", "X-Spam-Status: No, score=-1.0"), {}],
    ["SES PASS", h("X-SES-Spam-Verdict: PASS", "X-SES-Virus-Verdict: PASS"), {}],
    ["Rspamd no action", h("X-Spam: No", "X-Rspamd-Action: no action"), {}],
    ["a name that starts like noreply", [], { fromAddress: "noreen@example.ie" }],
    ["a reply about an automatic reply", [], { subject: "Re: your automatic reply" }],
    ["a bracketed topic", [], { subject: "[Question] Automated looms and jobs" }],
    ["a subject about delivery", [], { subject: "Delivery drivers strike in Leeds" }],
    ["multipart/mixed", h("Content-Type: multipart/mixed; boundary=x"), {}],
    ["Return-Path of a person", h("Return-Path: <anna@example.de>"), {}],
  ])("a person's mail is not flagged: %s", (_name, lines, facts) => {
    expect(classifyMachineMail(lines, facts)).toBeNull();
  });

  it("MachineMailError carries the verdict and the AUTO_REPLY code", () => {
    const err = new MachineMailError({ kind: "spam", reason: "X-Spam-Flag: yes" });
    expect(err.code).toBe("AUTO_REPLY");
    expect(err.retryable).toBe(false);
    expect(err.message).toBe("not routed: X-Spam-Flag: yes (spam)");
    expect(err.verdict.kind).toBe("spam");
  });
});
