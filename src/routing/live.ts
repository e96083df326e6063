import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { loadRulesFile } from "./load.js";
import type { RoutingRules } from "./rules.js";

/** What a reload did: the new rules' size, or why the previous rules stay. */
export type ReloadOutcome =
  { ok: true; affiliates: number; rules: number } | { ok: false; error: string };

/**
 * The routing rules of a running route worker, reloaded when the file changes (or on `reload()`,
 * e.g. from SIGHUP). A file that does not load (a typo mid-edit, a rule naming a missing affiliate)
 * never replaces working rules: the previous ones stay and the outcome says why.
 */
export class LiveRules {
  private rules: RoutingRules;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private outcome: ReloadOutcome | null = null;
  private reloads = 0;
  private lastFailure: string | null = null;
  private reloadedAt: string | null = null;

  /** Loads the file now; throws (RulesError) when it does not load, as start-up should. */
  constructor(
    readonly path: string,
    private readonly onReload: (outcome: ReloadOutcome) => void = () => undefined,
  ) {
    this.rules = loadRulesFile(path);
  }

  get current(): RoutingRules {
    return this.rules;
  }

  /** How many reloads ran, and what the last one did and when (null before the first). */
  get lastReload(): { count: number; outcome: ReloadOutcome | null; at: string | null } {
    return { count: this.reloads, outcome: this.outcome, at: this.reloadedAt };
  }

  /**
   * For /readyz: red while the file on disk does not load (the reason names `file:line:column`),
   * even though the previous rules still route; green again once a reload succeeds.
   */
  health(): { ok: boolean; detail: string } {
    if (this.lastFailure !== null) {
      return {
        ok: false,
        detail: `${this.path} does not load; previous rules in force: ${this.lastFailure}`,
      };
    }
    return {
      ok: true,
      detail: `${this.rules.affiliates.length} affiliates, ${this.rules.rules.length} rules`,
    };
  }

  /** Reads the file again; keeps the current rules when it does not load. */
  reload(): ReloadOutcome {
    let outcome: ReloadOutcome;
    try {
      const next = loadRulesFile(this.path);
      this.rules = next;
      this.lastFailure = null;
      outcome = { ok: true, affiliates: next.affiliates.length, rules: next.rules.length };
    } catch (err) {
      this.lastFailure = (err as Error).message;
      outcome = { ok: false, error: this.lastFailure };
    }
    this.outcome = outcome;
    this.reloads += 1;
    this.reloadedAt = new Date().toISOString();
    this.onReload(outcome);
    return outcome;
  }

  /**
   * Reloads after the file changes, once the writes settle. The folder is watched, not the file:
   * editors and `mv` replace the file, which ends a watch on the old one.
   */
  watch(settleMs = 250): void {
    if (this.watcher) return;
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== name) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.reload();
      }, settleMs);
    });
    this.watcher.unref();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
