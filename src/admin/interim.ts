import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { ConversationStore } from "../conversation/store.js";
import type { ConversationSummary } from "../conversation/types.js";
import type { AuditEntry, ConsoleServices, ConversationFilters } from "./services.js";

/**
 * Stand-ins for the audit log, conversation search and retention list until src/audit,
 * src/conversation/search.ts and src/retention land from their branch; main switches to those
 * then and this file goes. Same shapes (services.ts), same Redis prefix.
 */
export function interimServices(
  redis: Redis,
  prefix: string,
  store: ConversationStore,
): ConsoleServices {
  const key = `${prefix}:audit`;
  return {
    audit: {
      async record(e) {
        const entry: AuditEntry = {
          id: `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`,
          at: new Date().toISOString(),
          ...e,
        };
        await redis.lpush(key, JSON.stringify(entry));
      },
      async list({ limit, before }) {
        const all = (await redis.lrange(key, 0, -1)).map((v) => JSON.parse(v) as AuditEntry);
        const start = before ? all.findIndex((e) => e.id === before) + 1 : 0;
        return all.slice(start, start + limit);
      },
    },
    forget: null,
    retention: () => [
      {
        dataType: "conversations",
        days: Math.round(store.retentionMs / 86_400_000),
        envVar: "CONVERSATION_RETENTION_DAYS",
        description: "after the last message",
      },
    ],
    async search(f: ConversationFilters, page) {
      const out: ConversationSummary[] = [];
      for (let offset = 0; out.length < page.offset + page.limit; offset += 1000) {
        const batch = await store.list({ offset, limit: 1000 });
        for (const s of batch) if (matches(s, f)) out.push(s);
        if (batch.length < 1000) break;
      }
      return out.slice(page.offset, page.offset + page.limit);
    },
  };
}

function matches(s: ConversationSummary, f: ConversationFilters): boolean {
  return (
    (!f.ref || s.ref === f.ref) &&
    (!f.affiliate || s.affiliate === f.affiliate) &&
    (!f.channel || s.channel === f.channel) &&
    (!f.status || s.status === f.status) &&
    (!f.from || s.lastMessageAt >= f.from) &&
    (!f.to || s.createdAt <= f.to)
  );
}
