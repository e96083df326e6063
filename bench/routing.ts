/**
 * Routing benchmark: decisions per second on one core over a few thousand realistic mixed
 * messages, p50/p99 per decision, peak RSS, and the cold start of `contact-router route` for
 * one message. The chosen language detector alone on the same texts is the baseline: routing
 * must reach at least half its rate.
 *
 *   npm run build && node dist/bench/routing.js
 *   (BENCH_MESSAGES=4000, BENCH_ROUNDS=7, BENCH_STARTS=11 by default)
 *
 * Everything is measured in one run on one machine: the detector and the router alternate
 * round by round, and each cold start of `route` is paired with a bare `node -e ''`. It prints
 * medians with their ranges, then the three targets of issue 9 with PASS or FAIL: the routing
 * ratio in this process's CPU time (the wall-time ratio is printed beside it), the cold-start
 * ratio of wall-time medians, and the router's peak RSS over all the messages.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** One-message cold starts of `route`, each paired with a bare `node -e ''`. */
const STARTS = Number(process.env.BENCH_STARTS ?? 11);
/** Messages per turn when the detector and the router alternate. */
const CHUNK = 200;

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

  // Warm up both paths so the JIT has seen them (and eld's database is built in full).
  for (const m of messages.slice(0, 500)) routeMessage(m, rules);
  for (const t of cleaned.slice(0, 500)) detectLanguage(t);

  // Throughput: the detector alone and the router over the same messages, alternating, ROUNDS
  // times over all of them; each rate in wall time and in this process's CPU time (other processes on a shared
  // machine take wall time from the two loops unevenly, but not CPU time).
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const detector = { wall: [] as number[], cpu: [] as number[] };
  const routing = { wall: [] as number[], cpu: [] as number[] };
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating in chunks of CHUNK messages, not whole loops: load from other processes
    // then falls on both sides alike instead of on whichever loop it happened to hit.
    let detectorWall = 0;
    let detectorCpu = 0;
    let routingWall = 0;
    let routingCpu = 0;
    for (let from = 0; from < N; from += CHUNK) {
      const to = Math.min(N, from + CHUNK);
      let t0 = performance.now();
      let c0 = cpuSeconds();
      for (let i = from; i < to; i++) detectLanguage(cleaned[i]!);
      detectorWall += performance.now() - t0;
      detectorCpu += cpuSeconds() - c0;

      t0 = performance.now();
      c0 = cpuSeconds();
      for (let i = from; i < to; i++) {
        const s = performance.now();
        routeMessage(messages[i]!, rules);
        if (round === ROUNDS - 1) latencies.push(performance.now() - s);
      }
      routingWall += performance.now() - t0;
      routingCpu += cpuSeconds() - c0;
    }
    detector.wall.push(N / (detectorWall / 1000));
    detector.cpu.push(N / detectorCpu);
    routing.wall.push(N / (routingWall / 1000));
    routing.cpu.push(N / routingCpu);
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

  // Cold start of one message against bare Node, interleaved so both see the same load. Two
  // unmeasured runs of each first: the rules cache is filled and both sets of files are read.
  const one = `${JSON.stringify(inputFor(0, "de", "Hallo, ich wohne in Wien und möchte mitmachen.", mulberry32(1)))}\n`;
  const runBare = () => execFileSync(process.execPath, ["-e", ""]);
  const runRoute = () =>
    spawnSync(process.execPath, [bin, "route", "--stats"], { input: one, encoding: "utf8" });
  for (let i = 0; i < 2; i++) {
    runBare();
    runRoute();
  }
  const bare: number[] = [];
  const starts: number[] = [];
  const startRss: number[] = [];
  let bareCpu = 0;
  let routeCpu = 0;
  for (let i = 0; i < STARTS; i++) {
    let c0 = childCpuSeconds();
    let t0 = performance.now();
    runBare();
    bare.push(performance.now() - t0);
    if (c0 !== null) bareCpu += childCpuSeconds()! - c0;
    c0 = childCpuSeconds();
    t0 = performance.now();
    const run = runRoute();
    starts.push(performance.now() - t0);
    if (c0 !== null) routeCpu += childCpuSeconds()! - c0;
    if (run.status !== 0) throw new Error(`route failed: ${run.stderr.slice(0, 500)}`);
    const rss = /peak RSS (\d+) MB/.exec(run.stderr);
    if (rss) startRss.push(Number(rss[1]));
  }

  const steps = new Map<string, number>();
  for (const m of messages) {
    const step = routeMessage(m, rules).decision.step;
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }

  const rate = (xs: number[]) =>
    `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  const ratioWall = median(routing.wall) / median(detector.wall);
  const ratioCpu = median(routing.cpu) / median(detector.cpu);
  const perRound = routing.cpu.map((r, i) => r / detector.cpu[i]!);
  const routeRss = Number(cliStats[4]);
  const coldRatio = median(starts) / median(bare);
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `messages: ${N} (${corpus.length} texts in ${new Set(corpus.map((c) => c.lang)).size} languages, 5 channels); ${ROUNDS} rounds; medians (min–max)`,
  );
  console.log(`decision steps: ${[...steps].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(
    `language detector alone: ${rate(detector.cpu)} texts/s in CPU time; ${rate(detector.wall)} in wall time`,
  );
  console.log(
    `routing (evidence + decision): ${rate(routing.cpu)} decisions/s in CPU time; ${rate(routing.wall)} in wall time`,
  );
  console.log(
    `per decision: p50 ${(percentile(latencies, 50) * 1000).toFixed(0)} µs, p99 ${(percentile(latencies, 99) * 1000).toFixed(0)} µs`,
  );
  console.log(
    `contact-router route over all ${N} (normalize + route + JSON out): ${cliStats[1]} routed, ${cliStats[2]} failed, ${cliStats[3]} ms`,
  );
  console.log(
    `peak RSS of this bench process (holds all messages twice): ${benchRssMb.toFixed(0)} MB`,
  );
  console.log(
    `cold start, one message, ${STARTS} runs each, interleaved: contact-router route ${ms(starts)}; bare node -e '' ${ms(bare)}${
      childCpuSeconds() === null
        ? ""
        : `; CPU per run (mean) ${((routeCpu / STARTS) * 1000).toFixed(0)} ms vs ${((bareCpu / STARTS) * 1000).toFixed(0)} ms = ${(routeCpu / bareCpu).toFixed(2)}x`
    }; one-message peak RSS ${Math.max(...startRss)} MB`,
  );
  console.log("targets (issue 9):");
  console.log(
    `  ${verdict(ratioCpu >= 0.5)} routing >= 0.5x the detector alone: ${ratioCpu.toFixed(2)}x in CPU time (per round ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}x; ${ratioWall.toFixed(2)}x in wall time)`,
  );
  console.log(
    `  ${verdict(coldRatio <= 4)} cold start of route <= 4x bare node: ${coldRatio.toFixed(2)}x (medians ${median(starts).toFixed(0)} / ${median(bare).toFixed(0)} ms)`,
  );
  console.log(
    `  ${verdict(routeRss <= 200)} peak RSS of route <= 200 MB: ${routeRss} MB over ${N} messages`,
  );
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString("en");
}

function ms(xs: readonly number[]): string {
  return `median ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
}

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat
 * (cutime, cstime; clock ticks, 100 per second on Linux); null where there is no /proc.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

await main();
