import { Command, CommanderError } from "commander";
import { RouterError } from "../errors.js";
import { packageVersion } from "../paths.js";
import { registerKeysCommands } from "./keys-admin.js";
import { registerPrivacyCommands } from "./privacy-admin.js";
import { registerQueueCommands } from "./queue-admin.js";
import { registerRouteCommand } from "./route.js";
import { registerRulesCommands } from "./rules.js";
import { registerStartCommand } from "./start.js";

const program = new Command()
  .name("contact-router")
  .description("Routes readers' messages to the nearest affiliate inbox, in their language.")
  .version(packageVersion(), "-V, --version", "print the version (package.json) and exit")
  .showHelpAfterError();

registerStartCommand(program);
registerRouteCommand(program);
registerRulesCommands(program);
registerQueueCommands(program);
registerKeysCommands(program);
registerPrivacyCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  // The code first, so an admin can tell a missing key (KEY_UNAVAILABLE) from bad input.
  console.error(err instanceof RouterError ? `${err.code}: ${err.message}` : err);
  process.exit(err instanceof RouterError ? 2 : 1);
}
