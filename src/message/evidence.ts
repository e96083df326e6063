import { z } from "zod";

/** Where the language came from, in the order ROUTING.md tries them. */
export const LanguageSourceSchema = z.enum(["text", "platform_tag"]);
export type LanguageSource = z.infer<typeof LanguageSourceSchema>;

/** Where the location came from, in the order ROUTING.md tries them. */
export const LocationSourceSchema = z.enum([
  "answer",
  "self_report",
  "signature",
  "profile",
  "phone",
  "email_tld",
  "language_tag",
]);
export type LocationSource = z.infer<typeof LocationSourceSchema>;

export const PointSchema = z.object({ lat: z.number(), lon: z.number() });
export type Point = z.infer<typeof PointSchema>;

export const LanguageEvidenceSchema = z.object({
  /** ISO 639-1 code. */
  code: z.string().length(2),
  source: LanguageSourceSchema,
  /** 0..1: how sure the detector or the source is. */
  confidence: z.number().min(0).max(1),
  /** Human-readable detail, e.g. `detector eld, 0.93` or `telegram.language_code "de"`. */
  detail: z.string(),
});
export type LanguageEvidence = z.infer<typeof LanguageEvidenceSchema>;

export const LocationEvidenceSchema = z.object({
  /** ISO 3166-1 alpha-2. */
  country: z.string().length(2),
  /** The recognised city, in its GeoNames name, if any. */
  city: z.string().optional(),
  /** A first-level division named without a city ("Ontario"), if any. */
  division: z.string().optional(),
  /** The city's point, else the division's largest city, else the country's reference point (capital, else centroid). */
  point: PointSchema.nullable(),
  /** What the point is: the city, the division's largest city, the capital, or the centroid. */
  pointKind: z.enum(["city", "division", "capital", "centroid"]).nullable(),
  source: LocationSourceSchema,
  confidence: z.number().min(0).max(1),
  /** Human-readable detail, e.g. `"ich wohne in Wien" → Vienna, AT`. No more of the message than the phrase. */
  detail: z.string(),
});
export type LocationEvidence = z.infer<typeof LocationEvidenceSchema>;

/** What the router knows about one message: the engine's whole input besides the rules. */
export const EvidenceSchema = z.object({
  channel: z.string(),
  language: LanguageEvidenceSchema.nullable(),
  location: LocationEvidenceSchema.nullable(),
  /** Cleaned text (quotes, signatures, URLs removed) for `text` rule conditions. */
  text: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;
