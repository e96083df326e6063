import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Yaml from "yaml";
import type { Document, LineCounter } from "yaml";
import { RouterError } from "../errors.js";
import { projectRoot } from "../paths.js";
import { RulesFileSchema, type RulesFile } from "./schema.js";
import { compileRules, crossCheck, type RoutingRules } from "./rules.js";

// The YAML parser is loaded only when a rules file is not in the cache below.
const require = createRequire(import.meta.url);
const yaml = () => require("yaml") as typeof Yaml;

/** The rules file shipped with the project: the embedded default. */
export const DEFAULT_RULES_PATH = join(projectRoot(), "routing-rules.yaml");

/** One problem in a rules file, located for a person with an editor. */
export interface RulesProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `rules[2].when.country[0]`. */
  key: string;
  message: string;
}

/** Thrown when a rules file is unusable; `problems` lists every problem found, not only the first. */
export class RulesError extends RouterError {
  readonly problems: RulesProblem[];
  constructor(problems: RulesProblem[]) {
    super("RULES_INVALID", problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

/** `file:line:column: key: message`, the form editors and terminals make clickable. */
export function formatProblem(p: RulesProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.key ? `${p.key}: ` : ""}${p.message}`;
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Line and column of the deepest node that exists along `path`. */
function locate(doc: Document, counter: LineCounter, path: readonly PropertyKey[]) {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = doc.getIn(path.slice(0, n) as unknown[], true);
    if (yaml().isNode(node) && node.range) {
      const pos = counter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

/** Parses, validates, cross-checks and compiles rules from YAML text. Throws RulesError. */
export function parseRules(text: string, file: string): RoutingRules {
  const { LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RulesError(
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          key: "",
          message: e.message.split("\n")[0] ?? "YAML error",
        };
      }),
    );
  }
  const parsed = RulesFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    throw new RulesError(
      parsed.error.issues.map((issue) => ({
        file,
        ...locate(doc, counter, issue.path),
        key: keyPath(issue.path),
        message: issue.message,
      })),
    );
  }
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) {
    throw new RulesError(
      issues.map((issue) => ({
        file,
        ...locate(doc, counter, issue.path),
        key: keyPath(issue.path),
        message: issue.message,
      })),
    );
  }
  return compileRules(parsed.data, file);
}

/** Reads and compiles a rules file. Throws RulesError (file:line:column) or a RouterError if unreadable. */
export function loadRulesFile(path: string = DEFAULT_RULES_PATH): RoutingRules {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new RouterError(
      "RULES_INVALID",
      `cannot read rules file ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const cached = readCache(text);
  if (cached) return compileRules(cached, path);
  const rules = parseRules(text, path);
  writeCache(text, rules.file);
  return rules;
}

/**
 * Valid rules files are kept, as checked JSON, under generated/rules-cache/, named by a hash of
 * the file's text and of the schema module: a CLI run that routes one message then skips the
 * YAML parser and the validation. A changed file or schema has another name; an unwritable
 * folder only means no cache.
 */
function cachePath(text: string): string | null {
  // Run from sources (tests): no compiled schema to stamp, no cache. The compiled schema is
  // found from the project folder, not from this module, which may be inside dist/bundle/.
  if (import.meta.url.endsWith(".ts")) return null;
  let schemaStamp: number;
  try {
    schemaStamp = statSync(join(projectRoot(), "dist", "src", "routing", "schema.js")).mtimeMs;
  } catch {
    return null;
  }
  const hash = createHash("sha256")
    .update(`${CACHE_FORMAT}\0${schemaStamp}\0${text}`)
    .digest("hex");
  return join(projectRoot(), "generated", "rules-cache", `${hash.slice(0, 32)}.json`);
}

const CACHE_FORMAT = 1;

function readCache(text: string): RulesFile | null {
  const path = cachePath(text);
  if (!path) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as RulesFile;
  } catch {
    return null;
  }
}

function writeCache(text: string, file: RulesFile): void {
  const path = cachePath(text);
  if (!path) return;
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file));
    renameSync(tmp, path);
  } catch {
    // A read-only install: every start parses the YAML, which is only slower.
  }
}
