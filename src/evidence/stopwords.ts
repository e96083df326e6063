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
/** Each language's raw list, kept until its folded set is asked for. */
let lists: Map<string, readonly string[]> | null = null;
const sets = new Map<string, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/** The languages the network reads: only their lists are kept. */
const LANGUAGES = ["en", "it", "de", "fr", "sv", "es", "fa", "pl", "ru", "nl", "pt"];

/** The folded function words of a language (empty for one of no interest). */
export function stopwordsOf(lang: string): ReadonlySet<string> {
  let set = sets.get(lang);
  if (set) return set;
  if (!lists) {
    // Read, not required: the module cache would keep every language's list.
    const file = require.resolve("stopwords-iso");
    const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>;
    lists = new Map(LANGUAGES.map((l) => [l, all[l] ?? []]));
  }
  const list = lists.get(lang);
  if (!list) return NONE;
  // Folded when first asked for: a message needs one or two languages, folding all eleven
  // (7,000 words, most of them through Unicode normalisation) was a tenth of a cold start.
  set = new Set(list.map(foldToken).filter((w) => w !== ""));
  sets.set(lang, set);
  lists.delete(lang);
  return set;
}
