#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
import { readFileSync, statSync } from "node:fs";

/**
 * `route` starts from the bundle (scripts/bundle-route.mjs) when there is one and every file it
 * was built from is older than it; otherwise, and for every other command, from dist/src/.
 */
function routeBundle() {
  if (process.argv[2] !== "route") return null;
  const dist = new URL("../dist/", import.meta.url);
  try {
    const entry = new URL("bundle/main.js", dist);
    const built = statSync(entry).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL("bundle/inputs.json", dist), "utf8"));
    for (const input of inputs) {
      if (statSync(new URL(`../${input}`, import.meta.url)).mtimeMs > built) return null;
    }
    return entry.href;
  } catch {
    return null;
  }
}

import(routeBundle() ?? "../dist/src/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    console.error("contact-router is not built yet: run `npm install` (or `npm run build`) first.");
    process.exit(2);
  }
  throw err;
});
