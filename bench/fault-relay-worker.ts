/**
 * Child process of bench/fault-relay.ts: the relay (SMTP listener and relay worker) answering
 * web-form readers by email through the parent's SMTP sink. The parent SIGKILLs and restarts it.
 * Not meant to be run by hand.
 */
import { Registry } from "prom-client";
import { keyId } from "../src/crypto/identity-hash.js";
import { startConversations } from "../src/relay/start.js";
import { DEFAULT_RULES_PATH } from "../src/routing/load.js";
import { FAULT_RETRY, FAULT_WORKER_TIMING, faultChildSetup } from "./support/fault.js";

const { need, redis, prefix, key, delivery } = faultChildSetup("fault-relay-worker");
const conversations = await startConversations({
  env: { RELAY_SMTP_HOST: "127.0.0.1", RELAY_SMTP_PORT: need("FAULT_RELAY_PORT") },
  roles: ["ingest"],
  redis,
  prefix,
  keyring: [{ kid: keyId(key), key }],
  delivery: { ...delivery, relay: { domain: "localhost" } },
  rulesFile: DEFAULT_RULES_PATH,
  rules: null,
  sender: { send: () => Promise.reject(new Error("web-form readers only")) },
  deliveryInstance: null,
  metrics: new Registry(),
  retry: FAULT_RETRY,
  workerTiming: FAULT_WORKER_TIMING,
});
await new Promise<void>((resolve) => {
  const check = () => (conversations.relay ? resolve() : setTimeout(check, 20));
  check();
});
process.stdout.write("READY\n");
