/**
 * eld's detector factory (see language.ts), loaded by file from the package: its exports name
 * only the prebuilt entries, which build the whole database at import. scripts/bundle-route.mjs
 * replaces this module in the bundled `route` by a plain import of the same file.
 */
export const { createEld } = (await import(
  new URL("../languageDetector.js", import.meta.resolve("eld/extrasmall")).href
)) as { createEld: () => unknown };
