import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

// `npm ci` installs exactly what package-lock.json lists and refuses a lock that misses a
// package some locked package names, even an optional one for another platform. These checks
// read the committed lock, so a lock written by a partial install fails here, not in the
// Dockerfile's `npm ci`.

interface LockedPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: { node?: string } | string[];
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as Lock;
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
};

/** Where Node would find `name` from the package at `from`: its own node_modules, then up. */
function resolve(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
    if (base === "") return undefined;
    const up = base.lastIndexOf("/node_modules/");
    base = up < 0 ? "" : base.slice(0, up);
  }
}

describe("package-lock.json", () => {
  it("is a v3 lock with the root package", () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[""]).toBeDefined();
  });

  it("has an entry for every optional dependency of every locked package (npm ci needs them)", () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
        if (resolve(path, name) === undefined) missing.push(`${path || "(root)"} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("has an entry for every regular dependency of every locked package", () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.dependencies ?? {})) {
        if (resolve(path, name) === undefined) missing.push(`${path || "(root)"} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the checker sees a missing optional entry", () => {
    expect(resolve("node_modules/msgpackr-extract", "@msgpackr-extract/no-such-platform")).toBe(
      undefined,
    );
    expect(
      resolve("node_modules/msgpackr-extract", "@msgpackr-extract/msgpackr-extract-win32-x64"),
    ).toBe("node_modules/@msgpackr-extract/msgpackr-extract-win32-x64");
  });
});

describe("engines", () => {
  // The oldest Node that package.json promises; every installed package must run on it, or
  // npm prints EBADENGINE and the package may use APIs that Node lacks.
  const oldest = semver.minVersion(manifest.engines.node);

  it("package.json promises Node 20", () => {
    expect(oldest?.major).toBe(20);
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });

  it("every locked package accepts the oldest Node that package.json allows", () => {
    const refusing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      if (wanted === undefined || oldest === null) continue;
      if (!semver.satisfies(oldest, wanted))
        refusing.push(`${path} ${pkg.version} wants ${wanted}`);
    }
    expect(refusing).toEqual([]);
  });

  it("the check refuses a Node-22-only range", () => {
    expect(semver.satisfies("20.19.0", ">=22")).toBe(false);
  });
});
