import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { DNSResolver } from "mailauth";
import type { Registry } from "prom-client";
import { loadEmailConfig } from "../../adapters/email/config.js";
import type { MailboxWatchOptions } from "../../adapters/email/mailbox-watch.js";
import { askConfigFromEnv, type AskConfig } from "../conversation/ask.js";
import { askTimedOut, questionSent, stickyRoute, type StickyDeps } from "../conversation/sticky.js";
import type { Conversation } from "../conversation/types.js";
import { createConversationStore, type ConversationStore } from "../conversation/store.js";
import { createEnvelope } from "../crypto/envelope.js";
import { createKeyring } from "../crypto/keyring.js";
import type { KeyringEntry } from "../crypto/identity-hash.js";
import { createDelivery } from "../delivery/index.js";
import { parseMailbox } from "../delivery/mime.js";
import type { DeliveryConfig } from "../delivery/config.js";
import type { Delivery } from "../delivery/types.js";
import { RouterError } from "../errors.js";
import { moduleLogger } from "../logger.js";
import { backoffDelay, type RetryPolicy } from "../queue/jobs.js";
import { QuarantineStore } from "../queue/quarantine.js";
import { PipelineScripts } from "../queue/scripts.js";
import type { Metrics } from "../metrics.js";
import type {
  AskTimeoutFn,
  ConversationStep,
  QuestionSentFn,
  Role,
  Sender,
} from "../queue/types.js";
import { LiveRules } from "../routing/live.js";
import { retentionConfigFromEnv } from "../retention/policies.js";
import { RedisCursorStore } from "../state/cursor-store.js";
import { relayConfigFromEnv, type RelayConfig } from "./config.js";
import type { RelayRefusal } from "./errors.js";
import { RelayMailbox } from "./imap.js";
import { ESCALATION_QUEUE, runEscalation, scheduleEscalation } from "./escalation.js";
import { RelayListener } from "./listener.js";
import { createRelayMetrics } from "./metrics.js";
import type { AffiliateDirectory } from "./receiver.js";
import { conversationOfToken } from "./receiver.js";
import { mailauthSenderCheck } from "./sender-auth.js";
import { createRelayTokens, relayAddress } from "./token.js";
import { planReply } from "./plan.js";
import {
  RELAY_QUEUE,
  enqueuePlan,
  enqueueReply,
  refuse,
  relayProcessor,
  type RelayJob,
} from "./worker.js";

const log = moduleLogger("relay");

/** How often a listener that could not bind tries again. */
const LISTEN_RETRY_MAX_MS = 60_000;
/** Relay jobs retry for about a day before they become dead letters. */
export const RELAY_RETRY: RetryPolicy = { attempts: 25, baseDelayMs: 2_000, maxDelayMs: 3600_000 };

export interface ConversationsOptions {
  env: NodeJS.ProcessEnv;
  roles: readonly Role[];
  /** ioredis client with `maxRetriesPerRequest: null` (BullMQ's connection). */
  redis: Redis;
  prefix: string;
  /** The data keyring, current key first: seals records, keys identity hashes and relay tokens. */
  keyring: readonly KeyringEntry[];
  delivery: DeliveryConfig;
  rulesFile: string;
  /** The route role's live rules, if this process has them; otherwise the relay loads its own. */
  rules: LiveRules | null;
  /** Sends to readers through the channel adapters. */
  sender: Sender;
  /** The deliver role's delivery, if this process has one; otherwise the relay makes its own. */
  deliveryInstance: Delivery | null;
  metrics: Registry;
  /** The pipeline's metrics: the relay counts its step in `contacts` and `stageSeconds`. */
  steps?: Metrics;
  /** The open-conversation gauge and time-to-first-answer histogram (src/metrics.ts). */
  conversationMetrics?: Pick<Metrics, "openConversations" | "timeToFirstAnswer">;
  /** The clock of conversation timers (tests move it); default: the system clock. */
  now?: () => Date;
  /** DNS for sender authentication (tests); default: the system resolver. */
  resolver?: DNSResolver;
  retry?: RetryPolicy;
  /** The relay worker's lock and stalled-job check (the fault script shortens them). */
  workerTiming?: { lockDurationMs?: number; stalledIntervalMs?: number; maxStalledCount?: number };
  /** Reconnect and poll timing of the IMAP relay mailbox (tests shorten it). */
  imapTiming?: MailboxWatchOptions;
}

/** The conversation layer of a running process. */
export interface Conversations {
  store: ConversationStore;
  /** The route stage's conversation step (sticky routing, the clarifying question). */
  step: ConversationStep;
  /** Routes a held message whose time to answer is up (the route stage's delayed job). */
  askTimeout: AskTimeoutFn;
  /** Keeps the clarifying question's message id (its buttons are closed once it is settled). */
  questionSent: QuestionSentFn;
  /** The clarifying question's settings (ASK_LOCATION, ASK_TIMEOUT_CHAT, ASK_TIMEOUT_EMAIL). */
  ask: AskConfig;
  /** Escalation timers (delayed `escalate` jobs). */
  escalationQueue: Queue;
  /** Refreshes the open-conversations gauge from the store's counts. */
  refreshMetrics(): Promise<void>;
  /** Where the relay listens, when it does in this process. */
  relay: { host: string; port: number } | null;
  /**
   * Hands a conversation to another affiliate as `#reroute` in an affiliate's reply does (the
   * admin console's action): history event, new reply tokens, the whole history forwarded to the
   * new affiliate, the reader told. Null when this process runs no relay (no ingest role).
   */
  reroute:
    ((conversationId: string, to: string, reason: string, by: string) => Promise<string>) | null;
  /** For /readyz: the relay listener's state (null when this process runs none). */
  health(): { ok: boolean; detail: string } | null;
  stop(): Promise<void>;
}

function directory(rules: LiveRules): AffiliateDirectory {
  return {
    get: (id) => rules.current.affiliateById.get(id),
    ids: () => rules.current.affiliates.map((a) => a.id),
  };
}

/**
 * Starts what conversations need in this process: the store and the route stage's step (every
 * role), and for the `ingest` role the relay: its SMTP listener and the relay worker. Expired
 * conversations are erased by the retention purge (src/retention).
 */
export async function startConversations(opts: ConversationsOptions): Promise<Conversations> {
  const relayDomain = opts.delivery.relay?.domain ?? "localhost";
  const config: RelayConfig = relayConfigFromEnv(opts.env, relayDomain);
  const [current, ...older] = opts.keyring;
  if (!current) throw new Error("startConversations needs at least one data key");
  // Seals with the current key; opens with any key of the keyring (records from before a rotation).
  const envelope = createEnvelope(
    createKeyring(
      current.key,
      older.map((k) => k.key),
    ),
  );
  const store = createConversationStore({
    redis: opts.redis,
    prefix: opts.prefix,
    envelope,
    keyring: opts.keyring,
    // One place for every retention period (src/retention); the purge runs there too.
    retentionDays: retentionConfigFromEnv(opts.env).conversationDays,
  });
  const tokens = createRelayTokens(opts.keyring);
  // Stopped in reverse order of starting: the listener first, then the worker, then what it uses.
  const cleanups: (() => Promise<void> | void)[] = [];
  let rules = opts.rules;
  const now = opts.now ?? (() => new Date());
  const ask = askConfigFromEnv(opts.env);
  // Escalation timers are delayed jobs on their own queue; any role may set them, the ingest
  // role runs them.
  const escalationQueue = new Queue(ESCALATION_QUEUE, {
    connection: opts.redis,
    prefix: opts.prefix,
  });
  cleanups.push(() => escalationQueue.close());
  const timers = {
    rules: () => rules!.current,
    queue: escalationQueue,
    now,
  };
  /** A conversation starts waiting for an affiliate: start its escalation clock. */
  const opened = async (c: Conversation): Promise<void> => {
    if (rules) await scheduleEscalation(timers, c);
  };
  const stickyDeps = (): StickyDeps => ({
    store,
    tokens,
    affiliateExists: (id) => rules?.current.affiliateById.has(id) ?? true,
    ask,
    opened,
    now,
  });
  const step: ConversationStep = (input) => stickyRoute(stickyDeps(), input);
  const askTimeout: AskTimeoutFn = (id) => askTimedOut(stickyDeps(), id);
  let listener: RelayListener | null = null;
  let mailbox: RelayMailbox | null = null;
  let bound: { host: string; port: number } | null = null;
  let listenState = "off";
  let reroute: Conversations["reroute"] = null;

  if (opts.roles.includes("ingest")) {
    if (!rules) {
      const own = new LiveRules(opts.rulesFile, (o) => {
        if (!o.ok) log.error({ reason: o.error }, "relay: routing rules not reloaded");
      });
      own.watch();
      rules = own;
      cleanups.unshift(() => own.close());
    }
    const affiliates = directory(rules);
    let delivery = opts.deliveryInstance;
    if (!delivery) {
      const own = createDelivery(opts.delivery);
      delivery = own;
      cleanups.unshift(() => own.close());
    }
    const metrics = createRelayMetrics(opts.metrics);
    const quarantine = new QuarantineStore(
      opts.redis,
      opts.prefix,
      envelope,
      new PipelineScripts(opts.redis),
    );
    const mail = {
      from: opts.delivery.from,
      messageIdDomain: opts.delivery.messageIdDomain,
      relayDomain,
    };
    const emailChannel = (() => {
      try {
        return loadEmailConfig(opts.env);
      } catch {
        return null; // reported by the adapter host
      }
    })();
    const readerReplyAddress = emailChannel
      ? (parseMailbox(emailChannel.from)?.address ?? null)
      : null;
    const retry = opts.retry ?? RELAY_RETRY;
    const queue = new Queue<RelayJob>(RELAY_QUEUE, { connection: opts.redis, prefix: opts.prefix });
    const processor = relayProcessor({
      store,
      tokens,
      affiliates,
      senderAuth: config.senderAuth.on
        ? mailauthSenderCheck({
            mta: relayDomain,
            ...(opts.resolver ? { resolver: opts.resolver } : {}),
          })
        : null,
      mail,
      readerReplyAddress,
      sender: opts.sender,
      delivery,
      envelope,
      quarantine,
      metrics,
      onReaderSend: (channel, outcome) => metrics.readerSends.inc({ channel, outcome }),
      onFirstAnswer: (affiliate, seconds) =>
        opts.conversationMetrics?.timeToFirstAnswer.observe({ affiliate }, Math.max(0, seconds)),
      onHandedOver: async (id) => {
        const c = await store.get(id);
        if (c) await opened(c);
      },
      now,
    });
    const steps = opts.steps;
    const worker = new Worker<RelayJob>(
      RELAY_QUEUE,
      async (job) => {
        const started = Date.now();
        try {
          const result = await processor(job);
          // A reply relayed (not refused); it came in by email from the affiliate it names.
          if (typeof result.outcome === "string") {
            steps?.contacts.inc({
              channel: "email",
              step: "relay",
              affiliate: String(result.affiliate ?? ""),
            });
          }
          return result;
        } finally {
          steps?.stageSeconds.observe({ step: "relay" }, (Date.now() - started) / 1000);
        }
      },
      {
        connection: opts.redis,
        prefix: opts.prefix,
        concurrency: config.concurrency,
        settings: { backoffStrategy: backoffDelay(retry) },
        maxStalledCount: opts.workerTiming?.maxStalledCount ?? 5,
        ...(opts.workerTiming?.lockDurationMs
          ? { lockDuration: opts.workerTiming.lockDurationMs }
          : {}),
        ...(opts.workerTiming?.stalledIntervalMs
          ? { stalledInterval: opts.workerTiming.stalledIntervalMs }
          : {}),
      },
    );
    reroute = async (conversationId, to, reason, by) => {
      const conversation = await store.get(conversationId);
      if (!conversation) throw new RouterError("INVALID_PAYLOAD", "no such conversation");
      const from = affiliates.get(conversation.affiliate);
      const target = affiliates.get(to);
      if (!target) {
        throw new RouterError(
          "INVALID_PAYLOAD",
          `there is no affiliate "${to}"; the ids are ${affiliates.ids().join(", ")}`,
        );
      }
      if (target.id === conversation.affiliate) {
        throw new RouterError("INVALID_PAYLOAD", `the conversation is already with ${to}`);
      }
      if (conversation.status === "closed") {
        throw new RouterError("INVALID_PAYLOAD", "the conversation is closed");
      }
      const planned = await planReply(
        { store, tokens, affiliates, mail, readerReplyAddress },
        {
          conversation,
          affiliate: from ?? {
            id: conversation.affiliate,
            name: conversation.affiliate,
            inbox: "",
          },
          from: by,
          replyId: `console-${randomBytes(8).toString("hex")}`,
          messageId: null,
          reply: {
            commands: [{ kind: "reroute", to: target.id, reason }],
            text: reason,
            invalid: [],
          },
          attachments: [],
        },
      );
      // The confirmation is for an affiliate who sent #reroute; the admin sees the outcome on the page.
      const plan = {
        ...planned,
        actions: planned.actions.filter((a) => a.kind !== "affiliate-mail"),
      };
      return enqueuePlan(queue, envelope, retry, plan);
    };
    worker.on("failed", (job, err) => {
      const last = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      log[last ? "error" : "warn"](
        { jobId: job?.id, reason: err.message },
        last ? "relay job dead-lettered" : "relay job will retry",
      );
    });
    worker.on("error", (err) => log.error({ err: { name: err.name } }, "relay worker error"));
    cleanups.unshift(async () => {
      await worker.close();
      await queue.close();
    });
    const escalationWorker = new Worker(
      ESCALATION_QUEUE,
      (job, token) =>
        runEscalation(
          {
            store,
            tokens,
            sender: opts.sender,
            delivery,
            mail,
            affiliates,
            rules: timers.rules,
            queue: escalationQueue,
            now,
          },
          job,
          token,
        ),
      {
        connection: opts.redis,
        prefix: opts.prefix,
        concurrency: 2,
        settings: { backoffStrategy: backoffDelay(retry) },
      },
    );
    escalationWorker.on("failed", (job, err) =>
      log.warn({ jobId: job?.id, reason: err.message }, "escalation timer failed; it will retry"),
    );
    escalationWorker.on("error", (err) =>
      log.error({ err: { name: err.name } }, "escalation worker error"),
    );
    cleanups.unshift(() => escalationWorker.close());

    if (config.port !== null) {
      listener = new RelayListener({
        host: config.host,
        port: config.port,
        domain: relayDomain,
        maxBytes: config.maxBytes,
        ...(config.tls ? { tls: config.tls } : {}),
        checkRecipient: async (token) => {
          await conversationOfToken({ store, tokens }, token);
        },
        store: async (raw, token, origin) => {
          await enqueueReply(queue, envelope, retry, raw, token, origin);
          metrics.received.inc();
        },
        onRefused: (err: RelayRefusal, origin, detail) =>
          refuse(
            { quarantine, metrics, store, delivery, mail },
            err,
            "smtp",
            `relay-smtp/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
            {
              envelope: { mailFrom: origin.mailFrom, rcptTo: detail.rcpt ?? null, ip: origin.ip },
              head: detail.head?.toString("utf8") ?? null,
            },
            origin,
          ),
      });
      const l = listener;
      let stopped = false;
      let timer: NodeJS.Timeout | null = null;
      const attempt = async (n: number): Promise<void> => {
        try {
          bound = await l.listen();
          listenState = "listening";
          log.info(
            {
              host: bound.host,
              port: bound.port,
              replyTo: relayAddress("<token>", relayDomain),
              senderAuthentication: config.senderAuth.on ? "on" : "off",
              why: config.senderAuth.why,
            },
            `relay listening on ${bound.host}:${bound.port} for relay+<token>@${relayDomain}; sender authentication is ${config.senderAuth.on ? "on" : "off"} (${config.senderAuth.why})`,
          );
        } catch (err) {
          if (stopped) return;
          const delay = Math.min(LISTEN_RETRY_MAX_MS, 1000 * 2 ** n);
          listenState = `failed to listen (${(err as NodeJS.ErrnoException).code ?? "error"}), retrying`;
          log.error(
            {
              host: config.host,
              port: config.port,
              code: (err as NodeJS.ErrnoException).code,
              retryInMs: delay,
            },
            "relay could not listen; retrying",
          );
          timer = setTimeout(() => void attempt(n + 1), delay);
          timer.unref();
        }
      };
      await attempt(0);
      cleanups.unshift(async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await l.close();
      });
    } else {
      log.info("relay listener off in this process (RELAY_SMTP_PORT=off)");
    }

    if (config.imap) {
      const imap = config.imap;
      mailbox = new RelayMailbox(
        {
          imap,
          domain: relayDomain,
          maxBytes: config.maxBytes,
          cursors: new RedisCursorStore(opts.redis, opts.prefix),
          logger: log,
          checkRecipient: async (token) => {
            await conversationOfToken({ store, tokens }, token);
          },
          store: async (raw, token, origin) => {
            await enqueueReply(queue, envelope, retry, raw, token, origin);
            metrics.received.inc();
          },
          onRefused: (err, origin, ref, raw) =>
            refuse({ quarantine, metrics, store, delivery, mail }, err, "imap", ref, raw, origin),
        },
        opts.imapTiming ?? {},
      );
      mailbox.start();
      const m = mailbox;
      cleanups.unshift(() => m.stop());
      log.info(
        { host: imap.host, port: imap.port, mailbox: imap.mailbox },
        `relay also fetches replies from the IMAP mailbox ${imap.mailbox} on ${imap.host}:${imap.port}`,
      );
    }
  }

  return {
    store,
    step,
    askTimeout,
    questionSent: (id, messageId) => questionSent({ store }, id, messageId),
    ask,
    escalationQueue,
    async refreshMetrics() {
      const gauge = opts.conversationMetrics?.openConversations;
      if (!gauge) return;
      const counts = await store.openCounts();
      gauge.reset();
      for (const [affiliate, n] of Object.entries(counts)) gauge.set({ affiliate }, n);
    },
    get relay() {
      return bound;
    },
    get reroute() {
      return reroute;
    },
    health() {
      const parts: { ok: boolean; detail: string }[] = [];
      if (listener) parts.push({ ok: listenState === "listening", detail: listenState });
      if (mailbox) {
        const h = mailbox.health();
        parts.push({
          ok: h.state === "running" || h.state === "starting",
          detail: `IMAP mailbox ${h.state}${h.detail ? ` (${h.detail})` : ""}`,
        });
      }
      if (parts.length === 0) return null;
      return { ok: parts.every((p) => p.ok), detail: parts.map((p) => p.detail).join("; ") };
    },
    async stop() {
      for (const c of cleanups) {
        try {
          await c();
        } catch (err) {
          log.error({ err: { name: (err as Error).name } }, "relay shutdown step failed");
        }
      }
    },
  };
}
