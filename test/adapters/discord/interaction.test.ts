import { describe, expect, it } from "vitest";
import {
  normalizeDiscordPress,
  parseDiscordInteraction,
  questionAddressee,
  withoutToken,
  type DiscordInteraction,
} from "../../../adapters/discord/interaction.js";
import { normalizeDiscord } from "../../../adapters/discord/normalize.js";
import { InboundMessageSchema } from "../../../src/message/inbound.js";
import {
  dmMessage,
  dmPress,
  dmQuestion,
  guildMessage,
  guildPress,
  guildQuestion,
} from "./fixtures.js";

const CONTACT = { contactChannelId: guildMessage.channel_id };

function parsed(raw: unknown): DiscordInteraction {
  const result = parseDiscordInteraction(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.interaction;
}

const sam = guildMessage.author;
const other = { id: "770000000000000002", username: "someone", global_name: "Someone" };

describe("normalizeDiscordPress (INTERACTION_CREATE, component interactions)", () => {
  it("turns a reader's button press in their DM into their answer, with their identity", () => {
    const press = normalizeDiscordPress(parsed(dmPress("loc:AT")), {});
    const question = `discord:${dmMessage.channel_id}:${dmQuestion.id}`;
    expect(press).toEqual({
      kind: "choice",
      label: "Österreich",
      channelId: dmMessage.channel_id,
      messageId: dmQuestion.id,
      message: {
        id: `${question}:choice`,
        channel: "discord",
        replyTo: `discord:${dmMessage.channel_id}`,
        sender: { id: `discord:${dmMessage.author.id}`, handle: "lena_w", displayName: "Lena" },
        text: "Österreich",
        // The interaction id's snowflake time.
        sentAt: "2024-11-23T13:21:20.642Z",
        inReplyTo: question,
        evidence: { languageTag: "de", languageTagSource: "discord.locale" },
        attachments: [],
        choice: { data: "loc:AT", inReplyTo: question },
      },
    });
    if (press.kind !== "choice") throw new Error("unreachable");
    expect(InboundMessageSchema.parse(press.message)).toEqual(press.message);
    const own = normalizeDiscord(dmMessage);
    expect(press.message.sender).toEqual(own.sender);
    expect(press.message.replyTo).toBe(own.replyTo);
  });

  it("in the contact channel takes only the press of the reader the question replies to", () => {
    const answer = normalizeDiscordPress(parsed(guildPress("loc:other", sam)), CONTACT);
    expect(answer).toMatchObject({ kind: "choice", label: "Anderes Land" });
    if (answer.kind !== "choice") throw new Error("unreachable");
    const own = normalizeDiscord(guildMessage);
    expect(answer.message.sender).toEqual(own.sender);
    expect(answer.message.replyTo).toBe(own.replyTo);
    expect(answer.message.evidence).toEqual({
      languageTag: "en-GB",
      languageTagSource: "discord.locale",
    });

    expect(normalizeDiscordPress(parsed(guildPress("loc:DE", other)), CONTACT)).toMatchObject({
      kind: "refused",
      why: "not-addressee",
      reason: expect.stringMatching(/someone other than the reader/),
    });
  });

  it("asks the caller for the addressee when the payload names only the replied message", () => {
    const { referenced_message: _r, ...unfetched } = guildQuestion;
    const i = parsed(guildPress("loc:DE", sam, unfetched));
    expect(questionAddressee(i)).toEqual({
      lookup: { channelId: guildMessage.channel_id, messageId: guildMessage.id },
    });
    expect(normalizeDiscordPress(i, CONTACT)).toMatchObject({ why: "unattributable" });
    expect(normalizeDiscordPress(i, { ...CONTACT, addresseeId: sam.id })).toMatchObject({
      kind: "choice",
    });
    expect(normalizeDiscordPress(i, { ...CONTACT, addresseeId: other.id })).toMatchObject({
      why: "not-addressee",
    });
  });

  it("refuses presses it cannot attribute and forged ones, each with a reason", () => {
    const { message_reference: _m, referenced_message: _r, ...notAReply } = guildQuestion;
    const cases: [unknown, object, string, RegExp][] = [
      [guildPress("loc:DE", sam, notAReply), CONTACT, "unattributable", /replies to no reader/],
      [
        guildPress("loc:DE", sam, { ...guildQuestion, referenced_message: null }),
        CONTACT,
        "unattributable",
        /replies to no reader/,
      ],
      [guildPress("loc:DE", sam), {}, "unattributable", /not the contact channel/],
      [dmPress("loc:FR"), {}, "unknown-choice", /not one of the message's buttons/],
      [
        dmPress("loc:DE", {
          message: {
            ...dmQuestion,
            components: [
              {
                type: 1,
                components: [
                  { type: 2, style: 1, label: "Deutschland", custom_id: "loc:DE", disabled: true },
                ],
              },
            ],
          },
        }),
        {},
        "unknown-choice",
        /not one of the message's buttons/,
      ],
      [
        dmPress("loc:DE", { data: { custom_id: "loc:DE", component_type: 3, values: ["x"] } }),
        {},
        "malformed",
        /not a button/,
      ],
      [dmPress("loc:DE", { message: undefined }), {}, "malformed", /no message/],
      [dmPress("loc:DE", { user: undefined }), {}, "malformed", /nobody pressed/],
    ];
    for (const [raw, ctx, why, reason] of cases) {
      const press = normalizeDiscordPress(parsed(raw), ctx);
      expect(press, JSON.stringify(raw).slice(0, 200)).toMatchObject({ kind: "refused", why });
      if (press.kind === "refused") {
        expect(press.reason).toMatch(reason);
        expect(press.reason).not.toMatch(/Lena|lena_w|loc:|aW50/);
      }
    }
  });

  it("ignores interactions that are not component presses, and names broken fields", () => {
    expect(
      normalizeDiscordPress(parsed(dmPress("x", { type: 2, data: undefined })), {}),
    ).toMatchObject({ kind: "ignored" });
    const broken = parseDiscordInteraction({ ...dmPress("loc:DE"), id: "nope", token: undefined });
    expect(broken).toEqual({
      ok: false,
      reason: expect.stringMatching(/^discord interaction invalid: id: .*; token: /),
    });
  });

  it("keeps the token out of what is quarantined", () => {
    const kept = withoutToken(dmPress("loc:DE")) as Record<string, unknown>;
    expect(kept.token).toBeUndefined();
    expect(kept.id).toBe("1309871411111111111");
    expect(withoutToken(null)).toBeNull();
  });
});
