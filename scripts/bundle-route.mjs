#!/usr/bin/env node
// Bundles the `contact-router route` path into dist/bundle/ after tsc (npm run build).
//
// Why: a cold `route` for one message used to load ~155 ES modules (95 of them zod's); resolving,
// reading and compiling each one is a large part of its start-up. The bundle is the compiled
// CLI entry (dist/src/cli/main.js) with our own modules, zod and commander in a few chunks;
// the other npm packages stay external (they read their own files at run time) and the other
// command groups stay unbundled (they are not loaded by `route`).
//
// bin/contact-router.js runs the bundle for `route` only, and only while every file it was
// built from is older than it (dist/bundle/inputs.json lists them): a `tsc` run without this
// step makes the launcher fall back to the unbundled modules, never to stale code.
//
// Without esbuild (an install without dev dependencies), no bundle is written and `route`
// runs unbundled: slower to start, same decisions.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "bundle");

/** npm packages inlined: many small modules each (zod ~95), and nothing read from disk. */
const INLINED = new Set(["zod", "commander"]);

/** Command groups main.js loads for other commands: left as imports of the unbundled files. */
const OTHER_GROUPS = new Set([
  "./start.js",
  "./rules.js",
  "./queue-admin.js",
  "./keys-admin.js",
  "./admin.js",
  "./privacy-admin.js",
]);

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
  const result = await esbuild.build({
    entryPoints: [mainJs],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: out,
    external: [...external, ...external.map((d) => `${d}/*`)],
    // commander is CommonJS: its require("node:events") needs a real require in an ES module.
    banner: {
      js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
    },
    metafile: true,
    logLevel: "warning",
    plugins: [
      {
        name: "other-command-groups",
        setup(build) {
          // zod's classic API re-exports every translation of its messages (z.locales, a
          // third of the bundle); the router uses none, and zod's default, English, is
          // imported by zod from locales/en.js itself.
          build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
            contents: 'export { default as en } from "./en.js";',
            resolveDir: dirname(args.path),
          }));
          build.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
            args.importer === mainJs && OTHER_GROUPS.has(args.path)
              ? { path: `../src/cli/${args.path.slice(2)}`, external: true }
              : undefined,
          );
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) =>
    relative(root, join(process.cwd(), p)),
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "inputs.json"), `${JSON.stringify(inputs)}\n`);
}

await main();
