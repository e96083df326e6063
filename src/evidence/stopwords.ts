import { createRequire } from "node:module";
import { foldToken } from "./text-fold.js";

/**
 * The function words of each language (stopwords-iso: articles, pronouns, prepositions,
 * conjunctions, auxiliaries), folded like the text. A one-word place name that is one of them
 * in the text's language ("als" in Dutch, "da" in Italian, "bra" in Swedish) is the word, not
 * the place (Als, Da, Bra), unless the writer capitalises it in mid-sentence.
 */

const require = createRequire(import.meta.url);
let all: Readonly<Record<string, readonly string[]>> | null = null;
const sets = new Map<string, ReadonlySet<string>>();

/** The folded function words of a language (empty for one stopwords-iso lacks). */
export function stopwordsOf(lang: string): ReadonlySet<string> {
  let set = sets.get(lang);
  if (!set) {
    all ??= require("stopwords-iso") as Record<string, string[]>;
    set = new Set((all[lang] ?? []).map(foldToken).filter((w) => w !== ""));
    sets.set(lang, set);
  }
  return set;
}
