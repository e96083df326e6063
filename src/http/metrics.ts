import { Counter, type Registry } from "prom-client";

/** What became of contact form posts. */
export type FormOutcome =
  "accepted" | "duplicate" | "invalid" | "honeypot" | "rate_limited" | "too_large" | "unavailable";

export interface WebFormMetrics {
  outcome(o: FormOutcome): void;
}

const NAME = "contact_router_web_form_total";

/** Registers (once per registry) the web form counter. */
export function webFormMetrics(registry: Registry): WebFormMetrics {
  const counter =
    (registry.getSingleMetric(NAME) as Counter<"outcome"> | undefined) ??
    new Counter({
      name: NAME,
      help: "Contact form posts, per outcome",
      labelNames: ["outcome"],
      registers: [registry],
    });
  return { outcome: (o) => counter.inc({ outcome: o }) };
}
