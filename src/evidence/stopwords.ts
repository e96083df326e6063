import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { foldToken } from "./text-fold.js";

/**
 * The function words of each language (stopwords-iso: articles, pronouns, prepositions,
 * conjunctions, auxiliaries), folded like the text. A one-word place name that is one of them
 * in the text's language ("als" in Dutch, "da" in Italian, "bra" in Swedish) is the word, not
 * the place (Als, Da, Bra), unless the writer capitalises it in mid-sentence.
 */

const require = createRequire(import.meta.url);
let sets: ReadonlyMap<string, ReadonlySet<string>> | null = null;
const NONE: ReadonlySet<string> = new Set();

/** The languages the network reads: only their lists are kept. */
const LANGUAGES = ["en", "it", "de", "fr", "sv", "es", "fa", "pl", "ru", "nl", "pt"];

/** The folded function words of a language (empty for one of no interest). */
export function stopwordsOf(lang: string): ReadonlySet<string> {
  if (!sets) {
    // Read, not required: the module cache would keep every language's list.
    const file = require.resolve("stopwords-iso");
    const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>;
    sets = new Map(
      LANGUAGES.map((l) => [l, new Set((all[l] ?? []).map(foldToken).filter((w) => w !== ""))]),
    );
  }
  return sets.get(lang) ?? NONE;
}
