import { describe, expect, it } from "vitest";
import { nt, waitIn, type NoticeKey } from "../../src/i18n/notices.js";
import { LANGUAGES, t } from "../../src/i18n/texts.js";
import { bounceLanguage } from "../../src/relay/worker.js";
import {
  AuthenticationFailedError,
  ConversationClosedError,
  SenderNotAllowedError,
} from "../../src/relay/errors.js";
import { noticeMail } from "../../src/relay/notices.js";
import type { AffiliateDirectory, RelayAffiliate } from "../../src/relay/receiver.js";

/* The affiliate-facing notices' texts (src/i18n/notices.ts) and how their language is chosen. */

const KEYS: NoticeKey[] = [
  "confirm.headline",
  "remind.waited",
  "remind.next",
  "handedOver.why",
  "refusal.sender",
  "unreachable.why",
  "uncertain.what",
];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("notice texts", () => {
  it("every language fills the same placeholders as English", () => {
    for (const lang of ["de", "it", "fr"]) {
      for (const key of KEYS) {
        expect(placeholders(nt(lang, key)), `${lang} ${key}`).toEqual(placeholders(nt("en", key)));
      }
    }
  });

  it("fills placeholders, and falls back to English for a language without notices", () => {
    expect(nt("de", "confirm.headline", { commands: "#close", ref: "C-7KQ2M" })).toBe(
      "Erledigt: #close in C-7KQ2M.",
    );
    expect(nt("es", "remind.only")).toBe("This is the only reminder.");
    expect(nt("it", "remind.only")).toBe("Questo è l'unico promemoria.");
  });

  it("says a wait as people there say it", () => {
    expect(waitIn("en", 3 * 86_400_000)).toBe("3 days");
    expect(waitIn("de", 3 * 86_400_000)).toBe("3 Tage");
    expect(waitIn("it", 86_400_000)).toBe("1 giorno");
    expect(waitIn("fr", 36 * 3_600_000)).toBe("36\u00a0heures");
    expect(waitIn("de", 90 * 60_000)).toBe("90 Minuten");
  });

  it("the reader's late-press answer fits a Telegram toast (200 characters) in every language", () => {
    for (const lang of LANGUAGES) {
      const text = t(lang, "ask.late");
      expect([...text].length, lang).toBeLessThanOrEqual(200);
      if (lang !== "en") expect(text, lang).not.toBe(t("en", "ask.late"));
    }
  });
});

describe("bounce language", () => {
  const affiliates: RelayAffiliate[] = [
    { id: "gik", name: "GIK", inbox: "de@leftcom.org", languages: ["de"] },
    {
      id: "pcint",
      name: "PCInt",
      inbox: "it@leftcom.org",
      reply_from: ["Volontari@Leftcom.org"],
      languages: ["it"],
    },
    { id: "kb", name: "Klasbatalo", inbox: "ca@leftcom.org", languages: ["es", "fr", "en"] },
  ];
  const directory: AffiliateDirectory = {
    get: (id) => affiliates.find((a) => a.id === id),
    ids: () => affiliates.map((a) => a.id),
  };

  it("is the language of the affiliate the address belongs to (inbox or reply_from)", () => {
    const closed = new ConversationClosedError("C-7KQ2M");
    expect(bounceLanguage(directory, "de@leftcom.org", closed)).toBe("de");
    expect(bounceLanguage(directory, "volontari@leftcom.org", closed)).toBe("it");
    // The first of its languages that has notices.
    expect(bounceLanguage(directory, "CA@leftcom.org", closed)).toBe("fr");
  });

  it("for an unlisted sender: the conversation's affiliate's language; else English", () => {
    expect(
      bounceLanguage(directory, "helper@example.org", new SenderNotAllowedError("C-1", "pcint")),
    ).toBe("it");
    expect(
      bounceLanguage(directory, "helper@example.org", new AuthenticationFailedError("fail")),
    ).toBe("en");
    expect(bounceLanguage(undefined, "de@leftcom.org", new ConversationClosedError("C-1"))).toBe(
      "en",
    );
  });

  it("writes the bounce email in that language", () => {
    const err = new ConversationClosedError("C-7KQ2M");
    const mail = noticeMail(
      {
        from: "router@example.net",
        messageIdDomain: "example.net",
        relayDomain: "relay.example.net",
      },
      {
        to: "de@leftcom.org",
        conversation: null,
        lang: "de",
        headline: nt("de", "bounce.headline"),
        paragraphs: [err.explain("de")],
        key: "bounce:test",
      },
    );
    expect(mail.subject).toBe("Eure Antwort wurde nicht weitergeleitet");
    expect(mail.text).toContain("Gespräch C-7KQ2M wurde beendet");
    expect(mail.text).toContain("diese Nachricht wurde automatisch geschrieben");
    expect(err.explain()).toContain("Conversation C-7KQ2M was closed");
  });
});
