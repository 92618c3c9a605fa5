/** `slipway drift-report <stack>`: the drift issue's title and body from a refreshed preview's JSON. */
import * as fs from "node:fs";
import { DriftCheckFailedError, driftReport, parsePreviewDigest, PreviewDigestError } from "../state/drift";
import { CommandError, parse } from "./common";

export const DRIFT_HELP = `Usage: slipway drift-report <stack> --preview-json <file> [--preview-exit-code <n>] [--run-url <url>]

Reads what 'pulumi preview --refresh --expect-no-changes --json' printed for the stack and
prints, as JSON, the drift issue to open, update or close: {stack, drifted, title, marker,
body}. Lists resources and property paths only, never values. Works offline; the drift
workflow runs the preview and passes its exit code.

Exit 1, printing "drift check failed" and the preview's errors instead of a report, when
the preview failed: an error in its JSON, or an exit code other than 0 (no changes) and
7 (changes proposed). Exit 1 too when the file is not a preview's JSON.`;

/** Runs the command; returns its exit code. */
export async function driftReportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    "preview-json": { type: "string" },
    "preview-exit-code": { type: "string" },
    "run-url": { type: "string" },
  });
  if (values.help) {
    console.log(DRIFT_HELP);
    return 0;
  }
  const [stack] = positionals;
  const file = values["preview-json"];
  if (!stack || typeof file !== "string")
    throw new CommandError(`name a stack and --preview-json <file>\n\n${DRIFT_HELP}`);
  const exitCode = previewExitCode(values["preview-exit-code"]);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CommandError(`${file}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  try {
    const digest = parsePreviewDigest(text, file);
    const report = driftReport(stack, digest, String(values["run-url"] ?? "(no run URL)"), exitCode);
    console.log(JSON.stringify({ stack, ...report }, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof PreviewDigestError || error instanceof DriftCheckFailedError)
      throw new CommandError(error.message);
    throw error;
  }
}

/** The --preview-exit-code value as a number, or undefined when not given. */
function previewExitCode(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d{1,3}$/.test(value) || Number(value) > 255) {
    throw new CommandError(`--preview-exit-code ${String(value)}: give the preview's exit code, 0 to 255`);
  }
  return Number(value);
}
