import type { Command } from "commander";
import { z } from "zod";
import { RulesFileSchema } from "../routing/schema.js";

/** The JSON Schema editors use to autocomplete routing-rules.yaml, generated from the zod schema. */
export function rulesJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RulesFileSchema, { io: "input", target: "draft-2020-12" }),
    title: "contact-router routing rules",
  };
}

export function registerRulesCommands(program: Command): void {
  const rules = program.command("rules").description("check and inspect the routing rules file");

  rules
    .command("check")
    .argument("[file]", "rules file (default: the project's routing-rules.yaml)")
    .description("validate the rules file and run its examples; exit 1 on any problem")
    .action(async (fileArg: string | undefined) => {
      const { DEFAULT_RULES_PATH, loadRulesFile, RulesError } = await import("../routing/load.js");
      const { runExamples } = await import("../routing/examples.js");
      const file = fileArg ?? DEFAULT_RULES_PATH;
      let loaded;
      try {
        loaded = loadRulesFile(file);
      } catch (err) {
        if (err instanceof RulesError) {
          console.error(`${file}: ${err.problems.length} problem(s):`);
          for (const line of err.message.split("\n")) console.error(`  ${line}`);
        } else {
          console.error((err as Error).message);
        }
        process.exitCode = 1;
        return;
      }
      console.log(
        `${file}: valid (${loaded.affiliates.length} affiliates, ${loaded.rules.length} rules, ${loaded.examples.length} examples)`,
      );
      const results = await runExamples(loaded);
      for (const r of results) {
        console.log(`${r.passed ? "  ok  " : "  FAIL"} ${r.name}`);
        for (const f of r.failures) console.log(`         ${f}`);
      }
      const failed = results.filter((r) => !r.passed).length;
      console.log(`examples: ${results.length - failed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });

  rules
    .command("schema")
    .description("print the JSON Schema of the rules file (for editor autocompletion)")
    .action(() => {
      console.log(JSON.stringify(rulesJsonSchema(), null, 2));
    });
}
