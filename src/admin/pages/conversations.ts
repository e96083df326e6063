import type { FastifyInstance } from "fastify";
import { parseReference } from "../../conversation/reference.js";
import type { Conversation, ConversationStatus } from "../../conversation/types.js";
import { RouterError } from "../../errors.js";
import { CHANNELS, CHANNEL_LABEL, type Channel } from "../../message/channel.js";
import type { PageContext } from "../context.js";
import { checkRulesText, readRulesText } from "../rules-edit.js";
import type { ConversationFilter } from "../services.js";

export const STATUSES: readonly ConversationStatus[] = [
  "open",
  "answered",
  "asking",
  "escalated",
  "closed",
];
const PAGE_SIZE = 50;

/** One line of a conversation's timeline. */
interface TimelineItem {
  at: string;
  kind: "reader" | "answer" | "note" | "event" | "decision";
  title: string;
  text?: string;
  reasons?: string[];
}

/** Messages, answers, notes, events and decisions, oldest first. */
function timeline(c: Conversation): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of c.history) {
    if (e.kind === "reader") {
      items.push({
        at: e.at,
        kind: "reader",
        title: `Reader's message on ${CHANNEL_LABEL[e.channel]}${e.attachments?.length ? ` (attachments: ${e.attachments.join(", ")})` : ""}`,
        text: e.subject ? `${e.subject}\n\n${e.text}` : e.text,
      });
    } else if (e.kind === "answer") {
      items.push({ at: e.at, kind: "answer", title: `Answer from ${e.affiliate}`, text: e.text });
    } else if (e.kind === "note") {
      items.push({
        at: e.at,
        kind: "note",
        title: `Note by ${e.by} (${e.affiliate})`,
        text: e.text,
      });
    } else {
      const what =
        e.event === "reroute"
          ? `Rerouted from ${e.from ?? "?"} to ${e.affiliate ?? "?"}`
          : `${e.event[0]!.toUpperCase()}${e.event.slice(1)}${e.affiliate ? ` (${e.affiliate})` : ""}`;
      items.push({
        at: e.at,
        kind: "event",
        title: `${what}${e.by ? ` by ${e.by}` : ""}`,
        ...(e.detail ? { text: e.detail } : {}),
      });
    }
  }
  for (const d of c.decisions) {
    const how =
      d.decision.step === "rule" ? `rule "${d.decision.rule}"` : `step "${d.decision.step}"`;
    items.push({
      at: d.at,
      kind: "decision",
      title: `Routed to ${d.decision.affiliate} by ${how} (confidence ${d.decision.confidence.toFixed(2)}); delivered to ${d.deliveredTo}`,
      reasons: d.decision.reasons,
    });
  }
  // A decision sorts right after the message it routed (same time).
  const order = { reader: 0, decision: 1, answer: 2, note: 2, event: 2 };
  return items.sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind]);
}

/** A date or time as typed in the form; a date alone is the start (or, for `to`, the end) of that day (UTC). */
function when(text: string | undefined, end: boolean): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const d = new Date(
    text.length === 10 ? `${text}T${end ? "23:59:59.999" : "00:00:00.000"}Z` : text,
  );
  return Number.isNaN(d.getTime()) ? null : d;
}

function filtersFrom(q: Record<string, string | undefined>): ConversationFilter {
  const f: ConversationFilter = {};
  const ref = q.ref?.trim();
  if (ref) f.ref = parseReference(ref) ?? ref.toUpperCase();
  if (q.affiliate?.trim()) f.affiliate = q.affiliate.trim();
  if (q.channel && (CHANNELS as readonly string[]).includes(q.channel))
    f.channel = q.channel as Channel;
  if (q.status && (STATUSES as readonly string[]).includes(q.status))
    f.status = q.status as ConversationStatus;
  const from = when(q.from, false);
  if (from) f.from = from;
  const to = when(q.to, true);
  if (to) f.to = to;
  return f;
}

async function affiliateIds(ctx: PageContext): Promise<{ id: string; name: string }[]> {
  const live = ctx.deps.liveRules?.current;
  if (live) return live.affiliates.map((a) => ({ id: a.id, name: a.name }));
  const checked = await checkRulesText(await readRulesText(ctx.deps.rulesFile), ctx.deps.rulesFile);
  return checked.ok ? checked.rules.affiliates.map((a) => ({ id: a.id, name: a.name })) : [];
}

/** The conversation list with search, and one page per conversation with the reroute action. */
export function registerConversationPages(app: FastifyInstance, ctx: PageContext): void {
  const { deps } = ctx;

  app.get("/admin/conversations", async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = Math.max(1, Math.min(10_000, Number(q.page) || 1));
    const filters = filtersFrom(q);
    const rows = await deps.services.search(filters, {
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const next = new URLSearchParams(
      Object.entries(q).filter(
        (e): e is [string, string] => typeof e[1] === "string" && e[0] !== "page",
      ),
    );
    next.set("page", String(page + 1));
    return ctx.render(req, reply, "conversations", {
      rows: rows.slice(0, PAGE_SIZE),
      nextHref: rows.length > PAGE_SIZE ? `/admin/conversations?${next.toString()}` : null,
      pageNo: page,
      q: {
        ref: q.ref ?? "",
        affiliate: q.affiliate ?? "",
        channel: q.channel ?? "",
        status: q.status ?? "",
        from: q.from ?? "",
        to: q.to ?? "",
      },
      affiliates: await affiliateIds(ctx),
      channels: CHANNELS,
      statuses: STATUSES,
    });
  });

  app.get("/admin/conversations/:ref", async (req, reply) => {
    const { ref } = req.params as { ref: string };
    const c = await deps.store.getByRef(ref);
    if (!c) {
      reply.code(404);
      return ctx.render(req, reply, "not-found", { what: `conversation ${ref}` });
    }
    // Decrypted personal data is shown here only, and every look is on record.
    await deps.services.audit.record({
      actor: ctx.actor(req),
      action: "conversation.view",
      object: c.ref,
    });
    const q = req.query as Record<string, string | undefined>;
    return ctx.render(req, reply, "conversation", {
      c,
      items: timeline(c),
      channelLabel: CHANNEL_LABEL[c.reader.channel],
      affiliates: (await affiliateIds(ctx)).filter((a) => a.id !== c.affiliate),
      canReroute: deps.reroute !== null && c.status !== "closed",
      // Only a true statement: the conversation is now with that affiliate.
      rerouted: q.rerouted && q.rerouted === c.affiliate ? q.rerouted : null,
      error: null,
      csrf: req.adminSession?.csrf ?? "",
    });
  });

  app.post("/admin/conversations/:ref/reroute", async (req, reply) => {
    const { ref } = req.params as { ref: string };
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const c = await deps.store.getByRef(ref);
    if (!c) {
      reply.code(404);
      return ctx.render(req, reply, "not-found", { what: `conversation ${ref}` });
    }
    const to = (body.to ?? "").trim().toLowerCase();
    const reason = (body.reason ?? "").trim().slice(0, 2000);
    try {
      if (!deps.reroute) throw new RouterError("INVALID_PAYLOAD", "this process runs no relay");
      const jobId = await deps.reroute(c.id, to, reason, `${ctx.actor(req)} (admin console)`);
      await deps.services.audit.record({
        actor: ctx.actor(req),
        action: "conversation.reroute",
        object: c.ref,
        detail: { from: c.affiliate, to, job: jobId },
      });
    } catch (err) {
      if (!(err instanceof RouterError)) throw err;
      reply.code(422);
      return ctx.render(req, reply, "conversation", {
        c,
        items: timeline(c),
        channelLabel: CHANNEL_LABEL[c.reader.channel],
        affiliates: (await affiliateIds(ctx)).filter((a) => a.id !== c.affiliate),
        canReroute: deps.reroute !== null && c.status !== "closed",
        rerouted: null,
        error: err.message,
        csrf: req.adminSession?.csrf ?? "",
      });
    }
    return reply.redirect(`/admin/conversations/${c.ref}?rerouted=${encodeURIComponent(to)}`, 303);
  });
}
