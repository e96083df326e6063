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
