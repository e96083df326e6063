import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newConversation } from "../../src/conversation/history.js";
import type { ConversationStore } from "../../src/conversation/store.js";
import type { Conversation } from "../../src/conversation/types.js";
import type { InboundMessage } from "../../src/message/inbound.js";
import { parseReply } from "../../src/relay/commands.js";
import { planReply, type PlanDeps } from "../../src/relay/plan.js";
import type { AcceptedReply, RelayAffiliate } from "../../src/relay/receiver.js";
import { createRelayTokens } from "../../src/relay/token.js";
import { cleanup, testPrefix, testRedis } from "../queue/helpers.js";
import { readerInput, testKeyring, testStore } from "../conversation/fixtures.js";

const GIK: RelayAffiliate = { id: "gik", name: "GIK", inbox: "de@leftcom.org" };
const CWO: RelayAffiliate = { id: "cwo", name: "CWO", inbox: "uk@leftcom.org" };

describe("planning a reply (real Redis store)", () => {
  let redis: Redis;
  let prefix: string;
  let store: ConversationStore;
  const keyring = testKeyring();
  const tokens = createRelayTokens(keyring);

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    store = testStore(redis, prefix, keyring);
  });
  afterEach(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  async function conversation(over: Partial<InboundMessage>): Promise<Conversation> {
    const input = readerInput(1, over);
    const { conversation } = await store.create(input.contactId, "x", (id, ref) =>
      newConversation(id, ref, input, {
        channel: input.message.channel,
        country: null,
        language: "de",
        words: "w",
      }),
    );
    return conversation;
  }

  function deps(readerReplyAddress: string | null = null): PlanDeps {
    return {
      store,
      tokens,
      affiliates: { get: (id) => ({ gik: GIK, cwo: CWO })[id], ids: () => ["gik", "cwo"] },
      mail: {
        from: "contact-router <router@example.net>",
        messageIdDomain: "example.net",
        relayDomain: "relay.example.net",
      },
      readerReplyAddress,
    };
  }

  function accepted(c: Conversation, text: string): AcceptedReply {
    return {
      conversation: c,
      affiliate: GIK,
      from: "de@leftcom.org",
      replyId: "r1",
      messageId: "<reply-1@leftcom.org>",
      reply: parseReply(text),
      attachments: [],
    };
  }

  it("answers an email reader by the email channel, threaded to their own message", async () => {
    const c = await conversation({
      id: "email:reader-msg-1@example.at",
      channel: "email",
      replyTo: "email:leser@example.at",
      sender: { id: "email:leser@example.at", handle: "leser@example.at" },
    });
    const plan = await planReply(deps(), accepted(c, "Hallo!"));
    expect(plan.actions).toEqual([
      {
        kind: "reader",
        key: "r1:0",
        channel: "email",
        to: "email:leser@example.at",
        text: "Antwort von GIK:\n\nHallo!\n\nDu kannst auf diese E-Mail antworten.",
        inReplyTo: "email:reader-msg-1@example.at",
      },
    ]);
    // Applied once: planning the same reply again changes nothing more.
    await planReply(deps(), accepted(c, "Hallo!"));
    expect((await store.get(c.id))!.history.filter((e) => e.kind === "answer")).toHaveLength(1);
  });

  it("answers a web-form reader by one email, with the email channel's address to write back to", async () => {
    const c = await conversation({
      id: "web:f1",
      channel: "web",
      replyTo: "email:leser@example.at",
      sender: { id: "email:leser@example.at" },
    });
    const plan = await planReply(deps("kontakt@example.org"), accepted(c, "Hallo!"));
    expect(plan.actions).toHaveLength(1);
    const action = plan.actions[0]!;
    expect(action.kind).toBe("reader-mail");
    if (action.kind !== "reader-mail") return;
    expect(action.mail.to).toEqual({ address: "leser@example.at" });
    expect(action.mail.replyTo).toEqual({ address: "kontakt@example.org" });
    expect(action.mail.subject).toBe("Antwort von GIK");
    expect(action.mail.text).toBe(
      "Antwort von GIK:\n\nHallo!\n\nDu kannst auf diese E-Mail antworten.",
    );
  });

  it("refuses a reroute to an unknown or the same affiliate, changing nothing", async () => {
    const c = await conversation({});
    for (const [cmd, why] of [
      ["#reroute nobody", 'There is no affiliate "nobody". The affiliate ids are: gik, cwo.'],
      ["#reroute gik", "The conversation is already with gik."],
    ] as const) {
      const plan = await planReply(deps(), accepted(c, cmd));
      expect(plan.outcome).toBe("invalid-command");
      expect(plan.actions).toHaveLength(1);
      const a = plan.actions[0]!;
      expect(a.kind === "affiliate-mail" && a.mail.text).toContain(why);
    }
    expect((await store.get(c.id))!.generation).toBe(0);
  });

  it("plans a reroute again the same way when its job is retried after applying it", async () => {
    const c = await conversation({});
    const first = await planReply(deps(), accepted(c, "#reroute cwo lives in Leeds"));
    // The retry's receiver reads the conversation as the first attempt left it.
    const after = (await store.get(c.id))!;
    const again = await planReply(deps(), accepted(after, "#reroute cwo lives in Leeds"));
    expect(again.outcome).toBe("reroute");
    expect(again.actions.map((x) => [x.kind, x.key])).toEqual(
      first.actions.map((x) => [x.kind, x.key]),
    );
    expect((await store.get(c.id))!.generation).toBe(1);
  });
});
