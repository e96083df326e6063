import { Resolver } from "node:dns/promises";
import { authenticate, type DNSResolver } from "mailauth";
import type { PlatformEvidence } from "../../src/message/inbound.js";

/** SPF/DKIM/DMARC verdicts as recorded in `evidence.emailAuth`. */
export type EmailAuthVerdict = NonNullable<PlatformEvidence["emailAuth"]>;

/** Options for {@link checkEmailAuth}. */
export interface EmailAuthOptions {
  /** DNS resolver for mailauth; defaults to the system resolver with short timeouts. */
  resolver?: DNSResolver;
  /** Upper bound for the whole check; past it every verdict is `temperror`. */
  timeoutMs?: number;
}

/** A resolver that never touches the network: every lookup fails at once with ENOTFOUND. */
export const offlineResolver: DNSResolver = (domain) =>
  Promise.reject(
    Object.assign(new Error(`offline: no DNS for ${domain.slice(0, 0)}`), { code: "ENOTFOUND" }),
  );

/** A system-DNS resolver with one try and a short timeout per query, so a dead DNS fails fast. */
export function systemResolver(timeoutMs = 1_500): DNSResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  return async (domain, rrtype) => {
    switch (rrtype) {
      case "TXT":
        return resolver.resolveTxt(domain);
      case "MX":
        return (await resolver.resolveMx(domain)).map((r) => r.exchange);
      case "A":
        return resolver.resolve4(domain);
      case "AAAA":
        return resolver.resolve6(domain);
      default:
        return resolver.resolve(domain, rrtype) as Promise<string[]>;
    }
  };
}

const TEMPERROR: EmailAuthVerdict = { spf: "temperror", dkim: "temperror", dmarc: "temperror" };

/**
 * Runs SPF, DKIM and DMARC on a raw message (client IP and HELO taken from the topmost Received
 * header our server added). Never throws and never takes longer than `timeoutMs`: a failure or a
 * timeout is recorded as `temperror`, which routing treats as "unknown".
 */
export async function checkEmailAuth(
  raw: Buffer,
  options: EmailAuthOptions = {},
): Promise<EmailAuthVerdict> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<EmailAuthVerdict>((resolve) => {
    timer = setTimeout(() => resolve(TEMPERROR), timeoutMs);
  });
  const check = authenticate(raw, {
    trustReceived: true,
    resolver: options.resolver ?? systemResolver(),
    disableArc: true,
    disableBimi: true,
  }).then(
    (res): EmailAuthVerdict => ({
      spf: res.spf === false ? "none" : res.spf.status.result,
      dkim: res.dkim.results[0]?.status.result ?? "none",
      dmarc: res.dmarc === false ? "none" : res.dmarc.status.result,
    }),
    (): EmailAuthVerdict => TEMPERROR,
  );
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
