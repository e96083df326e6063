import { z } from "zod";
import { RouterError } from "../../src/errors.js";

/** Env variables that switch the channel on; the channel stays off when none is set. */
const AUTH_VARS = [
  "TWITTER_APP_KEY",
  "TWITTER_APP_SECRET",
  "TWITTER_ACCESS_TOKEN",
  "TWITTER_ACCESS_SECRET",
  "TWITTER_USER_TOKEN",
] as const;

const optionalInt = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional();

/** The Twitter/X adapter's environment. DMs need user-context auth: OAuth 1.0a keys or an OAuth 2.0 user token. */
export const TwitterEnvSchema = z
  .object({
    TWITTER_APP_KEY: z.string().min(1).optional(),
    TWITTER_APP_SECRET: z.string().min(1).optional(),
    TWITTER_ACCESS_TOKEN: z.string().min(1).optional(),
    TWITTER_ACCESS_SECRET: z.string().min(1).optional(),
    /** OAuth 2.0 user access token with dm.read dm.write tweet.read tweet.write users.read. */
    TWITTER_USER_TOKEN: z.string().min(1).optional(),
    /** v2 API root, ending in `/2/`; only changed for tests and proxies. */
    TWITTER_API_BASE: z
      .url()
      .regex(/^https?:\/\/.+\/2\/$/, "must be an http(s) URL ending in /2/")
      .default("https://api.x.com/2/"),
    /** The bot's own user id; looked up with GET /2/users/me when absent. */
    TWITTER_USER_ID: z
      .string()
      .regex(/^\d{1,20}$/, "must be a numeric user id")
      .optional(),
    /** Pause between polls. The default suits X's Basic tier (dm_events: 15 requests / 15 min). */
    TWITTER_POLL_INTERVAL_MS: optionalInt(50, 3_600_000).default(65_000),
    /** Longest a send() waits out a 429 before giving up with RateLimitError. */
    TWITTER_SEND_MAX_WAIT_MS: optionalInt(0, 3_600_000).default(60_000),
    /** A call that receives nothing for this long fails and is retried. */
    TWITTER_REQUEST_TIMEOUT_MS: optionalInt(100, 600_000).default(30_000),
    /** With no stored cursor: `history` takes in what X still lists (DMs: 30 days), `now` starts from here. */
    TWITTER_START_FROM: z.enum(["history", "now"]).default("history"),
    /** `false` to read DMs only. */
    TWITTER_MENTIONS: z.enum(["true", "false"]).default("true"),
    /** Page size for both timelines (X allows 5..100 for mentions, 1..100 for DM events). */
    TWITTER_PAGE_SIZE: optionalInt(5, 100).default(100),
  })
  .superRefine((env, ctx) => {
    const oauth1 = [
      "TWITTER_APP_KEY",
      "TWITTER_APP_SECRET",
      "TWITTER_ACCESS_TOKEN",
      "TWITTER_ACCESS_SECRET",
    ] as const;
    const set = oauth1.filter((k) => env[k] !== undefined);
    if (set.length > 0 && set.length < oauth1.length) {
      for (const k of oauth1.filter((v) => env[v] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: "is required with the other OAuth 1.0a keys",
        });
      }
    }
    if (set.length === 0 && env.TWITTER_USER_TOKEN === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["TWITTER_USER_TOKEN"],
        message: "or the four OAuth 1.0a keys are required",
      });
    }
  });
export type TwitterEnv = z.infer<typeof TwitterEnvSchema>;

/** Auth for twitter-api-v2: a bearer string (OAuth 2.0 user token) or OAuth 1.0a user keys. */
export type TwitterAuth =
  string | { appKey: string; appSecret: string; accessToken: string; accessSecret: string };

/** Validated settings of one adapter instance. */
export interface TwitterConfig {
  auth: TwitterAuth;
  apiBase: string;
  userId?: string;
  pollIntervalMs: number;
  sendMaxWaitMs: number;
  requestTimeoutMs: number;
  startFrom: "history" | "now";
  mentions: boolean;
  pageSize: number;
}

/**
 * Reads the adapter's settings from the environment. Returns null when no TWITTER_* credential is
 * set (the channel stays off); throws `RouterError("CONFIG_INVALID")` naming the variable otherwise.
 */
export function loadTwitterConfig(env: NodeJS.ProcessEnv): TwitterConfig | null {
  if (!AUTH_VARS.some((k) => env[k] !== undefined && env[k] !== "")) return null;
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("TWITTER_") && v !== ""),
  );
  const parsed = TwitterEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    throw new RouterError("CONFIG_INVALID", `twitter: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const auth: TwitterAuth =
    e.TWITTER_APP_KEY && e.TWITTER_APP_SECRET && e.TWITTER_ACCESS_TOKEN && e.TWITTER_ACCESS_SECRET
      ? {
          appKey: e.TWITTER_APP_KEY,
          appSecret: e.TWITTER_APP_SECRET,
          accessToken: e.TWITTER_ACCESS_TOKEN,
          accessSecret: e.TWITTER_ACCESS_SECRET,
        }
      : (e.TWITTER_USER_TOKEN ?? "");
  return {
    auth,
    apiBase: e.TWITTER_API_BASE,
    ...(e.TWITTER_USER_ID ? { userId: e.TWITTER_USER_ID } : {}),
    pollIntervalMs: e.TWITTER_POLL_INTERVAL_MS,
    sendMaxWaitMs: e.TWITTER_SEND_MAX_WAIT_MS,
    requestTimeoutMs: e.TWITTER_REQUEST_TIMEOUT_MS,
    startFrom: e.TWITTER_START_FROM,
    mentions: e.TWITTER_MENTIONS === "true",
    pageSize: e.TWITTER_PAGE_SIZE,
  };
}
