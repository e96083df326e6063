import { z } from "zod";
import { envInt, parseEnv } from "../http/config.js";

/**
 * How long each kind of stored data is kept, from the environment (names as in `.env.example`).
 * The purge (`./purge.ts`) deletes what is past its period; docs/privacy.md lists them.
 */
export const RetentionEnvSchema = z.object({
  /** Conversations (history, decisions, relay tokens, send ledger), after the last message. */
  CONVERSATION_RETENTION_DAYS: envInt(1, 3650).default(180),
  /** Raw email kept for an admin: quarantined email and refused relay replies, relay dead letters. */
  RAW_MAIL_RETENTION_DAYS: envInt(1, 3650).default(14),
  /** Jobs that exhausted their retries (route, deliver, acknowledgement queues), after failing. */
  DEAD_LETTER_RETENTION_DAYS: envInt(1, 3650).default(30),
  /** Payloads quarantined as unprocessable, after they were quarantined. */
  QUARANTINE_RETENTION_DAYS: envInt(1, 3650).default(30),
  /** Messages held by the flood limit and never released, after they were held. */
  HELD_RETENTION_DAYS: envInt(1, 3650).default(30),
  /** Audit log entries. */
  AUDIT_RETENTION_DAYS: envInt(1, 36500).default(365),
  /** Emails in the outbox folder nobody collected, after they were written. */
  OUTBOX_RETENTION_DAYS: envInt(1, 3650).default(30),
  /** How often the purge runs (it also runs once at start). */
  RETENTION_PURGE_INTERVAL_MINUTES: envInt(1, 7 * 24 * 60).default(60),
  /** Shown, not enforced here: platform message ids are remembered this long (a Redis TTL). */
  DEDUPE_TTL_DAYS: envInt(1, 3650).default(30),
});

/** Validated retention settings, in days. */
export interface RetentionConfig {
  conversationDays: number;
  rawMailDays: number;
  deadLetterDays: number;
  quarantineDays: number;
  heldDays: number;
  auditDays: number;
  outboxDays: number;
  dedupeDays: number;
  intervalMs: number;
}

/** Reads the retention settings; throws CONFIG_INVALID naming the variable. */
export function retentionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const e = parseEnv(RetentionEnvSchema, env);
  return {
    conversationDays: e.CONVERSATION_RETENTION_DAYS,
    rawMailDays: e.RAW_MAIL_RETENTION_DAYS,
    deadLetterDays: e.DEAD_LETTER_RETENTION_DAYS,
    quarantineDays: e.QUARANTINE_RETENTION_DAYS,
    heldDays: e.HELD_RETENTION_DAYS,
    auditDays: e.AUDIT_RETENTION_DAYS,
    outboxDays: e.OUTBOX_RETENTION_DAYS,
    dedupeDays: e.DEDUPE_TTL_DAYS,
    intervalMs: e.RETENTION_PURGE_INTERVAL_MINUTES * 60_000,
  };
}

/** The data types the purge knows, as its counts and metrics name them. */
export type DataType =
  | "conversations"
  | "raw mail"
  | "dead letters"
  | "quarantine"
  | "held"
  | "audit log"
  | "outbox files"
  | "dedupe records";

/** One retention rule, as the console and the docs show it. */
export interface RetentionPolicy {
  dataType: DataType;
  days: number;
  envVar: string;
  description: string;
}

/** Every retention rule in force, in the order the console shows them. */
export function retentionPolicies(config: RetentionConfig): RetentionPolicy[] {
  return [
    {
      dataType: "conversations",
      days: config.conversationDays,
      envVar: "CONVERSATION_RETENTION_DAYS",
      description:
        "Conversations with their history, decisions and evidence, relay tokens and send ledger, after the last message.",
    },
    {
      dataType: "raw mail",
      days: config.rawMailDays,
      envVar: "RAW_MAIL_RETENTION_DAYS",
      description:
        "Raw email kept for an admin: quarantined incoming email, refused relay replies and relay dead letters.",
    },
    {
      dataType: "dead letters",
      days: config.deadLetterDays,
      envVar: "DEAD_LETTER_RETENTION_DAYS",
      description:
        "Routing, delivery and acknowledgement jobs that exhausted their retries, after they failed.",
    },
    {
      dataType: "quarantine",
      days: config.quarantineDays,
      envVar: "QUARANTINE_RETENTION_DAYS",
      description: "Payloads quarantined as unprocessable (other than raw mail), after quarantine.",
    },
    {
      dataType: "held",
      days: config.heldDays,
      envVar: "HELD_RETENTION_DAYS",
      description: "Messages held by the flood limit and never released, after they were held.",
    },
    {
      dataType: "audit log",
      days: config.auditDays,
      envVar: "AUDIT_RETENTION_DAYS",
      description: "Audit log entries (who did what, when, to which object).",
    },
    {
      dataType: "outbox files",
      days: config.outboxDays,
      envVar: "OUTBOX_RETENTION_DAYS",
      description: "Emails in the outbox folder (no SMTP) that nobody collected, after writing.",
    },
    {
      dataType: "dedupe records",
      days: config.dedupeDays,
      envVar: "DEDUPE_TTL_DAYS",
      description:
        "Keyed hashes of platform message ids, so a re-delivered message is forwarded once (expire by Redis TTL).",
    },
  ];
}
