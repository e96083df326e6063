import {
  FORWARD_CATALOGUES,
  FORWARD_MARKERS,
  forwardLanguage,
  ft,
  type ForwardKey,
} from "../i18n/forward.js";
import { CHANNEL_LABEL } from "../message/channel.js";
import type { ContactToDeliver, ForwardHistoryEntry } from "./types.js";

/**
 * What a forward says, as one data structure: the text and the HTML part are both rendered from
 * it (compose.ts), so they never disagree. Everything is in the affiliate's language and time
 * zone (`src/i18n/forward.ts`); the router's own English notes come last, as technical detail.
 */

/** One labelled line of the email: what the reader sent, or why it went where it went. */
export interface ReceiptRow {
  label: string;
  value: string;
}

/** One earlier entry of the conversation, as the forward lists it. */
export interface ReceiptHistoryLine {
  when: string;
  who: string;
  text: string;
}

/** The pieces both the text and the HTML part are rendered from. */
export interface Receipt {
  /** BCP 47 language of the forward (the HTML's `lang`). */
  lang: string;
  /** What follows a label: `:`, or ` :` in French. */
  colon: string;
  /** The "reply above this line" marker: the relay cuts a reply where it finds it quoted. */
  marker: string | null;
  /** `Conversation C-7KQ2M: …`, or "A new contact". */
  heading: string;
  /** How to answer (or that no answer is possible), one paragraph each. */
  reply: string[];
  /** Says what the commands are and where they go; null when there are none. */
  commandsTitle: string | null;
  /** The commands a reply may start with. */
  commands: ReceiptRow[];
  /** About the reader and their message (reference, channel, handle, attachments…). */
  contact: ReceiptRow[];
  messageStart: string;
  messageEnd: string;
  text: string;
  /** Earlier in the conversation (for a handover: all of it), oldest first. */
  history: ReceiptHistoryLine[];
  historyTitle: string;
  /** e.g. "Earlier entries not shown: 4". */
  historyNote: string | null;
  whyTitle: string;
  /** The routing decision in plain words. */
  decision: ReceiptRow[];
  techTitle: string;
  /** Detector, certainty, second choice: in plain words, below the decision. */
  technical: string[];
  reasonsTitle: string;
  /** The router's own notes (English, for admins). */
  reasons: string[];
}

/** The English marker line (every language's is in FORWARD_MARKERS). */
export const REPLY_MARKER = FORWARD_MARKERS[0]!;
export { FORWARD_MARKERS };

/** How a forward writes dates, numbers and names: in the affiliate's language and time zone. */
export class ForwardLocale {
  readonly lang: string;
  readonly timeZone: string;
  private readonly dates: Intl.DateTimeFormat;
  private readonly regions: Intl.DisplayNames;
  private readonly languages: Intl.DisplayNames;
  private readonly numbers = new Map<number, Intl.NumberFormat>();
  private percents: Intl.NumberFormat | undefined;

  constructor(languages: readonly string[] | undefined, timeZone: string | undefined) {
    this.lang = forwardLanguage(languages);
    this.timeZone = timeZone ?? "UTC";
    this.dates = new Intl.DateTimeFormat(this.lang, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: this.timeZone,
      timeZoneName: "short",
    });
    this.regions = new Intl.DisplayNames([this.lang], { type: "region", fallback: "code" });
    this.languages = new Intl.DisplayNames([this.lang], { type: "language", fallback: "code" });
  }

  /** What follows a label: French puts a space before the colon. */
  get colon(): string {
    return this.lang === "fr" ? "\u202f:" : ":";
  }

  t(key: ForwardKey, vars?: Record<string, string>): string {
    return ft(this.lang, key, vars);
  }

  /** An ISO time as people read it: `22. November 2026 um 03:00 MEZ`; unreadable ones as given. */
  date(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.dates.format(d);
  }

  number(n: number, fractionDigits = 0): string {
    let format = this.numbers.get(fractionDigits);
    if (!format) {
      format = new Intl.NumberFormat(this.lang, {
        maximumFractionDigits: fractionDigits,
        minimumFractionDigits: fractionDigits,
      });
      this.numbers.set(fractionDigits, format);
    }
    return format.format(n);
  }

  percent(x: number): string {
    this.percents ??= new Intl.NumberFormat(this.lang, { style: "percent" });
    return this.percents.format(x);
  }

  km(km: number): string {
    return `${this.number(Math.round(km))} km`;
  }

  size(bytes: number): string {
    if (bytes < 1024) return `${this.number(bytes)} B`;
    if (bytes < 1024 * 1024) return `${this.number(bytes / 1024, 1)} KB`;
    return `${this.number(bytes / 1024 / 1024, 1)} MB`;
  }

  country(code: string): string {
    return name(this.regions, code);
  }

  language(code: string): string {
    return name(this.languages, code);
  }
}

/**
 * One ForwardLocale per language and time zone, kept: building its `Intl` formatters costs more
 * than composing the rest of a forward, and the affiliates are few. Bounded all the same.
 */
const locales = new Map<string, ForwardLocale>();
const LOCALES_MAX = 64;

export function forwardLocale(
  languages: readonly string[] | undefined,
  timeZone: string | undefined,
): ForwardLocale {
  const key = `${(languages ?? []).join(",")}|${timeZone ?? ""}`;
  let locale = locales.get(key);
  if (!locale) {
    if (locales.size >= LOCALES_MAX) locales.clear();
    locale = new ForwardLocale(languages, timeZone);
    locales.set(key, locale);
  }
  return locale;
}

function name(names: Intl.DisplayNames, code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function step(c: ContactToDeliver, l: ForwardLocale): string {
  const d = c.decision;
  switch (d.step) {
    case "rule":
      return l.t("step.rule", { rule: d.rule ?? "?" });
    case "nearest":
      return d.distance_km === null
        ? l.t("step.nearestNoDistance")
        : l.t("step.nearest", { km: l.km(d.distance_km) });
    case "language":
      return l.t("step.language");
    case "default":
      return l.t("step.default");
  }
}

function commandRows(c: ContactToDeliver, l: ForwardLocale): ReceiptRow[] {
  const ids = c.affiliateIds?.filter((id) => id !== c.affiliate.id) ?? [];
  return [
    { label: l.t("command.note"), value: l.t("command.note.help") },
    {
      label: l.t("command.reroute"),
      value: `${l.t("command.reroute.help")}${ids.length > 0 ? `${l.colon} ${ids.join(", ")}` : ""}`,
    },
    { label: l.t("command.close"), value: l.t("command.close.help") },
  ];
}

function replyParagraphs(
  c: ContactToDeliver,
  l: ForwardLocale,
  relayAddress: string | null,
  direct: boolean,
): string[] {
  const conv = c.conversation;
  const channel = CHANNEL_LABEL[c.message.channel];
  const noAddress = c.message.channel === "web" && !c.message.evidence.emailAddress;
  if (!conv || relayAddress === null) {
    if (direct) return [l.t("reply.direct")];
    return [noAddress ? l.t("noAnswer.webNoAddress") : l.t("noAnswer.noRelay", { channel })];
  }
  if (!conv.canAnswer) {
    return [l.t("noAnswer.webNoAddress"), l.t("noAnswer.commandsStillWork")];
  }
  const out: string[] = [];
  if (conv.unreachable) {
    out.push(
      l.t("reply.unreachable", {
        channel: CHANNEL_LABEL[conv.unreachable.channel],
        code: conv.unreachable.code,
      }),
    );
  }
  out.push(l.t("reply.howTo", { channel }), l.t("reply.address", { address: relayAddress }));
  return out;
}

function historyLine(
  e: ForwardHistoryEntry,
  affiliateId: string,
  l: ForwardLocale,
): ReceiptHistoryLine {
  const when = l.date(e.at);
  switch (e.kind) {
    case "reader":
      return { when, who: l.t("who.reader"), text: e.text ?? "" };
    case "answer":
      return {
        when,
        who: l.t("who.answer", { affiliate: e.affiliate ?? affiliateId }),
        text: e.text ?? "",
      };
    case "note":
      return {
        when,
        who: l.t("who.note", { affiliate: e.affiliate ?? affiliateId }),
        text: e.text ?? "",
      };
    case "event": {
      const text =
        e.event === "reroute"
          ? `${l.t("event.reroute", { from: e.from ?? "?", to: e.affiliate ?? "?" })}${e.detail ? `: ${e.detail}` : ""}`
          : e.event === "unreachable"
            ? l.t("event.unreachable", { detail: e.detail ?? "" })
            : `${e.event ?? ""}${e.detail ? `: ${e.detail}` : ""}`;
      return { when, who: l.t("who.event"), text };
    }
  }
}

/** Where the reader is, and from what, in plain words. */
function place(c: ContactToDeliver, l: ForwardLocale): string {
  const d = c.decision;
  if (!d.country) return l.t("unknown");
  const where = `${l.country(d.country)}${d.city ? ` (${d.city})` : ""}`;
  const key = `source.${d.country_source ?? "unknown"}`;
  const source = l.t(key in FORWARD_CATALOGUES.en! ? (key as ForwardKey) : "source.unknown");
  return l.t("place.from", { place: where, source });
}

function translation(c: ContactToDeliver, l: ForwardLocale): string {
  const d = c.decision;
  if (!d.needs_translation || !d.language) return l.t("translation.no");
  const language = l.language(d.language);
  const who = c.translators ?? [];
  if (who.length > 0) {
    return l.t("translation.speakers", {
      language,
      who: who.map((a) => `${a.name} (${a.id})`).join(", "),
    });
  }
  // The engine's reason says whether the language is one the network can translate.
  const network = d.reasons.some((r) => r.startsWith("Needs translation") && /speakers\.$/.test(r));
  return l.t(network ? "translation.network" : "translation.none", { language });
}

/** The detector, certainty and second choice, in plain words. */
function technical(c: ContactToDeliver, l: ForwardLocale): string[] {
  const { decision: d, evidence: ev } = c;
  const out: string[] = [];
  const lang = ev.language;
  if (lang?.source === "text") {
    const detector = (lang.detail.split(",")[0] ?? "").replace(/^detector\s+/, "").trim();
    out.push(l.t("tech.detector", { detector, pct: l.percent(lang.confidence) }));
  } else if (lang) {
    out.push(l.t("tech.languageTag", { detail: /"([^"]*)"/.exec(lang.detail)?.[1] ?? lang.code }));
  }
  if (ev.location?.detail) out.push(l.t("tech.place", { detail: ev.location.detail }));
  out.push(l.t("tech.confidence", { pct: l.percent(d.confidence) }));
  if (d.runner_up) {
    out.push(
      l.t("tech.runnerUp", {
        affiliate: d.runner_up.affiliate,
        distance: d.runner_up.distance_km === null ? "" : `, ${l.km(d.runner_up.distance_km)}`,
        why: d.runner_up.why,
      }),
    );
  }
  return out;
}

/**
 * Builds the receipt of a contact: the reference and how to answer, what was sent and by whom
 * (handle only), the conversation so far, and why it came here. `relayAddress`: the forward's
 * relay Reply-To; `direct`: without a relay, the Reply-To is the reader's own address.
 */
export function buildReceipt(
  c: ContactToDeliver,
  relayAddress: string | null,
  direct = false,
): Receipt {
  const { message: m, decision: d } = c;
  const l = forwardLocale(c.affiliate.languages, c.affiliate.timezone);
  const conv = c.conversation;
  const relayed = conv !== undefined && relayAddress !== null;
  const from = [m.sender.displayName, m.sender.handle].filter(Boolean).join(" · ");
  const contact: ReceiptRow[] = [];
  if (conv) contact.push({ label: l.t("label.reference"), value: conv.ref });
  contact.push(
    { label: l.t("label.channel"), value: CHANNEL_LABEL[m.channel] },
    { label: l.t("label.from"), value: from || m.sender.id },
    { label: l.t("label.sent"), value: l.date(m.sentAt) },
  );
  if (m.subject) contact.push({ label: l.t("label.subject"), value: m.subject });
  if (m.attachments.length > 0) {
    contact.push({
      label: l.t("label.attachments"),
      value: `${m.attachments.map((a) => `${a.name} (${l.size(a.size)}, ${a.contentType})`).join("; ")} (${l.t("attachments.notForwarded")})`,
    });
  }
  const auth = m.evidence.emailAuth;
  if (auth) {
    // Shown so an affiliate can tell a forged sender from a real one before answering.
    contact.push({
      label: l.t("label.senderChecks"),
      value: `SPF ${auth.spf ?? "none"}, DKIM ${auth.dkim ?? "none"}, DMARC ${auth.dmarc ?? "none"}`,
    });
  }

  const decision: ReceiptRow[] = [
    { label: l.t("label.affiliate"), value: `${c.affiliate.name} (${c.affiliate.id})` },
  ];
  if (conv?.handover) {
    const h = conv.handover;
    decision.push({
      label: l.t("label.handedOver"),
      value: `${l.t("handover.by", { from: `${h.from.name} (${h.from.id})`, by: h.by })}${h.reason ? `: ${h.reason}` : ""}`,
    });
  } else if (conv?.followUp) {
    decision.push({
      label: l.t("label.decidedBy"),
      value: `${l.t("followUp.stays", { ref: conv.ref })}${d.affiliate === c.affiliate.id ? "" : ` ${l.t("followUp.wouldHave", { affiliate: d.affiliate })}`}`,
    });
  } else {
    decision.push({ label: l.t("label.decidedBy"), value: step(c, l) });
  }
  const languageSource =
    d.language_source === "platform_tag"
      ? l.t("languageSource.platform_tag")
      : l.t("languageSource.text");
  decision.push(
    { label: l.t("label.country"), value: place(c, l) },
    {
      label: l.t("label.language"),
      value: d.language ? `${l.language(d.language)}, ${languageSource}` : l.t("unknown"),
    },
    { label: l.t("label.translation"), value: translation(c, l) },
  );

  const heading = conv
    ? l.t(conv.handover ? "heading.handover" : conv.followUp ? "heading.followUp" : "heading.new", {
        ref: conv.ref,
      })
    : l.t("heading.plain");
  const history = (conv?.history ?? []).map((e) => historyLine(e, c.affiliate.id, l));
  const hidden = conv?.earlierCount ?? 0;
  return {
    lang: l.lang,
    colon: l.colon,
    marker: relayed ? l.t("marker") : null,
    heading,
    reply: replyParagraphs(c, l, relayed ? relayAddress : null, direct),
    commandsTitle: relayed ? l.t("commands.title") : null,
    commands: relayed ? commandRows(c, l) : [],
    contact,
    messageStart: l.t("message.start"),
    messageEnd: l.t("message.end"),
    text: m.text,
    history,
    historyTitle: l.t(conv?.handover ? "history.titleAll" : "history.title"),
    historyNote: hidden > 0 ? l.t("history.hidden", { n: l.number(hidden) }) : null,
    whyTitle: l.t("why.title"),
    decision,
    techTitle: l.t("tech.title"),
    technical: technical(c, l),
    reasonsTitle: l.t("tech.reasons"),
    reasons: d.reasons,
  };
}
