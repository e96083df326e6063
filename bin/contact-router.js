#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dist = new URL("../dist/", import.meta.url);

/**
 * `route` starts from the bundle (scripts/bundle-route.mjs) when there is one and every file it
 * was built from is older than it; otherwise, and for every other command, from dist/src/.
 */
function routeBundle() {
  if (process.argv[2] !== "route") return null;
  try {
    const entry = fileURLToPath(new URL("bundle/route.cjs", dist));
    const built = statSync(entry).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL("bundle/inputs.json", dist), "utf8"));
    for (const input of inputs) {
      if (statSync(new URL(`../${input}`, import.meta.url)).mtimeMs > built) return null;
    }
    return entry;
  } catch {
    return null;
  }
}

/**
 * Runs the bundle as Node runs a CommonJS module, compiled with V8's code cache when there is
 * one that fits (V8 checks it against the source and its own version, and else compiles as
 * usual). With CONTACT_ROUTER_WRITE_CODE_CACHE set, the cache is written when the run ends, so it
 * holds every function the run compiled.
 */
function runBundle(entry) {
  const cacheFile = entry.replace(/\.cjs$/, ".cache");
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(entry, "utf8")), {
    filename: entry,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (process.env.CONTACT_ROUTER_WRITE_CODE_CACHE) {
    process.once("exit", () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const module = new Module(entry);
  module.filename = entry;
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, createRequire(entry), module, entry, dirname(entry));
  return module.exports;
}

const bundle = routeBundle();
(bundle ? Promise.resolve().then(() => runBundle(bundle)) : import("../dist/src/cli/main.js"))
  .then((main) => main.finished)
  .catch((err) => {
    if (err && err.code === "ERR_MODULE_NOT_FOUND") {
      console.error(
        "contact-router is not built yet: run `npm install` (or `npm run build`) first.",
      );
      process.exit(2);
    }
    throw err;
  });
