import type { FastifyInstance } from "fastify";
import { RouterError } from "../../errors.js";
import type { PageContext } from "../context.js";
import type { AuditEntry } from "../../audit/log.js";
import type { ErasureReceipt } from "../services.js";

const AUDIT_PAGE = 100;
/** The most entries one export reads. */
const EXPORT_MAX = 1_000_000;

/** Erasure (with its receipt), the retention policies and the audit log (read-only, exportable). */
export function registerDataPages(app: FastifyInstance, ctx: PageContext): void {
  const { services } = ctx.deps;

  app.get("/admin/erasure", (req, reply) =>
    ctx.render(req, reply, "erasure", {
      receipt: null,
      error: null,
      identity: "",
      csrf: req.adminSession?.csrf ?? "",
    }),
  );

  app.post("/admin/erasure", async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const identity = (body.identity ?? "").trim();
    let receipt: ErasureReceipt | null = null;
    let error: string | null = null;
    if (!identity)
      error =
        "Give an email address, a Telegram, Discord or X user id, or a conversation reference.";
    else if (body.confirm !== "yes") error = "Tick the box to confirm: erasure cannot be undone.";
    else {
      try {
        receipt = await services.forget(identity, ctx.actor(req));
      } catch (err) {
        if (!(err instanceof RouterError)) throw err;
        error = err.message;
      }
    }
    // The erasure writes its own audit entry, naming the identity by keyed hash only.
    if (!receipt) reply.code(422);
    return ctx.render(req, reply, "erasure", {
      receipt,
      error,
      // Not echoed back after a successful erasure.
      identity: receipt ? "" : identity,
      csrf: req.adminSession?.csrf ?? "",
    });
  });

  app.get("/admin/retention", (req, reply) =>
    ctx.render(req, reply, "retention", { policies: services.retention() }),
  );

  app.get("/admin/audit", async (req, reply) => {
    const before = (req.query as Record<string, string | undefined>).before;
    const entries = await services.audit.list({
      limit: AUDIT_PAGE,
      ...(before ? { before } : {}),
    });
    return ctx.render(req, reply, "audit", {
      entries,
      nextHref:
        entries.length === AUDIT_PAGE
          ? `/admin/audit?before=${encodeURIComponent(entries.at(-1)!.id)}`
          : null,
    });
  });

  app.get("/admin/audit.jsonl", async (req, reply) => {
    await services.audit.record({ actor: ctx.actor(req), action: "audit.export" });
    const lines: string[] = [];
    let before: string | undefined;
    for (let n = 0; n < EXPORT_MAX;) {
      const page: AuditEntry[] = await services.audit.list({
        limit: 1000,
        ...(before ? { before } : {}),
      });
      for (const e of page) lines.push(JSON.stringify(e));
      n += page.length;
      if (page.length < 1000) break;
      before = page.at(-1)!.id;
    }
    return reply
      .type("application/x-ndjson; charset=utf-8")
      .header(
        "content-disposition",
        `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.jsonl"`,
      )
      .send(lines.length > 0 ? `${lines.join("\n")}\n` : "");
  });
}
