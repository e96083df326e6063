import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { CHOICE_SUPPORT } from "../../adapters/choices.js";
import { matchTextChoice, renderTextChoices } from "../../adapters/text-choices.js";
import type { AdapterContext, ChannelAdapter, Choice } from "../../adapters/types.js";
import { InvalidPayloadError } from "../../src/errors.js";
import type { Channel } from "../../src/message/channel.js";
import { decodeId } from "../../src/message/ids.js";
import { InboundMessageSchema, type InboundMessage } from "../../src/message/inbound.js";
import { MemoryCursorStore } from "../../src/state/cursor-store.js";
import { RecordingCursorStore, RecordingIntake } from "../support/recording-intake.js";

/** What an adapter's test file gives the shared contract suite. */
export interface AdapterHarness {
  channel: Channel;
  normalize(raw: unknown): InboundMessage | Promise<InboundMessage>;
  /** ≥ 3 realistic platform payloads with distinct ids. */
  validPayloads: unknown[];
  /** ≥ 3, each with the expected reason. */
  malformedPayloads: { payload: unknown; reason: RegExp }[];
  /** Starts the fake platform (or Dovecot) for one test. */
  setup(): Promise<AdapterRig>;
}

/** One running fake platform and a way to make adapters that talk to it. */
export interface AdapterRig {
  /** A NEW adapter instance each call, pointed at the fake. */
  createAdapter(): ChannelAdapter;
  /** The platform receives a new reader message; resolves to the expected InboundMessage.id. */
  injectInbound(text: string): Promise<string>;
  /** What the platform received from the bot, in order; `to` is the prefixed conversation id. */
  sentTexts(): Promise<{ to: string; text: string }[]>;
  /** A prefixed conversation id the adapter may send() to. */
  replyTarget: string;
  /**
   * Makes the platform answer the next send with a rate-limit response asking to wait
   * `retryAfterSeconds` (Telegram 429 retry_after, Discord 429 retry_after, X reset header).
   * Optional only for channels that have no such thing (email); the 429 check is skipped then.
   */
  rateLimitNextSend?(retryAfterSeconds: number): void | Promise<void>;
  /** Required when the adapter's `capabilities.choices` is "buttons". */
  choices?: ChoiceRig;
  teardown(): Promise<void>;
}

/** A platform with buttons: what a message shows, and the reader of `injectInbound` pressing. */
export interface ChoiceRig {
  /** The choices the message (the id `send` returned) shows that can still be pressed. */
  pressable(platformMessageId: string): Promise<Choice[]>;
  /** The reader presses the choice `data` on that message; resolves to the expected InboundMessage.id. */
  press(platformMessageId: string, data: string): Promise<string>;
  /** How many presses the platform still waits for the bot to answer. */
  unansweredPresses(): Promise<number>;
}

/** What the contract asks with. */
const CONTRACT_CHOICES: Choice[] = [
  { data: "c:1", label: "Italia" },
  { data: "c:2", label: "Österreich" },
  { data: "c:other", label: "Another country" },
  { data: "c:decline", label: "I'd rather not say" },
];

/** Polls an async condition (platform state outside the intake) until it holds. */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });

function context(intake: RecordingIntake): AdapterContext {
  return {
    intake,
    cursors: new RecordingCursorStore(new MemoryCursorStore(), intake),
    logger: log,
  };
}

async function withRig(harness: AdapterHarness, body: (rig: AdapterRig) => Promise<void>) {
  const rig = await harness.setup();
  try {
    await body(rig);
  } finally {
    await rig.teardown();
  }
}

async function injectMany(rig: AdapterRig, label: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await rig.injectInbound(`contract ${label} message ${i}`));
  return ids;
}

/**
 * The behaviour every channel adapter shares (issue 4, "Tests"). Call inside the adapter's own
 * test file: `runAdapterContract(harness)`.
 */
export function runAdapterContract(harness: AdapterHarness): void {
  const tag = `[contract ${harness.channel}]`;

  describe(`${harness.channel} adapter contract`, () => {
    it("has enough fixtures", () => {
      expect(harness.validPayloads.length).toBeGreaterThanOrEqual(3);
      expect(harness.malformedPayloads.length).toBeGreaterThanOrEqual(3);
    });

    it("normalizes every valid payload to a schema-valid message with round-tripping ids", async () => {
      const ids = new Set<string>();
      for (const payload of harness.validPayloads) {
        const msg = await harness.normalize(payload);
        expect(InboundMessageSchema.parse(msg)).toEqual(msg);
        expect(msg.channel).toBe(harness.channel);
        for (const id of [msg.id, msg.replyTo, msg.sender.id]) {
          const decoded = decodeId(id);
          expect(decoded.channel).toBe(harness.channel);
          expect(`${decoded.channel}:${decoded.rest}`).toBe(id);
        }
        ids.add(msg.id);
      }
      expect(ids.size, "valid payloads must have distinct ids").toBe(harness.validPayloads.length);
    });

    it("rejects every malformed payload with InvalidPayloadError and its reason", async () => {
      for (const { payload, reason } of harness.malformedPayloads) {
        const attempt = Promise.resolve().then(() => harness.normalize(payload));
        const err: unknown = await attempt.then(
          () => new Error(`accepted malformed payload expected to fail with ${String(reason)}`),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InvalidPayloadError);
        expect((err as Error).message).toMatch(reason);
      }
    });

    it("restart: an abandoned adapter and its successor lose nothing and enqueue nothing twice", async () => {
      await withRig(harness, async (rig) => {
        const intake = new RecordingIntake();
        const ctx = context(intake);
        const a = rig.createAdapter();
        await a.start(ctx);
        const first = await injectMany(rig, "before-crash", 5);
        await intake.waitForIds(first);

        // Abandon A as a crash would: no waiting for it to finish what it was doing.
        const abandoned = a.stop().catch(() => undefined);
        const second = await injectMany(rig, "during-crash", 5);
        const b = rig.createAdapter();
        await b.start(ctx);
        try {
          await intake.waitForIds([...first, ...second], 25_000);
        } finally {
          await abandoned;
          await b.stop();
        }

        const all = [...first, ...second];
        expect(new Set(all).size).toBe(10);
        expect(intake.acceptedIds().sort()).toEqual([...all].sort());
        const perId = new Map<string, number>();
        for (const m of intake.calls) perId.set(m.id, (perId.get(m.id) ?? 0) + 1);
        console.log(
          `${tag} restart: ${intake.accepted.length} unique messages (expected 10), ` +
            `${intake.submitCalls} raw submit calls, ${intake.quarantined.length} quarantined`,
        );
        expect(intake.quarantined).toEqual([]);
      });
    });

    it("intake failure: the message arrives after a retry and the cursor does not pass it meanwhile", async () => {
      await withRig(harness, async (rig) => {
        const intake = new RecordingIntake();
        const adapter = rig.createAdapter();
        await adapter.start(context(intake));
        try {
          intake.failNextSubmits(1);
          const id = await rig.injectInbound("contract intake-outage message");
          await intake.waitForIds([id], 25_000);
          const failedAt = intake.events.findIndex(
            (e) => e.kind === "submit" && e.id === id && e.outcome === "failed",
          );
          const acceptedAt = intake.events.findIndex(
            (e) => e.kind === "submit" && e.id === id && e.outcome === "accepted",
          );
          expect(failedAt, "the adapter must have tried (and failed) once").toBeGreaterThanOrEqual(
            0,
          );
          expect(acceptedAt).toBeGreaterThan(failedAt);
          const movedMeanwhile = intake.events
            .slice(failedAt + 1, acceptedAt)
            .filter((e) => e.kind === "cursor");
          expect(movedMeanwhile, "cursor written while the message was not yet enqueued").toEqual(
            [],
          );
          // And once it is in, the cursor does move on.
          await intake.waitUntil(
            () => intake.events.slice(acceptedAt + 1).some((e) => e.kind === "cursor"),
            "a cursor write after the message was enqueued",
          );
          console.log(
            `${tag} intake failure: 1 message, ${intake.submitCalls} submit calls (1 failed), accepted once`,
          );
        } finally {
          await adapter.stop();
        }
      });
    });

    it("send: five texts arrive in order, and a rate-limit answer is honoured", async () => {
      await withRig(harness, async (rig) => {
        const intake = new RecordingIntake();
        const adapter = rig.createAdapter();
        await adapter.start(context(intake));
        try {
          const texts = [0, 1, 2, 3, 4].map((i) => `contract reply ${i}`);
          for (const [i, text] of texts.entries()) {
            const limited = i === 2 && rig.rateLimitNextSend !== undefined;
            if (limited) await rig.rateLimitNextSend?.(1);
            const started = Date.now();
            const res = await adapter.send({
              to: rig.replyTarget,
              text,
              idempotencyKey: `contract-send-${i}`,
            });
            expect(res.platformMessageId.length).toBeGreaterThan(0);
            // A lower bound only: the adapter must have waited the second it was asked to wait.
            if (limited) expect(Date.now() - started).toBeGreaterThanOrEqual(900);
          }
          const sent = (await rig.sentTexts()).filter((s) => s.to === rig.replyTarget);
          expect(sent.map((s) => s.text)).toEqual(texts);
          if (rig.rateLimitNextSend === undefined) console.log(`${tag} send: no rate-limit check`);
        } finally {
          await adapter.stop();
        }
      });
    });

    it("choices: asks as its capability says, and the reader's pick comes back as theirs, once", async () => {
      await withRig(harness, async (rig) => {
        const intake = new RecordingIntake();
        const adapter = rig.createAdapter();
        await adapter.start(context(intake));
        try {
          const support = adapter.capabilities?.choices ?? "none";
          expect(support).toBe(CHOICE_SUPPORT[harness.channel]);
          if (support === "none") {
            console.log(`${tag} choices: none`);
            return;
          }
          const first = await rig.injectInbound("contract choices: hello");
          await intake.waitForIds([first]);
          const reader = intake.accepted.find((m) => m.id === first)!;
          const question = "contract choices: where do you write from?";
          const sent = await adapter.send({
            to: rig.replyTarget,
            text: question,
            idempotencyKey: "contract-choices",
            inReplyTo: first,
            choices: CONTRACT_CHOICES,
          });
          const texts = (await rig.sentTexts()).filter((s) => s.to === rig.replyTarget);

          if (support === "text") {
            expect(texts.at(-1)?.text).toBe(renderTextChoices(question, CONTRACT_CHOICES));
            const replyId = await rig.injectInbound("2.");
            await intake.waitForIds([replyId]);
            const reply = intake.accepted.find((m) => m.id === replyId)!;
            expect(matchTextChoice(reply.text, CONTRACT_CHOICES)?.choice.data).toBe("c:2");
            console.log(`${tag} choices: text, the reply "2." matched choice 2`);
            return;
          }

          const choices = rig.choices;
          if (!choices) throw new Error("an adapter with buttons needs AdapterRig.choices");
          expect(texts.at(-1)?.text).toBe(question);
          expect(await choices.pressable(sent.platformMessageId)).toEqual(CONTRACT_CHOICES);
          // A double press before the bot reacts.
          const [answerId, again] = await Promise.all([
            choices.press(sent.platformMessageId, "c:2"),
            choices.press(sent.platformMessageId, "c:2"),
          ]);
          expect(again).toBe(answerId);
          await intake.waitForIds([answerId]);
          await eventually(
            "both presses answered and the buttons closed",
            async () =>
              (await choices.unansweredPresses()) === 0 &&
              (await choices.pressable(sent.platformMessageId)).length === 0,
          );
          const answers = intake.accepted.filter((m) => m.id === answerId);
          expect(answers).toHaveLength(1);
          expect(answers[0]).toMatchObject({
            channel: harness.channel,
            text: "Österreich",
            sender: { id: reader.sender.id },
            replyTo: reader.replyTo,
            choice: { data: "c:2", inReplyTo: sent.platformMessageId },
          });
          expect(intake.quarantined).toEqual([]);
          console.log(
            `${tag} choices: buttons, 2 presses -> ${intake.calls.filter((m) => m.id === answerId).length} submits, 1 answer`,
          );
        } finally {
          await adapter.stop();
        }
      });
    });
  });
}
