import type { Command } from "commander";

/** `contact-router start [--role all|ingest,route,deliver]`: the service, until SIGTERM/SIGINT. */
export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description(
      "run the service: web form, channel adapters and workers (roles: ingest, route, deliver, or all)",
    )
    .option(
      "--role <roles>",
      "all, or a comma list of ingest, route, deliver (default: ROLE or all)",
    )
    .action(async (opts: { role?: string }) => {
      // Loaded here so `route` and `rules` start without the service's dependencies.
      const { parseRoles } = await import("../config.js");
      const { main } = await import("../main.js");
      const roles = parseRoles(opts.role ?? process.env.ROLE ?? "all");
      await main({ roles });
    });
}
