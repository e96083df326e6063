import { normalizeDiscord } from "../../../adapters/discord/normalize.js";
import { runAdapterContract } from "../contract.js";
import { dmMessage, guildMessage, replyWithLocale } from "./fixtures.js";
import { discordRig } from "./rig.js";

runAdapterContract({
  channel: "discord",
  normalize: normalizeDiscord,
  validPayloads: [dmMessage, guildMessage, replyWithLocale],
  malformedPayloads: [
    { payload: { ...dmMessage, author: { ...dmMessage.author, bot: true } }, reason: /bot/ },
    { payload: { ...dmMessage, content: "" }, reason: /empty content/ },
    { payload: { ...dmMessage, channel_id: undefined }, reason: /channel_id/ },
    { payload: { ...dmMessage, timestamp: "not a time" }, reason: /timestamp/ },
  ],
  setup: discordRig,
});
