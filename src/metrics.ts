import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The service's Prometheus metrics. Labels carry ids and codes only, never personal data. */
export interface Metrics {
  registry: Registry;
  inbound: Counter<"channel">;
  duplicates: Counter<"channel">;
  quarantined: Counter<"stage">;
  routed: Counter<"affiliate">;
  delivered: Counter<"affiliate" | "transport">;
  deliveryLatency: Histogram<"transport">;
  failures: Counter<"queue" | "code">;
  deadLettered: Counter<"queue">;
  stalls: Counter<"queue">;
  acks: Counter<"channel" | "outcome">;
  queueDepth: Gauge<"queue" | "state">;
  held: Counter<"channel">;
  heldWaiting: Gauge;
  keyUnavailable: Counter<"queue" | "kid">;
  rateLimited: Counter<"queue">;
  historyGaps: Counter<"channel" | "stream">;
}

/**
 * Creates a registry with the pipeline's metrics (and Node's defaults when `defaults` is set).
 * `queueDepth` is refreshed by whoever owns the queues (see `Pipeline.refreshDepths`).
 */
export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    inbound: new Counter({
      name: "contact_router_inbound_total",
      help: "Messages taken in, per channel",
      labelNames: ["channel"],
      registers: r,
    }),
    duplicates: new Counter({
      name: "contact_router_inbound_duplicates_total",
      help: "Re-delivered messages recognised by id and not enqueued again",
      labelNames: ["channel"],
      registers: r,
    }),
    quarantined: new Counter({
      name: "contact_router_quarantined_total",
      help: "Payloads quarantined as unprocessable, per stage",
      labelNames: ["stage"],
      registers: r,
    }),
    routed: new Counter({
      name: "contact_router_routed_total",
      help: "Messages routed, per affiliate",
      labelNames: ["affiliate"],
      registers: r,
    }),
    delivered: new Counter({
      name: "contact_router_delivered_total",
      help: "Contacts delivered to an affiliate inbox",
      labelNames: ["affiliate", "transport"],
      registers: r,
    }),
    deliveryLatency: new Histogram({
      name: "contact_router_delivery_latency_seconds",
      help: "From intake to accepted delivery",
      labelNames: ["transport"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      registers: r,
    }),
    failures: new Counter({
      name: "contact_router_job_failures_total",
      help: "Failed job attempts, per queue and error code",
      labelNames: ["queue", "code"],
      registers: r,
    }),
    deadLettered: new Counter({
      name: "contact_router_dead_lettered_total",
      help: "Jobs that exhausted their retries",
      labelNames: ["queue"],
      registers: r,
    }),
    stalls: new Counter({
      name: "contact_router_stalled_jobs_total",
      help: "Jobs whose worker stopped renewing the lock (crash or blocked event loop)",
      labelNames: ["queue"],
      registers: r,
    }),
    acks: new Counter({
      name: "contact_router_acks_total",
      help: "Reader acknowledgements, per channel and outcome",
      labelNames: ["channel", "outcome"],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: "contact_router_queue_depth",
      help: "Jobs per queue and state",
      labelNames: ["queue", "state"],
      registers: r,
    }),
    held: new Counter({
      name: "contact_router_held_total",
      help: "Messages held back by the per-sender flood limit, per channel",
      labelNames: ["channel"],
      registers: r,
    }),
    heldWaiting: new Gauge({
      name: "contact_router_held_messages",
      help: "Held messages waiting for an admin (contact-router held list)",
      registers: r,
    }),
    keyUnavailable: new Counter({
      name: "contact_router_key_unavailable_total",
      help: "Jobs put back because they are sealed with a data key this process lacks, per key id",
      labelNames: ["queue", "kid"],
      registers: r,
    }),
    rateLimited: new Counter({
      name: "contact_router_rate_limited_total",
      help: "Jobs delayed by a send limit or a platform's 429 (no attempt used)",
      labelNames: ["queue"],
      registers: r,
    }),
    historyGaps: new Counter({
      name: "contact_router_adapter_history_gaps_total",
      help: "Polls where the platform's history ended before the saved cursor (messages never read), per channel and stream",
      labelNames: ["channel", "stream"],
      registers: r,
    }),
  };
}
