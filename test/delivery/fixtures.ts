import type { KeyObject } from "node:crypto";
import { dkimVerify } from "mailauth";
import type { Decision } from "../../src/message/decision.js";
import type { Evidence } from "../../src/message/evidence.js";
import { InboundMessageSchema, type InboundMessage } from "../../src/message/inbound.js";
import type { DeliveryConfig } from "../../src/delivery/config.js";
import type { ContactToDeliver, ForwardContext } from "../../src/delivery/types.js";

/** The relay token the fixture conversation carries (any string: compose only prints it). */
export const FIXTURE_TOKEN = "aeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqc";

/** The conversation context of a reader's first message. */
export function forward(over: Partial<ForwardContext> = {}): ForwardContext {
  return {
    id: "abcdefghijklmnop",
    ref: "C-7KQ2M",
    token: FIXTURE_TOKEN,
    followUp: false,
    earlier: [],
    history: [],
    earlierCount: 0,
    opening: {
      channel: "telegram",
      country: "AT",
      language: "de",
      words: "Hallo, ich wohne in Wien und möchte mehr über eure Arbeit…",
    },
    canAnswer: true,
    ...over,
  };
}

/** A routed Telegram contact from Vienna, decided by the nearest German speaker, opening C-7KQ2M. */
export function contact(
  overrides: Partial<ContactToDeliver> & { text?: string } = {},
): ContactToDeliver {
  const message: InboundMessage = InboundMessageSchema.parse({
    id: "telegram:1001:77",
    channel: "telegram",
    replyTo: "telegram:1001",
    sender: { id: "telegram:user:42", displayName: "Anna", handle: "@anna_w" },
    text:
      overrides.text ??
      "Hallo, ich wohne in Wien und möchte mehr über eure Arbeit erfahren. <b>Grüße</b> & Dank",
    sentAt: "2026-11-22T02:00:00Z",
    evidence: { languageTag: "de", languageTagSource: "telegram.language_code" },
    attachments: [{ name: "flyer.pdf", size: 20480, contentType: "application/pdf" }],
  });
  const evidence: Evidence = {
    channel: "telegram",
    language: { code: "de", source: "text", confidence: 0.95, detail: "detector eld, 0.95" },
    location: {
      country: "AT",
      city: "Vienna",
      point: { lat: 48.2085, lon: 16.3721 },
      pointKind: "city",
      source: "self_report",
      confidence: 0.9,
      detail: '"ich wohne in Wien" → Vienna, AT',
    },
    text: message.text,
  };
  const decision: Decision = {
    affiliate: "gik",
    country: "AT",
    country_source: "self_report",
    city: "Vienna",
    point: { lat: 48.2085, lon: 16.3721 },
    language: "de",
    language_source: "text",
    step: "nearest",
    rule: null,
    distance_km: 523.4,
    confidence: 0.855,
    needs_translation: false,
    runner_up: { affiliate: "pcint", distance_km: 621.9, why: "does not speak de" },
    ask_location: false,
    reasons: ["Vienna is 523 km from Berlin (gik, speaks de)", "no rule matched AT"],
  };
  const { text: _t, ...rest } = overrides;
  return {
    contactId: "c:telegram:1001:77",
    message,
    evidence,
    decision,
    affiliate: {
      id: "gik",
      name: "Gruppe Internationalistischer Kommunistinnen",
      inbox: "de@leftcom.org",
    },
    conversation: forward(),
    ...rest,
  };
}

/** Delivery settings for tests: outbox unless `smtp` is given, relay on, a generous rate. */
export function config(over: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return {
    smtp: null,
    outboxDir: "var/test-outbox",
    from: "contact-router <router@example.org>",
    messageIdDomain: "example.org",
    relay: { domain: "relay.example.org" },
    rate: { perMinute: 600, burst: 100 },
    ...over,
  };
}

/** Verifies a DKIM signature as a receiving server would, the selector cr1._domainkey.example.org served by a stub resolver. */
export async function dkimResult(raw: string, publicKey: KeyObject): Promise<string | undefined> {
  const spki = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const verdict = await dkimVerify(raw, {
    resolver: (name, rrtype) =>
      name === "cr1._domainkey.example.org" && rrtype === "TXT"
        ? Promise.resolve([[`v=DKIM1; k=rsa; p=${spki}`]])
        : Promise.reject(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" })),
  });
  return verdict.results[0]?.status.result;
}
