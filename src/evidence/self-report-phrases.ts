/**
 * Locative phrases by which readers say where they live or come from, in the eleven languages,
 * and the case endings that Russian, Polish and German put on the place after them.
 * Words are written naturally (they are folded when loaded); "a|b" means either word (one
 * word only: "I am|we are" would read "I am are" and "I we are").
 */

/** Phrases of one language. */
export interface PhraseSpec {
  readonly lang: string;
  /** First-person statements: any place name after them counts. */
  readonly strong?: readonly string[];
  /** Phrases also used for other things ("here in", "I'm in"): the place must be capitalised. */
  readonly weak?: readonly string[];
  /** Words that must follow the place (Persian: "من در تهران زندگی می‌کنم"). */
  readonly after?: readonly string[];
}

export const PHRASES: readonly PhraseSpec[] = [
  {
    lang: "en",
    strong: [
      "I live|reside in|near",
      "I'm|Im living|based in",
      "I am living|based in",
      "we live in",
      "we are based in",
      "I'm|Im|we're from",
      "I am from",
      "we are from",
      "I'm originally from",
      "I am originally from",
      "I come from",
      "I'm writing from",
      "I am writing from",
    ],
    weak: ["here in", "I'm|Im in", "I am in"],
  },
  {
    lang: "it",
    strong: [
      "abito|vivo|risiedo a|ad|in|nel|nella|negli|nei",
      "abitiamo|viviamo a|in|nel|nella|negli",
      "sono di",
      "sono originario|originaria di",
      "vengo da|dal|dalla|dagli|dai",
    ],
    weak: ["qui a|in", "sono a|in|nel|nella|negli"],
  },
  {
    lang: "de",
    strong: [
      "wohne|lebe in|im|bei",
      "wohnen|leben in|im",
      "komme|kommen|stamme aus",
      "ich bin aus",
      "wir sind aus",
    ],
    weak: ["hier in", "ich bin in"],
  },
  {
    lang: "fr",
    strong: [
      "j'habite à|au|aux|en",
      "je vis|réside à|au|aux|en",
      "nous habitons|vivons à|au|aux|en",
      "je viens|suis de|du|des|d'",
      "nous venons de|du|des|d'",
      "je suis originaire de|du|des|d'",
    ],
    weak: ["je suis à|au|aux|en", "ici à|au|en"],
  },
  {
    lang: "sv",
    strong: ["jag|vi bor|lever i", "jag|vi kommer från", "jag är från", "vi är från"],
    weak: ["här i", "jag är i"],
  },
  {
    lang: "es",
    strong: [
      "vivo|resido|vivimos en",
      "soy|somos de",
      "soy originario|originaria de",
      "vengo de|del",
    ],
    weak: ["aquí|acá en", "estoy en"],
  },
  { lang: "fa", strong: ["من اهل", "من ساکن", "ساکن"], weak: ["اینجا در"] },
  {
    lang: "fa",
    strong: ["من در", "در"],
    after: ["زندگی می‌کنم|می‌کنیم|میکنم|میکنیم", "ساکن هستم|هستیم", "ساکنم"],
  },
  { lang: "fa", strong: ["من از", "از", "اهل"], after: ["هستم", "هستیم", "می‌آیم", "آمده‌ام"] },
  {
    lang: "pl",
    strong: ["mieszkam|mieszkamy|żyję w|we", "jestem|jesteśmy|pochodzę z|ze"],
    weak: ["tu|tutaj w|we", "jestem w|we"],
  },
  {
    lang: "ru",
    strong: ["живу|живём|живем|проживаю в|во", "я|мы из", "я|мы родом из", "приехал|приехала из"],
    weak: ["здесь|тут в|во", "я в|во", "у нас в|во"],
  },
  {
    lang: "nl",
    strong: [
      "ik woon|leef in",
      "woon in",
      "wij|we wonen in",
      "ik kom uit",
      "wij|we komen uit",
      "ik ben van",
    ],
    weak: ["hier in", "ik ben|zit in"],
  },
  {
    lang: "pt",
    strong: [
      "moro|vivo|resido|moramos|vivemos em|no|na|nos|nas",
      "sou|somos|venho de|do|da|dos|das",
    ],
    weak: ["aqui em|no|na", "estou em|no|na"],
  },
];

/** Oblique ending → nominative ending, most likely first (folded: no accents, ł → l, й kept). */
const ENDINGS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  ru: [
    ["ии", "ия"],
    ["е", ""],
    ["е", "а"],
    ["е", "я"],
    ["е", "й"],
    ["е", "ь"],
    ["ы", "а"],
    ["ы", "ы"],
    ["и", "ь"],
    ["и", "а"],
    ["и", "я"],
    ["а", ""],
    ["я", "ь"],
    ["я", "й"],
    ["у", ""],
    ["ом", ""],
    ["ем", "ий"],
    ["ого", "ий"],
    ["его", "ий"],
    ["ой", "ая"],
    ["ах", "ы"],
    ["ах", "и"],
    ["ов", "ы"],
  ],
  pl: [
    ["owie", "ow"],
    ["ie", "a"],
    ["ie", ""],
    ["ii", "ia"],
    ["ji", "ja"],
    ["iu", ""],
    ["u", ""],
    ["u", "e"],
    ["y", "a"],
    ["y", ""],
    ["i", "a"],
    ["i", ""],
    ["i", "ia"],
    ["a", ""],
    ["sce", "ska"],
    ["ce", "ka"],
    ["dze", "ga"],
    ["dzie", "da"],
    ["rze", "ra"],
    ["cie", "t"],
    ["czech", "cy"],
    ["szech", "chy"],
    ["iec", "cy"],
    ["ach", "y"],
    ["ach", "e"],
    ["ach", "i"],
    ["ych", "e"],
    ["iej", "a"],
    ["ym", "y"],
    ["ow", "y"],
    ["dniu", "den"],
  ],
  de: [
    ["en", "e"],
    ["n", ""],
  ],
};

const cache = new Map<string, ((key: string) => readonly string[]) | undefined>();

/**
 * Candidate nominative forms of an inflected word for a language that inflects place names
 * ("москве" → "москва", "krakowie" → "krakow"), or undefined when the language needs none.
 */
export function inflections(lang: string): ((key: string) => readonly string[]) | undefined {
  if (cache.has(lang)) return cache.get(lang);
  const rules = ENDINGS[lang];
  const fn = rules
    ? (key: string): readonly string[] => {
        const out: string[] = [];
        for (const [from, to] of rules) {
          if (key.length > from.length + 2 && key.endsWith(from)) {
            const form = key.slice(0, key.length - from.length) + to;
            if (form !== key && !out.includes(form)) out.push(form);
          }
        }
        return out;
      }
    : undefined;
  cache.set(lang, fn);
  return fn;
}
