/**
 * Routing quality on the hand-written development set (test/quality/, see its README): routes
 * every message through the same path as `contact-router route` (routeLine) and prints
 * affiliate, country and language accuracy overall, per category and per channel, for each
 * half, and the misses.
 *
 *   npm run build && node dist/bench/routing-quality.js                  # the tuning half
 *   npm run build && node dist/bench/routing-quality.js --half holdout   # the held-back half
 *   npm run build && node dist/bench/routing-quality.js --half fresh     # the independent fresh set
 *   npm run build && node dist/bench/routing-quality.js --half fresh2    # the second fresh set
 *   npm run build && node dist/bench/routing-quality.js --half fresh3    # the third fresh set (held back)
 *   npm run build && node dist/bench/routing-quality.js --half fresh4    # the fourth fresh set (held back)
 *   npm run build && node dist/bench/routing-quality.js --half fresh5    # the fifth fresh set (held back)
 *   npm run build && node dist/bench/routing-quality.js --half tune3 --misses  # the third tuning set
 *   npm run build && node dist/bench/routing-quality.js --half tune5 --misses  # the fifth tuning set
 *   options: --half tune|holdout|both|fresh|tune3|fresh2|fresh3|fresh4|fresh5|tune5, --misses (list every miss; never on holdout, fresh2, fresh3, fresh4 or fresh5 while tuning), --markdown (tables for docs)
 *
 * Tune on the tuning half only; run the held-back half to report.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { routeLine } from "../src/cli/route-line.js";
import { projectRoot } from "../src/paths.js";
import { loadRulesFile } from "../src/routing/load.js";

/** One labelled message of the development set (only the fields the scorer reads). */
interface Labelled {
  id: string;
  category: string;
  lang: string;
  channel: string;
  input: unknown;
  expect: { affiliate: string; country?: string | null; language?: string | null };
  note?: string;
}

/** What routing gave for one message, next to what was expected. */
interface Outcome {
  item: Labelled;
  affiliate: string | null;
  country: string | null;
  language: string | null;
  source: string | null;
  city: string | null;
  error: string | null;
  detail: string;
}

interface Tally {
  n: number;
  affiliate: number;
  country: number;
  language: number;
}

const HALVES = ["tune", "holdout"] as const;
/**
 * A file of the set: the two halves, the fresh set and the tuning sets tune3 and tune5 (tuning
 * data), or the held-back second to fifth fresh sets fresh2, fresh3, fresh4 and fresh5
 * (test/quality/README.md).
 */
type Half =
  (typeof HALVES)[number] | "fresh" | "tune3" | "fresh2" | "fresh3" | "fresh4" | "fresh5" | "tune5";

function parseArgs(argv: readonly string[]) {
  const half = argv.includes("--half") ? argv[argv.indexOf("--half") + 1] : "tune";
  if (
    half !== "tune" &&
    half !== "holdout" &&
    half !== "both" &&
    half !== "fresh" &&
    half !== "tune3" &&
    half !== "fresh2" &&
    half !== "fresh3" &&
    half !== "fresh4" &&
    half !== "fresh5" &&
    half !== "tune5"
  ) {
    throw new Error(
      `--half must be tune, holdout, both, fresh, tune3, fresh2, fresh3, fresh4, fresh5 or tune5 (got ${String(half)})`,
    );
  }
  return {
    halves: half === "both" ? [...HALVES] : ([half] satisfies Half[]),
    misses: argv.includes("--misses"),
    markdown: argv.includes("--markdown"),
  };
}

function readHalf(half: Half): Labelled[] {
  const file = join(projectRoot(), "test", "quality", `messages.${half}.jsonl`);
  if (!existsSync(file)) throw new Error(`${file} not found`);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      try {
        return JSON.parse(l) as Labelled;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: ${(err as Error).message}`, { cause: err });
      }
    });
}

const same = (expected: string | null | undefined, got: string | null) =>
  expected === undefined || (expected ?? null) === got;

function emptyTally(): Tally {
  return { n: 0, affiliate: 0, country: 0, language: 0 };
}

function add(t: Tally, o: Outcome) {
  t.n++;
  if (o.affiliate === o.item.expect.affiliate) t.affiliate++;
  if (!o.error && same(o.item.expect.country, o.country)) t.country++;
  if (!o.error && same(o.item.expect.language, o.language)) t.language++;
}

async function routeAll(items: readonly Labelled[]): Promise<Outcome[]> {
  const rules = loadRulesFile();
  const out: Outcome[] = [];
  for (const item of items) {
    const r = await routeLine(JSON.stringify(item.input), rules);
    if (!r.ok) {
      out.push({
        item,
        affiliate: null,
        country: null,
        language: null,
        source: null,
        city: null,
        error: r.error,
        detail: "",
      });
      continue;
    }
    const d = r.output as {
      affiliate: string;
      country: string | null;
      language: string | null;
      country_source: string | null;
      city: string | null;
      reasons: string[];
    };
    out.push({
      item,
      affiliate: d.affiliate,
      country: d.country,
      language: d.language,
      source: d.country_source,
      city: d.city,
      error: null,
      detail: d.reasons.find((x) => x.startsWith("Location:")) ?? "",
    });
  }
  return out;
}

const pct = (k: number, n: number) => (n === 0 ? "—" : (k / n).toFixed(2));
/** The headline: three decimals and the counts, so two runs can be compared exactly. */
const exact = (k: number, n: number) => (n === 0 ? "—" : `${(k / n).toFixed(3)} (${k}/${n})`);

function table(title: string, groups: Map<string, Tally>, markdown: boolean): string {
  const rows = [...groups].sort(([a], [b]) =>
    a === "all" ? -1 : b === "all" ? 1 : a < b ? -1 : 1,
  );
  if (markdown) {
    const lines = [
      `| ${title} | n | affiliate | country | language |`,
      "| --- | ---: | ---: | ---: | ---: |",
    ];
    for (const [k, t] of rows) {
      const name = k === "all" ? "**all**" : k;
      lines.push(
        `| ${name} | ${t.n} | ${pct(t.affiliate, t.n)} | ${pct(t.country, t.n)} | ${pct(t.language, t.n)} |`,
      );
    }
    return lines.join("\n");
  }
  const lines = [`${title.padEnd(20)}    n  affiliate  country  language`];
  for (const [k, t] of rows) {
    lines.push(
      `${k.padEnd(20)} ${String(t.n).padStart(4)}  ${pct(t.affiliate, t.n).padStart(9)}  ${pct(t.country, t.n).padStart(7)}  ${pct(t.language, t.n).padStart(8)}`,
    );
  }
  return lines.join("\n");
}

function tallyBy(outcomes: readonly Outcome[], key: (o: Outcome) => string): Map<string, Tally> {
  const groups = new Map<string, Tally>([["all", emptyTally()]]);
  for (const o of outcomes) {
    add(groups.get("all")!, o);
    const k = key(o);
    if (k === "all") continue;
    if (!groups.has(k)) groups.set(k, emptyTally());
    add(groups.get(k)!, o);
  }
  return groups;
}

function describeMiss(o: Outcome): string | null {
  const e = o.item.expect;
  const wrong: string[] = [];
  if (o.error) wrong.push(`error: ${o.error}`);
  if (o.affiliate !== e.affiliate) wrong.push(`affiliate ${e.affiliate} → ${o.affiliate}`);
  if (!o.error && !same(e.country, o.country))
    wrong.push(`country ${e.country ?? "none"} → ${o.country ?? "none"}`);
  if (!o.error && !same(e.language, o.language))
    wrong.push(`language ${e.language ?? "none"} → ${o.language ?? "none"}`);
  if (wrong.length === 0) return null;
  const from = o.source ? ` [${o.source}${o.city ? `: ${o.city}` : ""}]` : "";
  return `${o.item.id} ${o.item.category}/${o.item.channel}/${o.item.lang}: ${wrong.join("; ")}${from}\n    ${o.detail}${o.item.note ? `\n    note: ${o.item.note}` : ""}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const half of opts.halves) {
    const outcomes = await routeAll(readHalf(half));
    const all = tallyBy(outcomes, () => "all").get("all")!;
    console.log(
      `\n== ${half} half: ${all.n} messages: affiliate ${exact(all.affiliate, all.n)}, country ${exact(all.country, all.n)}, language ${exact(all.language, all.n)}`,
    );
    console.log(
      table(
        "category",
        tallyBy(outcomes, (o) => o.item.category),
        opts.markdown,
      ),
    );
    console.log();
    console.log(
      table(
        "channel",
        tallyBy(outcomes, (o) => o.item.channel),
        opts.markdown,
      ),
    );
    console.log();
    console.log(
      table(
        "language",
        tallyBy(outcomes, (o) => o.item.lang),
        opts.markdown,
      ),
    );
    const misses = outcomes.map(describeMiss).filter((m): m is string => m !== null);
    if (opts.misses) {
      console.log(`\nmisses (${misses.length}):`);
      for (const m of misses) console.log(`  ${m}`);
    } else {
      console.log(`\n${misses.length} messages with a miss (--misses lists them)`);
    }
  }
}

await main();
