#!/usr/bin/env node
// Checks the hand-labelled development set (messages.tune.jsonl, messages.holdout.jsonl):
// every line parses, ids are unique, the required fields are there, and expect.affiliate is
// what ROUTING.md's Decision gives for the labelled truth. Independent of src/ on purpose: it
// carries its own bases, rules, capitals and haversine, so a bug in the engine cannot leak into
// the labels that judge it.
//
//   node test/quality/check-labels.mjs            # errors and a summary; exit 1 on any error
//   node test/quality/check-labels.mjs --counts   # also the per-half tables (category, language, channel)

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
// `tune3` is a third tuning set (README, "The tune3 set"), checked like the others and not split.
// `fresh` is a third, independent held-back set written after the engine's first tuning passes
// by someone who never worked on the engine (see README, "The fresh set"); it is not split.
// `fresh2` is a second such set, written later by another person who never saw the engine's
// results on it (see README, "The second fresh set"). `fresh3`, `fresh4` and `fresh5` are the
// third to fifth, held back in the same way (README, "The third fresh set" and the following).
// `tune5` is another tuning set written to find the location reader's failures (README, "The
// tune5 set"), checked like the others and not split.
const FILES = {
  tune: "messages.tune.jsonl",
  holdout: "messages.holdout.jsonl",
  fresh: "messages.fresh.jsonl",
  tune3: "messages.tune3.jsonl",
  fresh2: "messages.fresh2.jsonl",
  fresh3: "messages.fresh3.jsonl",
  fresh4: "messages.fresh4.jsonl",
  fresh5: "messages.fresh5.jsonl",
  tune5: "messages.tune5.jsonl",
};

/** ROUTING.md, "Affiliates": base points and spoken languages, in the table's order (ties go to the first). */
const AFFILIATES = [
  { id: "cwo", lat: 51.5074, lon: -0.1278, speaks: ["en"] },
  { id: "pcint", lat: 45.4642, lon: 9.19, speaks: ["it"] },
  { id: "gik", lat: 52.52, lon: 13.405, speaks: ["de"] },
  { id: "klasbatalo", lat: 45.5019, lon: -73.5674, speaks: ["fr", "en"] },
  { id: "iwg", lat: 43.0731, lon: -89.4012, speaks: ["en"] },
  { id: "bp", lat: 48.8566, lon: 2.3522, speaks: ["fr"] },
  { id: "ico", lat: -33.8688, lon: 151.2093, speaks: ["en"] },
];
const AFFILIATE_IDS = new Set(AFFILIATES.map((a) => a.id));
const DEFAULT_AFFILIATE = "cwo";
const PRIMARY_BY_LANGUAGE = { en: "cwo", it: "pcint", de: "gik", fr: "bp" };
const LANGUAGE_RADIUS_KM = 1500;
const LANGUAGE_STRETCH = 1.5;
const EARTH_RADIUS_KM = 6371.0088;

/** The default rules, in order. Oceania is UN M49 region 009 (Australia and New Zealand, Melanesia, Micronesia, Polynesia). */
const OCEANIA = new Set(
  "AU NZ NF CX CC HM FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF".split(
    " ",
  ),
);
const RULES = [
  { id: "uk", affiliate: "cwo", holds: (c) => c === "GB" },
  { id: "italy", affiliate: "pcint", holds: (c) => c === "IT" },
  { id: "germany", affiliate: "gik", holds: (c) => c === "DE" },
  { id: "canada", affiliate: "klasbatalo", holds: (c) => c === "CA" },
  { id: "us", affiliate: "iwg", holds: (c) => c === "US" },
  { id: "france", affiliate: "bp", holds: (c) => c === "FR" },
  { id: "oceania", affiliate: "ico", holds: (c) => OCEANIA.has(c) },
];

/** Capitals (approximate), the point used when the truth names a country but no city. */
const CAPITALS = {
  AE: [24.45, 54.38],
  AF: [34.53, 69.17],
  AL: [41.33, 19.82],
  AM: [40.18, 44.51],
  AO: [-8.84, 13.23],
  AR: [-34.61, -58.38],
  AT: [48.21, 16.37],
  AU: [-35.28, 149.13],
  AZ: [40.41, 49.87],
  BA: [43.85, 18.36],
  BD: [23.81, 90.41],
  BE: [50.85, 4.35],
  BF: [12.37, -1.52],
  BG: [42.7, 23.32],
  BJ: [6.5, 2.6],
  BO: [-16.5, -68.15],
  BR: [-15.79, -47.88],
  BY: [53.9, 27.57],
  CA: [45.42, -75.7],
  CD: [-4.32, 15.31],
  CH: [46.95, 7.45],
  CI: [6.82, -5.28],
  CL: [-33.45, -70.67],
  CM: [3.87, 11.52],
  CN: [39.9, 116.4],
  CO: [4.61, -74.08],
  CR: [9.93, -84.08],
  CU: [23.13, -82.38],
  CY: [35.17, 33.36],
  CZ: [50.09, 14.42],
  DE: [52.52, 13.41],
  DK: [55.68, 12.57],
  DO: [18.47, -69.89],
  DZ: [36.75, 3.06],
  EC: [-0.22, -78.51],
  EE: [59.44, 24.75],
  EG: [30.04, 31.24],
  ES: [40.42, -3.7],
  ET: [9.03, 38.74],
  FI: [60.17, 24.94],
  FJ: [-18.14, 178.44],
  FR: [48.86, 2.35],
  GB: [51.51, -0.13],
  GE: [41.69, 44.8],
  GH: [5.56, -0.2],
  GR: [37.98, 23.73],
  GT: [14.64, -90.51],
  HN: [14.08, -87.21],
  HR: [45.81, 15.98],
  HU: [47.5, 19.04],
  ID: [-6.21, 106.85],
  IE: [53.35, -6.26],
  IL: [31.77, 35.22],
  IN: [28.61, 77.21],
  IQ: [33.31, 44.37],
  IR: [35.69, 51.39],
  IS: [64.15, -21.94],
  IT: [41.9, 12.5],
  JM: [18.0, -76.79],
  JO: [31.95, 35.93],
  JP: [35.68, 139.69],
  KE: [-1.29, 36.82],
  KR: [37.57, 126.98],
  KZ: [51.17, 71.45],
  LB: [33.89, 35.5],
  LK: [6.93, 79.85],
  LT: [54.69, 25.28],
  LU: [49.61, 6.13],
  LV: [56.95, 24.11],
  MA: [34.02, -6.83],
  MD: [47.01, 28.86],
  ME: [42.44, 19.26],
  MK: [42.0, 21.43],
  ML: [12.64, -8.0],
  MT: [35.9, 14.51],
  MX: [19.43, -99.13],
  MY: [3.14, 101.69],
  MZ: [-25.97, 32.57],
  NG: [9.06, 7.5],
  NI: [12.11, -86.24],
  NL: [52.37, 4.89],
  NO: [59.91, 10.75],
  NP: [27.72, 85.32],
  NZ: [-41.29, 174.78],
  PA: [8.98, -79.52],
  PE: [-12.05, -77.04],
  PH: [14.6, 120.98],
  PK: [33.68, 73.05],
  PL: [52.23, 21.01],
  PT: [38.72, -9.14],
  PY: [-25.26, -57.58],
  QA: [25.29, 51.53],
  RO: [44.43, 26.1],
  RS: [44.79, 20.45],
  RU: [55.76, 37.62],
  SA: [24.71, 46.68],
  SD: [15.5, 32.56],
  SR: [5.85, -55.2],
  SE: [59.33, 18.07],
  SG: [1.29, 103.85],
  SI: [46.06, 14.51],
  SK: [48.15, 17.11],
  SN: [14.69, -17.44],
  SV: [13.69, -89.22],
  SY: [33.51, 36.29],
  TH: [13.75, 100.5],
  TN: [36.81, 10.18],
  TR: [39.93, 32.86],
  TW: [25.03, 121.57],
  TZ: [-6.16, 35.75],
  UA: [50.45, 30.52],
  UG: [0.35, 32.58],
  US: [38.9, -77.04],
  UY: [-34.9, -56.16],
  VE: [10.49, -66.88],
  VN: [21.03, 105.85],
  ZA: [-25.75, 28.19],
  ZM: [-15.42, 28.28],
  ZW: [-17.83, 31.05],
};

const CATEGORIES = [
  "self_report",
  "origin_vs_current",
  "mention_only",
  "signature",
  "ambiguous",
  "nickname",
  "far_away",
  "profile",
  "cctld",
  "phone",
  "language_tag",
  "web_form_country",
  "no_place",
  "quoted_reply",
];
const LANGUAGES = ["en", "it", "de", "fr", "sv", "es", "fa", "pl", "ru", "nl", "pt"];
const CHANNELS = ["telegram", "discord", "twitter", "email", "web"];

function haversineKm(lat1, lon1, lat2, lon2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Nearest of a list by distance; the first listed wins a tie. */
function nearest(list) {
  return list.reduce((best, x) => (x.km < best.km ? x : best));
}

/** Decision step 2 on a list of affiliates with their distances `km` to the point. */
function nearestStep(dists, language) {
  const all = nearest(dists);
  const speakers = dists.filter((a) => language && a.speaks.includes(language));
  if (speakers.length > 0) {
    const lang = nearest(speakers);
    if (lang.km <= LANGUAGE_RADIUS_KM || lang.km <= LANGUAGE_STRETCH * all.km) {
      return { affiliate: lang.id, step: `nearest speaker ${km(lang)}` };
    }
  }
  return { affiliate: all.id, step: `nearest of all ${km(all)}` };
}

/** Error (km) a distance may carry because another source puts the same city a little elsewhere. */
const WOBBLE_KM = 25;

/**
 * ROUTING.md's Decision applied to a truth label: {affiliate, step, fragile?}. `fragile` is set
 * when moving any distance by ±25 km changes the answer, so a slightly different coordinate
 * for the same city could flip it.
 */
function decide(truth) {
  const { country, language } = truth;
  if (country) {
    const rule = RULES.find((r) => r.holds(country));
    if (rule) return { affiliate: rule.affiliate, step: `rule ${rule.id}` };
    const point =
      typeof truth.lat === "number" && typeof truth.lon === "number"
        ? [truth.lat, truth.lon]
        : CAPITALS[country];
    if (!point) return { error: `no city point and no capital known for ${country}` };
    const dists = AFFILIATES.map((a) => ({
      ...a,
      km: haversineKm(point[0], point[1], a.lat, a.lon),
    }));
    const result = nearestStep(dists, language);
    const flips = new Set();
    for (let mask = 0; mask < 1 << dists.length; mask++) {
      const moved = dists.map((a, i) => ({
        ...a,
        km: a.km + (mask & (1 << i) ? WOBBLE_KM : -WOBBLE_KM),
      }));
      const other = nearestStep(moved, language).affiliate;
      if (other !== result.affiliate) flips.add(other);
    }
    const fragile = flips.size
      ? [
          `${result.step} could flip to ${[...flips].join("/")}: ${[...dists]
            .sort((a, b) => a.km - b.km)
            .slice(0, 3)
            .map((a) => `${a.id} ${km(a)}`)
            .join(", ")}`,
        ]
      : [];
    return { ...result, fragile };
  }
  if (language && PRIMARY_BY_LANGUAGE[language]) {
    return { affiliate: PRIMARY_BY_LANGUAGE[language], step: "language" };
  }
  return { affiliate: DEFAULT_AFFILIATE, step: "default" };
}

function km(a) {
  return `${Math.round(a.km)} km`;
}

function checkInput(rec, problems) {
  const input = rec.input;
  if (!input || typeof input !== "object") return problems.push("input missing");
  if (input.channel !== rec.channel)
    problems.push(`input.channel ${input.channel} ≠ channel ${rec.channel}`);
  if (rec.channel === "email") {
    if (typeof input.raw !== "string") return problems.push("email input needs raw");
    const head = input.raw.split(/\r?\n\r?\n/)[0] ?? "";
    for (const h of [
      "From",
      "To",
      "Subject",
      "Date",
      "Message-ID",
      "MIME-Version",
      "Content-Type",
    ]) {
      if (!new RegExp(`^${h}:`, "im").test(head)) problems.push(`email lacks ${h} header`);
    }
    return;
  }
  const p = input.payload;
  if (!p || typeof p !== "object") return problems.push("input.payload missing");
  switch (rec.channel) {
    case "telegram": {
      const m = p.message ?? p.edited_message;
      if (typeof p.update_id !== "number" || !m)
        return problems.push("telegram update lacks update_id or message");
      for (const f of ["message_id", "date", "chat", "from"])
        if (m[f] === undefined) problems.push(`telegram message lacks ${f}`);
      if (m.text === undefined && m.caption === undefined && m.contact === undefined)
        problems.push("telegram message has no text, caption or contact");
      if (m.contact && m.from && m.contact.user_id !== m.from.id)
        problems.push("shared contact is not the sender's own");
      break;
    }
    case "discord":
      for (const f of ["id", "channel_id", "author", "content", "timestamp"])
        if (p[f] === undefined) problems.push(`discord message lacks ${f}`);
      if (p.author)
        for (const f of ["id", "username", "global_name"])
          if (!(f in p.author)) problems.push(`discord author lacks ${f}`);
      break;
    case "twitter": {
      if (!p.data || !p.includes || !Array.isArray(p.includes.users))
        return problems.push("twitter payload needs data and includes.users");
      const author = p.data.sender_id ?? p.data.author_id;
      if (!author) problems.push("twitter data has neither sender_id nor author_id");
      if (!p.includes.users.some((u) => u.id === author))
        problems.push("twitter includes.users lacks the author");
      if (typeof p.data.text !== "string") problems.push("twitter data lacks text");
      break;
    }
    case "web":
      if (typeof p.message !== "string") problems.push("web payload lacks message");
      break;
  }
}

function checkRecord(rec, where, problems) {
  for (const f of ["id", "category", "lang", "channel", "input", "truth", "expect", "note"]) {
    if (rec[f] === undefined) problems.push(`missing ${f}`);
  }
  if (!CATEGORIES.includes(rec.category)) problems.push(`unknown category ${rec.category}`);
  if (!LANGUAGES.includes(rec.lang)) problems.push(`unknown lang ${rec.lang}`);
  if (!CHANNELS.includes(rec.channel)) problems.push(`unknown channel ${rec.channel}`);
  checkInput(rec, problems);
  const t = rec.truth ?? {};
  const e = rec.expect ?? {};
  if (!("country" in t)) problems.push("truth.country missing (null when unknown)");
  if (t.country !== null && t.country !== undefined && !/^[A-Z]{2}$/.test(t.country))
    problems.push(`truth.country ${t.country} is not ISO alpha-2`);
  if (t.city !== undefined && (typeof t.lat !== "number" || typeof t.lon !== "number"))
    problems.push("truth.city without lat/lon");
  if (typeof t.lat === "number" && (Math.abs(t.lat) > 90 || Math.abs(t.lon) > 180))
    problems.push("truth lat/lon out of range");
  if (t.city !== undefined && !t.country) problems.push("truth.city without a country");
  if (!LANGUAGES.includes(t.language))
    problems.push(`truth.language ${t.language} is not one of the eleven`);
  if (t.language !== rec.lang) problems.push(`lang ${rec.lang} ≠ truth.language ${t.language}`);
  if (!AFFILIATE_IDS.has(e.affiliate)) problems.push(`unknown expect.affiliate ${e.affiliate}`);
  if (e.country !== t.country)
    problems.push(`expect.country ${e.country} ≠ truth.country ${t.country}`);
  if (e.language !== t.language)
    problems.push(`expect.language ${e.language} ≠ truth.language ${t.language}`);
  const d = decide(t);
  if (d.error) problems.push(d.error);
  else if (d.affiliate !== e.affiliate)
    problems.push(
      `expect.affiliate ${e.affiliate}, but the Decision gives ${d.affiliate} (${d.step})`,
    );
  return { where, decision: d };
}

function table(title, keys, counts) {
  console.log(`\n${title}`);
  console.log(
    `${"".padEnd(18)}${"tune".padStart(6)}${"holdout".padStart(9)}${"total".padStart(7)}`,
  );
  for (const k of keys) {
    const t = counts.tune[k] ?? 0;
    const h = counts.holdout[k] ?? 0;
    console.log(
      `${k.padEnd(18)}${String(t).padStart(6)}${String(h).padStart(9)}${String(t + h).padStart(7)}`,
    );
  }
}

function main() {
  const showCounts = process.argv.includes("--counts");
  const ids = new Map();
  let errors = 0;
  const fragile = [];
  // One empty entry per set of FILES.
  const perSet = (value) => Object.fromEntries(Object.keys(FILES).map((set) => [set, value()]));
  const by = (dim) => ({ ...perSet(() => ({})), dim });
  const counts = { category: by("category"), lang: by("lang"), channel: by("channel") };
  const cell = perSet(() => ({}));
  const total = perSet(() => 0);
  for (const [half, file] of Object.entries(FILES)) {
    let text;
    try {
      text = readFileSync(join(HERE, file), "utf8");
    } catch {
      console.log(`${file}: missing`);
      errors++;
      continue;
    }
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const where = `${file}:${i + 1}`;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch (err) {
        console.log(`${where}: not JSON (${err.message})`);
        errors++;
        return;
      }
      const problems = [];
      if (ids.has(rec.id)) problems.push(`duplicate id (also ${ids.get(rec.id)})`);
      else ids.set(rec.id, where);
      const { decision } = checkRecord(rec, where, problems);
      for (const p of problems) console.log(`${where} ${rec.id ?? "?"}: ${p}`);
      errors += problems.length;
      if (decision.fragile?.length)
        fragile.push(`${where} ${rec.id}: ${decision.fragile.join("; ")}`);
      total[half]++;
      for (const c of Object.values(counts)) c[half][rec[c.dim]] = (c[half][rec[c.dim]] ?? 0) + 1;
      const key = `${rec.category}×${rec.lang}`;
      cell[half][key] = (cell[half][key] ?? 0) + 1;
    });
  }
  const keys = new Set([...Object.keys(cell.tune), ...Object.keys(cell.holdout)]);
  for (const k of [...keys].sort()) {
    const t = cell.tune[k] ?? 0;
    const h = cell.holdout[k] ?? 0;
    if (Math.abs(t - h) > 1) {
      console.log(`split: ${k} has ${t} in tune and ${h} in holdout (should alternate)`);
      errors++;
    }
  }
  for (const f of fragile) console.log(`near a threshold (check the coordinates): ${f}`);
  if (showCounts) {
    table("by category", CATEGORIES, counts.category);
    table("by language", LANGUAGES, counts.lang);
    table("by channel", CHANNELS, counts.channel);
  }
  console.log(
    `\n${total.tune} tune + ${total.holdout} holdout = ${total.tune + total.holdout} messages, ${total.fresh} fresh, ${total.tune3} tune3, ${total.fresh2} fresh2, ${total.fresh3} fresh3, ${total.fresh4} fresh4, ${total.fresh5} fresh5 and ${total.tune5} tune5; ${errors} problem(s)`,
  );
  process.exitCode = errors > 0 ? 1 : 0;
}

main();
