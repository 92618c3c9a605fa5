/**
 * `plan --dot <file>`: the graph written to a file, and rendered to SVG beside it when
 * Graphviz is installed.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import type { ProgramRecord } from "../../harness/record";
import { toComponentDot } from "./dot";
import { toDot, type Schedule } from "./schedule";
import type { PlanStep } from "./steps";

/**
 * Writes the DOT file (the component picture, or every resource with --dot-full) and
 * renders it to SVG when Graphviz is installed; says so when it is not.
 */
export function writeDot(
  record: ProgramRecord,
  file: string,
  options: { full: boolean; providers: boolean },
  timing: Schedule,
  steps?: readonly PlanStep[],
): string {
  const dot = options.full ? toDot(record, options.providers) : toComponentDot(record, timing, steps);
  fs.writeFileSync(file, `${dot}\n`);
  try {
    execFileSync("dot", ["-Tsvg", file, "-o", `${file}.svg`], { stdio: "pipe" });
    return `Dependency graph written to ${file} and ${file}.svg`;
  } catch {
    return `Dependency graph written to ${file}; Graphviz (dot) is not installed, so no ${file}.svg: install graphviz, or open the .dot file in a viewer`;
  }
}
