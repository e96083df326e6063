import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HttpEnvSchema } from "../../src/http/config.js";
import { InternalEnvSchema } from "../../src/http/internal.js";

interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[] };
}

const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync("Dockerfile", "utf8");

/**
 * Issue 10, findings 4 and 8: route and deliver containers failed their health check (no HTTP),
 * and HOST defaulted to every interface. Read as Docker reads them: each contact-router service
 * checks the internal listener, and only the container sets HOST=0.0.0.0.
 */
describe("Dockerfile and docker-compose.yml", () => {
  it("every service has a health check; contact-router's hit /readyz on INTERNAL_PORT", () => {
    const services = Object.entries(compose.services);
    expect(services.map(([name]) => name).sort()).toEqual(["deliver", "ingest", "redis", "route"]);
    for (const [name, service] of services) {
      const test = service.healthcheck?.test;
      expect(test, name).toBeDefined();
      if (!service.build) continue;
      expect(test!.slice(0, 3), name).toEqual(["CMD", "node", "-e"]);
      expect(test![3], name).toContain(
        "fetch('http://127.0.0.1:'+(process.env.INTERNAL_PORT||9464)+'/readyz')",
      );
      expect(service.environment?.INTERNAL_PORT, name).toBe(9464);
      // The check runs inside the container, where the internal listener is on loopback.
      expect(service.environment?.INTERNAL_HOST, name).toBeUndefined();
      expect(service.environment?.HOST, name).toBe("0.0.0.0");
    }
  });

  it("the image sets HOST=0.0.0.0 and checks /healthz on INTERNAL_PORT", () => {
    expect(dockerfile).toMatch(/^ENV .*\bHOST=0\.0\.0\.0\b/m);
    expect(dockerfile).toMatch(/^ENV .*\bINTERNAL_PORT=9464\b/m);
    const check = /^HEALTHCHECK .*$/m.exec(dockerfile)?.[0];
    expect(check).toContain(
      "fetch('http://127.0.0.1:'+(process.env.INTERNAL_PORT||9464)+'/healthz')",
    );
  });

  it("outside the container the public and internal listeners default to loopback", () => {
    expect(HttpEnvSchema.parse({}).HOST).toBe("127.0.0.1");
    expect(InternalEnvSchema.parse({})).toEqual({
      INTERNAL_HOST: "127.0.0.1",
      INTERNAL_PORT: 9464,
    });
  });
});
