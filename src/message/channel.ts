import { z } from "zod";

/** The platforms a reader can write from. */
export const CHANNELS = ["email", "telegram", "discord", "twitter", "web"] as const;

export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

/** Human name of a channel, for subjects and explanations. */
export const CHANNEL_LABEL: Record<Channel, string> = {
  email: "Email",
  telegram: "Telegram",
  discord: "Discord",
  twitter: "Twitter/X",
  web: "Web form",
};
