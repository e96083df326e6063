import { createInterface } from "node:readline";
import type { Command } from "commander";
import { loadRulesFile } from "../routing/load.js";
import { routeMessage } from "../routing/route.js";
import type { RoutingRules } from "../routing/rules.js";
import { formatDecision } from "../routing/explain.js";
import { messageFromInput } from "./input.js";

/** Longest input line accepted; a longer one is answered with an error, not read into a decision. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Routes one JSON input line. Never throws: failures become `{error}`. */
export async function routeLine(
  line: string,
  rules: RoutingRules,
): Promise<
  { ok: true; output: Record<string, unknown>; text: string } | { ok: false; error: string }
> {
  if (line.length > MAX_LINE_CHARS)
    return { ok: false, error: `line longer than ${MAX_LINE_CHARS} characters` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  try {
    const message = await messageFromInput(value);
    const { decision } = routeMessage(message, rules);
    return {
      ok: true,
      output: { id: message.id, ...decision },
      text: formatDecision(message.id, decision, rules),
    };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function registerRouteCommand(program: Command): void {
  program
    .command("route")
    .description(
      "Route messages read as JSON Lines on stdin; write one JSON decision per line, in order.\n" +
        'Input lines: {"channel":"telegram|discord|twitter|web","payload":…} or {"channel":"email","raw":"…"}.',
    )
    .option("--rules <file>", "routing rules file (default: the project's routing-rules.yaml)")
    .option("--explain", "print each decision for people instead of JSON")
    .action(async (opts: { rules?: string; explain?: boolean }) => {
      const rules = loadRulesFile(opts.rules);
      let failed = 0;
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === "") continue;
        const result = await routeLine(line, rules);
        if (result.ok) {
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
      if (failed > 0) process.exitCode = 1;
    });
}
