import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * Transpiles a TypeScript entry file and every relative module it imports (no type check) into a
 * directory under node_modules/.cache, so a child `node` process can run it and still resolve
 * the project's packages. Returns the compiled entry path and a cleanup function.
 */
export function transpileForChild(entry: string): { main: string; cleanup(): void } {
  const out = join(ROOT, "node_modules", ".cache", `discord-outage-${process.pid}-${Date.now()}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    }).outputText;
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
    for (const m of js.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)\.js["']/g)) {
      pending.push(resolve(dirname(file), `${m[1]}.ts`));
    }
  }
  return {
    main: join(out, relative(ROOT, resolve(entry))).replace(/\.ts$/, ".js"),
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}
