import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

/**
 * The folder holding package.json. Found by walking up from this file, so it is the same
 * whether the code runs from src/ (tests) or dist/src/ (built).
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("contact-router: cannot find the project folder (no package.json above)");
    dir = parent;
  }
  root = dir;
  return dir;
}

/** The version in package.json (`contact-router --version`). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
