import { Command, CommanderError } from "commander";
import { RouterError } from "../errors.js";
import { packageVersion } from "../paths.js";

const program = new Command()
  .name("contact-router")
  .description("Routes readers' messages to the nearest affiliate inbox, in their language.")
  .version(packageVersion(), "-V, --version", "print the version (package.json) and exit")
  .showHelpAfterError();

/**
 * Each command group and the module that registers it. Only the group named on the command
 * line is loaded (`route` starts without the queue, crypto and Redis modules of the admin
 * commands); help, or anything unknown, loads them all so commander can list and explain them.
 */
const GROUPS: Readonly<Record<string, () => Promise<(p: Command) => void>>> = {
  start: async () => (await import("./start.js")).registerStartCommand,
  route: async () => (await import("./route.js")).registerRouteCommand,
  rules: async () => (await import("./rules.js")).registerRulesCommands,
  dlq: async () => (await import("./queue-admin.js")).registerQueueCommands,
  quarantine: async () => (await import("./queue-admin.js")).registerQueueCommands,
  held: async () => (await import("./queue-admin.js")).registerQueueCommands,
  keys: async () => (await import("./keys-admin.js")).registerKeysCommands,
  admin: async () => (await import("./admin.js")).registerAdminCommands,
  forget: async () => (await import("./privacy-admin.js")).registerPrivacyCommands,
  audit: async () => (await import("./privacy-admin.js")).registerPrivacyCommands,
  retention: async () => (await import("./privacy-admin.js")).registerPrivacyCommands,
};

/** Registers the command groups this run needs, then parses the command line and runs it. */
async function main(): Promise<void> {
  const named = process.argv[2];
  const loaders =
    named !== undefined && Object.hasOwn(GROUPS, named)
      ? [GROUPS[named]!]
      : [
          GROUPS.start!,
          GROUPS.route!,
          GROUPS.rules!,
          GROUPS.dlq!,
          GROUPS.keys!,
          GROUPS.admin!,
          GROUPS.forget!,
        ];
  for (const load of loaders) (await load())(program);

  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    // The code first, so an admin can tell a missing key (KEY_UNAVAILABLE) from bad input.
    console.error(err instanceof RouterError ? `${err.code}: ${err.message}` : err);
    process.exit(err instanceof RouterError ? 2 : 1);
  }
}

/**
 * The run, settled when the command is done (bin/contact-router.js waits for it). Not a
 * top-level await: the bundled `route` (scripts/bundle-route.mjs) is a CommonJS script.
 */
export const finished: Promise<void> = main();
