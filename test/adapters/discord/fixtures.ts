/** Realistic gateway MESSAGE_CREATE payloads (shapes as Discord documents them), for the Discord tests. */

export const dmMessage = {
  type: 0,
  tts: false,
  timestamp: "2026-11-20T14:03:11.512000+00:00",
  pinned: false,
  nonce: "1309871234567890944",
  mentions: [],
  mention_roles: [],
  mention_everyone: false,
  id: "1309871235012345678",
  flags: 0,
  embeds: [],
  edited_timestamp: null,
  content: "Hallo, ich wohne in Wien und würde gern mitmachen.",
  components: [],
  channel_type: 1,
  channel_id: "1201234567890123456",
  author: {
    username: "lena_w",
    public_flags: 0,
    id: "887766554433221100",
    global_name: "Lena",
    discriminator: "0",
    avatar: null,
  },
  attachments: [],
};

export const guildMessage = {
  ...dmMessage,
  id: "1309871299912345678",
  channel_id: "1109876543210987654",
  guild_id: "1100000000000000001",
  channel_type: 0,
  content: "Hi! I'm from Melbourne, how can I help with the next meeting?",
  author: {
    username: "sam.au",
    id: "770000000000000001",
    global_name: null,
    discriminator: "0",
    avatar: null,
  },
  member: { roles: [], joined_at: "2025-01-01T00:00:00.000000+00:00", deaf: false, mute: false },
};

export const replyWithLocale = {
  ...dmMessage,
  id: "1309871311112345678",
  type: 19,
  content: "Sí, vivo en Barcelona.",
  locale: "es-ES",
  author: { ...dmMessage.author, locale: "de" },
  message_reference: {
    type: 0,
    message_id: "1309871300000000000",
    channel_id: dmMessage.channel_id,
  },
  attachments: [
    {
      id: "1309871311112349999",
      filename: "leaflet.pdf",
      size: 48213,
      url: "https://cdn.discordapp.com/attachments/x/leaflet.pdf",
      proxy_url: "https://media.discordapp.net/attachments/x/leaflet.pdf",
      content_type: "application/pdf",
    },
  ],
};
