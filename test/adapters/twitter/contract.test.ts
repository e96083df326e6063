import { normalizeTwitter } from "../../../adapters/twitter/normalize.js";
import { FakeTwitterApi } from "../../fakes/twitter-api.js";
import { runAdapterContract } from "../contract.js";
import { dmFromZurich, dmGroupNoCreatedAt, mentionTweet } from "./fixtures.js";
import { adapterFor, reader } from "./rig.js";

runAdapterContract({
  channel: "twitter",
  normalize: normalizeTwitter,
  validPayloads: [dmFromZurich, dmGroupNoCreatedAt, mentionTweet],
  malformedPayloads: [
    {
      payload: { data: { id: "7", event_type: "ParticipantsJoin", sender_id: "8" } },
      reason: /carries no reader message/,
    },
    { payload: { data: { id: "7" } }, reason: /neither a DM event/ },
    { payload: { data: { ...dmFromZurich.data, sender_id: "me" } }, reason: /sender_id/ },
    { payload: [], reason: /payload invalid/ },
  ],
  async setup() {
    // Pages of three, so every restart catches up across several pages.
    const fake = new FakeTwitterApi({ pageSize: 3 });
    const baseUrl = await fake.start();
    const alice = reader(1, "Berlin");
    const bob = reader(2);
    let n = 0;
    return {
      createAdapter: () => adapterFor(baseUrl),
      injectInbound(text) {
        // Alternate DMs and mentions: both streams must survive a restart.
        n += 1;
        return Promise.resolve(
          n % 2 === 0
            ? `twitter:tweet:${fake.injectMention(bob, text)}`
            : `twitter:dm:${fake.injectDm(alice, text)}`,
        );
      },
      sentTexts: () => Promise.resolve(fake.sentTexts()),
      replyTarget: `twitter:dm:${alice.id}-${fake.bot.id}`,
      rateLimitNextSend: (seconds) => fake.rateLimitNextSends(1, seconds),
      teardown: () => fake.close(),
    };
  },
});
