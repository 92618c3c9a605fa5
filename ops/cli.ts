/**
 * The operator CLI: `npm run ops -- <command>` or the `slipway` bin. Each command has
 * --help; failures print one line and exit 1 (2 for a usage mistake); no command prints
 * a secret.
 */
import { backupCommand } from "./commands/backup";
import { CommandError, isPulumiFailure, pulumiAnswer } from "./commands/common";
import { doctorCommand } from "./commands/doctor";
import { driftReportCommand } from "./commands/drift";
import { historyCommand } from "./commands/history";
import { promoteCommand } from "./commands/promote";
import { mirrorListCommand } from "./commands/mirror-list";
import { restoreCommand } from "./commands/restore";
import { rollbackCommand } from "./commands/rollback";
import { sandboxCommand } from "./commands/sandbox";
import { describeFailure, exitCleanlyOnOutputError, exitWhenFlushed } from "./exit";

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  // Required on use: the plan and the channel check bring Pulumi's runtime, which the
  // state commands do not need.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on use, see above */
  plan: (argv) => (require("./plan") as typeof import("./plan")).planCommand(argv),
  "check-channel": (argv) => (require("./check-channel") as typeof import("./check-channel")).checkChannelCommand(argv),
  smoke: (argv) => (require("./smoke") as typeof import("./smoke")).smokeCommand(argv),
  /* eslint-enable @typescript-eslint/no-require-imports */
  history: historyCommand,
  rollback: rollbackCommand,
  backup: backupCommand,
  doctor: doctorCommand,
  restore: restoreCommand,
  promote: promoteCommand,
  "drift-report": driftReportCommand,
  "mirror-list": mirrorListCommand,
  sandbox: sandboxCommand,
};

const USAGE = `Usage: slipway <command> [options]   (npm run ops -- <command> [options])

Commands:
  plan <stack> [options]           the offline plan (npm run plan): what the stack declares, policy, data loss
  check-channel <stack>            the stack's pins against its release channel (npm run check:channel)
  smoke <stack>                    after a deploy: every public app answers 200 on /health (npm run smoke)
  history <stack>                  the stack's updates: time, result, commit, channel, changes
  rollback <stack> --to <n>        back to update n: its commit and stack file, previewed, recorded
  backup <stack>                   export the state to a checksummed file (and S3)
  doctor <stack|file>              check a checkpoint for faults before anyone imports it
  restore <stack> <file>           import a checked backup, after a bookmark
  promote --from <ch> --to <ch>    move the pins of one release channel into another
  drift-report <stack> --preview-json <file>
                                   the drift issue from a refreshed preview's JSON (the drift workflow)
  mirror-list <channel> [--json]   every chart and image to copy into an isolated channel's mirror
  sandbox <stack> -- <command...>  run a pulumi or slipway command against a local sandbox: real CLI,
                                   simulated cloud, nothing real touched

'slipway <command> --help' for each. history, rollback, backup and restore drive the
Pulumi CLI (Automation API); doctor on a file, promote, drift-report and mirror-list work offline.`;

/** The command and its arguments: `slipway ops history ...` reads as `slipway history ...`. */
function splitCommand(argv: readonly string[]): [command: string | undefined, rest: string[]] {
  const [command, ...rest] = argv[0] === "ops" ? argv.slice(1) : argv;
  return [command, rest];
}

/** Runs one `slipway` command line; returns its exit code. The bin calls it; tests may too. */
export async function runSlipway(argv: string[]): Promise<number> {
  const [command, rest] = splitCommand(argv);
  if (!command || command === "--help" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`slipway: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    const message =
      error instanceof CommandError
        ? error.message
        : isPulumiFailure(error)
          ? pulumiAnswer(error)
          : describeFailure(error);
    console.error(`slipway ${command}: ${message}`);
    return 1;
  }
}

/** The command line of this process, run to its exit code: what the bin and `npm run ops` do. */
export function runAsProcess(): void {
  const argv = process.argv.slice(2);
  const [command] = splitCommand(argv);
  exitCleanlyOnOutputError(command && COMMANDS[command] ? `slipway ${command}` : "slipway");
  void runSlipway(argv).then((code) => exitWhenFlushed(code));
}

// `npm run ops` runs this file; the bin (ops/bin/slipway.cjs) calls runAsProcess; tests import runSlipway.
if (require.main === module) runAsProcess();
