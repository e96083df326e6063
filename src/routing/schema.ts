import { z } from "zod";
import { ChannelSchema } from "../message/channel.js";
import { StepSchema } from "../message/decision.js";

/**
 * The schema of routing-rules.yaml: the single source of truth for the file's shape.
 * The JSON Schema in schema/routing-rules.schema.json is generated from it (`npm run schema`).
 */

const id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,39}$/,
    "ids are lower-case letters, digits, _ or -, starting with a letter",
  );
const languageCode = z
  .string()
  .regex(
    /^[a-z]{2}$/,
    "a language is an ISO 639-1 code: two lower-case letters such as en, de, pt",
  );
/** A waiting time: a whole number of minutes, hours or days (`90m`, `12h`, `3d`), or `off`. */
export const duration = z
  .string()
  .regex(
    /^(?:[1-9][0-9]{0,5}[mhd]|off)$/,
    "a duration is a whole number with m (minutes), h (hours) or d (days), e.g. 3d or 36h; or off",
  );

/** Milliseconds of a duration (`3d` → 259200000); null for `off`. */
export function durationMs(text: string): number | null {
  if (text === "off") return null;
  const n = Number(text.slice(0, -1));
  const unit = text.at(-1);
  return n * (unit === "m" ? 60_000 : unit === "h" ? 3_600_000 : 86_400_000);
}

/** How long an affiliate may leave a conversation unanswered before a reminder, by default. */
export const DEFAULT_ESCALATE_AFTER = "3d";

const countryCode = z
  .string()
  .regex(
    /^[A-Z]{2}$/,
    "a country is an ISO 3166-1 alpha-2 code: two capital letters such as GB, DE",
  );

/** True for a time zone Intl knows (IANA names and their aliases, e.g. UTC). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const AffiliateSchema = z
  .object({
    id: id.describe("Short stable id used by rules and in decisions, e.g. cwo."),
    name: z.string().min(1).max(200).describe("Full name shown in emails and explanations."),
    inbox: z.email().describe("Where contacts routed to this affiliate are emailed."),
    reply_from: z
      .array(z.email())
      .max(50)
      .optional()
      .describe(
        "Other addresses its volunteers answer from: the relay passes on replies from these and from the inbox.",
      ),
    languages: z
      .array(languageCode)
      .min(1)
      .describe(
        "Languages the affiliate reads and answers in; forwards are written in the first one contact-router has texts for (en, de, it, fr), else English.",
      ),
    timezone: z
      .string()
      .refine(isTimeZone, "an IANA time zone such as Europe/Berlin or America/Toronto")
      .optional()
      .describe("IANA time zone for the dates in forwards, e.g. Europe/Berlin (default UTC)."),
    escalate_after: duration
      .optional()
      .describe(
        "How long a conversation may wait for this affiliate's first answer before a reminder; after as long again it goes to the escalation affiliate. Overrides the file's escalate_after; off: never.",
      ),
    base: z
      .object({
        city: z.string().max(100).optional(),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
      })
      .strict()
      .describe("Where the affiliate is, for distances."),
  })
  .strict();

export const ConditionsSchema = z
  .object({
    country: z.array(countryCode).min(1).optional().describe("Any of these countries."),
    region: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Any of these UN M49 regions or sub-regions, by name or code ("Oceania", "009").'),
    language: z.array(languageCode).min(1).optional().describe("Any of these languages."),
    channel: z.array(ChannelSchema).min(1).optional().describe("Any of these channels."),
    text: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe("An RE2 pattern (linear time, case-insensitive) the cleaned text must contain."),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    message: "a rule needs at least one condition (country, region, language, channel or text)",
  });

export const RuleSchema = z
  .object({
    id: id.describe("Rule id, shown in decisions."),
    description: z.string().max(500).optional(),
    affiliate: id.describe("The affiliate this rule routes to."),
    when: ConditionsSchema.describe("All conditions must hold."),
  })
  .strict();

export const ExampleSchema = z
  .object({
    name: z.string().min(1).max(200),
    input: z
      .record(z.string(), z.unknown())
      .describe("A message in the same form as a `contact-router route` input line."),
    expect: z
      .object({
        affiliate: id,
        step: StepSchema.optional(),
        rule: id.optional(),
        country: countryCode.nullable().optional(),
        language: languageCode.nullable().optional(),
        needs_translation: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

export const RulesFileSchema = z
  .object({
    version: z.literal(1).describe("Format version of this file."),
    default_affiliate: id.describe("Where a contact goes when nothing is known."),
    language_radius_km: z
      .number()
      .positive()
      .max(20_016)
      .default(1500)
      .describe("How far a same-language affiliate may be and still be preferred to a nearer one."),
    language_stretch: z
      .number()
      .min(1)
      .max(100)
      .default(1.5)
      .describe(
        "A same-language affiliate beyond language_radius_km is still preferred when it is no more than this many times as far as the nearest affiliate of all.",
      ),
    escalate_after: duration
      .default(DEFAULT_ESCALATE_AFTER)
      .describe(
        "How long a conversation may wait for its affiliate's first answer before the affiliate is reminded; after as long again it is handed to escalation_affiliate. Per affiliate: escalate_after there. off: never.",
      ),
    escalation_affiliate: id
      .optional()
      .describe(
        "Who takes over a conversation its affiliate left unanswered after a reminder (default: default_affiliate).",
      ),
    affiliates: z.array(AffiliateSchema).min(1),
    primary_affiliate_by_language: z
      .record(languageCode, id)
      .default({})
      .describe("Who answers a language when no place is known."),
    translation_languages: z
      .array(languageCode)
      .default([])
      .describe(
        "Languages the network can translate; contacts in them are flagged when the affiliate lacks the language.",
      ),
    generic_cctlds: z
      .array(z.string().regex(/^[a-z]{2}$/, "a ccTLD is two lower-case letters, without the dot"))
      .default([])
      .describe("Country-code TLDs used generically (.io, .co …): ignored as location evidence."),
    rules: z
      .array(RuleSchema)
      .default([])
      .describe("Ordered; the first whose conditions all hold wins."),
    examples: z
      .array(ExampleSchema)
      .default([])
      .describe("Checked by `contact-router rules check`."),
  })
  .strict();

export type RulesFile = z.infer<typeof RulesFileSchema>;
export type Affiliate = z.infer<typeof AffiliateSchema>;
export type RuleSpec = z.infer<typeof RuleSchema>;
export type RuleExample = z.infer<typeof ExampleSchema>;
