import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import view from "@fastify/view";
import { Eta } from "eta";
import type { FastifyInstance } from "fastify";
import { projectRoot } from "../paths.js";

/** The HTML templates (eta, escaping by default): `templates/` in the project folder. */
export const TEMPLATES_DIR = join(projectRoot(), "templates");

/**
 * The one eta instance: templates are compiled once and cached. `<%= %>` escapes, `<%~ %>` is
 * raw and is used only for markup the templates build themselves.
 */
export const views = new Eta({ views: TEMPLATES_DIR, cache: true, autoEscape: true });

/**
 * Registers the one way this server makes HTML, `reply.viewAsync(name, data)`, and the static
 * files pages use: /static/admin.css and /static/htmx.min.js (from the htmx.org package, no CDN).
 */
export function registerTemplates(app: FastifyInstance): void {
  void app.register(view, { engine: { eta: views }, root: TEMPLATES_DIR, production: true });
  const require = createRequire(import.meta.url);
  const files: Record<string, { type: string; body: Buffer }> = {
    "admin.css": {
      type: "text/css; charset=utf-8",
      body: readFileSync(join(TEMPLATES_DIR, "static", "admin.css")),
    },
    "htmx.min.js": {
      type: "text/javascript; charset=utf-8",
      body: readFileSync(require.resolve("htmx.org/dist/htmx.min.js")),
    },
  };
  app.get("/static/:name", (req, reply) => {
    const file = files[(req.params as { name: string }).name];
    if (!file) return reply.code(404).send({ error: "NOT_FOUND" });
    return reply.type(file.type).header("cache-control", "public, max-age=3600").send(file.body);
  });
}
