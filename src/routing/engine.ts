import type { Decision } from "../message/decision.js";
import type { Evidence, Point } from "../message/evidence.js";
import { countryRegions } from "../evidence/countries.js";
import { distanceKm } from "./geo.js";
import { countryName, formatKm, languageName } from "./names.js";
import type { CompiledRule, RoutingRules } from "./rules.js";

/** What a fallback step (2–4) chose, before it is turned into a Decision. */
interface Choice {
  affiliate: string;
  step: "nearest" | "language" | "default";
  distance: number | null;
  confidence: number;
  runnerUp: Decision["runner_up"];
  reasons: string[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
// Rounded via round1 so reasons agree with distance_km as other views round it.
const km = (x: number) => formatKm(round1(x));

/**
 * The routing decision, exactly as ROUTING.md's "Decision" describes: rules, then nearest,
 * then language, then default. Pure and deterministic: the same evidence and rules always give
 * the same decision, and every decision says why in `reasons`.
 */
export function decide(evidence: Evidence, rules: RoutingRules): Decision {
  const reasons = [describeLanguage(evidence), describeLocation(evidence)];
  const fallback = chooseWithoutRules(evidence, rules);

  let affiliate: string;
  let step: Decision["step"];
  let ruleId: string | null = null;
  let confidence: number;
  let runnerUp: Decision["runner_up"];
  const matched = firstMatchingRule(evidence, rules);
  if (matched) {
    affiliate = matched.rule.affiliate;
    step = "rule";
    ruleId = matched.rule.id;
    confidence = matched.confidence;
    reasons.push(
      `Rule "${matched.rule.id}" matched (${matched.why.join("; ")}), so ${label(rules, affiliate)}.`,
    );
    runnerUp =
      fallback.affiliate === affiliate
        ? null
        : {
            affiliate: fallback.affiliate,
            distance_km: fallback.distance,
            why: `without rules: ${fallback.step}`,
          };
  } else {
    if (rules.rules.length > 0) reasons.push("No rule matched.");
    ({ affiliate, step, confidence, runnerUp } = fallback);
    reasons.push(...fallback.reasons);
  }

  const chosen = rules.affiliateById.get(affiliate);
  const point = evidence.location?.point ?? null;
  const distance = point && chosen ? round1(distanceKm(point, chosen.base)) : null;
  const language = evidence.language?.code ?? null;
  const needsTranslation =
    language !== null && chosen !== undefined && !chosen.languages.includes(language);
  if (needsTranslation) {
    reasons.push(
      rules.translation_languages.has(language)
        ? `Needs translation: ${label(rules, affiliate)} does not list ${languageName(language)}; the network has ${languageName(language)} speakers.`
        : `Needs translation: ${label(rules, affiliate)} does not list ${languageName(language)}, and no ${languageName(language)} speaker is listed in the network.`,
    );
  }
  const askLocation = step === "default" && evidence.location === null;
  if (askLocation)
    reasons.push("Where the channel allows, ask the reader where they are writing from.");

  return {
    affiliate,
    country: evidence.location?.country ?? null,
    country_source: evidence.location?.source ?? null,
    city: evidence.location?.city ?? null,
    point,
    language,
    language_source: evidence.language?.source ?? null,
    step,
    rule: ruleId,
    distance_km: distance,
    confidence: round2(confidence),
    needs_translation: needsTranslation,
    runner_up: runnerUp,
    ask_location: askLocation,
    reasons,
  };
}

function label(rules: RoutingRules, id: string): string {
  const a = rules.affiliateById.get(id);
  return a ? `${a.id} (${a.name})` : id;
}

function describeLanguage(e: Evidence): string {
  const l = e.language;
  if (!l) return "Language: unknown (no confident detection, no platform tag).";
  const from = l.source === "text" ? "detected in the text" : "platform language tag";
  return `Language: ${languageName(l.code)} [${l.code}], ${from} (${l.detail}).`;
}

function describeLocation(e: Evidence): string {
  const l = e.location;
  if (!l) return "Location: unknown.";
  const country = `${countryName(l.country)} [${l.country}]`;
  const where = l.city
    ? `${l.city}, ${country}`
    : l.division
      ? `${l.division}, ${country}`
      : country;
  const point =
    l.pointKind === "city" || !l.pointKind
      ? ""
      : l.pointKind === "division"
        ? "; distances from its largest city"
        : `; distances from its ${l.pointKind}`;
  return `Location: ${where}, from ${l.source.replace("_", " ")} (${l.detail}${point}).`;
}

function firstMatchingRule(e: Evidence, rules: RoutingRules) {
  for (const rule of rules.rules) {
    const result = ruleHolds(rule, e);
    if (result) return { rule, ...result };
  }
  return null;
}

/** Null when a condition fails; otherwise what held and how sure the evidence was. */
function ruleHolds(rule: CompiledRule, e: Evidence): { why: string[]; confidence: number } | null {
  const why: string[] = [];
  let confidence = 1;
  const w = rule.when;
  const country = e.location?.country;
  if (w.country) {
    if (!country || !w.country.includes(country)) return null;
    why.push(`country ${country}`);
  }
  if (rule.regions) {
    if (!country) return null;
    const region = countryRegions(country).find((r) => rule.regions?.has(r.toLowerCase()));
    if (!region) return null;
    why.push(`${country} is in ${region}`);
  }
  if (w.country || rule.regions) confidence *= e.location?.confidence ?? 1;
  if (w.language) {
    const code = e.language?.code;
    if (!code || !w.language.includes(code)) return null;
    why.push(`language ${code}`);
    confidence *= e.language?.confidence ?? 1;
  }
  if (w.channel) {
    if (!(w.channel as string[]).includes(e.channel)) return null;
    why.push(`channel ${e.channel}`);
  }
  if (rule.pattern) {
    if (!rule.pattern.matcher(e.text).find()) return null;
    why.push("text pattern");
  }
  return { why, confidence };
}

interface Ranked {
  id: string;
  distance: number;
}

/** Affiliates by distance from the point; ties keep the order of the file (stable sort). */
function rankByDistance(point: Point, rules: RoutingRules): Ranked[] {
  return rules.affiliates
    .map((a) => ({ id: a.id, distance: distanceKm(point, a.base) }))
    .sort((x, y) => x.distance - y.distance);
}

/** Steps 2–4 of ROUTING.md: nearest, language, default. */
export function chooseWithoutRules(e: Evidence, rules: RoutingRules): Choice {
  const point = e.location?.point ?? null;
  const lang = e.language?.code ?? null;
  if (point) return nearest(point, lang, e, rules);

  if (lang) {
    const primary = rules.primary_affiliate_by_language[lang];
    if (primary) {
      const other = rules.affiliates.find((a) => a.id !== primary && a.languages.includes(lang));
      return {
        affiliate: primary,
        step: "language",
        distance: null,
        confidence: e.language?.confidence ?? 0,
        runnerUp: other
          ? { affiliate: other.id, distance_km: null, why: `also speaks ${lang}` }
          : null,
        reasons: [
          `No place known; ${label(rules, primary)} is the primary affiliate for ${languageName(lang)}.`,
        ],
      };
    }
  }
  const because = lang
    ? `no place known and no primary affiliate for ${languageName(lang)}`
    : "neither place nor language known";
  return {
    affiliate: rules.default_affiliate,
    step: "default",
    distance: null,
    confidence: 0,
    runnerUp: null,
    reasons: [`Default affiliate ${label(rules, rules.default_affiliate)}: ${because}.`],
  };
}

/**
 * Step 2: the nearest affiliate that speaks the reader's language wins when it is within
 * `language_radius_km` or no more than `language_stretch` times as far as the nearest of all;
 * otherwise the nearest of all. The reason says which condition held.
 */
function nearest(point: Point, lang: string | null, e: Evidence, rules: RoutingRules): Choice {
  const all = rankByDistance(point, rules);
  const [first, second] = all;
  if (!first) throw new Error("rules have no affiliates"); // the schema requires at least one
  const speaks = (r: Ranked) =>
    lang !== null && !!rules.affiliateById.get(r.id)?.languages.includes(lang);
  const speakers = all.filter(speaks);
  const locConfidence = e.location?.confidence ?? 0;
  const radius = km(rules.language_radius_km);
  const stretch = rules.language_stretch;
  const base = (id: string) => rules.affiliateById.get(id)?.base.city ?? "its base";
  const at = (r: Ranked) => `${label(rules, r.id)}, ${base(r.id)} ${km(r.distance)} away`;
  const best = speakers[0];
  if (best && lang) {
    const withinRadius = best.distance <= rules.language_radius_km;
    const withinStretch = best.distance <= stretch * first.distance;
    if (withinRadius || withinStretch) {
      const alt = first.id !== best.id ? first : speakers[1];
      const name = languageName(lang);
      let why: string;
      if (withinRadius) why = `Nearest ${name}-speaking affiliate within ${radius}: ${at(best)}.`;
      else if (best.id === first.id)
        why = `Nearest affiliate of all, and it speaks ${name}: ${at(best)}.`;
      else
        why = `Nearest ${name}-speaking affiliate: ${at(best)}; beyond ${radius}, but no more than ${formatStretch(stretch)} the ${km(first.distance)} to the nearest affiliate of all, ${first.id} (${base(first.id)}).`;
      return {
        affiliate: best.id,
        step: "nearest",
        distance: round1(best.distance),
        confidence: locConfidence * (e.language?.confidence ?? 1),
        runnerUp: alt
          ? {
              affiliate: alt.id,
              distance_km: round1(alt.distance),
              why: alt === first ? `nearer, but does not speak ${lang}` : `next ${lang} speaker`,
            }
          : null,
        reasons: [why],
      };
    }
  }
  let why = "language unknown";
  if (lang && best) {
    why = `the nearest ${languageName(lang)}-speaking affiliate, ${best.id} at ${km(best.distance)}, is beyond ${radius} and more than ${formatStretch(stretch)} as far`;
  } else if (lang) {
    why = `no affiliate speaks ${languageName(lang)}`;
  }
  return {
    affiliate: first.id,
    step: "nearest",
    distance: round1(first.distance),
    confidence: locConfidence,
    runnerUp: second
      ? { affiliate: second.id, distance_km: round1(second.distance), why: "next nearest" }
      : null,
    reasons: [`Nearest affiliate of all (${why}): ${at(first)}.`],
  };
}

/** 1.5 → "1.5×". */
function formatStretch(x: number): string {
  return `${Math.round(x * 100) / 100}×`;
}
