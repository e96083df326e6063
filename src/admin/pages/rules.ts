import { basename } from "node:path";
import type { FastifyInstance } from "fastify";
import { CHANNELS, type Channel } from "../../message/channel.js";
import { formatDecision } from "../../routing/explain.js";
import type { RoutingRules } from "../../routing/rules.js";
import type { PageContext } from "../context.js";
import {
  checkRulesText,
  readRulesText,
  replayDecisions,
  saveRulesText,
  setAffiliateInbox,
  testMessage,
  tryRules,
  type Checked,
  type ReplayResult,
} from "../rules-edit.js";

/** Decisions a replay looks at unless the admin asks for another number. */
export const REPLAY_DEFAULT = 1000;
const REPLAY_MAX = 100_000;
/** How long the page waits for the hot reload to pick up a save. */
const RELOAD_WAIT_MS = 30_000;

type Body = Record<string, string | undefined>;

/** The reload status as the page shows it. */
function reloadStatus(ctx: PageContext) {
  const live = ctx.deps.liveRules;
  if (!live) {
    return {
      here: false,
      text: "The route workers run in other processes; they reload the file when it changes.",
      at: null,
      ok: true,
    };
  }
  const last = live.lastReload;
  if (!last.outcome || !last.at) {
    return {
      here: true,
      text: `Running rules loaded at start: ${live.current.affiliates.length} affiliates, ${live.current.rules.length} rules.`,
      at: null,
      ok: true,
    };
  }
  return {
    here: true,
    at: last.at,
    ok: last.outcome.ok,
    text: last.outcome.ok
      ? `Reloaded at ${last.at}: ${last.outcome.affiliates} affiliates, ${last.outcome.rules} rules now in force.`
      : `Reload at ${last.at} failed; the previous rules stay in force: ${last.outcome.error}`,
  };
}

/** The rules page: affiliates, the editor with check/save, the test box and the replay. */
export function registerRulesPages(app: FastifyInstance, ctx: PageContext): void {
  const { deps } = ctx;
  const file = () => deps.rulesFile;

  async function show(
    req: Parameters<PageContext["render"]>[0],
    reply: Parameters<PageContext["render"]>[1],
    o: {
      text: string;
      checked?: Checked;
      body?: Body;
      saved?: { backup: string | null; at: string } | null;
      test?: { text: string; evidence: string } | { error: string } | null;
      replay?: ReplayResult | { error: string } | null;
      notice?: string | null;
    },
  ) {
    const checked = o.checked ?? (await checkRulesText(o.text, file()));
    // The affiliates table shows the edited text's affiliates when it is valid, else the running ones.
    let shown: RoutingRules | null = checked.ok ? checked.rules : null;
    if (!shown) {
      const onDisk = await checkRulesText(await readRulesText(file()), file());
      shown = onDisk.ok ? onDisk.rules : (deps.liveRules?.current ?? null);
    }
    const lines = o.text.split("\n");
    return ctx.render(req, reply, "rules", {
      fileName: basename(file()),
      text: o.text,
      affiliates: shown?.affiliates ?? [],
      problems: checked.ok
        ? []
        : checked.problems.map((p) => ({ ...p, source: lines[p.line - 1] ?? "" })),
      examples: checked.ok ? checked.examples : [],
      checkedOk: checked.ok,
      ruleCount: checked.ok ? checked.rules.rules.length : 0,
      status: reloadStatus(ctx),
      saved: o.saved ?? null,
      test: o.test ?? null,
      replay: o.replay ?? null,
      notice: o.notice ?? null,
      channels: CHANNELS,
      form: {
        testInput: o.body?.testInput ?? "",
        testText: o.body?.testText ?? "",
        testChannel: o.body?.testChannel ?? "web",
        testCountry: o.body?.testCountry ?? "",
        testLanguage: o.body?.testLanguage ?? "",
        replayLimit: o.body?.replayLimit ?? String(REPLAY_DEFAULT),
        action: o.body?.action ?? "",
      },
      csrf: req.adminSession?.csrf ?? "",
    });
  }

  app.get("/admin/rules", async (req, reply) =>
    show(req, reply, { text: await readRulesText(file()) }),
  );

  // The reload status, polled in place (htmx) after a save until the reload shows.
  app.get("/admin/rules/status", async (req, reply) => {
    const since = (req.query as Record<string, string | undefined>).since ?? "";
    const status = reloadStatus(ctx);
    const pending = status.here && since !== "" && (status.at === null || status.at < since);
    // The watcher reloads within a second; after this long something is wrong, so stop polling.
    if (pending && Date.now() - Date.parse(since) > RELOAD_WAIT_MS) {
      return ctx.render(req, reply, "rules-status", {
        status: {
          ...status,
          ok: false,
          text: `No reload seen in the ${RELOAD_WAIT_MS / 1000} s since the save; the service log says why (SIGHUP reloads the file by hand).`,
        },
        since,
        waiting: false,
      });
    }
    return ctx.render(req, reply, "rules-status", { status, since, waiting: pending });
  });

  app.post("/admin/rules", async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const text = (body.text ?? "").replace(/\r\n/g, "\n");
    const action = body.action ?? "check";
    const checked = await checkRulesText(text, file());

    if (action.startsWith("inbox:")) {
      const id = action.slice("inbox:".length);
      const inbox = (body[`inbox-${id}`] ?? "").trim();
      try {
        const edited = setAffiliateInbox(text, id, inbox);
        return show(req, reply, {
          text: edited,
          body,
          notice: `The inbox of ${id} is changed in the text below (comments and layout kept). Check and save to apply it.`,
        });
      } catch (err) {
        return show(req, reply, { text, checked, body, notice: (err as Error).message });
      }
    }

    if (action === "save") {
      if (!checked.ok) {
        reply.code(422);
        return show(req, reply, { text, checked, body });
      }
      const at = new Date().toISOString();
      const backup = await saveRulesText(file(), text);
      await deps.services.audit.record({
        actor: ctx.actor(req),
        action: "rules.save",
        object: basename(file()),
        detail: {
          affiliates: checked.rules.affiliates.length,
          rules: checked.rules.rules.length,
          ...(backup ? { backup: basename(backup) } : {}),
        },
      });
      return show(req, reply, { text, checked, body, saved: { backup, at } });
    }

    if (action === "test") {
      let test: { text: string; evidence: string } | { error: string };
      if (!checked.ok) {
        test = { error: "The rules text has problems (listed above); fix them to try a message." };
      } else {
        try {
          const message = await testMessage({
            json: body.testInput ?? "",
            plain: {
              text: body.testText ?? "",
              channel: (CHANNELS as readonly string[]).includes(body.testChannel ?? "")
                ? (body.testChannel as Channel)
                : "web",
              ...(body.testCountry?.trim() ? { country: body.testCountry.trim() } : {}),
              ...(body.testLanguage?.trim() ? { language: body.testLanguage.trim() } : {}),
            },
          });
          const { evidence, decision } = tryRules(message, checked.rules);
          const { text: _text, ...rest } = evidence;
          test = {
            text: formatDecision("test message", decision, checked.rules),
            evidence: JSON.stringify(rest, null, 2),
          };
        } catch (err) {
          test = { error: (err as Error).message };
        }
      }
      return show(req, reply, { text, checked, body, test });
    }

    if (action === "replay") {
      if (!checked.ok) {
        return show(req, reply, {
          text,
          checked,
          body,
          replay: { error: "The rules text has problems (listed above); fix them to replay." },
        });
      }
      const n = Number(body.replayLimit ?? REPLAY_DEFAULT);
      const limit = Number.isInteger(n) && n > 0 ? Math.min(n, REPLAY_MAX) : REPLAY_DEFAULT;
      const replay = await replayDecisions(deps.store, checked.rules, limit);
      return show(req, reply, { text, checked, body, replay });
    }

    return show(req, reply, { text, checked, body });
  });
}
