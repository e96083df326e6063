import type { ConversationStatus, ConversationSummary } from "../conversation/types.js";
import type { Channel } from "../message/channel.js";

/**
 * What the console uses from the audit, erasure, retention and search modules (src/audit,
 * src/erasure, src/retention, src/conversation/search.ts), as the console sees them. main wires
 * the real ones; keeping the console to these shapes keeps it testable page by page.
 */

export interface AuditEntry {
  id: string;
  /** ISO time. */
  at: string;
  actor: string;
  action: string;
  /** A conversation reference, a queue id or a keyed hash: never plain personal data. */
  object?: string;
  detail?: Record<string, string | number | boolean>;
}

export interface AuditLog {
  record(e: Omit<AuditEntry, "id" | "at">): Promise<void>;
  /** Newest first; `before` is an entry id to page from. */
  list(opts: { limit: number; before?: string }): Promise<AuditEntry[]>;
}

/** What an erasure removed, by type and count, and what it cannot reach. */
export interface ErasureReceipt {
  identity: { kind: string };
  removed: Record<string, number>;
  outOfReach: string[];
  at: string;
}

export interface RetentionPolicy {
  dataType: string;
  days: number;
  envVar: string;
  description: string;
}

export interface ConversationFilters {
  ref?: string;
  affiliate?: string;
  channel?: Channel;
  status?: ConversationStatus;
  /** ISO date or time: activity on or after. */
  from?: string;
  /** ISO date or time: activity on or before. */
  to?: string;
}

export interface ConsoleServices {
  audit: AuditLog;
  /** Erases everything stored about one identity; null when this build has no erasure. */
  forget: ((identity: string) => Promise<ErasureReceipt>) | null;
  retention: () => RetentionPolicy[];
  search: (
    filters: ConversationFilters,
    page: { limit: number; offset: number },
  ) => Promise<ConversationSummary[]>;
}
