import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Evidence, LocationSource } from "../../src/message/evidence.js";
import { DecisionSchema } from "../../src/message/decision.js";
import { decide } from "../../src/routing/engine.js";
import { distanceKm } from "../../src/routing/geo.js";
import { loadRulesFile, parseRules } from "../../src/routing/load.js";

const rules = loadRulesFile();

const VIENNA = { lat: 48.20849, lon: 16.37208 };
const ZURICH = { lat: 47.36667, lon: 8.55 };
const BARCELONA = { lat: 41.38879, lon: 2.15899 };
const BRASILIA = { lat: -15.77972, lon: -47.92972 };
const ACCRA = { lat: 5.55602, lon: -0.1969 };
const BANGKOK = { lat: 13.75398, lon: 100.50144 };

function evidence(opts: {
  lang?: string;
  country?: string;
  point?: { lat: number; lon: number } | null;
  source?: LocationSource;
  channel?: string;
  text?: string;
}): Evidence {
  return {
    channel: opts.channel ?? "telegram",
    text: opts.text ?? "",
    language: opts.lang
      ? { code: opts.lang, source: "text", confidence: 0.9, detail: "test" }
      : null,
    location: opts.country
      ? {
          country: opts.country,
          point: opts.point ?? null,
          pointKind: opts.point ? "city" : null,
          source: opts.source ?? "self_report",
          confidence: 0.8,
          detail: "test",
        }
      : null,
  };
}

describe("great-circle distance", () => {
  it("matches the distances ROUTING.md quotes", () => {
    const base = (id: string) => rules.affiliateById.get(id)!.base;
    expect(distanceKm(VIENNA, base("gik"))).toBeCloseTo(523, -1);
    expect(distanceKm(ZURICH, base("gik"))).toBeCloseTo(670, -1);
    expect(distanceKm(ZURICH, base("pcint"))).toBeCloseTo(220, -1);
    expect(distanceKm(BARCELONA, base("pcint"))).toBeCloseTo(725, -1);
    expect(distanceKm(BARCELONA, base("bp"))).toBeCloseTo(830, -1);
    expect(distanceKm(BRASILIA, base("klasbatalo"))).toBeGreaterThan(7200);
    expect(distanceKm(BRASILIA, base("klasbatalo"))).toBeLessThan(7350);
    expect(distanceKm(VIENNA, VIENNA)).toBe(0);
  });
});

describe("decision steps (ROUTING.md worked examples, evidence given directly)", () => {
  it("Vienna, German: nearest German speaker within 1,500 km", () => {
    const d = decide(evidence({ lang: "de", country: "AT", point: VIENNA }), rules);
    expect(d).toMatchObject({
      affiliate: "gik",
      step: "nearest",
      country: "AT",
      language: "de",
      needs_translation: false,
    });
    expect(d.distance_km).toBeCloseTo(523, -1);
    expect(d.reasons.join("\n")).toMatch(/Nearest German-speaking affiliate within 1,500 km: gik/);
  });

  it("Zürich, German: Berlin beats the nearer Milan, which is the runner-up", () => {
    const d = decide(
      evidence({ lang: "de", country: "CH", point: ZURICH, source: "profile" }),
      rules,
    );
    expect(d).toMatchObject({ affiliate: "gik", step: "nearest", country_source: "profile" });
    expect(d.runner_up).toMatchObject({ affiliate: "pcint", why: "nearer, but does not speak de" });
    expect(d.runner_up?.distance_km).toBeCloseTo(220, -1);
  });

  it("Barcelona, Spanish: nobody speaks es nearby, so the nearest of all", () => {
    const d = decide(evidence({ lang: "es", country: "ES", point: BARCELONA }), rules);
    expect(d).toMatchObject({ affiliate: "pcint", step: "nearest", needs_translation: true });
    expect(d.runner_up?.affiliate).toBe("bp");
    expect(d.reasons.join("\n")).toMatch(/the network has Spanish speakers/);
  });

  it("Accra, English: London is beyond 1,500 km but within 1.5× Milan's distance", () => {
    const d = decide(evidence({ lang: "en", country: "GH", point: ACCRA }), rules);
    expect(d).toMatchObject({ affiliate: "cwo", step: "nearest", needs_translation: false });
    expect(d.distance_km).toBeCloseTo(5110, -1);
    expect(d.runner_up).toMatchObject({ affiliate: "pcint", why: "nearer, but does not speak en" });
    expect(d.runner_up?.distance_km).toBeCloseTo(4530, -1);
    expect(d.reasons.join("\n")).toMatch(
      /Nearest English-speaking affiliate: cwo .* 5,11\d km away; beyond 1,500 km, but no more than 1\.5× the 4,53\d km to the nearest affiliate of all, pcint \(Milan\)/,
    );
  });

  it("the stretch has a limit: an Italian reader in Bangkok goes to the nearest of all", () => {
    // Milan is about 9,000 km from Bangkok, Sydney about 7,500 km: 1.2× is within 1.5×...
    const within = decide(evidence({ lang: "it", country: "TH", point: BANGKOK }), rules);
    expect(within.affiliate).toBe("pcint");
    // ...but with a stretch of 1.1 it is not.
    const tight = decide(evidence({ lang: "it", country: "TH", point: BANGKOK }), {
      ...rules,
      language_stretch: 1.1,
    });
    expect(tight).toMatchObject({ affiliate: "ico", step: "nearest", needs_translation: true });
    expect(tight.reasons.join("\n")).toMatch(
      /Nearest affiliate of all \(the nearest Italian-speaking affiliate, pcint at 9,\d{3} km, is beyond 1,500 km and more than 1\.1× as far\): ico/,
    );
  });

  it("the nearest affiliate of all wins outright when it speaks the language", () => {
    const DAKAR = { lat: 14.6937, lon: -17.44406 };
    const d = decide(evidence({ lang: "fr", country: "SN", point: DAKAR }), rules);
    expect(d).toMatchObject({ affiliate: "bp", step: "nearest" });
    expect(d.reasons.join("\n")).toMatch(/Nearest affiliate of all, and it speaks French: bp/);
  });

  it("Brazil, Portuguese: nearest of all from Brasília, flagged for translation", () => {
    const d = decide(
      evidence({ lang: "pt", country: "BR", point: BRASILIA, source: "email_tld" }),
      rules,
    );
    expect(d).toMatchObject({ affiliate: "klasbatalo", step: "nearest", needs_translation: true });
  });

  it("Canada matches the canada rule before any distance is considered", () => {
    const d = decide(
      evidence({ lang: "fr", country: "CA", point: null, source: "language_tag" }),
      rules,
    );
    expect(d).toMatchObject({
      affiliate: "klasbatalo",
      step: "rule",
      rule: "canada",
      distance_km: null,
    });
    expect(d.reasons.join("\n")).toMatch(/Rule "canada" matched \(country CA\)/);
  });

  it("Oceania is matched by region, not by a country list", () => {
    for (const cc of ["AU", "NZ", "FJ", "PG"]) {
      expect(decide(evidence({ lang: "en", country: cc }), rules)).toMatchObject({
        affiliate: "ico",
        rule: "oceania",
      });
    }
  });

  it("English with no place: the primary English affiliate", () => {
    const d = decide(evidence({ lang: "en" }), rules);
    expect(d).toMatchObject({
      affiliate: "cwo",
      step: "language",
      country: null,
      ask_location: false,
    });
  });

  it("nothing known: the default affiliate, after asking where the reader is", () => {
    const d = decide(evidence({}), rules);
    expect(d).toMatchObject({
      affiliate: "cwo",
      step: "default",
      confidence: 0,
      ask_location: true,
      runner_up: null,
    });
  });

  it("a language with no primary affiliate and no place falls to the default", () => {
    const d = decide(evidence({ lang: "sv" }), rules);
    expect(d).toMatchObject({
      affiliate: "cwo",
      step: "default",
      needs_translation: true,
      ask_location: true,
    });
  });

  it("a country without a point (no capital, no centroid) skips the nearest step", () => {
    const d = decide(evidence({ lang: "it", country: "ES", point: null }), rules);
    expect(d).toMatchObject({ affiliate: "pcint", step: "language" });
  });
});

describe("rule conditions", () => {
  const custom = parseRules(
    `version: 1
default_affiliate: a
affiliates:
  - { id: a, name: A, inbox: a@example.org, languages: [en], base: { lat: 0, lon: 0 } }
  - { id: b, name: B, inbox: b@example.org, languages: [en], base: { lat: 0, lon: 0 } }
  - { id: c, name: C, inbox: c@example.org, languages: [en], base: { lat: 10, lon: 10 } }
rules:
  - { id: press, affiliate: b, when: { text: "\\\\b(press|journalist)\\\\b", channel: [email] } }
  - { id: south-europe-es, affiliate: c, when: { region: ["Southern Europe"], language: [es] } }
`,
    "custom.yaml",
  );

  it("all conditions must hold: text and channel", () => {
    expect(decide(evidence({ channel: "email", text: "I am a JOURNALIST" }), custom).rule).toBe(
      "press",
    );
    expect(decide(evidence({ channel: "web", text: "I am a journalist" }), custom).step).toBe(
      "default",
    );
    expect(decide(evidence({ channel: "email", text: "journalistic" }), custom).step).toBe(
      "default",
    );
  });

  it("regions and languages combine; confidence multiplies what the rule relied on", () => {
    const d = decide(evidence({ lang: "es", country: "ES" }), custom);
    expect(d).toMatchObject({ rule: "south-europe-es", confidence: 0.72 });
    expect(decide(evidence({ lang: "en", country: "ES" }), custom).rule).toBeNull();
    expect(decide(evidence({ lang: "es", country: "DE" }), custom).rule).toBeNull();
  });

  it("ties in distance go to the affiliate listed first", () => {
    expect(decide(evidence({ country: "ST", point: { lat: 0, lon: 0 } }), custom).affiliate).toBe(
      "a",
    );
  });
});

describe("engine properties", () => {
  const point = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  });
  const arbitraryEvidence = fc.record({
    lang: fc.option(
      fc.constantFrom("en", "de", "fr", "it", "es", "pt", "ru", "fa", "sv", "pl", "nl", "tr", "zh"),
    ),
    country: fc.option(
      fc.constantFrom("GB", "DE", "AT", "CH", "FR", "IT", "CA", "US", "AU", "BR", "IR", "XK", "AQ"),
    ),
    point: fc.option(point),
    channel: fc.constantFrom("email", "telegram", "discord", "twitter", "web"),
    text: fc.string({ maxLength: 300 }),
  });

  it("always gives a valid, deterministic decision naming a known affiliate", () => {
    fc.assert(
      fc.property(arbitraryEvidence, (raw) => {
        const ev = evidence({
          ...raw,
          lang: raw.lang ?? undefined,
          country: raw.country ?? undefined,
        });
        const d = decide(ev, rules);
        expect(DecisionSchema.parse(d)).toEqual(d);
        expect(rules.affiliateById.has(d.affiliate)).toBe(true);
        expect(decide(ev, rules)).toEqual(d);
        expect(d.reasons.length).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 500 },
    );
  });
});
