/**
 * Issue 10, finding 7: every regular expression that sees user text in the email reading must
 * run in linear time. Three checks, none of them on the clock:
 * 1. every regex literal in the audited files is listed below (a new one fails until reviewed),
 *    compiles under RE2 (re2js: no back-references or look-arounds), has no quantified group
 *    that itself contains a quantifier, and at most one unbounded quantifier unless reviewed;
 * 2. the worst inputs (20 KB+ runs of the characters the old patterns looped on) are read with
 *    every RegExp call counted: the characters handed to regexes stay within a small multiple
 *    of the input, so the work is linear;
 * 3. the removed BANNER pattern is shown to fail check 1, so the check can catch the bug.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RE2JS } from "re2js";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import { normalize } from "../../adapters/email/normalize.js";
import { cleanForDetection } from "../../src/evidence/clean-text.js";
import { readEmailBody } from "../../src/evidence/email-body.js";

const ROOT = join(import.meta.dirname, "../..");
const AUDITED = [
  "src/evidence/email-body.ts",
  "src/evidence/email-lines.ts",
  "src/evidence/clean-text.ts",
  "adapters/email/adapter.ts",
  "adapters/email/auth.ts",
  "adapters/email/auto-reply.ts",
  "adapters/email/config.ts",
  "adapters/email/index.ts",
  "adapters/email/mailbox-sync.ts",
  "adapters/email/normalize.ts",
  "adapters/email/raw-repair.ts",
  "adapters/email/smtp-sender.ts",
];

/** Every regex literal of the audited files, with what bounds its cost. */
const REVIEWED: Record<string, string> = {
  "/[\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]/gu": "one character class",
  "/\\r\\n|\\r|\\n/u": "literal alternation",
  "/[[(^]/u": "one character class, on a subject word of at most 12 characters",
  '/^[^\\s@<>()",;:]{1,64}@[^\\s@<>()",;:]{1,255}$/': "anchored, bounded, classes exclude @",
  "/<([^<>\\s]+)>/": "one unbounded class that excludes its delimiters",
  "/\\s+/": "one quantified class",
  "/^[A-Za-z]{1,8}$/": "anchored and bounded",
  "/^[A-Za-z0-9]{1,8}$/": "anchored and bounded",
  "/@/": "a literal (config, not user text)",
  "/(?:in|after)\\s+(\\d{1,5})\\s*(?:s\\b|sec|second)/i":
    "SMTP server reply, not user text; \\s and \\d are disjoint, so each start is tried once",
  "/@([^\\s>]+)/": "config value, one quantified class",
  "/^smtps?$/": "config value (an SMTP_URL scheme), anchored, no unbounded quantifier",
};

function regexLiterals(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText(source));
    if (ts.isNewExpression(node) && node.expression.getText(source) === "RegExp") {
      found.push(`new RegExp(${node.arguments?.map((a) => a.getText(source)).join(", ")})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Pattern body and flags of `/body/flags`. */
function split(literal: string): { body: string; flags: string } {
  const end = literal.lastIndexOf("/");
  return { body: literal.slice(1, end), flags: literal.slice(end + 1) };
}

/**
 * Quantifier structure of a pattern: whether a quantified group contains a quantifier (the
 * shape of catastrophic backtracking) and how many quantifiers are unbounded.
 */
function quantifiers(body: string): { nested: boolean; unbounded: number } {
  const stack: boolean[] = []; // per open group: has a quantifier inside
  let nested = false;
  let unbounded = 0;
  let lastGroupHadQuantifier = false;
  const mark = () => {
    if (stack.length > 0) stack[stack.length - 1] = true;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    let closedGroup = false;
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      i++;
      while (i < body.length && body[i] !== "]") i += body[i] === "\\" ? 2 : 1;
    } else if (c === "(") {
      stack.push(false);
      continue;
    } else if (c === ")") {
      lastGroupHadQuantifier = stack.pop() ?? false;
      if (lastGroupHadQuantifier) mark();
      closedGroup = true;
    }
    const q = body[i + 1];
    if (q === "*" || q === "+" || q === "?" || q === "{") {
      let j = i + 1;
      let isUnbounded = q === "*" || q === "+";
      if (q === "{") {
        const close = body.indexOf("}", j);
        const inner = body.slice(j + 1, close);
        isUnbounded = inner.endsWith(",");
        j = close;
      }
      if (closedGroup && lastGroupHadQuantifier) nested = true;
      if (isUnbounded) unbounded++;
      mark();
      i = j;
      if (body[i + 1] === "?") i++; // lazy
    }
  }
  return { nested, unbounded };
}

function compilesUnderRe2(body: string, flags: string): boolean {
  let f = 0;
  if (flags.includes("i")) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) f |= RE2JS.MULTILINE;
  if (flags.includes("s")) f |= RE2JS.DOTALL;
  // JS writes a code point as \uXXXX, RE2 as \x{XXXX}.
  const re2 = body.replace(/\\u([0-9a-fA-F]{4})/g, "\\x{$1}");
  try {
    RE2JS.compile(re2, f);
    return true;
  } catch {
    return false;
  }
}

describe("regexes that see email text are linear", () => {
  const all = AUDITED.flatMap((file) => regexLiterals(file).map((literal) => ({ file, literal })));

  it("finds the regexes of the audited files, and each is reviewed", () => {
    expect(all.length).toBeGreaterThan(5);
    for (const { file, literal } of all) {
      expect(REVIEWED, `${file}: ${literal} is not reviewed`).toHaveProperty([literal]);
    }
  });

  it.each(Object.keys(REVIEWED))("%s compiles under RE2 and has no nested quantifier", (lit) => {
    const { body, flags } = split(lit);
    expect(compilesUnderRe2(body, flags)).toBe(true);
    const q = quantifiers(body);
    expect(q.nested).toBe(false);
    if (!REVIEWED[lit]?.includes("disjoint")) expect(q.unbounded).toBeLessThanOrEqual(1);
  });

  it("the check catches the old BANNER and trailing-blank patterns", () => {
    const banner = quantifiers("^\\s*-{3,}\\s*[\\p{L}' ]{3,60}\\s*-{3,}\\s*$");
    expect(banner.unbounded).toBeGreaterThan(1);
    expect(quantifiers("(a+)+b").nested).toBe(true);
    expect(quantifiers("(?:x\\s*)*y").nested).toBe(true);
    expect(quantifiers("[ \\t]+$").unbounded).toBe(1); // linear only with the line pass around it
  });
});

describe("the worst inputs cost linear regex work", () => {
  const counted = { calls: 0, chars: 0 };
  const proto = RegExp.prototype as unknown as Record<PropertyKey, unknown>;
  const methods: PropertyKey[] = [
    "exec",
    "test",
    Symbol.replace,
    Symbol.split,
    Symbol.match,
    Symbol.matchAll,
    Symbol.search,
  ];
  const originals = new Map(methods.map((m) => [m, proto[m]]));
  let depth = 0;

  function instrument(): void {
    for (const m of methods) {
      const original = originals.get(m) as (this: RegExp, ...args: unknown[]) => unknown;
      proto[m] = function (this: RegExp, ...args: unknown[]) {
        // Count top-level calls only: split and replace call exec themselves.
        if (depth === 0) {
          counted.calls++;
          counted.chars += String(args[0]).length;
        }
        depth++;
        try {
          return original.apply(this, args);
        } finally {
          depth--;
        }
      };
    }
  }

  afterEach(() => {
    for (const m of methods) proto[m] = originals.get(m);
  });

  const N = 24_000;
  const line = (s: string) => (s + "\n").repeat(Math.ceil(N / (s.length + 1)));
  const WORST: Record<string, string> = {
    "dashes (old BANNER)": "-".repeat(N),
    "dashes and letters": `---${"a ".repeat(N / 2)}---`,
    "dash banner lines": line("----- Original Message -----"),
    "blank runs (old [ \\t]+$)": `a${" ".repeat(N)}b`,
    "quote marks": ">".repeat(N),
    "quoted lines": line("> "),
    "header intro": `On ${"1 ".repeat(N / 2)}`,
    "header lines": line("On Mon, 3 Mar 2025, A <a@b.cd> wrote:"),
    "address-ish": "<".repeat(N / 2) + "@".repeat(N / 2),
    "from blocks": line("From: a@b.cd\nSent: x"),
    "signature delimiters": line("-- "),
    "sign-offs": line("Best,"),
    "bidi marks": "\u202b".repeat(N),
    underscores: "_".repeat(N),
    "long lines": line("x".repeat(399) + ":"),
  };

  it.each(Object.entries(WORST))("%s", async (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(20_000);
    counted.calls = 0;
    counted.chars = 0;
    instrument();
    readEmailBody(text, { cutMarkers: ["—— reply above this line ——"] });
    cleanForDetection({ subject: `Re: ${text.slice(0, 500)}`, text });
    const raw =
      "From: a@example.org\r\nDate: Wed, 12 Mar 2025 17:00:00 +0100\r\nSubject: s\r\n" +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}`;
    await normalize(raw).catch(() => undefined);
    for (const m of methods) proto[m] = originals.get(m);
    // Three readings of the text plus mailparser's own work on headers: a small multiple of n.
    expect(counted.chars).toBeLessThanOrEqual(12 * text.length + 100_000);
  });
});
