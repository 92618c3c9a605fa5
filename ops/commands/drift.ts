/** `slipway drift-report <stack>`: the drift issue's title and body from a refreshed preview's JSON. */
import * as fs from "node:fs";
import { driftReport, parsePreviewDigest, PreviewDigestError } from "../state/drift";
import { CommandError, parse } from "./common";

export const DRIFT_HELP = `Usage: slipway drift-report <stack> --preview-json <file> [--run-url <url>]

Reads what 'pulumi preview --refresh --expect-no-changes --json' printed for the stack and
prints, as JSON, the drift issue to open, update or close: {stack, drifted, title, marker,
body}. Lists resources and property paths only, never values. Works offline; the drift
workflow runs the preview. Exit 1 when the file is not a preview's JSON.`;

/** Runs the command; returns its exit code. */
export async function driftReportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { "preview-json": { type: "string" }, "run-url": { type: "string" } });
  if (values.help) {
    console.log(DRIFT_HELP);
    return 0;
  }
  const [stack] = positionals;
  const file = values["preview-json"];
  if (!stack || typeof file !== "string")
    throw new CommandError(`name a stack and --preview-json <file>\n\n${DRIFT_HELP}`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CommandError(`${file}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  try {
    const report = driftReport(stack, parsePreviewDigest(text, file), String(values["run-url"] ?? "(no run URL)"));
    console.log(JSON.stringify({ stack, ...report }, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof PreviewDigestError) throw new CommandError(error.message);
    throw error;
  }
}
