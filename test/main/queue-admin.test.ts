import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Redis } from "ioredis";
import { registerQueueCommands } from "../../src/cli/queue-admin.js";
import { RouterError } from "../../src/errors.js";
import { createPipeline, type Pipeline } from "../../src/queue/pipeline.js";
import {
  REDIS_URL,
  cleanup,
  sampleMessage,
  testPrefix,
  testRedis,
  waitFor,
} from "../queue/helpers.js";
import { RecordingDelivery, affiliate, fakeRoute } from "../queue/fixtures.js";

describe("contact-router dlq / quarantine", () => {
  let redis: Redis;
  let prefix: string;
  let pipeline: Pipeline;
  let delivery: RecordingDelivery;
  let varDir = "";
  const saved = { ...process.env };

  beforeEach(() => {
    redis = testRedis();
    prefix = testPrefix();
    const key = randomBytes(32);
    Object.assign(process.env, {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATA_KEY: key.toString("base64"),
      VAR_DIR: (varDir = mkdtempSync(join(tmpdir(), "cr-cli-"))),
    });
    delivery = new RecordingDelivery();
    pipeline = createPipeline({
      connection: redis,
      prefix,
      key,
      roles: ["route", "deliver"],
      route: fakeRoute,
      affiliate,
      delivery,
      retry: { deliver: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 } },
    });
  });
  afterEach(async () => {
    try {
      await pipeline.close();
      await cleanup(redis, prefix);
    } finally {
      redis.disconnect();
      process.env = { ...saved };
      vi.restoreAllMocks();
      rmSync(varDir, { recursive: true, force: true });
    }
  });

  async function run(...args: string[]): Promise<string> {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation(
      (...a: unknown[]) => void out.push(a.map(String).join(" ")),
    );
    const program = new Command().exitOverride();
    registerQueueCommands(program);
    try {
      await program.parseAsync(["node", "contact-router", ...args]);
    } finally {
      vi.restoreAllMocks();
    }
    return out.join("\n");
  }

  it("lists, retries and discards dead letters", async () => {
    delivery.fail = () => new RouterError("DELIVERY_TRANSIENT", "421 busy", { retryable: true });
    await pipeline.intake.submit(sampleMessage(1));
    await pipeline.intake.submit(sampleMessage(2));
    await waitFor("2 dead letters", async () => (await pipeline.deadLetters.list()).length === 2);
    const listed = JSON.parse(await run("dlq", "list", "--json")) as {
      id: string;
      reason: string;
    }[];
    expect(listed).toHaveLength(2);
    expect(listed[0]!.reason).toBe("DELIVERY_TRANSIENT: 421 busy");
    delivery.fail = () => null;
    expect(await run("dlq", "retry", listed[0]!.id)).toBe(`retrying ${listed[0]!.id}`);
    await waitFor("delivered", () => delivery.sent.length === 1);
    expect(await run("dlq", "discard", listed[1]!.id)).toBe(`discarded ${listed[1]!.id}`);
    expect(await run("dlq", "list")).toBe("no dead letters");
    await expect(run("dlq", "retry", "deliver/nope")).rejects.toThrow(
      /no dead letter with id deliver\/nope/,
    );
  });

  it("lists, shows and discards quarantined payloads", async () => {
    await pipeline.intake.quarantine("telegram:update:77", "no message in update", {
      update_id: 77,
    });
    const listed = JSON.parse(await run("quarantine", "list", "--json")) as {
      ref: string;
      reason: string;
    }[];
    expect(listed).toEqual([
      expect.objectContaining({ ref: "telegram:update:77", reason: "no message in update" }),
    ]);
    expect(await run("quarantine", "show", "telegram:update:77")).toBe('{"update_id":77}');
    expect(await run("quarantine", "discard", "telegram:update:77")).toBe(
      "discarded telegram:update:77",
    );
    expect(await run("quarantine", "list")).toBe("quarantine is empty");
  });
});
