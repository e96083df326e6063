import type { Decision } from "../message/decision.js";
import { messageFromInput } from "../cli/input.js";
import { routeMessage } from "./route.js";
import type { RoutingRules } from "./rules.js";
import type { RuleExample } from "./schema.js";

export interface ExampleResult {
  name: string;
  passed: boolean;
  /** What differed, e.g. `affiliate: expected gik, got cwo`; or the error that stopped the example. */
  failures: string[];
  decision: Decision | null;
}

/** Runs one example of a rules file and compares every expected field. */
export async function runExample(
  example: RuleExample,
  rules: RoutingRules,
): Promise<ExampleResult> {
  let decision: Decision;
  try {
    decision = routeMessage(await messageFromInput(example.input), rules).decision;
  } catch (err) {
    return {
      name: example.name,
      passed: false,
      failures: [`error: ${(err as Error).message}`],
      decision: null,
    };
  }
  const failures: string[] = [];
  for (const [key, expected] of Object.entries(example.expect)) {
    const actual = decision[key as keyof Decision];
    if (expected !== undefined && actual !== expected) {
      failures.push(`${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  }
  return { name: example.name, passed: failures.length === 0, failures, decision };
}

/** Runs all examples in order. */
export async function runExamples(rules: RoutingRules): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  for (const ex of rules.examples) results.push(await runExample(ex, rules));
  return results;
}
