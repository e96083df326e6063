import { Client, Events, GatewayIntentBits, Partials, type Interaction } from "discord.js";
import { describe, expect, it } from "vitest";
import type { DiscordAdapterOptions } from "../../../adapters/discord/adapter.js";
import type { Choice } from "../../../adapters/types.js";
import { InvalidPayloadError } from "../../../src/errors.js";
import type { FakeUser } from "../../fakes/discord-gateway.js";
import { reader, useDiscordRig, waitFor } from "./rig.js";

const env = useDiscordRig();

const CHOICES: Choice[] = [
  { data: "loc:DE", label: "Deutschland" },
  { data: "loc:AT", label: "Österreich" },
  { data: "loc:CH", label: "Schweiz" },
  { data: "loc:other", label: "Anderes Land" },
  { data: "loc:decline", label: "Möchte ich nicht sagen" },
];

const bystander: FakeUser = { id: "887766554433221199", username: "nosy", global_name: null };

/** A DM from the reader, taken in, then the question with buttons; returns the ids. */
async function askInDm(extra: Partial<DiscordAdapterOptions> = {}) {
  const adapter = await env.started(extra);
  const first = await env.rig.injectInbound("Hallo, ich möchte mitmachen");
  await env.intake.waitForIds([first]);
  const { platformMessageId } = await adapter.send({
    to: `discord:${env.rig.dm}`,
    text: "Von wo schreibst du?",
    idempotencyKey: "ask-1",
    choices: CHOICES,
  });
  const messageId = platformMessageId.split(":")[2]!;
  return { adapter, first, platformMessageId, messageId };
}

function buttonsOf(messageId: string, channelId = env.rig.dm) {
  return (env.rig.fake.message(channelId, messageId)?.components ?? []).map((row) =>
    row.components.map((b) => [b.label, b.custom_id, b.style, b.disabled === true]),
  );
}

describe("Discord choices: sending", () => {
  it("sends the choices as buttons: custom_id = data, secondary, short labels side by side", async () => {
    const { adapter, messageId, platformMessageId } = await askInDm();
    expect(adapter.capabilities.choices).toBe("buttons");
    expect(platformMessageId).toBe(`discord:${env.rig.dm}:${messageId}`);
    expect(env.rig.fake.message(env.rig.dm, messageId)?.content).toBe("Von wo schreibst du?");
    expect(buttonsOf(messageId)).toEqual([
      [
        ["Deutschland", "loc:DE", 2, false],
        ["Österreich", "loc:AT", 2, false],
        ["Schweiz", "loc:CH", 2, false],
      ],
      [
        ["Anderes Land", "loc:other", 2, false],
        ["Möchte ich nicht sagen", "loc:decline", 2, false],
      ],
    ]);
  });

  it("refuses choices it cannot show, before posting anything", async () => {
    const contact = env.rig.fake.guildChannel();
    const adapter = await env.started({ contactChannelId: contact });
    const base = { to: `discord:${env.rig.dm}`, text: "Wo?", idempotencyKey: "k" };
    const refused: [Parameters<typeof adapter.send>[0], RegExp][] = [
      [{ ...base, to: `discord:${contact}`, choices: CHOICES }, /contact channel need inReplyTo/],
      [{ ...base, text: "x".repeat(2001), choices: CHOICES }, /fit one message/],
      [
        {
          ...base,
          choices: Array.from({ length: 26 }, (_, i) => ({ data: `c${i}`, label: `C${i}` })),
        },
        /26 given/,
      ],
      [{ ...base, choices: [{ data: "x".repeat(65), label: "X" }] }, /65 bytes/],
      [{ ...base, choices: [{ data: "a", label: "y".repeat(81) }] }, /label/],
    ];
    for (const [message, reason] of refused) {
      const err: unknown = await adapter.send(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidPayloadError);
      expect((err as Error).message).toMatch(reason);
    }
    expect(env.rig.fake.botMessages()).toEqual([]);
    // 25 choices fill 5 rows of 5.
    const many = Array.from({ length: 25 }, (_, i) => ({ data: `c${i}`, label: `Land ${i}` }));
    const res = await adapter.send({ ...base, choices: many });
    const rows = buttonsOf(res.platformMessageId.split(":")[2]!);
    expect(rows.map((r) => r.length)).toEqual([5, 5, 5, 5, 5]);
  });
});

describe("Discord choices: presses", () => {
  it("a press becomes the reader's answer once; the buttons close with the answer shown", async () => {
    const { first, platformMessageId, messageId } = await askInDm();
    // A double click before the bot reacts: two interactions.
    env.rig.fake.press(env.rig.dm, messageId, reader, "loc:AT", { locale: "de" });
    env.rig.fake.press(env.rig.dm, messageId, reader, "loc:AT", { locale: "de" });
    const answerId = `${platformMessageId}:choice`;
    await env.intake.waitForIds([answerId]);
    await waitFor(
      () => env.rig.fake.unansweredInteractions().length === 0,
      "both interactions answered",
    );
    const own = env.intake.accepted.find((m) => m.id === first)!;
    const answer = env.intake.accepted.find((m) => m.id === answerId)!;
    expect(answer).toMatchObject({
      text: "Österreich",
      sender: own.sender,
      replyTo: own.replyTo,
      evidence: { languageTag: "de", languageTagSource: "discord.locale" },
      choice: { data: "loc:AT", inReplyTo: platformMessageId },
    });
    expect(
      env.intake.events.flatMap((e) =>
        e.kind === "submit" && e.id === answerId ? [e.outcome] : [],
      ),
    ).toEqual(["accepted", "duplicate"]);
    // Each press answered with UPDATE_MESSAGE: all buttons disabled, the counted one primary.
    expect(env.rig.fake.interactions.map((i) => i.response?.type)).toEqual([7, 7]);
    expect(buttonsOf(messageId)).toEqual([
      [
        ["Deutschland", "loc:DE", 2, true],
        ["Österreich", "loc:AT", 1, true],
        ["Schweiz", "loc:CH", 2, true],
      ],
      [
        ["Anderes Land", "loc:other", 2, true],
        ["Möchte ich nicht sagen", "loc:decline", 2, true],
      ],
    ]);
    expect(env.rig.fake.pressableButtons(env.rig.dm, messageId)).toEqual([]);
    expect(() => env.rig.fake.press(env.rig.dm, messageId, reader, "loc:DE")).toThrow(/no enabled/);
    expect(env.intake.quarantined).toEqual([]);
  });

  it("discord.js takes the fake's INTERACTION_CREATE as a ButtonInteraction and can answer it", async () => {
    const { adapter, messageId } = await askInDm();
    await adapter.stop(); // discord.js alone answers this one
    const client = new Client({
      intents: [GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: env.rig.fake.apiBase, version: "10" },
    });
    try {
      const seen = new Promise<Interaction>((resolve) =>
        client.once(Events.InteractionCreate, resolve),
      );
      await client.login(env.rig.fake.token);
      env.rig.fake.press(env.rig.dm, messageId, reader, "loc:CH", { locale: "de" });
      const interaction = await seen;
      expect(interaction.isButton()).toBe(true);
      if (!interaction.isButton()) throw new Error("unreachable");
      expect(interaction.customId).toBe("loc:CH");
      expect(interaction.user.id).toBe(reader.id);
      expect(interaction.locale).toBe("de");
      expect(interaction.message.id).toBe(messageId);
      expect(interaction.channelId).toBe(env.rig.dm);
      expect(interaction.inGuild()).toBe(false);
      await interaction.update({ components: [] });
      expect(env.rig.fake.interactions[0]!.response?.type).toBe(7);
      expect(env.rig.fake.message(env.rig.dm, messageId)?.components).toBeUndefined();
    } finally {
      await client.destroy();
    }
  });

  it("acknowledges in time while the intake is slow, then closes the buttons by an edit", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const submit = env.intake.submit.bind(env.intake);
    const { platformMessageId, messageId } = await askInDm({ pressAckDeadlineMs: 200 });
    env.intake.submit = async (m) => {
      if (m.choice) await gate;
      return submit(m);
    };
    env.rig.fake.press(env.rig.dm, messageId, reader, "loc:DE");
    await waitFor(() => env.rig.fake.interactions[0]?.response !== undefined, "the deferral");
    expect(env.rig.fake.interactions[0]!.response!.type).toBe(6);
    // Not taken yet: the buttons stay as they were.
    expect(env.rig.fake.pressableButtons(env.rig.dm, messageId)).toHaveLength(5);
    release();
    const answerId = `${platformMessageId}:choice`;
    await env.intake.waitForIds([answerId]);
    await waitFor(
      () => env.rig.fake.pressableButtons(env.rig.dm, messageId).length === 0,
      "buttons closed by the edit",
    );
    const edits = env.rig.fake.requests.filter(
      (r) => r.method === "PATCH" && r.path.endsWith(`/messages/${messageId}`),
    );
    expect(edits.map((r) => r.status)).toEqual([200]);
    expect(buttonsOf(messageId)[0]![0]).toEqual(["Deutschland", "loc:DE", 1, true]);
  });

  it("a replayed interaction is the same answer, and a callback refused as late falls back to an edit", async () => {
    const { platformMessageId, messageId } = await askInDm();
    env.rig.fake.interactionWindowMs = 0; // every callback comes too late
    const pressed = env.rig.fake.press(env.rig.dm, messageId, reader, "loc:decline");
    const answerId = `${platformMessageId}:choice`;
    await env.intake.waitForIds([answerId]);
    await waitFor(
      () => env.rig.fake.pressableButtons(env.rig.dm, messageId).length === 0,
      "buttons closed by the edit",
    );
    const callbacks = env.rig.fake.requests.filter((r) => r.path.includes("/interactions/"));
    expect(callbacks.map((r) => r.status)).toEqual([404]);

    // The gateway delivers the same interaction again (a RESUME replay): one answer still, and
    // the second callback is refused as already acknowledged... or late; either way no crash.
    env.rig.fake.interactionWindowMs = 3_000;
    env.rig.fake.redeliver(pressed);
    await env.intake.waitUntil(
      () => env.intake.calls.filter((m) => m.id === answerId).length === 2,
      "the replayed press",
    );
    expect(env.intake.accepted.filter((m) => m.id === answerId)).toHaveLength(1);
    expect(env.intake.quarantined).toEqual([]);
    await waitFor(
      () => env.rig.fake.requests.filter((r) => r.path.includes("/interactions/")).length === 2,
      "the replay's callback",
    );
    expect(env.rig.fake.pressableButtons(env.rig.dm, messageId)).toEqual([]);
  });

  it("in the contact channel only the addressed reader's press counts; a bystander's is kept", async () => {
    const contact = env.rig.fake.guildChannel();
    const adapter = await env.started({ contactChannelId: contact });
    const asked = env.rig.fake.post(contact, reader, "Hi, how can I help?");
    await env.intake.waitForIds([`discord:${contact}:${asked.id}`]);
    const { platformMessageId } = await adapter.send({
      to: `discord:${contact}`,
      text: "Where do you write from?",
      idempotencyKey: "ask-contact",
      inReplyTo: `discord:${contact}:${asked.id}`,
      choices: CHOICES,
    });
    const messageId = platformMessageId.split(":")[2]!;

    env.rig.fake.press(contact, messageId, bystander, "loc:CH");
    await env.intake.waitUntil(() => env.intake.quarantined.length === 1, "the bystander's press");
    const kept = env.intake.quarantined[0]!;
    expect(kept.reason).toMatch(/someone other than the reader the question was addressed to/);
    expect(kept.ref).toMatch(/^discord:interaction:\d+$/);
    expect(JSON.stringify(kept.raw)).not.toContain(env.rig.fake.interactions[0]!.token);
    await waitFor(
      () => env.rig.fake.interactions[0]?.response !== undefined,
      "the bystander's ack",
    );
    expect(env.rig.fake.interactions[0]!.response!.type).toBe(6);
    expect(env.rig.fake.pressableButtons(contact, messageId)).toHaveLength(5);

    // Discord did not fetch the replied message this time: the adapter looks its author up.
    env.rig.fake.press(contact, messageId, reader, "loc:DE", { omitReferencedMessage: true });
    const answerId = `${platformMessageId}:choice`;
    await env.intake.waitForIds([answerId]);
    const answer = env.intake.accepted.find((m) => m.id === answerId)!;
    expect(answer.sender.id).toBe(`discord:${reader.id}`);
    expect(answer.replyTo).toBe(`discord:${contact}`);
    await waitFor(
      () => env.rig.fake.pressableButtons(contact, messageId).length === 0,
      "buttons closed",
    );
    expect(
      env.rig.fake.requests.some((r) => r.method === "GET" && r.path.endsWith(`/${asked.id}`)),
    ).toBe(true);
  });

  it("a malformed interaction is kept without its token and the adapter goes on", async () => {
    const { platformMessageId, messageId } = await askInDm();
    env.rig.fake.pushInteraction({ id: "12345", type: 3, token: "secret-token-value", data: {} });
    await env.intake.waitUntil(() => env.intake.quarantined.length === 1, "the malformed press");
    expect(env.intake.quarantined[0]).toMatchObject({
      ref: "discord:interaction:invalid",
      reason: expect.stringMatching(/discord interaction invalid/),
    });
    expect(JSON.stringify(env.intake.quarantined[0]!.raw)).not.toContain("secret-token-value");
    env.rig.fake.press(env.rig.dm, messageId, reader, "loc:other");
    await env.intake.waitForIds([`${platformMessageId}:choice`]);
  });
});
