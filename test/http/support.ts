import { pino } from "pino";
import { Registry } from "prom-client";
import type { HttpConfig } from "../../src/http/config.js";
import { buildHttpServer } from "../../src/http/server.js";
import { RecordingIntake } from "../support/recording-intake.js";

/** HTTP settings for tests: a generous rate limit unless a test narrows it. */
export function testHttpConfig(over: Partial<HttpConfig> = {}): HttpConfig {
  return {
    port: 0,
    host: "127.0.0.1",
    trustProxy: false,
    formRateLimit: { max: 1000, windowMs: 60_000 },
    bodyLimitBytes: 256 * 1024,
    ...over,
  };
}

/** A server over an in-memory intake, with a log sink the test can inspect. */
export function testServer(over: Partial<HttpConfig> = {}) {
  const intake = new RecordingIntake();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  const registry = new Registry();
  const app = buildHttpServer({
    intake,
    metricsRegistry: registry,
    logger,
    config: testHttpConfig(over),
  });
  return { app, intake, logLines, registry };
}
