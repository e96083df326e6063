import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MachineMailError } from "../../../adapters/email/auto-reply.js";
import { normalize } from "../../../adapters/email/normalize.js";
import { readForDetection } from "../../../src/evidence/clean-text.js";
import { extractEvidence } from "../../../src/evidence/index.js";
import { loadRulesFile } from "../../../src/routing/load.js";

/** One hand-written mail of the corpus and the verdict a careful reader reaches. */
interface CorpusMail {
  file: string;
  client: string;
  language: string;
  country: string | null;
  should_route: boolean;
  /** For mail that is not routed: the machine-mail kind. */
  reason?: string;
  /** "signature": the place is only in the sign-off (ROUTING.md, location source 3). */
  location_via?: "signature";
  signature_has?: string;
  note?: string;
}

const DIR = join(import.meta.dirname, "../../fixtures/email/corpus");
const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as {
  mails: CorpusMail[];
};
const rules = loadRulesFile();

describe("email corpus: normalizer and evidence on real-format mail", () => {
  it("has at least 60 mails across the eleven languages", () => {
    expect(manifest.mails.length).toBeGreaterThanOrEqual(60);
    const languages = new Set(manifest.mails.map((m) => m.language));
    for (const l of ["en", "de", "fr", "it", "es", "pt", "nl", "sv", "pl", "ru", "fa"]) {
      expect(languages).toContain(l);
    }
  });

  it.each(manifest.mails.filter((m) => !m.should_route))(
    "$file ($client) is quarantined as $reason",
    async (m) => {
      const err: unknown = await normalize(readFileSync(join(DIR, m.file))).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MachineMailError);
      expect((err as MachineMailError).verdict.kind).toBe(m.reason);
    },
  );

  it.each(manifest.mails.filter((m) => m.should_route))(
    "$file ($client): $language, $country",
    async (m) => {
      const msg = await normalize(readFileSync(join(DIR, m.file)));
      const evidence = extractEvidence(msg, rules.genericTlds);
      expect(evidence.language?.code).toBe(m.language);
      const read = readForDetection({ subject: msg.subject, text: msg.text });
      if (m.signature_has !== undefined) expect(read.signature).toContain(m.signature_has);
      expect(evidence.location?.country ?? null).toBe(m.country);
      if (m.location_via === "signature") expect(evidence.location?.source).toBe("signature");
    },
  );
});
