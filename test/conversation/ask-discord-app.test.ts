import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, type FakeUser } from "../fakes/discord-gateway.js";
import { t } from "../../src/i18n/texts.js";
import { askTimeoutJobId } from "../../src/queue/stages.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, type RelayRig } from "../relay/support.js";

/*
 * The clarifying question on Discord through the running app (gateway and REST fake, real
 * SMTP): the question carries buttons, and the reader's press routes the held contact.
 */

const SPANISH =
  "Hola, me gustaría saber más sobre vuestra organización y recibir vuestras publicaciones, por favor.";

describe("clarifying question: Discord reader (running app)", () => {
  let discord: FakeDiscord;
  let rig: RelayRig;

  beforeAll(async () => {
    discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
    rig = await relayRig({ DISCORD_BOT_TOKEN: discord.token, DISCORD_API_URL: discord.apiBase });
    await waitFor(
      "discord online",
      async () => (await rig.app.health()).checks["adapter.discord"]?.ok,
    );
  });
  afterAll(async () => {
    await rig?.stop();
    await discord?.close();
  });

  it("asks with buttons in a DM and routes the contact on the press", async () => {
    const eva: FakeUser = { id: "887766554433221201", username: "eva_m", global_name: "Eva" };
    const dm = discord.dmChannel(eva);
    discord.post(dm, eva, SPANISH);
    const question = await waitFor("question", () =>
      discord.botMessages().find((m) => m.channel_id === dm),
    );
    expect(question.content).toBe(t("es", "ask.location"));
    expect(discord.pressableButtons(dm, question.id).map((b) => b.custom_id)).toContain("loc:MX");
    discord.press(dm, question.id, eva, "loc:MX", { locale: "es-ES" });
    const forward = await rig.waitMailWhere("us@leftcom.org", (m) =>
      (m.text ?? "").includes(SPANISH),
    );
    expect(forward.text).toContain('they answered "🇲🇽 México" (MX)');
    await waitFor("ack", () =>
      discord
        .botMessages()
        .some(
          (m) =>
            m.channel_id === dm &&
            m.content === t("es", "ack", { affiliate: "Internationalist Workers' Group" }),
        ),
    );
    expect(
      rig.mailsTo("us@leftcom.org").filter((r) => refOf(r.mail) === refOf(forward)),
    ).toHaveLength(1);
    // The buttons are disabled, the one pressed shown as chosen (style 1, primary).
    const rows = discord.botMessages().find((m) => m.id === question.id)!.components!;
    expect(discord.pressableButtons(dm, question.id)).toHaveLength(0);
    expect(rows.flatMap((r) => r.components).find((b) => b.custom_id === "loc:MX")).toMatchObject({
      disabled: true,
      style: 1,
    });
  });

  it("a question whose time ran out: its buttons are disabled, and a late press gets a short reply only the reader sees", async () => {
    const ugo: FakeUser = { id: "887766554433221202", username: "ugo_r", global_name: "Ugo" };
    const dm = discord.dmChannel(ugo);
    const text = `${SPANISH} Soy Ugo.`;
    discord.post(dm, ugo, text);
    const question = await waitFor("question", () =>
      discord.botMessages().find((m) => m.channel_id === dm),
    );
    // What a client that misses the coming edit keeps showing.
    const shown = structuredClone(question);
    const conv = await waitFor("held", async () => {
      const all = await rig.app.conversations.store.list();
      for (const summary of all) {
        const c = await rig.app.conversations.store.get(summary.id);
        if (c?.reader.channel === "discord" && c.status === "asking" && c.ask?.question) return c;
      }
      return null;
    });
    expect(conv.ask!.question).toBe(`discord:${dm}:${question.id}`);
    const timeout = await waitFor("timeout job", () =>
      rig.app.pipeline.queues.inbound.getJob(askTimeoutJobId(conv.ask!.h)),
    );
    await timeout.promote();
    await rig.waitMailWhere("uk@leftcom.org", (m) => (m.text ?? "").includes(text));
    await waitFor("buttons disabled", () =>
      discord.pressableButtons(dm, question.id).length === 0 ? true : null,
    );
    expect(
      discord
        .botMessages()
        .find((m) => m.id === question.id)!
        .components!.flatMap((r) => r.components)
        .every((b) => b.disabled === true && b.style === 2),
    ).toBe(true);

    const press = discord.press(dm, question.id, ugo, "loc:AR", { asShown: shown });
    await waitFor("late press answered", () => (press.response ? true : null));
    // 4 CHANNEL_MESSAGE_WITH_SOURCE, flag 64 EPHEMERAL: only Ugo sees it.
    expect(press.response).toMatchObject({
      type: 4,
      data: { content: t("es", "ask.late"), flags: 64 },
    });
    const stored = (await rig.app.conversations.store.get(conv.id))!;
    expect(stored).toMatchObject({ affiliate: "cwo" });
    expect(stored.ask!.outcome).toMatchObject({ how: "timeout" });
    expect(
      rig.mailsTo("uk@leftcom.org").filter((r) => (r.mail.text ?? "").includes(text)),
    ).toHaveLength(1);
  });
});
