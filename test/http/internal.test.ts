import { pino } from "pino";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import {
  buildInternalServer,
  internalConfigFromEnv,
  type HealthReport,
} from "../../src/http/internal.js";

function internal(health: () => Promise<HealthReport>, beforeScrape?: () => Promise<unknown>) {
  const registry = new Registry();
  const counter = new Counter({ name: "t_total", help: "t", registers: [registry] });
  const app = buildInternalServer({
    health,
    registry,
    logger: pino({ level: "silent" }),
    ...(beforeScrape ? { beforeScrape } : {}),
  });
  return { app, counter };
}

describe("internal listener", () => {
  it("answers /healthz, and /readyz from health() with 200 or 503 and every check", async () => {
    let ready = true;
    const { app } = internal(() =>
      Promise.resolve({
        ready,
        checks: { redis: { ok: ready, ...(ready ? {} : { detail: "ECONNREFUSED" }) } },
      }),
    );
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
    ready = false;
    const down = await app.inject({ url: "/readyz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      ready: false,
      checks: { redis: { ok: false, detail: "ECONNREFUSED" } },
    });
  });

  it("reports not ready when health() throws", async () => {
    const { app } = internal(() => Promise.reject(new Error("redis gone")));
    const res = await app.inject({ url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      ready: false,
      checks: { health: { ok: false, detail: "redis gone" } },
    });
  });

  it("serves the registry in Prometheus text format, refreshed before the scrape", async () => {
    let refreshed = 0;
    const { app, counter } = internal(
      () => Promise.resolve({ ready: true, checks: {} }),
      () => Promise.resolve(refreshed++),
    );
    counter.inc(3);
    const res = await app.inject({ url: "/metrics" });
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain("t_total 3");
    expect(refreshed).toBe(1);
  });

  it("reads INTERNAL_HOST and INTERNAL_PORT with loopback defaults, and names a bad value", () => {
    expect(internalConfigFromEnv({})).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(internalConfigFromEnv({ INTERNAL_HOST: "0.0.0.0", INTERNAL_PORT: "9100" })).toEqual({
      host: "0.0.0.0",
      port: 9100,
    });
    expect(() => internalConfigFromEnv({ INTERNAL_PORT: "70000" })).toThrow(/^INTERNAL_PORT: /);
    expect(() => internalConfigFromEnv({ INTERNAL_PORT: "metrics" })).toThrow(/^INTERNAL_PORT: /);
    expect(() => internalConfigFromEnv({ INTERNAL_HOST: " " })).toThrow(/^INTERNAL_HOST: /);
  });
});
