import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RouterError } from "../../errors.js";
import { STAGE_QUEUES } from "../../queue/keys.js";
import type { PageContext } from "../context.js";

const STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
const LIST_LIMIT = 200;

/** Queue counts, dead letters and quarantine, with the CLI's retry/requeue/discard. */
export function registerQueuePages(app: FastifyInstance, ctx: PageContext): void {
  const { queues } = ctx.deps;

  async function counts() {
    return Promise.all(
      STAGE_QUEUES.map(async (name) => {
        const c = await queues.queues[name].getJobCounts(...STATES);
        return { name, counts: STATES.map((s) => c[s] ?? 0) };
      }),
    );
  }

  async function show(
    req: FastifyRequest,
    reply: FastifyReply,
    result: { ok: boolean; text: string } | null,
  ) {
    const q = req.query as Record<string, string | undefined>;
    return ctx.render(req, reply, "queues", {
      states: STATES,
      queues: await counts(),
      dead: await queues.deadLetters.list(LIST_LIMIT),
      quarantine: await queues.quarantine.list(LIST_LIMIT),
      result: result ?? doneNotice(q.done, q.id),
      csrf: req.adminSession?.csrf ?? "",
    });
  }

  app.get("/admin/queues", (req, reply) => show(req, reply, null));

  // The counts table alone, refreshed in place every few seconds (htmx).
  app.get("/admin/queues/counts", async (req, reply) =>
    ctx.render(req, reply, "queue-counts", { states: STATES, queues: await counts() }),
  );

  app.post("/admin/queues", async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const id = body.id ?? "";
    const action = body.action ?? "";
    try {
      switch (action) {
        case "dlq.retry":
          if (!(await queues.deadLetters.retry(id))) throw notFound("dead letter", id);
          break;
        case "dlq.discard":
          if (!(await queues.deadLetters.discard(id))) throw notFound("dead letter", id);
          break;
        case "quarantine.requeue": {
          if (!(await queues.requeueQuarantined(id))) throw notFound("quarantine entry", id);
          break;
        }
        case "quarantine.discard":
          if (!(await queues.quarantine.discard(id))) throw notFound("quarantine entry", id);
          break;
        default:
          throw new RouterError("INVALID_PAYLOAD", `unknown action "${action}"`);
      }
    } catch (err) {
      if (!(err instanceof RouterError)) throw err;
      reply.code(422);
      return show(req, reply, { ok: false, text: `${err.code}: ${err.message}` });
    }
    const entry = { actor: ctx.actor(req), action, object: id };
    try {
      await ctx.deps.services.audit.record(entry);
    } catch (err) {
      // Some refs name a platform id (`twitter:dm:<id>`); the audit log refuses those, so the
      // entry names the ref by keyed hash instead.
      if (!(err instanceof RouterError) || err.code !== "INVALID_PAYLOAD") throw err;
      await ctx.deps.services.audit.record({
        ...entry,
        object: `ref:${ctx.deps.hash("audit-ref", id)}`,
      });
    }
    // The page after the redirect says what was done from a fixed sentence per action, so a link
    // crafted by someone else cannot make the console show text of their choosing.
    const next = new URLSearchParams({ done: action, id });
    return reply.redirect(`/admin/queues?${next.toString()}`, 303);
  });
}

const DONE: Readonly<Record<string, (id: string) => string>> = {
  "dlq.retry": (id) => `Retrying dead letter ${id}.`,
  "dlq.discard": (id) => `Discarded dead letter ${id}.`,
  "quarantine.requeue": (id) => `Requeued quarantine entry ${id}.`,
  "quarantine.discard": (id) => `Discarded quarantine entry ${id}.`,
};

/** The notice after an action, from its fixed sentence; nothing for an unknown action. */
function doneNotice(
  action: string | undefined,
  id: string | undefined,
): { ok: boolean; text: string } | null {
  const sentence = action !== undefined && Object.hasOwn(DONE, action) ? DONE[action] : undefined;
  return sentence ? { ok: true, text: sentence((id ?? "").slice(0, 200)) } : null;
}

function notFound(what: string, id: string): RouterError {
  return new RouterError("INVALID_PAYLOAD", `no ${what} with id ${id}`);
}
