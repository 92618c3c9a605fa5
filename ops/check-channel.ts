/**
 * `npm run check:channel -- <stack>`: fails when what the stack's program deploys (chart
 * repositories, chart names, versions, image digests) differs from its release channel
 * without an explicit override in the stack file. Offline, like the plan.
 */
import { parseArgs } from "node:util";
import { parseStackConfig } from "../infra/config";
import { readStackFile, stackFilePath } from "../infra/stack-file";
import { checkAlignment } from "./channel/alignment";
import { PROJECT, ProgramError, runProgram } from "../harness/run";
import { channelSchema } from "../infra/schema/channel";
import { readChannelFiles } from "../infra/schema/channel";
import { describeFailure, exitWhenFlushed, exitCleanlyOnOutputError } from "./exit";
import { PROJECT_ROOT } from "../lib/project-root";

const USAGE = `Usage: npm run check:channel -- <stack> [--json]

Compares every Helm release and container image the stack declares with the release
channel its stack file names. Exits 1 on any difference that no pinOverrides entry explains.`;

/** The `check:channel` command; returns its exit code. Also `slipway check-channel`. */
export async function checkChannelCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: "boolean" }, help: { type: "boolean" } },
    });
  } catch (error) {
    console.error(`check:channel: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [stack, ...extra] = parsed.positionals;
  if (!stack || extra.length > 0) {
    console.error(`check:channel: name exactly one stack\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = parseStackConfig(readStackFile(stackFilePath(PROJECT_ROOT, stack), PROJECT), {
      project: PROJECT,
      stack,
      stackFile: `Pulumi.${stack}.yaml`,
    });
    const channel = channelSchema.parse(readChannelFiles()[config.platform.channel]?.document);
    const record = await runProgram({ stack });
    const report = checkAlignment(record, channel, config.platform.pinOverrides);
    if (parsed.values.json) {
      console.log(JSON.stringify({ stack, channel: config.platform.channel, ...report }, null, 2));
    } else {
      console.log(
        `Stack ${stack} against ${config.platform.channelFile}: ${report.checked} releases and images checked`,
      );
      for (const o of report.overrides) console.log(`  override  ${o.subject}: ${o.message}`);
      for (const m of report.misaligned) console.log(`  MISALIGNED  ${m.subject}: ${m.message}`);
      console.log(
        report.misaligned.length === 0 ? "aligned" : `${report.misaligned.length} difference(s) without an override`,
      );
    }
    return report.misaligned.length === 0 ? 0 : 1;
  } catch (error) {
    if (
      error instanceof ProgramError ||
      (error as Error).name === "StackConfigError" ||
      (error as Error).name === "StackFileError"
    ) {
      console.error(`check:channel: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

// Run as a script (npm run check:channel); `slipway check-channel` imports it instead.
if (require.main === module) {
  exitCleanlyOnOutputError("check:channel");
  checkChannelCommand(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      console.error(`check:channel: ${describeFailure(error)}`);
      void exitWhenFlushed(1);
    },
  );
}
