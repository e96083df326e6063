import type { FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { ConversationStore } from "../conversation/store.js";
import type { Pipeline } from "../queue/pipeline.js";
import type { LiveRules } from "../routing/live.js";
import type { AdminAccounts } from "./accounts.js";
import type { AdminConfig } from "./config.js";
import type { ConsoleServices } from "./services.js";
import type { AdminSession } from "./sessions.js";

/** Everything the console needs; built by main, by tests from real parts. */
export interface ConsoleDeps {
  redis: Redis;
  prefix: string;
  config: AdminConfig;
  /** Keyed hash (`IdentityHasher.hash`): client IPs for the login limit, never stored in clear. */
  hash: (purpose: string, value: string) => string;
  rulesFile: string;
  /** The route worker's live rules in this process, for the reload status; null when elsewhere. */
  liveRules: LiveRules | null;
  store: ConversationStore;
  /** The relay's reroute (as `#reroute`); null when this process runs no relay. */
  reroute:
    ((conversationId: string, to: string, reason: string, by: string) => Promise<string>) | null;
  queues: Pick<Pipeline, "queues" | "deadLetters" | "quarantine" | "requeueQuarantined">;
  services: ConsoleServices;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** A console route anyone may open (login, the setup notice). */
    public?: boolean;
  }
  interface FastifyRequest {
    adminSession?: AdminSession;
  }
}

/** The console's pages: what every template gets besides its own data. */
export interface PageContext {
  deps: ConsoleDeps;
  accounts: AdminAccounts;
  render(
    req: FastifyRequest,
    reply: FastifyReply,
    template: string,
    data: Record<string, unknown>,
  ): Promise<string>;
  /** The signed-in admin's name (routes behind login only). */
  actor(req: FastifyRequest): string;
}
