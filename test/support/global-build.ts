import { execFileSync } from "node:child_process";

/**
 * Tests that run the real `contact-router` binary need dist/ to match the sources.
 * tsc is incremental, so this is quick when nothing changed.
 */
export default function setup(): void {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}
