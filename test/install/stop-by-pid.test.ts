import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The machine is shared: CI scripts, tests and benches stop only processes they started, by pid.
// `pkill -x dovecot` in .ci/install-system.sh killed every dovecot on the host, including other
// runs' private test servers (issue 10). This scan keeps broad kills out.

const ROOTS = [".ci", "test", "bench", "scripts"];
const BROAD_KILL = /\b(?:pkill|killall)\b|\bkill\s+(?:-\w+\s+)?-1\b|\bkill\s+0\b/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : files(path);
    return [path];
  });
}

describe("processes are stopped by pid only", () => {
  it("no CI script, test or bench kills processes by name or all at once", () => {
    const self = join("test", "install", "stop-by-pid.test.ts");
    const offenders = ROOTS.flatMap(files)
      .filter((f) => f !== self && /\.(?:sh|ts|mjs|js)$|\/run$/.test(f))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .flatMap((line, i) =>
            BROAD_KILL.test(line) && !line.trim().startsWith("#") ? [`${f}:${i + 1}`] : [],
          ),
      );
    expect(offenders).toEqual([]);
  });

  it("the scan catches the old line", () => {
    expect(BROAD_KILL.test("pkill -x dovecot 2>/dev/null || true")).toBe(true);
    expect(BROAD_KILL.test("killall redis-server")).toBe(true);
    expect(BROAD_KILL.test('$SUDO kill "$(cat "$pidfile")"')).toBe(false);
  });
});
