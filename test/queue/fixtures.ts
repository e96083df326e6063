import type { MimeMail } from "../../src/delivery/mime.js";
import type { ContactToDeliver, Delivery, DeliveryResult } from "../../src/delivery/types.js";
import type { Decision } from "../../src/message/decision.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import type { AffiliateRef, RouteFn } from "../../src/queue/types.js";
import { InvalidPayloadError } from "../../src/errors.js";

export const AFFILIATES: AffiliateRef[] = [
  { id: "gik", name: "Gruppe Internationalistischer Kommunistinnen", inbox: "de@example.org" },
  { id: "cwo", name: "Communist Workers' Organisation", inbox: "uk@example.org" },
];

export const affiliate = (id: string) => AFFILIATES.find((a) => a.id === id);

/** A stand-in for the routing engine: German → gik, else cwo; "POISON" in the text is bad input. */
export const fakeRoute: RouteFn = (m: InboundMessage) => {
  if (m.text.includes("POISON")) throw new InvalidPayloadError("text is unroutable (test)");
  const de = m.evidence.languageTag?.startsWith("de") ?? false;
  const decision: Decision = {
    affiliate: de ? "gik" : "cwo",
    country: de ? "AT" : null,
    country_source: de ? "language_tag" : null,
    city: null,
    point: null,
    language: de ? "de" : "en",
    language_source: "platform_tag",
    step: de ? "language" : "default",
    rule: null,
    distance_km: null,
    confidence: 0.5,
    needs_translation: false,
    runner_up: null,
    ask_location: false,
    reasons: ["test"],
  };
  return {
    evidence: { channel: m.channel, language: null, location: null, text: m.text },
    decision,
  };
};

/** A delivery that records what it was given; `fail` decides per contact whether to throw. */
export class RecordingDelivery implements Delivery {
  readonly sent: ContactToDeliver[] = [];
  fail: (c: ContactToDeliver) => Error | null = () => null;
  send(c: ContactToDeliver): Promise<DeliveryResult> {
    const err = this.fail(c);
    if (err) return Promise.reject(err);
    this.sent.push(c);
    return Promise.resolve({ messageId: `<${c.contactId}@test>`, transport: "outbox" });
  }
  /** Other emails (answers, notices), with the key they were sent under. */
  readonly mails: { mail: MimeMail; key: string }[] = [];
  sendMail(mail: MimeMail, key: string): Promise<DeliveryResult> {
    this.mails.push({ mail, key });
    return Promise.resolve({ messageId: mail.messageId, transport: "outbox" });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
