import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readFile, rename, writeFile, readdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isScalar, parseDocument, stringify } from "yaml";
import { messageFromInput } from "../cli/input.js";
import type { ConversationStore } from "../conversation/store.js";
import type { Channel } from "../message/channel.js";
import type { Decision } from "../message/decision.js";
import type { Evidence } from "../message/evidence.js";
import type { InboundMessage, PlatformEvidence } from "../message/inbound.js";
import { decide } from "../routing/engine.js";
import { runExamples, type ExampleResult } from "../routing/examples.js";
import { RulesError, parseRules, type RulesProblem } from "../routing/load.js";
import { routeMessage } from "../routing/route.js";
import type { RoutingRules } from "../routing/rules.js";

/**
 * What the console's rules page does with a rules text: check it with the service's own loader,
 * save it (atomically, keeping the previous version), try a message against it, and replay the
 * stored evidence of recent decisions through it.
 */

/** A checked text: the compiled rules, or every problem with its line and column. */
export type Checked =
  | { ok: true; rules: RoutingRules; examples: ExampleResult[] }
  | { ok: false; problems: RulesProblem[] };

/** Checks a rules text exactly as the service loads it, and runs its examples. */
export async function checkRulesText(text: string, file: string): Promise<Checked> {
  let rules: RoutingRules;
  try {
    rules = parseRules(text, file);
  } catch (err) {
    if (err instanceof RulesError) return { ok: false, problems: err.problems };
    return {
      ok: false,
      problems: [{ file, line: 1, column: 1, key: "", message: (err as Error).message }],
    };
  }
  return { ok: true, rules, examples: await runExamples(rules) };
}

/** How many earlier versions a save keeps next to the rules file (in `.rules-backups/`). */
export const BACKUPS_KEPT = 20;

/**
 * Writes `text` over the rules file: the old version is copied to `.rules-backups/` beside it,
 * the new one is written to a temporary file in the same folder and renamed over the old, so the
 * running service's watcher only ever sees a whole file. Returns the backup's path.
 */
export async function saveRulesText(path: string, text: string): Promise<string | null> {
  const dir = dirname(path);
  const backups = join(dir, ".rules-backups");
  await mkdir(backups, { recursive: true });
  let backup: string | null = join(
    backups,
    `${basename(path)}.${new Date().toISOString().replace(/[:.]/g, "-")}`,
  );
  try {
    await copyFile(path, backup);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    backup = null;
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, { encoding: "utf8", flag: "wx" });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  // Oldest first by name (ISO time); keep the newest BACKUPS_KEPT.
  const old = (await readdir(backups)).filter((f) => f.startsWith(`${basename(path)}.`)).sort();
  for (const f of old.slice(0, Math.max(0, old.length - BACKUPS_KEPT))) {
    await unlink(join(backups, f)).catch(() => undefined);
  }
  return backup;
}

export async function readRulesText(path: string): Promise<string> {
  return readFile(path, "utf8");
}

/**
 * Changes one affiliate's inbox. The YAML Document API finds the value's node and its place in
 * the text; only those characters are replaced, so every comment and the file's own layout (which
 * re-printing the whole document would normalise) stay as they were. Throws when there is no
 * such affiliate or the text does not parse.
 */
export function setAffiliateInbox(text: string, id: string, inbox: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error("the rules text does not parse; fix it first");
  const list = doc.toJS() as { affiliates?: { id?: string }[] };
  const index = (list.affiliates ?? []).findIndex((a) => a.id === id);
  if (index < 0) throw new Error(`there is no affiliate "${id}"`);
  const node = doc.getIn(["affiliates", index, "inbox"], true);
  const value = stringify(inbox).trimEnd();
  if (isScalar(node) && node.range) {
    return `${text.slice(0, node.range[0])}${value}${text.slice(node.range[1])}`;
  }
  doc.setIn(["affiliates", index, "inbox"], inbox);
  return doc.toString();
}

/** The test box's plain-text form: text plus what a platform would have said about the reader. */
export interface PlainTest {
  text: string;
  channel: Channel;
  country?: string;
  language?: string;
}

const LANGUAGE_TAG_SOURCE: Partial<Record<Channel, PlatformEvidence["languageTagSource"]>> = {
  telegram: "telegram.language_code",
  discord: "discord.locale",
  email: "email.content-language",
  web: "web.form",
};

/** A message for the test box: a channel input line (JSON, as `route` reads) or plain text. */
export async function testMessage(input: { json?: string; plain?: PlainTest }) {
  if (input.json && input.json.trim() !== "") {
    let value: unknown;
    try {
      value = JSON.parse(input.json);
    } catch (err) {
      throw new Error(`channel input is not JSON: ${(err as Error).message}`, { cause: err });
    }
    return messageFromInput(value);
  }
  const p = input.plain;
  if (!p || p.text.trim() === "") throw new Error("give a channel input or a text to route");
  const source = LANGUAGE_TAG_SOURCE[p.channel];
  const message: InboundMessage = {
    id: `${p.channel}:console-test-${randomBytes(4).toString("hex")}`,
    channel: p.channel,
    replyTo: `${p.channel}:console-test`,
    sender: { id: `${p.channel}:console-test` },
    text: p.text,
    sentAt: new Date().toISOString(),
    evidence: {
      ...(p.country ? { statedCountry: p.country } : {}),
      ...(p.language && source ? { languageTag: p.language, languageTagSource: source } : {}),
    },
    attachments: [],
  };
  return message;
}

/** Routes a test message with the given rules: the evidence read and the decision. */
export function tryRules(
  message: InboundMessage,
  rules: RoutingRules,
): { evidence: Evidence; decision: Decision } {
  return routeMessage(message, rules);
}

/** One stored decision whose affiliate the edited rules would change. */
export interface ReplayChange {
  ref: string;
  contactId: string;
  at: string;
  channel: Channel;
  old: string;
  new: string;
  oldReasons: string[];
  newReasons: string[];
  newStep: Decision["step"];
  newRule: string | null;
}

export interface ReplayResult {
  /** Decisions replayed (at most the limit). */
  examined: number;
  changed: ReplayChange[];
}

/**
 * Runs `rules` over the stored evidence of the newest `limit` decisions and lists those whose
 * affiliate would change. Conversations are read newest activity first; reading stops once no
 * older conversation can hold a decision among the newest `limit`.
 */
export async function replayDecisions(
  store: ConversationStore,
  rules: RoutingRules,
  limit: number,
): Promise<ReplayResult> {
  const PAGE = 200;
  const found: {
    ref: string;
    channel: Channel;
    rec: { contactId: string; at: string; evidence: Evidence; decision: Decision };
  }[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list({ offset, limit: PAGE });
    for (const s of page) {
      const c = await store.get(s.id);
      if (!c) continue;
      for (const rec of c.decisions) found.push({ ref: c.ref, channel: c.reader.channel, rec });
    }
    if (page.length < PAGE) break;
    found.sort((a, b) => b.rec.at.localeCompare(a.rec.at));
    const oldestKept = found[limit - 1]?.rec.at;
    if (oldestKept && oldestKept >= page.at(-1)!.lastMessageAt) break;
  }
  found.sort((a, b) => b.rec.at.localeCompare(a.rec.at));
  const recent = found.slice(0, limit);
  const changed: ReplayChange[] = [];
  for (const { ref, channel, rec } of recent) {
    const next = decide(rec.evidence, rules);
    if (next.affiliate === rec.decision.affiliate) continue;
    changed.push({
      ref,
      contactId: rec.contactId,
      at: rec.at,
      channel,
      old: rec.decision.affiliate,
      new: next.affiliate,
      oldReasons: rec.decision.reasons,
      newReasons: next.reasons,
      newStep: next.step,
      newRule: next.rule,
    });
  }
  return { examined: recent.length, changed };
}
