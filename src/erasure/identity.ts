import { RouterError } from "../errors.js";
import { parseReference } from "../conversation/reference.js";
import type { InboundMessage } from "../message/inbound.js";

/** What an erasure request names. */
export type IdentityKind = "email" | "telegram" | "discord" | "twitter" | "reference";

/** An identity as `forget` takes it, in canonical form. */
export interface ParsedIdentity {
  kind: IdentityKind;
  /** Canonical text: `reader@example.org`, `telegram:12345`, `discord:…`, `twitter:…`, `C-7KQ2M`. */
  canonical: string;
  /** The email address (lower case), for `email`. */
  address?: string;
  /** The platform user id (digits), for `telegram`, `discord`, `twitter`. */
  userId?: string;
  /** The reference, for `reference`. */
  ref?: string;
}

export const IDENTITY_SYNTAX =
  "an email address (reader@example.org), telegram:<user id>, discord:<user id>, x:<user id> (or twitter:<user id>), or a conversation reference (C-7KQ2M)";

const ADDRESS = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

/**
 * Reads an erasure request's identity. A bare email address (or `email:<address>`), a platform
 * user id with its platform (`telegram:12345`, `discord:…`, `x:…` or `twitter:…`, also
 * `twitter:user:…`), or a conversation reference. Throws INVALID_PAYLOAD naming the syntax.
 */
export function parseIdentity(text: string): ParsedIdentity {
  const t = String(text).trim();
  const ref = parseReference(t);
  if (ref) return { kind: "reference", canonical: ref, ref };
  const email = /^(?:email:|mailto:)?(.+)$/i.exec(t)?.[1]?.trim() ?? "";
  if (ADDRESS.test(email)) {
    const address = email.toLowerCase();
    return { kind: "email", canonical: address, address };
  }
  const m = /^(telegram|tg|discord|twitter|x)\s*:\s*(?:user:)?(-?\d{1,25})$/i.exec(t);
  if (m) {
    const platform = m[1]!.toLowerCase();
    const kind: IdentityKind =
      platform === "tg" ? "telegram" : platform === "x" ? "twitter" : (platform as IdentityKind);
    const userId = m[2]!;
    return { kind, canonical: `${kind}:${userId}`, userId };
  }
  throw new RouterError(
    "INVALID_PAYLOAD",
    `not an identity the router can erase; give ${IDENTITY_SYNTAX}`,
  );
}

/**
 * Who a reader is, as a set of prefixed ids: the ways the pipeline names them. A message is the
 * reader's when its sender, its reply address or its sender address is one of them.
 */
export class Person {
  /** Prefixed ids (`email:a@b`, `telegram:123`, `discord:…`, `twitter:user:…`), lower case for email. */
  readonly ids = new Set<string>();
  /** Lower-case email addresses. */
  readonly addresses = new Set<string>();

  add(id: string | null | undefined): void {
    if (!id) return;
    const n = normaliseId(id);
    this.ids.add(n);
    if (n.startsWith("email:")) this.addresses.add(n.slice("email:".length));
  }

  /** Adds what a parsed identity says. */
  addIdentity(p: ParsedIdentity): void {
    if (p.kind === "email") this.add(`email:${p.address!}`);
    else if (p.kind === "twitter") this.add(`twitter:user:${p.userId!}`);
    else if (p.kind !== "reference") this.add(`${p.kind}:${p.userId!}`);
  }

  /** Whether a message was written by this reader (or is to be answered at their address). */
  wrote(m: Pick<InboundMessage, "sender" | "replyTo" | "evidence"> | null | undefined): boolean {
    if (!m || typeof m !== "object") return false;
    if (typeof m.sender?.id === "string" && this.ids.has(normaliseId(m.sender.id))) return true;
    if (typeof m.replyTo === "string" && this.ids.has(normaliseId(m.replyTo))) return true;
    const address = m.evidence?.emailAddress;
    return typeof address === "string" && this.addresses.has(address.trim().toLowerCase());
  }

  /**
   * Patterns that find this reader in text that has no known shape (raw adapter payloads,
   * refused mail): their addresses, their prefixed ids, and their user ids as JSON id fields.
   */
  patterns(): RegExp[] {
    const out: RegExp[] = [];
    for (const a of this.addresses) {
      out.push(new RegExp(`(?<![A-Za-z0-9._%+-])${escape(a)}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, "i"));
    }
    for (const id of this.ids) {
      if (id.startsWith("email:")) continue;
      out.push(new RegExp(`${escape(id)}(?![0-9A-Za-z])`));
      const user = /:(-?\d+)$/.exec(id)?.[1];
      if (user) {
        out.push(
          new RegExp(
            `"(?:id|user_id|sender_id|author_id|chat_id|from_id)"\\s*:\\s*"?${escape(user)}(?![0-9])`,
          ),
        );
      }
    }
    return out;
  }
}

/** Prefixed ids compare exactly, except email addresses, which compare case-insensitively. */
export function normaliseId(id: string): string {
  return id.startsWith("email:") ? id.toLowerCase() : id;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
