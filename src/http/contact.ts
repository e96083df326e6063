import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { normalizeWebForm } from "../../adapters/web/normalize.js";
import { InvalidPayloadError } from "../errors.js";
import { pickLanguage, type Language } from "../i18n/languages.js";
import { t } from "../i18n/texts.js";
import type { Intake } from "../queue/intake.js";
import type { HttpConfig } from "./config.js";
import { errorFromNormalizer, parseForm } from "./form.js";
import type { WebFormMetrics } from "./metrics.js";
import { CONTACT_CSS, EMPTY_FORM, renderForm, renderThanks, type FormError } from "./view.js";

/** True when the client speaks JSON rather than HTML forms. */
export function isJsonRequest(req: FastifyRequest): boolean {
  return (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
}

/** The page language: the form's hidden field, then `?lang=`, then Accept-Language. */
export function requestLanguage(req: FastifyRequest, fromForm?: Language | null): Language {
  if (fromForm) return fromForm;
  const query = req.query as Record<string, unknown> | undefined;
  return pickLanguage(req.headers["accept-language"], query?.lang);
}

/** Sends the form again with problems listed; the reader's input is kept. */
export function sendFormProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  lang: Language,
  errors: FormError[],
  values = EMPTY_FORM,
): FastifyReply {
  if (isJsonRequest(req)) {
    return reply.code(status).send({
      error: status === 400 ? "INVALID_FORM" : status === 429 ? "RATE_LIMITED" : "UNAVAILABLE",
      problems: errors.map((e) => ({ field: e.field, message: t(lang, e.key, e.vars) })),
    });
  }
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(renderForm(lang, values, errors));
}

/** GET and POST /contact, plus the stylesheet the page links to. */
export function registerContactRoutes(
  app: FastifyInstance,
  deps: { intake: Intake; config: HttpConfig; metrics: WebFormMetrics },
): void {
  const { intake, config, metrics } = deps;
  const log = app.log.child({ module: "http.contact" });

  app.get("/contact.css", (_req, reply) =>
    reply.header("cache-control", "public, max-age=3600").type("text/css").send(CONTACT_CSS),
  );

  app.get("/contact", (req, reply) =>
    reply.type("text/html; charset=utf-8").send(renderForm(requestLanguage(req), EMPTY_FORM)),
  );

  // The per-IP limit counts posts answered with a thank-you (taken in, a double submit, or a
  // honeypot's pretended success), not invalid ones: checked before, counted after. With a Redis
  // store (main wires one) every web process shares the count.
  const limiter = app.createRateLimit({
    max: config.formRateLimit.max,
    timeWindow: config.formRateLimit.windowMs,
  });
  const limitState = (req: FastifyRequest, count: boolean) =>
    bounded(limiter(req, { increment: count }), LIMITER_WAIT_MS).catch((err: unknown) => {
      // The limit must not turn readers away when its store is slow or down; the intake reports
      // a real outage itself.
      log.warn(
        { code: (err as { code?: unknown }).code ?? "TIMEOUT" },
        "form rate limit not checked",
      );
      return undefined;
    });

  app.post("/contact", { bodyLimit: config.bodyLimitBytes }, async (req, reply) => {
    const form = parseForm(req.body);
    const lang = requestLanguage(req, form.lang);
    const json = isJsonRequest(req);

    if (form.errors.length > 0) {
      metrics.outcome("invalid");
      return sendFormProblem(reply, req, 400, lang, form.errors, form.values);
    }

    const v = form.values;
    // The id hashes the form with the sender's IP: a double-submitted form dedupes, while two
    // people sending the same short text do not collide.
    const id = createHash("sha256")
      .update(JSON.stringify([req.ip, v.name, v.email, v.country, v.message]))
      .digest("hex")
      .slice(0, 32);
    let message;
    try {
      message = normalizeWebForm(
        {
          message: v.message,
          ...(v.name ? { name: v.name } : {}),
          ...(v.email ? { email: v.email } : {}),
          ...(v.country ? { country: v.country } : {}),
        },
        {
          id,
          receivedAt: new Date(),
          ...(req.headers["accept-language"]
            ? { acceptLanguage: req.headers["accept-language"] }
            : {}),
        },
      );
    } catch (err) {
      if (!(err instanceof InvalidPayloadError)) throw err;
      metrics.outcome("invalid");
      return sendFormProblem(reply, req, 400, lang, [errorFromNormalizer(err)], v);
    }

    const before = await limitState(req, false);
    if (before && !before.isAllowed && before.remaining <= 0) {
      metrics.outcome("rate_limited");
      const seconds = before.ttlInSeconds > 0 ? before.ttlInSeconds : before.timeWindow / 1000;
      reply.header("retry-after", String(Math.ceil(seconds)));
      return sendFormProblem(reply, req, 429, lang, [{ field: "form", key: "err.rateLimited" }], v);
    }

    if (form.honeypot) {
      // Pretend success so the bot learns nothing: the same answer, id and limit as a real post;
      // nothing is submitted.
      metrics.outcome("honeypot");
      log.info({ event: "honeypot" }, "contact form honeypot filled; dropped");
    } else {
      try {
        const result = await intake.submit(message);
        metrics.outcome(result.duplicate ? "duplicate" : "accepted");
        log.info({ id: message.id, duplicate: result.duplicate }, "contact form taken in");
      } catch (err) {
        metrics.outcome("unavailable");
        log.error(
          { id: message.id, code: (err as { code?: unknown }).code ?? "UNKNOWN" },
          "intake failed for a contact form",
        );
        return sendFormProblem(
          reply,
          req,
          503,
          lang,
          [{ field: "form", key: "err.unavailable" }],
          v,
        );
      }
    }
    await limitState(req, true);
    return json
      ? reply.code(202).send({ id: message.id })
      : reply
          .header("cache-control", "no-store")
          .type("text/html; charset=utf-8")
          .send(renderThanks(lang, v.email !== ""));
  });
}

/** How long the form waits for the rate-limit store before going on without it. */
const LIMITER_WAIT_MS = 1_000;

/** `promise`, or a rejection once `ms` have passed. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("rate limit store did not answer")), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
