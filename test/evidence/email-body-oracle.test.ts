/**
 * Cross-check of readEmailBody against a maintained reply parser, email-reply-parser 2.3.7 (MIT,
 * Crisp; the last release that runs on Node 20). The library is not in the production path: its
 * patterns backtrack (about 0.7 s on a crafted 20 KB body without the native `re2` module, whose
 * current release needs Node 22), and it misses Outlook blocks, forwards and the Persian,
 * Russian and Swedish client headers. Here, on trusted fixture text only, it is an oracle:
 * whatever it hides as quoted or signature must not be among the own words we keep.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import EmailReplyParser from "email-reply-parser";
import { describe, expect, it } from "vitest";
import { normalize } from "../../adapters/email/normalize.js";
import { readEmailBody } from "../../src/evidence/email-body.js";

const DIR = join(import.meta.dirname, "../fixtures/email/corpus");

const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 3);

describe("readEmailBody agrees with email-reply-parser where the library decides", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".eml"));

  it.each(files)("%s", async (file) => {
    const msg = await normalize(readFileSync(join(DIR, file))).catch(() => null);
    if (msg === null) return; // machine mail: no body to read
    const library = new EmailReplyParser().read(msg.text);
    const hidden = library
      .getFragments()
      .filter((f) => f.isHidden())
      .flatMap((f) => lines(f.getContent()));
    const ours = readEmailBody(msg.text);
    const own = new Set(lines(ours.own));
    expect(hidden.filter((l) => own.has(l))).toEqual([]);
    // Where the library found a quote, we did too.
    if (library.getFragments().some((f) => f.isQuoted())) expect(ours.hadQuote).toBe(true);
  });

  it.each([
    [
      "a Swedish Outlook block",
      ["Bra.", "", "Från: X <x@example.se>", "Skickat: måndag", "Till: mig", "", "Jag bor i Lund."],
      "Jag bor i Lund.",
    ],
    [
      "a Gmail forward",
      ["Look.", "", "---------- Forwarded message ---------", "Date: Mon", "", "I live in Leeds."],
      "I live in Leeds.",
    ],
    [
      "a Persian Gmail header",
      ["باشه.", "", "در تاریخ ۳ مارس ۲۰۲۵، CWO <uk@leftcom.org> نوشت:", "> I live in Leeds."],
      "نوشت:",
    ],
  ])("cuts what the library keeps: %s", (_name, body, keptByLibrary) => {
    const text = body.join("\n");
    expect(new EmailReplyParser().parseReply(text)).toContain(keptByLibrary);
    expect(readEmailBody(text).own).toBe(body[0]);
  });
});
