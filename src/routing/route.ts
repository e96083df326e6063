import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage } from "../message/inbound.js";
import { extractEvidence } from "../evidence/index.js";
import { decide } from "./engine.js";
import type { RoutingRules } from "./rules.js";

/** Evidence extraction and decision in one call: what the route worker and the CLI run. */
export function routeMessage(
  msg: InboundMessage,
  rules: RoutingRules,
): { evidence: Evidence; decision: Decision } {
  const evidence = extractEvidence(msg, rules.genericTlds);
  return { evidence, decision: decide(evidence, rules) };
}
