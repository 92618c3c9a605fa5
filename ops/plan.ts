/**
 * `npm run plan -- <stack>`: what a stack declares, without the Pulumi CLI, credentials
 * or network. Runs the real program under Pulumi's mock runtime (ops/harness) with the
 * real `Pulumi.<stack>.yaml`, and prints the resource tree and counts by type, or JSON
 * with `--json`. It shows what the program declares, never what the cloud would change.
 */
import * as path from "node:path";
import { parseArgs, styleText } from "node:util";
import { ProgramError, runProgram } from "./harness/run";
import { kubernetesObjects, validateObjects, writeManifests } from "./plan/manifests";
import { platformWaves, renderPlatformWaves } from "./plan/platform-waves";
import { PLAIN, countByType, renderCounts, renderTree, type Style } from "./plan/render";

const USAGE = `Usage: npm run plan -- <stack> [--json]

Shows, offline, every resource the stack declares (as a tree under its components) and
the counts by type. Reads Pulumi.<stack>.yaml; needs no Pulumi CLI and no credentials.

Options:
  --json             machine-readable output (resources, counts, outputs; secrets masked)
  --stack-dir <dir>  read Pulumi.<stack>.yaml from <dir> (default: the project folder)
  --manifests <dir>  write every Kubernetes object (secrets redacted) under <dir>/<stack>/
                     and validate each against the Kubernetes OpenAPI schema; exit 1 if any fails
  --help             this text`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        "stack-dir": { type: "string" },
        manifests: { type: "string" },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error(`plan: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [stack, ...extra] = parsed.positionals;
  if (!stack || extra.length > 0) {
    console.error(`plan: name exactly one stack (staging or production)\n\n${USAGE}`);
    return 2;
  }

  let record;
  try {
    record = await runProgram({ stack, projectDir: parsed.values["stack-dir"] });
  } catch (error) {
    if (error instanceof ProgramError) {
      console.error(`plan: ${error.message}`);
      return 1;
    }
    throw error;
  }

  let manifestFailures = 0;
  let manifestReport = "";
  if (parsed.values.manifests) {
    const objects = kubernetesObjects(record);
    const files = writeManifests(objects, path.join(parsed.values.manifests, stack));
    const violations = await validateObjects(objects);
    manifestFailures = violations.length;
    manifestReport =
      `${files.length} Kubernetes objects written to ${path.join(parsed.values.manifests, stack)}; ` +
      `${objects.length - new Set(violations.map((v) => v.object)).size} valid against the OpenAPI schema` +
      violations.map((v) => `\n  INVALID ${v.object}: ${v.message}`).join("");
  }

  if (parsed.values.json) {
    console.log(
      JSON.stringify(
        {
          stack,
          counts: countByType(record),
          platformWaves: platformWaves(record),
          resources: record.resources,
          outputs: record.outputs,
          ...(parsed.values.manifests ? { manifests: { failures: manifestFailures, report: manifestReport } } : {}),
        },
        null,
        2,
      ),
    );
    return manifestFailures === 0 ? 0 : 1;
  }
  const style: Style = process.stdout.isTTY
    ? { bold: (t) => styleText("bold", t), dim: (t) => styleText("dim", t), yellow: (t) => styleText("yellow", t) }
    : PLAIN;
  console.log(style.bold(`Offline plan of stack ${stack} (Pulumi.${stack}.yaml)`));
  console.log("What the program declares, run under Pulumi's mock runtime: not a diff against the cloud.\n");
  console.log(renderTree(record, style));
  console.log(`\n${style.bold("Platform add-ons in deployment waves")} (each waits only for what it needs: <-)`);
  console.log(renderPlatformWaves(record));
  console.log(`\n${style.bold("Resources by type")}`);
  console.log(renderCounts(record, style));
  if (manifestReport) console.log(`\n${style.bold("Manifests")}\n${manifestReport}`);
  return manifestFailures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`plan: unexpected failure: ${(error as Error).message}`);
    process.exit(1);
  },
);
