#!/usr/bin/env node
// Bundles the `contact-router route` path into dist/bundle/route.cjs after tsc (npm run build),
// and writes V8's code cache for it (dist/bundle/route.cache).
//
// Why: a cold `route` for one message used to load ~155 ES modules (95 of them zod's); resolving,
// reading and compiling each one was a large part of its start-up. The bundle is the compiled
// CLI entry (dist/src/cli/main.js) with our own modules, zod, commander and eld's detector in
// one CommonJS script; the other npm packages stay external (they read their own files at run
// time) and the other command groups stay unbundled (`route` does not load them). One script
// can be compiled with V8's code cache (vm.Script cachedData; Node 20 has no compile cache for
// ES modules): the cache is written after routing one message of each channel, so it also holds
// the functions a first decision compiles.
//
// bin/contact-router.js runs the bundle for `route` only, and only while every file it was
// built from is older than it (dist/bundle/inputs.json lists them): a `tsc` run without this
// step makes the launcher fall back to the unbundled modules, never to stale code. V8 refuses
// a cache that does not match the script or the Node version; the script then compiles as usual.
//
// Without esbuild (an install without dev dependencies), no bundle is written and `route`
// runs unbundled: slower to start, same decisions.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "bundle");

/** npm packages inlined: many small modules each (zod ~95), and nothing read from disk. */
const INLINED = new Set(["zod", "commander", "eld"]);

/** Command groups main.js loads for other commands: left as imports of the unbundled files. */
const OTHER_GROUPS = new Set([
  "./start.js",
  "./rules.js",
  "./queue-admin.js",
  "./keys-admin.js",
  "./admin.js",
  "./privacy-admin.js",
]);

/** One message per channel, routed once to fill the code cache (no real person's data). */
const WARM_UP = [
  {
    channel: "telegram",
    payload: {
      update_id: 1,
      message: {
        message_id: 1,
        date: 1767225600,
        chat: { id: 1, type: "private" },
        from: { id: 1, is_bot: false, first_name: "R", language_code: "de" },
        text: "Hallo, ich wohne in Wien und möchte mitmachen.",
      },
    },
  },
  {
    channel: "twitter",
    payload: {
      data: {
        id: "1800000000000000001",
        event_type: "MessageCreate",
        text: "Hi, I'm writing from Toronto, how can I help?",
        sender_id: "5001",
        dm_conversation_id: "5001-1",
        created_at: "2026-01-01T00:00:00.000Z",
      },
      includes: { users: [{ id: "5001", name: "R", username: "r1", location: "Toronto" }] },
    },
  },
  {
    channel: "discord",
    payload: {
      id: "1300000000000000001",
      channel_id: "1200000000000000001",
      author: { id: "1100000000000000001", username: "r2" },
      content: "Ciao, vivo a Milano e vorrei sapere di più.",
      timestamp: "2026-01-01T00:00:00.000Z",
    },
  },
  { channel: "web", payload: { message: "Bonjour, je suis à Lyon.", country: "FR" } },
  {
    channel: "email",
    raw: "From: R <r@example.com.br>\r\nTo: contact@example.org\r\nSubject: Olá\r\nMessage-ID: <w@bundle>\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOlá, moro em São Paulo.\r\n",
  },
];

async function main() {
  rmSync(out, { recursive: true, force: true });
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    console.error("bundle-route: esbuild is not installed; `route` runs unbundled");
    return;
  }
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const external = Object.keys(manifest.dependencies ?? {}).filter((d) => !INLINED.has(d));
  const mainJs = join(root, "dist", "src", "cli", "main.js");
  const eldFactory = join(root, "dist", "src", "evidence", "eld-factory.js");
  const eldDetector = fileURLToPath(
    new URL("../languageDetector.js", import.meta.resolve("eld/extrasmall")),
  );
  const result = await esbuild.build({
    entryPoints: [mainJs],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    outfile: join(out, "route.cjs"),
    external: [...external, ...external.map((d) => `${d}/*`)],
    // Our modules find the project folder and their packages from import.meta.url.
    define: { "import.meta.url": "__bundleUrl" },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    metafile: true,
    logLevel: "warning",
    plugins: [
      {
        name: "route-bundle",
        setup(build) {
          build.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
            args.importer === mainJs && OTHER_GROUPS.has(args.path)
              ? { path: `../src/cli/${args.path.slice(2)}`, external: true }
              : undefined,
          );
          // The file eld-factory.js imports at run time, imported statically here.
          build.onLoad({ filter: /eld-factory\.js$/ }, (args) =>
            args.path === eldFactory
              ? {
                  contents: `export { createEld } from ${JSON.stringify(eldDetector)};`,
                  resolveDir: dirname(eldFactory),
                }
              : undefined,
          );
          // zod's classic API re-exports every translation of its messages (z.locales, a
          // third of the bundle); the router uses none, and zod's default, English, is
          // imported by zod from locales/en.js itself.
          build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
            contents: 'export { default as en } from "./en.js";',
            resolveDir: dirname(args.path),
          }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) =>
    relative(root, join(process.cwd(), p)),
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "inputs.json"), `${JSON.stringify(inputs)}\n`);

  // The code cache, written by the launcher at the end of a warm-up run (see bin/).
  const run = spawnSync(process.execPath, [join(root, "bin", "contact-router.js"), "route"], {
    input: `${WARM_UP.map((x) => JSON.stringify(x)).join("\n")}\n`,
    encoding: "utf8",
    env: { ...process.env, CONTACT_ROUTER_WRITE_CODE_CACHE: "1" },
  });
  const lines = run.stdout.split("\n").filter(Boolean);
  if (
    run.status !== 0 ||
    lines.length !== WARM_UP.length ||
    lines.some((l) => l.includes('"error"'))
  )
    throw new Error(`bundle-route: the warm-up run failed:\n${run.stdout}\n${run.stderr}`);
}

await main();
