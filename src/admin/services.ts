import type { Redis } from "ioredis";
import type { AuditLog } from "../audit/log.js";
import { searchConversations, type ConversationFilter } from "../conversation/search.js";
import type { ConversationStore } from "../conversation/store.js";
import type { ConversationSummary } from "../conversation/types.js";
import { forget, forgetDepsFrom, type ErasureReceipt } from "../erasure/forget.js";
import type { Pipeline } from "../queue/pipeline.js";
import {
  retentionPolicies,
  type RetentionConfig,
  type RetentionPolicy,
} from "../retention/policies.js";

export type { ErasureReceipt, RetentionPolicy, ConversationFilter };

/**
 * What the console uses from the audit log (src/audit), erasure (src/erasure), retention
 * (src/retention) and conversation search. The pages see only these functions, so tests can
 * build the console from the same real parts main uses.
 */
export interface ConsoleServices {
  audit: Pick<AuditLog, "record" | "list">;
  /** Erases everything stored about one identity; the erasure writes its own audit entry. */
  forget: (identity: string, actor: string) => Promise<ErasureReceipt>;
  retention: () => RetentionPolicy[];
  search: (
    filter: ConversationFilter,
    page: { limit: number; offset: number },
  ) => Promise<ConversationSummary[]>;
}

/** The console's services over the running service's stores. */
export function consoleServices(o: {
  redis: Redis;
  prefix: string;
  pipeline: Pick<Pipeline, "keyring" | "envelope" | "queues" | "quarantine" | "held">;
  store: ConversationStore;
  audit: AuditLog;
  retention: RetentionConfig;
  /** The outbox folder, when mail is written there; null with SMTP. */
  outboxDir: string | null;
  smtp: boolean;
}): ConsoleServices {
  return {
    audit: o.audit,
    forget: (identity, actor) =>
      forget(
        forgetDepsFrom({
          pipeline: o.pipeline,
          store: o.store,
          redis: o.redis,
          prefix: o.prefix,
          outboxDir: o.outboxDir,
          smtp: o.smtp,
          actor,
          audit: o.audit,
        }),
        identity,
      ),
    retention: () => retentionPolicies(o.retention),
    search: (filter, page) => searchConversations(o.store, filter, page),
  };
}
