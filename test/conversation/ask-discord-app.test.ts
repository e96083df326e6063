import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, type FakeUser } from "../fakes/discord-gateway.js";
import { t } from "../../src/i18n/texts.js";
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
  });
});
