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

/** The bot, as a message author. */
export const botUser = {
  id: "1100000000000000099",
  username: "contact-router",
  global_name: null,
  bot: true,
};

/** The question's buttons, as the bot sends them (custom_id = the caller's data). */
export const questionRows = [
  {
    type: 1,
    components: [
      { type: 2, style: 2, label: "Deutschland", custom_id: "loc:DE" },
      { type: 2, style: 2, label: "Österreich", custom_id: "loc:AT" },
      { type: 2, style: 2, label: "Anderes Land", custom_id: "loc:other" },
    ],
  },
  { type: 1, components: [{ type: 2, style: 2, label: "Lieber nicht", custom_id: "loc:decline" }] },
];

/** The bot's question in the reader's DM (dmMessage's channel). */
export const dmQuestion = {
  ...dmMessage,
  id: "1309871400000000001",
  content: "Von wo schreibst du?",
  author: botUser,
  components: questionRows,
};

/** A reader's press in their DM, as INTERACTION_CREATE carries it (API v10). */
export function dmPress(customId: string, extra: Record<string, unknown> = {}) {
  return {
    id: "1309871411111111111",
    application_id: botUser.id,
    type: 3,
    data: { custom_id: customId, component_type: 2 },
    channel: { id: dmMessage.channel_id, type: 1, recipients: [dmMessage.author], flags: 0 },
    channel_id: dmMessage.channel_id,
    user: dmMessage.author,
    token: "aW50ZXJhY3Rpb246MTMwOTg3MTQxMTExMTExMTExMTpzZWNyZXQ",
    version: 1,
    message: dmQuestion,
    locale: "de",
    app_permissions: "1071698660929",
    entitlements: [],
    authorizing_integration_owners: { "0": "0" },
    context: 1,
    attachment_size_limit: 10_485_760,
    ...extra,
  };
}

/** The bot's question in the contact channel, replying to guildMessage (Sam's). */
export const guildQuestion = {
  ...guildMessage,
  id: "1309871500000000001",
  type: 19,
  content: "Where do you write from?",
  author: botUser,
  components: questionRows,
  message_reference: {
    type: 0,
    message_id: guildMessage.id,
    channel_id: guildMessage.channel_id,
    guild_id: guildMessage.guild_id,
  },
  referenced_message: guildMessage,
};

/** `user` presses a button of guildQuestion in the contact channel. */
export function guildPress(
  customId: string,
  user: { id: string; username: string; global_name: string | null },
  message: Record<string, unknown> = guildQuestion,
) {
  return {
    ...dmPress(customId),
    id: "1309871522222222222",
    channel: {
      id: guildMessage.channel_id,
      type: 0,
      guild_id: guildMessage.guild_id,
      name: "contact",
    },
    channel_id: guildMessage.channel_id,
    guild_id: guildMessage.guild_id,
    guild_locale: "en-US",
    user: undefined,
    member: { user, roles: [], joined_at: "2025-01-01T00:00:00.000000+00:00", permissions: "0" },
    message,
    locale: "en-GB",
    context: 0,
  };
}
