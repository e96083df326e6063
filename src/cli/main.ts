import { Command, CommanderError } from "commander";
import { RouterError } from "../errors.js";
import { registerRouteCommand } from "./route.js";
import { registerRulesCommands } from "./rules.js";

const program = new Command()
  .name("contact-router")
  .description("Routes readers' messages to the nearest affiliate inbox, in their language.")
  .showHelpAfterError();

registerRouteCommand(program);
registerRulesCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  console.error(err instanceof RouterError ? err.message : err);
  process.exit(err instanceof RouterError ? 2 : 1);
}
