import { z } from "zod";
import { LanguageSourceSchema, LocationSourceSchema, PointSchema } from "./evidence.js";

/** Which step of ROUTING.md's decision decided. */
export const StepSchema = z.enum(["rule", "nearest", "language", "default"]);
export type Step = z.infer<typeof StepSchema>;

export const RunnerUpSchema = z.object({
  affiliate: z.string(),
  distance_km: z.number().nullable(),
  why: z.string(),
});

/**
 * The router's answer for one message, with everything an admin needs to see why.
 * Field names are snake_case because this is a wire format (CLI output, job data, receipts).
 */
export const DecisionSchema = z.object({
  affiliate: z.string(),
  /** ISO 3166-1 alpha-2 or null. */
  country: z.string().length(2).nullable(),
  country_source: LocationSourceSchema.nullable(),
  city: z.string().nullable(),
  point: PointSchema.nullable(),
  /** ISO 639-1 or null. */
  language: z.string().length(2).nullable(),
  language_source: LanguageSourceSchema.nullable(),
  step: StepSchema,
  /** Rule id, when step is `rule`. */
  rule: z.string().nullable(),
  /** Great-circle distance from the point to the chosen affiliate's base, when a point is known. */
  distance_km: z.number().nullable(),
  /** 0..1, the product of the evidence confidences that the step relied on. */
  confidence: z.number().min(0).max(1),
  needs_translation: z.boolean(),
  runner_up: RunnerUpSchema.nullable(),
  /** Whether a channel that can answer should ask the reader where they write from first. */
  ask_location: z.boolean(),
  reasons: z.array(z.string()),
});
export type Decision = z.infer<typeof DecisionSchema>;
