import { Counter, type Registry } from "prom-client";

/** The relay's Prometheus metrics. Labels are codes and class names, never personal data. */
export interface RelayMetrics {
  /** Replies accepted by the SMTP listener (stored for the worker). */
  received: Counter;
  /** Refused replies, by the refusal's class name and where (smtp, worker). */
  refused: Counter<"reason" | "stage">;
  /** Accepted replies, by what they were (answer, note, reroute, close, invalid-command). */
  replies: Counter<"outcome">;
  /** Sends to readers, by channel and outcome (sent, unreachable, uncertain). */
  readerSends: Counter<"channel" | "outcome">;
}

/** Registers the relay's metrics on a registry (once per registry). */
export function createRelayMetrics(registry: Registry): RelayMetrics {
  const r = [registry];
  return {
    received: new Counter({
      name: "contact_router_relay_received_total",
      help: "Affiliate replies accepted by the relay's SMTP listener",
      registers: r,
    }),
    refused: new Counter({
      name: "contact_router_relay_refused_total",
      help: "Affiliate replies the relay refused, by reason and stage",
      labelNames: ["reason", "stage"],
      registers: r,
    }),
    replies: new Counter({
      name: "contact_router_relay_replies_total",
      help: "Affiliate replies the relay accepted, by outcome",
      labelNames: ["outcome"],
      registers: r,
    }),
    readerSends: new Counter({
      name: "contact_router_reader_sends_total",
      help: "Answers and notices sent to readers, by channel and outcome",
      labelNames: ["channel", "outcome"],
      registers: r,
    }),
  };
}
