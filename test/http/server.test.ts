import { afterEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/i18n/languages.js";
import { t } from "../../src/i18n/texts.js";
import { testServer } from "./support.js";

const open: { close(): Promise<unknown> }[] = [];
function server(...args: Parameters<typeof testServer>) {
  const s = testServer(...args);
  open.push(s.app);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

const form = (fields: Record<string, string>) => ({
  method: "POST" as const,
  url: "/contact",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: new URLSearchParams(fields).toString(),
});

describe("GET /contact", () => {
  it.each(LANGUAGES.map((l) => [l]))(
    "renders an accessible form in %s from Accept-Language",
    async (lang) => {
      const { app } = server();
      const res = await app.inject({
        url: "/contact",
        headers: { "accept-language": `${lang};q=0.9, en;q=0.1` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      const html = res.body;
      expect(html).toContain(`<html lang="${lang}" dir="${lang === "fa" ? "rtl" : "ltr"}">`);
      expect(html).toContain(`<legend>${t(lang, "form.legend").replace(/'/g, "&#39;")}</legend>`);
      for (const id of ["name", "email", "country", "message"]) {
        expect(html).toContain(`<label for="${id}">`);
        expect(html).toContain(`id="${id}"`);
      }
      expect(html).not.toMatch(/<script|javascript:|https?:\/\//i);
      expect(html).toContain('<textarea id="message" name="message" rows="10" required');
    },
  );

  it("localises country names and honours ?lang=", async () => {
    const { app } = server();
    const de = await app.inject({ url: "/contact?lang=de", headers: { "accept-language": "fr" } });
    expect(de.body).toContain('<option value="AT">Österreich</option>');
    const fa = await app.inject({ url: "/contact", headers: { "accept-language": "fa-IR" } });
    expect(fa.body).toContain('<option value="DE">آلمان</option>');
    const en = await app.inject({ url: "/contact" });
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('<option value="IR">Iran</option>');
  });

  it("sets security headers and serves its stylesheet itself", async () => {
    const { app } = server();
    const res = await app.inject({ url: "/contact" });
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    const css = await app.inject({ url: "/contact.css" });
    expect(css.statusCode).toBe(200);
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
  });
});

describe("POST /contact", () => {
  it("takes in a valid form, normalised, and thanks the reader in their language", async () => {
    const { app, intake, logLines } = server();
    const res = await app.inject({
      ...form({
        lang: "it",
        name: "Luca",
        email: "luca@example.it",
        country: "it",
        message: "Ciao, vorrei partecipare.",
        website: "",
      }),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "accept-language": "it-IT,it;q=0.9",
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${t("it", "thanks.title")}</h1>`);
    expect(res.body).toContain(t("it", "thanks.replyEmail").replace(/'/g, "&#39;"));
    expect(intake.accepted).toHaveLength(1);
    const m = intake.accepted[0]!;
    expect(m.channel).toBe("web");
    expect(m.id).toMatch(/^web:[0-9a-f]{32}$/);
    expect(m.text).toBe("Ciao, vorrei partecipare.");
    expect(m.evidence).toMatchObject({
      statedCountry: "IT",
      emailAddress: "luca@example.it",
      languageTag: "it-IT",
    });
    expect(m.replyTo).toBe("email:luca@example.it");
    const logs = logLines.join("\n");
    expect(logs).toContain("contact form taken in");
    expect(logs).not.toContain("vorrei");
    expect(logs).not.toContain("luca@example.it");
    expect(logs).not.toContain("Luca");
    expect(logs).not.toContain("127.0.0.1");
  });

  it("accepts JSON and answers {id}; a double submit is one contact", async () => {
    const { app, intake } = server();
    const body = { message: "Hello from Melbourne", country: "AU" };
    const a = await app.inject({ method: "POST", url: "/contact", payload: body });
    const b = await app.inject({ method: "POST", url: "/contact", payload: body });
    expect(a.statusCode).toBe(202);
    expect(a.json()).toEqual({ id: intake.accepted[0]!.id });
    expect(b.json()).toEqual(a.json());
    expect(intake.submitCalls).toBe(2);
    expect(intake.accepted).toHaveLength(1);
  });

  it("re-renders the form with localised problems and the reader's input kept", async () => {
    const { app, intake } = server();
    const res = await app.inject(
      form({ lang: "de", name: "Jo", email: "not-an-address", country: "XX", message: "   " }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="de"');
    expect(res.body).toContain(t("de", "err.summary"));
    expect(res.body).toContain(t("de", "err.emailInvalid"));
    expect(res.body).toContain(t("de", "err.countryInvalid"));
    expect(res.body).toContain(t("de", "err.messageRequired"));
    expect(res.body).toContain(
      'value="not-an-address" aria-describedby="email-hint email-error" aria-invalid="true"',
    );
    expect(res.body).toContain('value="Jo"');
    expect(intake.submitCalls).toBe(0);
  });

  it("escapes the reader's input when echoing it back", async () => {
    const { app } = server();
    const res = await app.inject(
      form({ name: '"><script>alert(1)</script>', email: "x", message: "</textarea><b>hi</b>" }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain("<script>");
    expect(res.body).toContain("&lt;/textarea&gt;&lt;b&gt;hi&lt;/b&gt;");
  });

  it("rejects a too-long message with its limit, and a huge body with 413, in the reader's language", async () => {
    const { app, intake } = server();
    const long = await app.inject(form({ lang: "pl", message: "a".repeat(20_001) }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain(t("pl", "err.messageTooLong", { max: 20000 }));
    const huge = await app.inject({
      ...form({ message: "x".repeat(300 * 1024) }),
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "sv" },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain(t("sv", "err.tooLarge"));
    const hugeJson = await app.inject({
      method: "POST",
      url: "/contact",
      payload: { message: "x".repeat(300 * 1024) },
    });
    expect(hugeJson.statusCode).toBe(413);
    expect(hugeJson.json().problems[0].message).toBe(t("en", "err.tooLarge"));
    expect(intake.submitCalls).toBe(0);
  });

  it("rejects malformed JSON, wrong shapes and control characters with clear errors", async () => {
    const { app, intake } = server();
    const bad = await app.inject({
      method: "POST",
      url: "/contact",
      headers: { "content-type": "application/json" },
      payload: "{nope",
    });
    expect(bad.statusCode).toBe(400);
    const arr = await app.inject({
      method: "POST",
      url: "/contact",
      payload: { message: ["a", "b"] },
    });
    expect(arr.statusCode).toBe(400);
    expect(arr.json().problems).toEqual([
      { field: "message", message: t("en", "err.messageRequired") },
    ]);
    const ctrl = await app.inject({
      method: "POST",
      url: "/contact",
      payload: { message: "hi", name: "a\u0007b" },
    });
    expect(ctrl.statusCode).toBe(400);
    expect(ctrl.json().problems).toEqual([{ field: "name", message: t("en", "err.invalidChars") }]);
    const xml = await app.inject({
      method: "POST",
      url: "/contact",
      headers: { "content-type": "text/xml" },
      payload: "<a/>",
    });
    expect(xml.statusCode).toBe(415);
    expect(intake.submitCalls).toBe(0);
  });

  it("pretends success to bots that fill the honeypot, submits nothing and counts it", async () => {
    const { app, intake, registry } = server();
    const res = await app.inject(form({ message: "Buy now", website: "http://spam.example" }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(t("en", "thanks.title"));
    const json = await app.inject({
      method: "POST",
      url: "/contact",
      payload: { message: "x", website: "y" },
    });
    expect(json.statusCode).toBe(202);
    expect(json.json().id).toMatch(/^web:/);
    expect(intake.submitCalls).toBe(0);
    const metrics = await registry.metrics();
    expect(metrics).toContain('contact_router_web_form_total{outcome="honeypot"} 2');
    expect(registry.getSingleMetric("contact_router_web_form_total")).toBeDefined();
  });

  it("rate-limits posts per IP with a localised page and Retry-After", async () => {
    const { app, intake } = server({ formRateLimit: { max: 2, windowMs: 60_000 } });
    for (let i = 0; i < 2; i++) {
      const ok = await app.inject(form({ message: `hello ${i}` }));
      expect(ok.statusCode).toBe(200);
    }
    const limited = await app.inject({
      ...form({ message: "hello again", lang: "es" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();
    // In the language the form was shown in, under its own heading, the typed text kept.
    expect(limited.body).toContain(t("es", "err.rateLimited"));
    expect(limited.body).toContain(t("es", "err.notSent"));
    expect(limited.body).not.toContain(t("es", "err.summary"));
    expect(limited.body).toContain("hello again</textarea>");
    const other = await app.inject({
      ...form({ message: "from elsewhere" }),
      remoteAddress: "10.9.8.7",
    });
    expect(other.statusCode).toBe(200);
    expect(intake.accepted).toHaveLength(3);
    // The form page itself is not limited.
    expect((await app.inject({ url: "/contact" })).statusCode).toBe(200);
  });

  it("keeps the reader's input and says so when the intake is down", async () => {
    const { app, intake } = server();
    intake.failNextSubmits(1);
    const res = await app.inject(form({ lang: "nl", message: "Hallo daar" }));
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain(t("nl", "err.unavailable"));
    expect(res.body).toContain("Hallo daar</textarea>");
  });
});

describe("public endpoints", () => {
  it("answers /healthz, and keeps /readyz and /metrics off the public port", async () => {
    const { app } = server();
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ url: "/readyz" })).statusCode).toBe(404);
    expect((await app.inject({ url: "/metrics" })).statusCode).toBe(404);
  });
});
