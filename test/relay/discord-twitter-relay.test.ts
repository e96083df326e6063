import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, type FakeUser as DiscordUser } from "../fakes/discord-gateway.js";
import { FakeTwitterApi, type FakeUser as XUser } from "../fakes/twitter-api.js";
import { waitFor } from "../queue/helpers.js";
import { refOf, relayRig, replyAddressOf, sendReply, type RelayRig } from "./support.js";

/*
 * Discord (gateway + REST fake) and X (v2 fake) readers through the running app: the answer
 * arrives as a DM, split at paragraph boundaries and numbered when it is longer than the
 * platform allows; a reader who does not accept messages is reported to the affiliate.
 */

const CWO = "Communist Workers' Organisation";

describe("relay: Discord and X readers (running app, platform fakes, real SMTP)", () => {
  let discord: FakeDiscord;
  const x = new FakeTwitterApi();
  let rig: RelayRig;

  beforeAll(async () => {
    discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
    const xBase = await x.start();
    rig = await relayRig({
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiBase,
      TWITTER_USER_TOKEN: "test-user-token",
      TWITTER_API_BASE: xBase,
      TWITTER_POLL_INTERVAL_MS: "100",
      TWITTER_MENTIONS: "false",
    });
    await waitFor(
      "discord online",
      async () => (await rig.app.health()).checks["adapter.discord"]?.ok,
    );
  });
  afterAll(async () => {
    await rig?.stop();
    await discord?.close();
    await x.close();
  });

  const discordSent = (channel: string) =>
    discord
      .botMessages()
      .filter((m) => m.channel_id === channel)
      .map((m) => m.content);
  const xSent = (conversation: string) =>
    x
      .sentTexts()
      .filter((s) => s.to === `twitter:dm:${conversation}`)
      .map((s) => s.text);

  it("Discord DM: a long answer arrives in numbered parts of at most 2,000 characters, split between paragraphs", async () => {
    const lena: DiscordUser = { id: "887766554433221101", username: "lena_w", global_name: "Lena" };
    const dm = discord.dmChannel(lena);
    discord.post(dm, lena, "Hi, I live in Manchester and would like to join a reading group.");
    const forward = await rig.waitMailWhere("uk@leftcom.org", (m) =>
      (m.text ?? "").includes("Manchester"),
    );
    expect(forward.subject).toMatch(/^\[C-[0-9A-Z]{5}\] Discord · GB · en/);
    await waitFor("ack", () => discordSent(dm).length === 1);

    const paragraphs = Array.from(
      { length: 6 },
      (_, i) => `Paragraph ${i + 1}: ${"word ".repeat(100).trim()}.`,
    );
    const answer = paragraphs.join("\n\n");
    await sendReply(rig.relayPort, {
      from: "uk@leftcom.org",
      to: replyAddressOf(forward),
      text: answer,
      quote: forward,
      signature: "Tom, CWO",
    });
    const parts = await waitFor("all parts", () => {
      const sent = discordSent(dm).slice(1);
      return sent.length > 0 && sent.at(-1)!.includes("You can reply here.") ? sent : null;
    });
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.startsWith(`Reply from ${CWO}: (part ${i + 1} of ${parts.length})`)).toBe(true);
    });
    // Every paragraph arrives whole, in order, exactly once.
    const joined = parts.join("\n");
    let at = -1;
    for (const p of paragraphs) {
      expect(joined.split(p)).toHaveLength(2);
      expect(joined.indexOf(p)).toBeGreaterThan(at);
      at = joined.indexOf(p);
    }
    expect(joined).not.toContain("Tom, CWO");
  });

  it("Discord: a reader who closed their DMs (50007) is marked unreachable and the affiliate is told", async () => {
    const max: DiscordUser = { id: "887766554433221102", username: "max_k", global_name: "Max" };
    const dm = discord.dmChannel(max);
    discord.post(dm, max, "Hello from Leeds, is there a group near me?");
    const forward = await rig.waitMailWhere("uk@leftcom.org", (m) =>
      (m.text ?? "").includes("Leeds"),
    );
    await waitFor("ack", () => discordSent(dm).length === 1);
    discord.refuseNextSends(403, 50007, "Cannot send messages to this user");
    await sendReply(rig.relayPort, {
      from: "uk@leftcom.org",
      to: replyAddressOf(forward),
      text: "Yes, in Leeds!",
      quote: forward,
    });
    const notice = await rig.waitMailWhere("uk@leftcom.org", (m) =>
      (m.text ?? "").includes("could not be delivered"),
    );
    expect(notice.text).toContain("Discord refused it for good");
    expect(notice.text).toContain(refOf(forward));
    expect(discordSent(dm)).toHaveLength(1);
  });

  it("X DM: the answer arrives in the reader's DM conversation", async () => {
    const ana: XUser = {
      id: "1570000000000000201",
      name: "Ana",
      username: "ana_x",
      location: "Toronto, Canada",
    };
    x.injectDm(ana, "Hi! I live in Toronto and would like to know more about your politics.");
    const forward = await rig.waitMailWhere("ca@leftcom.org", (m) =>
      (m.text ?? "").includes("Toronto"),
    );
    const conversation = `${ana.id}-${x.bot.id}`;
    await waitFor("ack", () => xSent(conversation).length === 1);
    await sendReply(rig.relayPort, {
      from: "ca@leftcom.org",
      to: replyAddressOf(forward),
      text: "Hello Ana, welcome!",
      quote: forward,
    });
    await waitFor("answer", () => xSent(conversation).length === 2);
    expect(xSent(conversation)[1]).toBe(
      "Reply from Klasbatalo:\n\nHello Ana, welcome!\n\nYou can reply here.",
    );
  });

  it("X: a reader who does not accept DMs is marked unreachable and the affiliate is told", async () => {
    const bo: XUser = {
      id: "1570000000000000202",
      name: "Bo",
      username: "bo_x",
      location: "Montreal",
    };
    x.injectDm(bo, "Hi, I'm in Montreal, how can I help?");
    const forward = await rig.waitMailWhere("ca@leftcom.org", (m) =>
      (m.text ?? "").includes("how can I help"),
    );
    const conversation = `${bo.id}-${x.bot.id}`;
    await waitFor("ack", () => xSent(conversation).length === 1);
    x.closedDms.add(bo.id);
    await sendReply(rig.relayPort, {
      from: "ca@leftcom.org",
      to: replyAddressOf(forward),
      text: "Come to our meeting!",
      quote: forward,
    });
    // Klasbatalo's first language with notices is French.
    const notice = await rig.waitMailWhere("ca@leftcom.org", (m) =>
      (m.text ?? "").includes("Votre réponse n'a pas pu être remise à la personne."),
    );
    expect(notice.text).toContain("Twitter/X l'a refusée définitivement");
    expect(xSent(conversation)).toHaveLength(1);
  });
});
