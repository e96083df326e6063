import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { createEnvelope } from "../../src/crypto/envelope.js";
import { keyId, type KeyringEntry } from "../../src/crypto/identity-hash.js";
import { createConversationStore, type ConversationStore } from "../../src/conversation/store.js";
import type { ReaderMessageInput } from "../../src/conversation/history.js";
import { contactIdFor } from "../../src/queue/keys.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import { fakeRoute } from "../queue/fixtures.js";
import { sampleMessage } from "../queue/helpers.js";

/** A keyring of one fresh key. */
export function testKeyring(key: Buffer = randomBytes(32)): KeyringEntry[] {
  return [{ kid: keyId(key), key }];
}

/** A store on the test prefix with a fresh key. */
export function testStore(
  redis: Redis,
  prefix: string,
  keyring: KeyringEntry[] = testKeyring(),
  retentionDays?: number,
): ConversationStore {
  return createConversationStore({
    redis,
    prefix,
    envelope: createEnvelope(keyring[0]!.key),
    keyring,
    ...(retentionDays === undefined ? {} : { retentionDays }),
  });
}

/** The route stage's input for a sample message (German → gik, else cwo). */
export function readerInput(
  n: number | string,
  over: Partial<InboundMessage> = {},
  at = new Date().toISOString(),
): ReaderMessageInput {
  const message = sampleMessage(n, over);
  const { evidence, decision } = fakeRoute(message);
  return { contactId: contactIdFor(message.id), message, evidence, decision, at };
}
