/**
 * Child process of bench/fault-kill.ts: the route and deliver workers, delivering over SMTP to the
 * parent's sink. The parent SIGKILLs and restarts it. Not meant to be run by hand.
 */
import { createDelivery } from "../src/delivery/index.js";
import { stickyRoute } from "../src/conversation/sticky.js";
import { createConversationStore } from "../src/conversation/store.js";
import { createEnvelope } from "../src/crypto/envelope.js";
import { createKeyring } from "../src/crypto/keyring.js";
import { createPipeline } from "../src/queue/pipeline.js";
import { createRelayTokens } from "../src/relay/token.js";
import { loadRulesFile } from "../src/routing/load.js";
import { routeMessage } from "../src/routing/route.js";
import { FAULT_RETRY, FAULT_WORKER_TIMING, faultChildSetup } from "./support/fault.js";

const {
  redis: connection,
  prefix,
  key,
  delivery: deliveryConfig,
} = faultChildSetup("fault-worker");
const keyring = createKeyring(key);
// As the service runs: the route stage's conversation step (src/relay/start.ts).
const store = createConversationStore({
  redis: connection,
  prefix,
  envelope: createEnvelope(keyring),
  keyring: keyring.entries,
});
const tokens = createRelayTokens(keyring.entries);
const rules = loadRulesFile();
const pipeline = createPipeline({
  connection,
  prefix,
  key,
  roles: ["route", "deliver"],
  route: (m) => routeMessage(m, rules),
  affiliate: (id) => rules.affiliateById.get(id),
  conversation: (input) =>
    stickyRoute({ store, tokens, affiliateExists: (id) => rules.affiliateById.has(id) }, input),
  delivery: createDelivery(deliveryConfig),
  retry: { inbound: FAULT_RETRY, deliver: FAULT_RETRY },
  deliverRate: deliveryConfig.rate,
  concurrency: { inbound: 8, deliver: 8 },
  ...FAULT_WORKER_TIMING,
});
void pipeline;
process.stdout.write("READY\n");
