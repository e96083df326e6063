import cookie from "@fastify/cookie";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { AdminAccounts } from "./accounts.js";
import type { ConsoleDeps, PageContext } from "./context.js";
import { LoginLimit } from "./login-limit.js";
import { registerConversationPages } from "./pages/conversations.js";
import { registerDataPages } from "./pages/data.js";
import { registerQueuePages } from "./pages/queues.js";
import { registerRulesPages } from "./pages/rules.js";
import { AdminSessions, csrfMatches } from "./sessions.js";

export type { ConsoleDeps } from "./context.js";

export const SESSION_COOKIE = "cr_admin";

/** Scripts only from this server (htmx), no inline code, nothing framed, nothing cached. */
const CONSOLE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
  // Not no-referrer (the public form's): with it, Chromium sends `Origin: null` on form posts,
  // and the Origin check below needs the real one.
  "referrer-policy": "same-origin",
};

/**
 * The admin console at /admin: login, then the rules, conversations, queues, erasure, retention
 * and audit pages. Server-rendered with eta (escapes by default); htmx only where a part of a page
 * refreshes itself. Every route except login and the setup notice needs a session; every
 * state-changing request needs the session's CSRF token and a same-origin Origin.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  void app.register(async (admin) => {
    await admin.register(cookie);
    const accounts = new AdminAccounts(deps.redis, deps.prefix);
    const sessions = new AdminSessions(deps.redis, deps.prefix, deps.config.session);
    const limit = new LoginLimit(deps.redis, deps.prefix, {
      ...deps.config.login,
      hashIp: (ip) => deps.hash("admin-login-ip", ip),
    });

    const ctx: PageContext = {
      deps,
      accounts,
      render: (req, reply, template, data) =>
        reply.type("text/html; charset=utf-8").viewAsync(`admin/${template}`, {
          session: req.adminSession ?? null,
          page: template,
          ...data,
        }),
      actor: (req) => req.adminSession?.name ?? "unknown",
    };

    admin.addHook("onRequest", async (req, reply) => {
      reply.headers(CONSOLE_HEADERS);
      if (req.routeOptions.config.public) return;
      const session = await sessions.get(req.cookies[SESSION_COOKIE]);
      if (session && (await deps.redis.hexists(`${deps.prefix}:admin:accounts`, session.name))) {
        req.adminSession = session;
        return;
      }
      if (req.method === "GET" && !req.headers["hx-request"]) {
        return reply.redirect("/admin/login", 303);
      }
      return reply.code(401).type("text/plain; charset=utf-8").send("Log in first.");
    });

    // Forms from other sites: refused by origin, and by token (SameSite=Strict already keeps the cookie away).
    admin.addHook("preHandler", async (req, reply) => {
      if (req.method === "GET" || req.method === "HEAD") return;
      if (!sameOrigin(req)) {
        req.log.warn({ route: req.routeOptions.url }, "console: cross-origin request refused");
        return reply
          .code(403)
          .type("text/plain; charset=utf-8")
          .send("Refused: this request came from another site.");
      }
      if (req.routeOptions.config.public) return;
      const body = req.body as Record<string, unknown> | undefined;
      if (!req.adminSession || !csrfMatches(req.adminSession, body?._csrf)) {
        return reply
          .code(403)
          .type("text/plain; charset=utf-8")
          .send("Refused: the form's security token is missing or out of date. Reload the page.");
      }
    });

    admin.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) {
        req.log.error(
          { code: err.code ?? "UNKNOWN", err: { message: err.message } },
          "console error",
        );
      }
      return reply
        .code(status)
        .type("text/plain; charset=utf-8")
        .send(status >= 500 ? "Something went wrong; the log has the details." : err.message);
    });

    admin.get("/admin", { config: { public: true } }, async (req, reply) => {
      if ((await accounts.count()) === 0) return ctx.render(req, reply, "setup", {});
      return reply.redirect("/admin/rules", 303);
    });

    admin.get("/admin/login", { config: { public: true } }, async (req, reply) => {
      if ((await accounts.count()) === 0) return reply.redirect("/admin", 303);
      const q = req.query as Record<string, string | undefined>;
      return ctx.render(req, reply, "login", {
        error: null,
        name: "",
        notice: q.out ? "You are logged out." : null,
      });
    });

    admin.post("/admin/login", { config: { public: true } }, async (req, reply) => {
      if ((await accounts.count()) === 0) return reply.redirect("/admin", 303);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const name = typeof body.name === "string" ? body.name.trim().slice(0, 64) : "";
      const password = typeof body.password === "string" ? body.password : "";
      const wait = await limit.blockedFor(name, req.ip);
      if (wait > 0) {
        reply.code(429).header("retry-after", Math.ceil(wait / 1000));
        return ctx.render(req, reply, "login", {
          name,
          notice: null,
          error: `Too many failed logins. Try again in ${Math.ceil(wait / 60_000)} minute(s).`,
        });
      }
      const account = await accounts.verify(name, password);
      if (!account) {
        await limit.failed(name, req.ip);
        req.log.warn("console: failed login");
        reply.code(401);
        return ctx.render(req, reply, "login", {
          name,
          notice: null,
          error: "Wrong name or password.",
        });
      }
      await limit.succeeded(name, req.ip);
      // A fresh id at every login: a cookie planted before login is never the session.
      await sessions.destroy(req.cookies[SESSION_COOKIE]);
      const { id } = await sessions.create(account.name);
      reply.setCookie(SESSION_COOKIE, id, {
        path: "/admin",
        httpOnly: true,
        sameSite: "strict",
        secure: req.protocol === "https",
      });
      await deps.services.audit.record({ actor: account.name, action: "login" });
      return reply.redirect("/admin/rules", 303);
    });

    admin.post("/admin/logout", async (req, reply) => {
      await sessions.destroy(req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: "/admin" });
      await deps.services.audit.record({ actor: ctx.actor(req), action: "logout" });
      return reply.redirect("/admin/login?out=1", 303);
    });

    registerRulesPages(admin, ctx);
    registerConversationPages(admin, ctx);
    registerQueuePages(admin, ctx);
    registerDataPages(admin, ctx);
  });
}

/**
 * True when the request's Origin (or, without one, its Referer) is this server. Browsers send
 * Origin with every POST; a request with neither is not from a browser form and still needs the
 * token.
 */
function sameOrigin(req: FastifyRequest): boolean {
  const self = `${req.protocol}://${req.host}`;
  const origin = req.headers.origin;
  if (typeof origin === "string") return origin === self;
  const referer = req.headers.referer;
  if (typeof referer === "string") {
    try {
      return new URL(referer).origin === self;
    } catch {
      return false;
    }
  }
  return true;
}
