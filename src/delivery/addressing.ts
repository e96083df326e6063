import type { ContactToDeliver } from "./types.js";

/** An affiliate as the rules hold it, as far as a forward needs it. */
export interface AffiliateForForward {
  id: string;
  name: string;
  inbox: string;
  languages?: readonly string[];
  timezone?: string | undefined;
}

/**
 * What a forward says about its affiliate and the network: the affiliate (with its language and
 * time zone), who can translate the reader's language when it needs translation, and the ids a
 * reroute may name. `all` is every current affiliate.
 */
export function forwardAddressing(
  target: AffiliateForForward,
  decision: { needs_translation: boolean; language: string | null },
  all: readonly AffiliateForForward[] | null,
): Pick<ContactToDeliver, "affiliate" | "translators" | "affiliateIds"> {
  const lang = decision.language;
  return {
    affiliate: {
      id: target.id,
      name: target.name,
      inbox: target.inbox,
      ...(target.languages ? { languages: [...target.languages] } : {}),
      ...(target.timezone ? { timezone: target.timezone } : {}),
    },
    ...(all && decision.needs_translation && lang
      ? {
          translators: all
            .filter((a) => a.id !== target.id && (a.languages ?? []).includes(lang))
            .map((a) => ({ id: a.id, name: a.name })),
        }
      : {}),
    ...(all ? { affiliateIds: all.map((a) => a.id) } : {}),
  };
}
