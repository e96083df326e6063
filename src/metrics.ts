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
  /** Contacts through each step, per channel and affiliate (empty before routing decides it). */
  contacts: Counter<"channel" | "step" | "affiliate">;
  /** How long one step took to run (intake: the whole submit; others: one job attempt). */
  stageSeconds: Histogram<"step">;
  /** How long a job waited in its queue before this attempt started. */
  stageWaitSeconds: Histogram<"step">;
  /** Rules file reloads (file edit or SIGHUP), per outcome. */
  rulesReloads: Counter<"outcome">;
  /** 1 while the rules file on disk loads, 0 while the last reload failed (old rules in force). */
  rulesLoaded: Gauge;
  /** Conversations not closed, per affiliate (refreshed from the store's counts). */
  openConversations: Gauge<"affiliate">;
  /** From a conversation's start to the affiliate's first answer relayed to the reader. */
  timeToFirstAnswer: Histogram<"affiliate">;
}

/** The steps a contact goes through, as the `step` label names them. */
export type Step = "intake" | "route" | "deliver" | "ack" | "relay";

const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60];

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
    contacts: new Counter({
      name: "contact_router_contacts_total",
      help: "Contacts through each step (intake, route, deliver, ack, relay), per channel and affiliate",
      labelNames: ["channel", "step", "affiliate"],
      registers: r,
    }),
    stageSeconds: new Histogram({
      name: "contact_router_stage_duration_seconds",
      help: "Time one step took (intake: the submit; route/deliver/ack/relay: one job attempt)",
      labelNames: ["step"],
      buckets: STEP_BUCKETS,
      registers: r,
    }),
    stageWaitSeconds: new Histogram({
      name: "contact_router_stage_wait_seconds",
      help: "Time a job waited in its queue before the attempt started (delays and retries included)",
      labelNames: ["step"],
      buckets: [...STEP_BUCKETS, 300, 3600],
      registers: r,
    }),
    rulesReloads: new Counter({
      name: "contact_router_rules_reloads_total",
      help: "Routing rules reloads (file change or SIGHUP), per outcome (success, failure)",
      labelNames: ["outcome"],
      registers: r,
    }),
    rulesLoaded: new Gauge({
      name: "contact_router_rules_loaded",
      help: "1 while the rules file loads, 0 while the last reload failed (previous rules in force)",
      registers: r,
    }),
    openConversations: new Gauge({
      name: "contact_router_open_conversations",
      help: "Conversations not closed, per affiliate",
      labelNames: ["affiliate"],
      registers: r,
    }),
    timeToFirstAnswer: new Histogram({
      name: "contact_router_time_to_first_answer_seconds",
      help: "From a conversation's first message to its affiliate's first answer, per affiliate",
      labelNames: ["affiliate"],
      // 5 minutes … 2 weeks: affiliates are volunteers who answer in hours or days.
      buckets: [
        300,
        1800,
        3600,
        4 * 3600,
        12 * 3600,
        86_400,
        2 * 86_400,
        3 * 86_400,
        7 * 86_400,
        14 * 86_400,
      ],
      registers: r,
    }),
  };
}
