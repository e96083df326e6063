import { z } from "zod";
import { InvalidPayloadError } from "../errors.js";
import type { InboundMessage } from "../message/inbound.js";
import { normalizeForChannel } from "../../adapters/normalizers.js";

/** One input line of `contact-router route`, and the `input` of a rules-file example. */
export const InputLineSchema = z.discriminatedUnion("channel", [
  z.object({ channel: z.literal("telegram"), payload: z.unknown() }).strict(),
  z.object({ channel: z.literal("discord"), payload: z.unknown() }).strict(),
  z.object({ channel: z.literal("twitter"), payload: z.unknown() }).strict(),
  z.object({ channel: z.literal("web"), payload: z.unknown() }).strict(),
  z.object({ channel: z.literal("email"), raw: z.string() }).strict(),
]);
export type InputLine = z.infer<typeof InputLineSchema>;

/** Turns an input line (already JSON-parsed) into a canonical message, or throws a clear error. */
export async function messageFromInput(value: unknown): Promise<InboundMessage> {
  const parsed = InputLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new InvalidPayloadError(
      `input line: ${where}${issue?.message ?? "invalid"} (expected {"channel":"telegram|discord|twitter|web","payload":…} or {"channel":"email","raw":"…"})`,
    );
  }
  const line = parsed.data;
  return normalizeForChannel(line.channel, line.channel === "email" ? line.raw : line.payload);
}
