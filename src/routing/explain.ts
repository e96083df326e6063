import type { Decision } from "../message/decision.js";
import type { RoutingRules } from "./rules.js";

/** A decision as a short report for people (`route --explain`, admin views). */
export function formatDecision(id: string, d: Decision, rules: RoutingRules): string {
  const a = rules.affiliateById.get(d.affiliate);
  const how =
    d.step === "rule"
      ? `rule "${d.rule}"`
      : d.step === "nearest"
        ? `nearest (${d.distance_km ?? "?"} km)`
        : d.step;
  const lines = [
    `${id} → ${d.affiliate}${a ? ` (${a.name}, ${a.inbox})` : ""}`,
    `  decided by: ${how}; confidence ${d.confidence.toFixed(2)}${d.needs_translation ? "; needs translation" : ""}`,
    `  country: ${d.country ?? "unknown"}${d.country_source ? ` (${d.country_source})` : ""}; language: ${d.language ?? "unknown"}${d.language_source ? ` (${d.language_source})` : ""}`,
  ];
  if (d.runner_up) {
    const km = d.runner_up.distance_km === null ? "" : `, ${d.runner_up.distance_km} km`;
    lines.push(`  runner-up: ${d.runner_up.affiliate} (${d.runner_up.why}${km})`);
  }
  lines.push("  why:", ...d.reasons.map((r) => `    - ${r}`));
  return lines.join("\n");
}
