/**
 * Routing benchmark: decisions per second on one core over a few thousand realistic mixed
 * messages, p50/p99 per decision, peak RSS, and the cold start of `contact-router route` for
 * one message. The chosen language detector alone on the same texts is the baseline: routing
 * must reach at least half its rate.
 *
 *   npm run build && node dist/bench/routing.js
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { cleanForDetection } from "../src/evidence/clean-text.js";
import { detectLanguage } from "../src/evidence/language.js";
import type { InboundMessage } from "../src/message/inbound.js";
import { projectRoot } from "../src/paths.js";
import { loadRulesFile } from "../src/routing/load.js";
import { routeMessage } from "../src/routing/route.js";
import { messageFromInput } from "../src/cli/input.js";

const N = Number(process.env.BENCH_MESSAGES ?? 4000);
const ROUNDS = 5;

/** Deterministic PRNG so every run routes the same messages. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROFILE_PLACES = [
  "Zürich",
  "São Paulo, Brasil",
  "Melbourne 🇦🇺",
  "Berlin",
  "Lyon, France",
  "Toronto",
  "",
  "Earth",
  "Madrid",
  "Tehran",
];
const TAGS = ["en", "de", "fr-ca", "pt-BR", "it", "es", "ru", "fa", "nl", "sv", "pl", "en-US"];
const DOMAINS = [
  "gmail.com",
  "web.de",
  "example.com.br",
  "libero.it",
  "orange.fr",
  "yandex.ru",
  "proton.me",
  "uni.nl",
];

function inputFor(i: number, lang: string, text: string, rnd: () => number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const date = new Date(Date.UTC(2026, 0, 1) + i * 1000);
  switch (i % 5) {
    case 0:
      return {
        channel: "telegram",
        payload: {
          update_id: i,
          message: {
            message_id: i,
            date: Math.floor(date.getTime() / 1000),
            chat: { id: 100000 + i, type: "private" },
            from: {
              id: 100000 + i,
              is_bot: false,
              first_name: "R",
              language_code: rnd() < 0.7 ? lang : pick(TAGS),
            },
            text,
          },
        },
      };
    case 1:
      return {
        channel: "twitter",
        payload: {
          data: {
            id: String(1800000000000000000n + BigInt(i)),
            event_type: "MessageCreate",
            text,
            sender_id: String(5000 + i),
            dm_conversation_id: `${5000 + i}-1`,
            created_at: date.toISOString(),
          },
          includes: {
            users: [
              {
                id: String(5000 + i),
                name: "R",
                username: `r${i}`,
                location: pick(PROFILE_PLACES),
              },
            ],
          },
        },
      };
    case 2:
      return {
        channel: "discord",
        payload: {
          id: String(1300000000000000000n + BigInt(i)),
          channel_id: "1200000000000000001",
          author: { id: String(1100000000000000000n + BigInt(i)), username: `r${i}` },
          content: text,
          timestamp: date.toISOString(),
        },
      };
    case 3:
      return {
        channel: "web",
        payload: {
          message: text,
          ...(rnd() < 0.5 ? { country: pick(["DE", "Brasil", "Australia", "IT", "Canada"]) } : {}),
        },
      };
    default:
      return {
        channel: "email",
        raw: `From: R <r${i}@${pick(DOMAINS)}>\r\nTo: contact@example.org\r\nSubject: Hello\r\nMessage-ID: <b${i}@bench>\r\nDate: ${date.toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`,
      };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const root = projectRoot();
  const corpus = readFileSync(join(root, "bench/corpus/short-texts.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { lang: string; text: string });
  const rnd = mulberry32(42);
  const rules = loadRulesFile();

  const inputs: unknown[] = [];
  const messages: InboundMessage[] = [];
  for (let i = 0; i < N; i++) {
    const sample = corpus[i % corpus.length]!;
    inputs.push(inputFor(i, sample.lang, sample.text, rnd));
    messages.push(await messageFromInput(inputs[i]));
  }
  const cleaned = messages.map((m) => cleanForDetection({ subject: m.subject, text: m.text }));

  // Warm up both paths so the JIT has seen them.
  for (const m of messages.slice(0, 500)) routeMessage(m, rules);
  for (const t of cleaned.slice(0, 500)) detectLanguage(t);

  let detectorBest = 0;
  let routeBest = 0;
  // The same rates in this process's CPU time: on a shared machine other processes take wall
  // time from both loops unevenly, but not CPU time.
  let detectorCpuBest = 0;
  let routeCpuBest = 0;
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t0 = performance.now();
    let c0 = cpuSeconds();
    for (const t of cleaned) detectLanguage(t);
    detectorBest = Math.max(detectorBest, N / ((performance.now() - t0) / 1000));
    detectorCpuBest = Math.max(detectorCpuBest, N / (cpuSeconds() - c0));

    t0 = performance.now();
    c0 = cpuSeconds();
    for (const m of messages) {
      const s = performance.now();
      routeMessage(m, rules);
      if (round === ROUNDS - 1) latencies.push(performance.now() - s);
    }
    routeBest = Math.max(routeBest, N / ((performance.now() - t0) / 1000));
    routeCpuBest = Math.max(routeCpuBest, N / (cpuSeconds() - c0));
  }
  latencies.sort((a, b) => a - b);
  const benchRssMb = process.resourceUsage().maxRSS / 1024;

  const bin = join(root, "bin/contact-router.js");
  // The router process itself: all N messages through `contact-router route --stats`.
  const all = `${inputs.map((x) => JSON.stringify(x)).join("\n")}\n`;
  const cli = spawnSync(process.execPath, [bin, "route", "--stats"], {
    input: all,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const cliStats = /routed (\d+), failed (\d+), in (\d+) ms; peak RSS (\d+) MB/.exec(cli.stderr);
  if (!cliStats) throw new Error(`route --stats printed no summary: ${cli.stderr.slice(0, 500)}`);
  const one = `${JSON.stringify(inputFor(0, "de", "Hallo, ich wohne in Wien und möchte mitmachen.", mulberry32(1)))}\n`;
  // Cold start of one message against bare Node, interleaved so both see the same load.
  execFileSync(process.execPath, [bin, "route"], { input: one }); // fills the rules cache
  const starts: number[] = [];
  const bare: number[] = [];
  const startRss: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t0 = performance.now();
    execFileSync(process.execPath, ["-e", ""]);
    bare.push(performance.now() - t0);
    t0 = performance.now();
    const run = spawnSync(process.execPath, [bin, "route", "--stats"], {
      input: one,
      encoding: "utf8",
    });
    starts.push(performance.now() - t0);
    const rss = /peak RSS (\d+) MB/.exec(run.stderr);
    if (rss) startRss.push(Number(rss[1]));
  }
  starts.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

  const steps = new Map<string, number>();
  for (const m of messages) {
    const step = routeMessage(m, rules).decision.step;
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }

  console.log(
    `messages: ${N} (${corpus.length} texts in ${new Set(corpus.map((c) => c.lang)).size} languages, 5 channels)`,
  );
  console.log(`decision steps: ${[...steps].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(
    `language detector alone: ${Math.round(detectorBest).toLocaleString("en")} texts/s (baseline)`,
  );
  console.log(
    `routing (evidence + decision): ${Math.round(routeBest).toLocaleString("en")} decisions/s = ${(routeBest / detectorBest).toFixed(2)}x the detector (target >= 0.5x)`,
  );
  console.log(
    `in CPU time of this process: detector ${Math.round(detectorCpuBest).toLocaleString("en")} texts/s, routing ${Math.round(routeCpuBest).toLocaleString("en")} decisions/s = ${(routeCpuBest / detectorCpuBest).toFixed(2)}x`,
  );
  console.log(
    `per decision: p50 ${(percentile(latencies, 50) * 1000).toFixed(0)} µs, p99 ${(percentile(latencies, 99) * 1000).toFixed(0)} µs`,
  );
  console.log(
    `contact-router route over all ${N} (normalize + route + JSON out): ${cliStats[1]} routed, ${cliStats[2]} failed, ${cliStats[3]} ms, peak RSS ${cliStats[4]} MB (target <= 200 MB)`,
  );
  console.log(
    `peak RSS of this bench process (holds all messages twice): ${benchRssMb.toFixed(0)} MB`,
  );
  console.log(
    `cold start, contact-router route with one message: median ${median(starts).toFixed(0)} ms, best ${starts[0]!.toFixed(0)} ms; bare node -e '': median ${median(bare).toFixed(0)} ms, best ${bare[0]!.toFixed(0)} ms; ratio of medians ${(median(starts) / median(bare)).toFixed(2)}x (target <= 4x); peak RSS ${Math.max(...startRss)} MB`,
  );
}

await main();
