/** Realistic X API v2 payloads (shapes as in the v2 docs), one item each with its `includes`. */

export const zurichUser = {
  id: "1570000000000000001",
  name: "Lena Muster",
  username: "lena_m",
  location: "Zürich",
};

export const dmFromZurich = {
  data: {
    id: "1860000000000000101",
    event_type: "MessageCreate",
    text: "Hallo, ich möchte mit euch über die Arbeit in der Schweiz sprechen.",
    sender_id: zurichUser.id,
    dm_conversation_id: `${zurichUser.id}-990001`,
    created_at: "2026-11-20T10:15:00.000Z",
  },
  includes: { users: [zurichUser] },
};

export const dmGroupNoCreatedAt = {
  data: {
    id: "1860000000000000202",
    event_type: "MessageCreate",
    text: "Hola, vivo en Barcelona y quiero participar.",
    sender_id: "1570000000000000002",
    dm_conversation_id: "1860000000000000000",
  },
  includes: {
    users: [
      { id: "1570000000000000002", name: "Jordi", username: "jordi_bcn", location: "Barcelona" },
    ],
  },
};

export const mentionTweet = {
  data: {
    id: "1860000000000000303",
    text: "@contactbot @someone how do I get in touch with comrades in Melbourne?",
    author_id: "1570000000000000003",
    conversation_id: "1860000000000000300",
    created_at: "2026-11-20T11:00:00.000Z",
    lang: "en",
    referenced_tweets: [{ type: "replied_to", id: "1860000000000000300" }],
  },
  includes: {
    users: [
      { id: "1570000000000000003", name: "Sam", username: "sam_au", location: "Melbourne 🇦🇺" },
    ],
  },
};

export const dmNoUser = {
  data: {
    id: "1860000000000000404",
    event_type: "MessageCreate",
    text: "hi",
    sender_id: "1570000000000000004",
    created_at: "2026-11-20T12:00:00Z",
  },
};
