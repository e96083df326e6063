import { RE2JS } from "re2js";
import {
  durationMs,
  type Affiliate,
  type RuleExample,
  type RuleSpec,
  type RulesFile,
} from "./schema.js";
import { knownRegions } from "../evidence/countries.js";

/** A rule ready to evaluate: its text pattern compiled, its regions normalised. */
export interface CompiledRule extends RuleSpec {
  pattern: RE2JS | null;
  regions: ReadonlySet<string> | null;
}

/** Routing rules as the engine uses them: validated, cross-checked and compiled. */
export interface RoutingRules {
  /** Where these rules came from (a file path), for explanations. */
  source: string;
  /** The checked file these rules were compiled from. */
  file: RulesFile;
  default_affiliate: string;
  language_radius_km: number;
  /** A same-language affiliate up to this many times as far as the nearest of all still wins. */
  language_stretch: number;
  affiliates: Affiliate[];
  affiliateById: ReadonlyMap<string, Affiliate>;
  primary_affiliate_by_language: Readonly<Record<string, string>>;
  translation_languages: ReadonlySet<string>;
  genericTlds: ReadonlySet<string>;
  rules: CompiledRule[];
  examples: RuleExample[];
}

/** A problem found after the shape was valid: a dangling reference, a duplicate, a bad pattern. */
export interface RulesIssue {
  path: (string | number)[];
  message: string;
}

/** Checks what a schema cannot: references between sections, duplicates, patterns, regions. */
export function crossCheck(file: RulesFile): RulesIssue[] {
  const issues: RulesIssue[] = [];
  const ids = new Set<string>();
  file.affiliates.forEach((a, i) => {
    if (ids.has(a.id))
      issues.push({ path: ["affiliates", i, "id"], message: `duplicate affiliate id "${a.id}"` });
    ids.add(a.id);
  });
  const known = (ref: string) => ids.has(ref);
  const list = [...ids].join(", ");
  if (!known(file.default_affiliate)) {
    issues.push({
      path: ["default_affiliate"],
      message: `unknown affiliate "${file.default_affiliate}" (known: ${list})`,
    });
  }
  if (file.escalation_affiliate !== undefined && !known(file.escalation_affiliate)) {
    issues.push({
      path: ["escalation_affiliate"],
      message: `unknown affiliate "${file.escalation_affiliate}" (known: ${list})`,
    });
  }
  for (const [lang, ref] of Object.entries(file.primary_affiliate_by_language)) {
    if (!known(ref)) {
      issues.push({
        path: ["primary_affiliate_by_language", lang],
        message: `unknown affiliate "${ref}" (known: ${list})`,
      });
    }
  }
  const ruleIds = new Set<string>();
  file.rules.forEach((r, i) => {
    if (ruleIds.has(r.id))
      issues.push({ path: ["rules", i, "id"], message: `duplicate rule id "${r.id}"` });
    ruleIds.add(r.id);
    if (!known(r.affiliate)) {
      issues.push({
        path: ["rules", i, "affiliate"],
        message: `unknown affiliate "${r.affiliate}" (known: ${list})`,
      });
    }
    r.when.region?.forEach((name, j) => {
      if (!isKnownRegion(name)) {
        issues.push({
          path: ["rules", i, "when", "region", j],
          message: `unknown UN M49 region "${name}" (use a name such as "Oceania" or "Western Europe", or a code such as "009")`,
        });
      }
    });
    if (r.when.text !== undefined) {
      const error = patternError(r.when.text);
      if (error)
        issues.push({ path: ["rules", i, "when", "text"], message: `invalid pattern: ${error}` });
    }
  });
  file.examples.forEach((e, i) => {
    if (!known(e.expect.affiliate)) {
      issues.push({
        path: ["examples", i, "expect", "affiliate"],
        message: `unknown affiliate "${e.expect.affiliate}" (known: ${list})`,
      });
    }
    if (e.expect.rule !== undefined && !ruleIds.has(e.expect.rule)) {
      issues.push({
        path: ["examples", i, "expect", "rule"],
        message: `unknown rule "${e.expect.rule}"`,
      });
    }
  });
  return issues;
}

let regions: ReadonlySet<string> | null = null;

/** A UN M49 region name or code that countries belong to (case-insensitive). */
function isKnownRegion(name: string): boolean {
  regions ??= knownRegions();
  return regions.has(name.toLowerCase());
}

function patternError(pattern: string): string | null {
  try {
    compilePattern(pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** RE2 has no backtracking, so a rule pattern runs in time linear in the text whatever an admin writes. */
function compilePattern(pattern: string): RE2JS {
  return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
}

/** Compiles a valid, cross-checked rules file. Call `crossCheck` first. */
export function compileRules(file: RulesFile, source: string): RoutingRules {
  return {
    source,
    file,
    default_affiliate: file.default_affiliate,
    language_radius_km: file.language_radius_km,
    language_stretch: file.language_stretch,
    affiliates: file.affiliates,
    affiliateById: new Map(file.affiliates.map((a) => [a.id, a])),
    primary_affiliate_by_language: file.primary_affiliate_by_language,
    translation_languages: new Set(file.translation_languages),
    genericTlds: new Set(file.generic_cctlds),
    rules: file.rules.map((r) => ({
      ...r,
      pattern: r.when.text === undefined ? null : compilePattern(r.when.text),
      regions:
        r.when.region === undefined ? null : new Set(r.when.region.map((x) => x.toLowerCase())),
    })),
    examples: file.examples,
  };
}

/**
 * When and to whom a conversation that `affiliate` leaves unanswered escalates: the affiliate's
 * own `escalate_after`, else the file's (default 3 days; null: never), and `escalation_affiliate`
 * (default: the default affiliate).
 */
export function escalationOf(
  rules: RoutingRules,
  affiliate: string,
): { afterMs: number | null; to: string } {
  const own = rules.affiliateById.get(affiliate)?.escalate_after;
  return {
    afterMs: durationMs(own ?? rules.file.escalate_after),
    to: rules.file.escalation_affiliate ?? rules.default_affiliate,
  };
}
