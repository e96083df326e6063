import { authenticate, type DNSResolver } from "mailauth";
import { RouterError } from "../errors.js";
import { AuthenticationFailedError } from "./errors.js";

/** What the SMTP dialogue told us about where a reply came from. */
export interface SmtpOrigin {
  /** The client's IP address. */
  ip: string;
  /** The name it gave in EHLO/HELO. */
  helo: string;
  /** MAIL FROM; null for the null sender `<>`. */
  mailFrom: string | null;
}

/**
 * Checks a reply's sender authentication as a receiving mail server would: SPF for the client
 * and MAIL FROM, DKIM signatures, and DMARC for the From domain. The reply passes when DMARC
 * passes or, for a From domain without a DMARC record, when SPF or DKIM passes for a domain
 * aligned with it (the same domain, or one a subdomain of the other). Throws
 * AuthenticationFailedError when it does not, and a retryable error on a DNS failure.
 */
export type SenderAuthCheck = (raw: Buffer, origin: SmtpOrigin, from: string) => Promise<void>;

/** True when two domains are aligned in the relaxed sense used here. */
export function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, "");
  const y = b.toLowerCase().replace(/\.$/, "");
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

const TEMP = new Set(["temperror", "temperr"]);

/** The mailauth-based check; `mta` is the relay's own host name (the relay domain). */
export function mailauthSenderCheck(opts: {
  mta: string;
  resolver?: DNSResolver;
}): SenderAuthCheck {
  return async (raw, origin, from) => {
    const res = await authenticate(raw, {
      ip: origin.ip,
      helo: origin.helo,
      sender: origin.mailFrom ?? "",
      mta: opts.mta,
      disableArc: true,
      disableBimi: true,
      ...(opts.resolver ? { resolver: opts.resolver } : {}),
    });
    const fromDomain = from.slice(from.lastIndexOf("@") + 1);
    const dmarc = res.dmarc === false ? "none" : res.dmarc.status.result;
    const spf = res.spf === false ? "none" : res.spf.status.result;
    const spfDomain = res.spf === false ? "" : res.spf.domain;
    const dkimPass = res.dkim.results.filter((r) => r.status.result === "pass");
    if (dmarc === "pass") return;
    const dkimTemp = res.dkim.results.some((r) => TEMP.has(r.status.result));
    if (TEMP.has(dmarc) || (dmarc === "none" && (TEMP.has(spf) || dkimTemp))) {
      throw new RouterError("ADAPTER_NETWORK", "sender authentication: DNS temporarily failing", {
        retryable: true,
      });
    }
    if (dmarc === "none") {
      const spfAligned = spf === "pass" && aligned(spfDomain, fromDomain);
      const dkimAligned = dkimPass.some((r) => aligned(r.signingDomain, fromDomain));
      if (spfAligned || dkimAligned) return;
      throw new AuthenticationFailedError(
        `no DMARC record; SPF ${spf}, DKIM ${dkimPass.length > 0 ? "pass, not aligned" : "none or fail"}`,
      );
    }
    throw new AuthenticationFailedError(dmarc);
  };
}

/**
 * Whether a relay domain is a real public domain, where sender authentication makes sense:
 * not `localhost`, not a single label, not an IP address, not a reserved name (RFC 2606, 6761,
 * 6762: .test, .example, .invalid, .localhost, .local, .internal, .lan, .home.arpa).
 */
export function isPublicDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  if (!d.includes(".")) return false;
  if (/^[\d.]+$/.test(d) || d.includes(":")) return false;
  if (/(^|\.)(example\.(com|net|org))$/.test(d)) return false;
  return !/\.(test|example|invalid|localhost|local|internal|lan|intranet|corp|home\.arpa)$/.test(d);
}
