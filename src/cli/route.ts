import { createInterface } from "node:readline";
import type { Command } from "commander";

export function registerRouteCommand(program: Command): void {
  program
    .command("route")
    .description(
      "Route messages read as JSON Lines on stdin; write one JSON decision per line, in order.\n" +
        'Input lines: {"channel":"telegram|discord|twitter|web","payload":…} or {"channel":"email","raw":"…"}.',
    )
    .option("--rules <file>", "routing rules file (default: the project's routing-rules.yaml)")
    .option("--explain", "print each decision for people instead of JSON")
    .option("--stats", "print a summary (lines, errors, time, peak memory) to stderr at the end")
    .action(async (opts: { rules?: string; explain?: boolean; stats?: boolean }) => {
      const started = performance.now();
      // Loaded here, not at the top, so `--help` and other commands skip the detector and gazetteer.
      const { loadRulesFile } = await import("../routing/load.js");
      const { routeLine } = await import("./route-line.js");
      const rules = loadRulesFile(opts.rules);
      let failed = 0;
      let routed = 0;
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === "") continue;
        const result = await routeLine(line, rules);
        if (result.ok) {
          routed++;
          process.stdout.write(
            opts.explain ? `${result.text}\n\n` : `${JSON.stringify(result.output)}\n`,
          );
        } else {
          failed++;
          process.stdout.write(
            opts.explain
              ? `error: ${result.error}\n\n`
              : `${JSON.stringify({ error: result.error })}\n`,
          );
        }
      }
      if (opts.stats) {
        const ms = performance.now() - started;
        const rssMb = process.resourceUsage().maxRSS / 1024;
        console.error(
          `routed ${routed}, failed ${failed}, in ${ms.toFixed(0)} ms; peak RSS ${rssMb.toFixed(0)} MB`,
        );
      }
      if (failed > 0) process.exitCode = 1;
    });
}
