import { CHOICE_SUPPORT } from "../../adapters/choices.js";
import { matchTextChoice } from "../../adapters/text-choices.js";
import type { Choice } from "../../adapters/types.js";
import { RouterError } from "../errors.js";
import { parseLocationText } from "../evidence/places.js";
import { languageOf, t, type Language } from "../i18n/texts.js";
import type { Channel } from "../message/channel.js";
import type { InboundMessage } from "../message/inbound.js";
import type { AskChoice, AskState } from "./types.js";

/**
 * The clarifying question (CONVERSATIONS.md, "Asking the reader where they are"): when nothing
 * places a reader, a channel that can answer asks them where they write from before the message
 * is routed. This module holds the pure parts: settings, the question and reading the answer.
 */

export interface AskConfig {
  /** ASK_LOCATION=off turns the question off: such contacts go by the default step at once. */
  enabled: boolean;
  /** How long a held contact waits for an answer on chat channels (Telegram, Discord, X). */
  chatTimeoutMs: number;
  /** … and by email. */
  emailTimeoutMs: number;
}

export const DEFAULT_ASK: AskConfig = {
  enabled: true,
  chatTimeoutMs: 10 * 60_000,
  emailTimeoutMs: 24 * 3600_000,
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `10m`, `24h`, `2d` → milliseconds; throws CONFIG_INVALID naming the variable. */
function envDuration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(raw);
  if (!m) {
    throw new RouterError(
      "CONFIG_INVALID",
      `${name} must be a duration such as 90s, 10m, 24h or 2d (got ${JSON.stringify(raw)})`,
    );
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** ASK_LOCATION (on/off), ASK_TIMEOUT_CHAT (default 10m), ASK_TIMEOUT_EMAIL (default 24h). */
export function askConfigFromEnv(env: NodeJS.ProcessEnv): AskConfig {
  const flag = (env.ASK_LOCATION ?? "on").trim().toLowerCase();
  if (!["on", "off", "true", "false", "1", "0"].includes(flag)) {
    throw new RouterError("CONFIG_INVALID", `ASK_LOCATION must be on or off (got ${flag})`);
  }
  return {
    enabled: ["on", "true", "1"].includes(flag),
    chatTimeoutMs: envDuration(env, "ASK_TIMEOUT_CHAT", DEFAULT_ASK.chatTimeoutMs),
    emailTimeoutMs: envDuration(env, "ASK_TIMEOUT_EMAIL", DEFAULT_ASK.emailTimeoutMs),
  };
}

/** Whether a channel can put the question and take its answer (the web form has a country field). */
export function canAsk(channel: Channel): boolean {
  return CHOICE_SUPPORT[channel] !== "none";
}

/** How long a contact on `channel` is held for the answer. */
export function askTimeoutMs(config: AskConfig, channel: Channel): number {
  return channel === "email" ? config.emailTimeoutMs : config.chatTimeoutMs;
}

/**
 * Countries offered as buttons, by the reader's language: where most readers writing it live.
 * Without a language: the countries the network's affiliates are in.
 */
const LIKELY: Record<Language | "none", string[]> = {
  en: ["GB", "US", "CA", "AU", "IE", "NZ"],
  it: ["IT", "CH"],
  de: ["DE", "AT", "CH"],
  fr: ["FR", "BE", "CA", "CH"],
  sv: ["SE", "FI"],
  es: ["ES", "MX", "AR", "CO", "CL"],
  fa: ["IR", "AF"],
  pl: ["PL"],
  ru: ["RU", "UA", "BY", "KZ"],
  nl: ["NL", "BE"],
  pt: ["BR", "PT"],
  none: ["GB", "US", "DE", "FR", "IT", "CA", "AU"],
};

export const CHOICE_OTHER = "loc:other";
export const CHOICE_DECLINE = "loc:decline";
const COUNTRY_DATA = /^loc:([A-Z]{2})$/;

/** 🇦🇹 for AT. */
function flag(code: string): string {
  return [...code].map((ch) => String.fromCodePoint(0x1f1e6 + ch.charCodeAt(0) - 65)).join("");
}

const nameCache = new Map<string, Intl.DisplayNames>();
function countryNameIn(lang: string, code: string): string {
  let names = nameCache.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: "region", fallback: "code" });
    nameCache.set(lang, names);
  }
  return names.of(code) ?? code;
}

/** The question in the reader's language: its text and its choices (likely countries, other, decline). */
export function askQuestion(
  languageTag: string | null,
  channel: Channel,
): { language: string; text: string; choices: AskChoice[] } {
  const language = languageOf(languageTag) ?? "en";
  const likely = LIKELY[languageOf(languageTag) ?? "none"];
  const choices: AskChoice[] = likely.map((code) => {
    const name = countryNameIn(language, code);
    const english = countryNameIn("en", code);
    return {
      data: `loc:${code}`,
      label: `${flag(code)} ${name}`,
      aliases: [...new Set([code, name, english])],
    };
  });
  const words = (lang: string) =>
    t(lang, "ask.decline.words")
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
  choices.push(
    {
      data: CHOICE_OTHER,
      label: t(language, "ask.other"),
      aliases: [...new Set([t("en", "ask.other"), "other"])],
    },
    {
      data: CHOICE_DECLINE,
      label: t(language, "ask.decline"),
      aliases: [...new Set([t("en", "ask.decline"), ...words(language), ...words("en")])],
    },
  );
  const question = t(language, "ask.location");
  const text =
    CHOICE_SUPPORT[channel] === "text" ? `${question}\n${t(language, "ask.text")}` : question;
  return { language, text, choices };
}

/** The choices as an adapter takes them (data and label only). */
export function outboundChoices(choices: readonly AskChoice[]): Choice[] {
  return choices.map((c) => ({ data: c.data, label: c.label }));
}

/** What a reader's message says to the question. */
export type AskReading =
  /** A place: `stated` is what routes it (a country code, or the place as the reader wrote it). */
  | { kind: "place"; stated: string; said: string }
  | { kind: "decline"; said: string }
  | { kind: "other"; said: string }
  /** Not an answer: a message of its own. */
  | null;

/** A reply longer than this is a message of its own, not the name of a place ("São Paulo, Brasil"). */
const MAX_PLACE_ANSWER = { chars: 60, words: 5 };

function fromChoice(choice: AskChoice, said: string): AskReading {
  if (choice.data === CHOICE_DECLINE) return { kind: "decline", said };
  if (choice.data === CHOICE_OTHER) return { kind: "other", said };
  const code = COUNTRY_DATA.exec(choice.data)?.[1];
  return code ? { kind: "place", stated: code, said } : null;
}

/**
 * Reads a reader's message as the answer to the question: a press of one of its buttons; a text
 * that picks one of its choices (a number, a label, a country's name or code, "don't know" in
 * the reader's language or English: `matchTextChoice`); or a short text (five words at most)
 * that names a place ("Graz", "Österreich", "🇧🇷", "I live in Graz"). `ownText` is the message's cleaned text (quotes and signature
 * cut). Anything else is a message of its own (null).
 */
export function readAnswer(ask: AskState, m: InboundMessage, ownText: string): AskReading {
  if (m.choice) {
    const choice = ask.choices.find((c) => c.data === m.choice!.data);
    return choice ? fromChoice(choice, choice.label) : null;
  }
  const picked = matchTextChoice(m.text, ask.choices);
  if (picked) return fromChoice(picked.choice, picked.choice.label);
  const own = ownText.trim();
  const words = own.split(/\s+/u).length;
  if (
    own !== "" &&
    !own.includes("\n") &&
    own.length <= MAX_PLACE_ANSWER.chars &&
    words <= MAX_PLACE_ANSWER.words
  ) {
    const place = parseLocationText(own);
    if (place) return { kind: "place", stated: own, said: own };
  }
  return null;
}

/** The country code of a choice's data, if it is a country. */
export function choiceCountry(data: string): string | null {
  return COUNTRY_DATA.exec(data)?.[1] ?? null;
}

/** "10 minutes", "24 hours", "2 days": a timeout as the affiliate reads it in the reasons. */
export function describeWait(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}
