#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
import("../dist/src/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    console.error("contact-router is not built yet: run `npm install` (or `npm run build`) first.");
    process.exit(2);
  }
  throw err;
});
