import http from "node:http";
import https from "node:https";
import { Socket } from "node:net";
import { ApiResponseError, TwitterApi, TwitterApiv2 } from "twitter-api-v2";
import type { TwitterAuth } from "./config.js";

/**
 * A v2 client rooted at `prefix`. twitter-api-v2's own `cloneWithPrefix` calls a class constructor
 * without `new` (TypeError in 1.29), so the prefix is set by a subclass instead.
 */
class PrefixedTwitterApiv2 extends TwitterApiv2 {
  constructor(base: TwitterApi, prefix: string) {
    super(base);
    this._prefix = prefix;
  }
}

/**
 * twitter-api-v2 exposes no timeout on its high-level calls; the agent's sockets get one instead
 * and are destroyed when idle, which fails the request with a network error (retried with backoff).
 */
function withIdleTimeout<A extends http.Agent>(agent: A, ms: number): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    if (socket instanceof Socket) {
      socket.setTimeout(ms, () => socket.destroy(new Error(`no response within ${ms} ms`)));
    }
    return socket;
  };
  return agent;
}

/** The v2 client and the HTTP agent behind it (destroyed on stop so no socket outlives the adapter). */
export interface TwitterClient {
  v2: TwitterApiv2;
  agent: http.Agent;
}

/**
 * Builds a client for `apiBase`, whose calls fail after `idleTimeoutMs` without a byte (so a hung
 * server cannot stall polling for ever), (`https://api.x.com/2/` or a local fake's `http://…/2/`).
 * The library always calls `https.request`; handing it a plain `http.Agent` makes that request
 * speak HTTP, which is how tests reach a local fake without TLS.
 */
export function createTwitterClient(
  auth: TwitterAuth,
  apiBase: string,
  idleTimeoutMs: number,
): TwitterClient {
  const agent = withIdleTimeout(
    apiBase.startsWith("http:")
      ? new http.Agent({ keepAlive: false })
      : new https.Agent({ keepAlive: true }),
    idleTimeoutMs,
  );
  const root =
    typeof auth === "string"
      ? new TwitterApi(auth, { httpAgent: agent })
      : new TwitterApi(auth, { httpAgent: agent });
  return { v2: new PrefixedTwitterApiv2(root, apiBase), agent };
}

/**
 * Milliseconds until the limit that answered 429 resets (`x-rate-limit-reset`, epoch seconds), or
 * undefined when the error is not a rate limit. A missing header counts as one minute.
 */
export function rateLimitWaitMs(err: unknown, now = Date.now()): number | undefined {
  if (!(err instanceof ApiResponseError) || !err.rateLimitError) return undefined;
  const header = err.headers["x-rate-limit-reset"];
  const reset = err.rateLimit?.reset ?? Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isFinite(reset)) return 60_000;
  // Whole seconds on the wire: wait for the second to turn, plus a little slack for clock skew.
  return Math.max(0, reset * 1000 - now) + 250;
}

/** HTTP status of a failed API call, if it got that far. */
export function httpStatus(err: unknown): number | undefined {
  return err instanceof ApiResponseError ? err.code : undefined;
}
