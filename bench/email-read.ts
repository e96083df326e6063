/**
 * Email reading benchmark: messages/s of mailparser alone against the project's reading of the
 * same mail (raw repair + mailparser + machine-mail check + body, then readEmailBody and the
 * detection text), in the same run, on the hand-written corpus and the email fixtures. Also the
 * throughput of readEmailBody on 20 KB hostile bodies (linear-time check in numbers).
 *
 * Run: npm run build && node dist/bench/email-read.js [rounds]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { normalize } from "../adapters/email/normalize.js";
import { readForDetection } from "../src/evidence/clean-text.js";
import { readEmailBody } from "../src/evidence/email-body.js";
import { projectRoot } from "../src/paths.js";

const FIXTURES = join(projectRoot(), "test/fixtures/email");

function loadMails(): Buffer[] {
  const dirs = [FIXTURES, join(FIXTURES, "corpus")];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => readFileSync(join(dir, f))),
  );
}

async function mailparserAlone(mails: readonly Buffer[]): Promise<void> {
  for (const raw of mails) {
    await simpleParser(raw, {
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: 2 * 1024 * 1024,
    });
  }
}

let sink = 0;
async function projectReading(mails: readonly Buffer[]): Promise<void> {
  for (const raw of mails) {
    try {
      const msg = await normalize(raw);
      sink += readForDetection({ subject: msg.subject, text: msg.text }).text.length;
    } catch {
      sink++; // machine mail and bad input are read too: they cost the same parse
    }
  }
}

async function rate(fn: () => Promise<void>, messages: number): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return messages / seconds;
}

function syncRate(fn: () => void, units: number): number {
  const start = process.hrtime.bigint();
  fn();
  return units / (Number(process.hrtime.bigint() - start) / 1e9);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 15);
  const mails = loadMails();
  const bytes = mails.reduce((n, m) => n + m.length, 0);
  console.log(
    `email-read: ${mails.length} mails, ${(bytes / 1024).toFixed(0)} KiB, ${rounds} rounds`,
  );
  // Warm both paths up, then alternate them so load changes hit both alike.
  await mailparserAlone(mails);
  await projectReading(mails);
  const alone: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) {
    alone.push(await rate(() => mailparserAlone(mails), mails.length));
    ours.push(await rate(() => projectReading(mails), mails.length));
  }
  const a = median(alone);
  const o = median(ours);
  console.log(`mailparser alone              ${a.toFixed(0).padStart(7)} msg/s`);
  console.log(
    `normalize + readEmailBody     ${o.toFixed(0).padStart(7)} msg/s   (${(o / a).toFixed(2)}x mailparser alone)`,
  );

  // The body reading alone, on the normalized texts, and on hostile 20 KB bodies.
  const texts: string[] = [];
  for (const raw of mails) {
    const msg = await normalize(raw).catch(() => null);
    if (msg !== null) texts.push(msg.text);
  }
  const readRate = syncRate(() => {
    for (let i = 0; i < 200; i++) for (const t of texts) sink += readEmailBody(t).own.length;
  }, texts.length * 200);
  console.log(`readEmailBody alone           ${readRate.toFixed(0).padStart(7)} msg/s`);
  const N = 20_000;
  const hostile: Record<string, string> = {
    "dash run": "-".repeat(N),
    "quote lines": "> \n".repeat(N / 3),
    "header lines": "On Mon, 3 Mar 2025, A <a@b.cd> wrote:\n".repeat(N / 38),
    "bidi marks": "\u202b".repeat(N),
    prose: "This is a line of an ordinary email with some words.\n".repeat(N / 53),
  };
  for (const [name, text] of Object.entries(hostile)) {
    const mbps = syncRate(
      () => {
        for (let i = 0; i < 50; i++) sink += readEmailBody(text).own.length;
      },
      (50 * text.length) / 1e6,
    );
    console.log(`readEmailBody 20 KB ${name.padEnd(12)} ${mbps.toFixed(1).padStart(6)} MB/s`);
  }
  if (sink < 0) console.log(sink);
}

await main();
