import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/** Header in which Telegram repeats the webhook's `secret_token`. */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Updates are small; anything bigger is not from Telegram. */
export const MAX_UPDATE_BYTES = 1_000_000;

/** What the webhook does with one parsed body; resolves once the update is durably taken. */
export type UpdateSink = (body: unknown) => Promise<void>;
/** Where a body that is not JSON goes, so it is kept rather than dropped. */
export type BadBodySink = (reason: string, raw: string) => Promise<void>;

function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, close = false): void {
  if (close) res.setHeader("Connection", "close");
  res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? "{}" : "");
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPDATE_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The webhook endpoint. The path and secret token are checked before a byte of the body is read;
 * the answer is 200 only once the update is enqueued, else 500 so Telegram delivers it again.
 */
export function webhookListener(
  path: string,
  secret: string,
  sink: UpdateSink,
  badBody: BadBodySink,
): RequestListener {
  return (req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== path) {
      reply(res, 404, true);
      return;
    }
    if (!secretMatches(secret, req.headers[SECRET_HEADER])) {
      reply(res, 401, true);
      return;
    }
    void (async () => {
      const body = await readBody(req);
      if (body === null) {
        reply(res, 413, true);
        return;
      }
      let update: unknown;
      try {
        update = JSON.parse(body);
      } catch {
        await badBody("webhook body is not JSON", body.slice(0, 10_000));
        reply(res, 200);
        return;
      }
      await sink(update);
      reply(res, 200);
    })().catch(() => {
      if (!res.headersSent) reply(res, 500);
    });
  };
}
