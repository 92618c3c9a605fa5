/**
 * `slipway sandbox <stack> -- <command...>`: runs any `pulumi …` or `slipway …` command
 * against a local sandbox of the stack (sandbox/environment.ts): the real Pulumi CLI, a file
 * backend, a passphrase, and simulated aws, kubernetes and random plugins. Nothing real is
 * touched, and every run says so.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { layOut, realLanguageHost, sandboxEnvironment, sandboxOf, type Sandbox } from "../../sandbox/environment";
import { stackNameProblem } from "../../infra/stack-file";
import { CommandError, parse } from "./common";
import { PROJECT_ROOT } from "../../lib/project-root";

export const SANDBOX_HELP = `Usage: slipway sandbox <stack> [--reset] -- <command...>

Runs <command> (any 'pulumi …' or 'slipway …') against a local sandbox of <stack> in
.slipway/sandbox/<stack>/: the real Pulumi CLI with a file backend, a passphrase secrets
provider and simulated aws, kubernetes and random plugins that keep their resources in a
local file. Nothing real is touched: no AWS account, no cluster, no Pulumi Cloud; AWS and
Kubernetes credentials are removed from the command's environment.

The sandbox's stack file starts as a copy of Pulumi.<stack>.yaml and follows it when it
changes; 'pulumi config set' in the sandbox writes to the copy, never to yours.
--reset deletes the sandbox first. The Pulumi CLI comes from PATH, else from
.ci/pulumi-cli (which builds it once with Go). See docs/sandbox.md.

  slipway sandbox staging -- pulumi up --yes
  slipway sandbox staging -- slipway history staging`;

const NOTHING_REAL = "nothing real is touched: simulated aws, kubernetes and random plugins, local state";

/** The folder holding the `pulumi` binary: PATH's, else the build of .ci/pulumi-cli. */
function pulumiDir(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "pulumi"))) return dir;
  }
  try {
    const out = execFileSync(path.join(PROJECT_ROOT, ".ci", "pulumi-cli"), {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return out.trim().split("\n").pop() ?? "";
  } catch {
    throw new CommandError(
      "no Pulumi CLI on PATH, and .ci/pulumi-cli could not build one (it needs Go; see docs/sandbox.md)",
    );
  }
}

/** Creates the stack in the sandbox's backend the first time, with the passphrase provider. */
function initStack(sandbox: Sandbox, env: NodeJS.ProcessEnv): void {
  const known = fs.existsSync(path.join(sandbox.stateDir, ".pulumi", "stacks"))
    ? execFileSync("pulumi", ["stack", "ls", "--json"], { cwd: sandbox.projectDir, env, encoding: "utf8" })
    : "[]";
  if ((JSON.parse(known) as Array<{ name: string }>).some((s) => s.name.split("/").pop() === sandbox.stack)) return;
  execFileSync("pulumi", ["stack", "init", sandbox.stack, "--secrets-provider", "passphrase", "--non-interactive"], {
    cwd: sandbox.projectDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/**
 * The command line to spawn, and where: `slipway` is this checkout's bin, whether or not it
 * is linked, run where you are (it finds the sandbox through SLIPWAY_WORKSPACE_DIR, so your
 * file paths stay as you typed them); anything else runs in the sandbox's project, where
 * `pulumi` finds Pulumi.yaml and the sandbox's stack file.
 */
function resolveCommand(argv: string[], sandbox: Sandbox): { program: string; args: string[]; cwd: string } {
  const [program = "", ...args] = argv;
  if (program === "slipway") {
    return {
      program: process.execPath,
      args: [path.join(PROJECT_ROOT, "ops", "bin", "slipway.cjs"), ...args],
      cwd: process.cwd(),
    };
  }
  return { program, args, cwd: sandbox.projectDir };
}

/** Runs the command to its end, passing on Ctrl-C so an interrupted update can be rehearsed. */
function run(argv: string[], sandbox: Sandbox, env: NodeJS.ProcessEnv): Promise<number> {
  const { program, args, cwd } = resolveCommand(argv, sandbox);
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("error", (error) => reject(new CommandError(`cannot run ${program}: ${error.message}`)));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
    });
  });
}

export async function sandboxCommand(argv: string[]): Promise<number> {
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  const { values, positionals } = parse(own, { reset: { type: "boolean" } });
  if (values.help) return (console.log(SANDBOX_HELP), 0);
  const [stack] = positionals;
  if (positionals.length !== 1 || stack === undefined)
    throw new CommandError("name one stack: slipway sandbox <stack> -- <command...>");
  const problem = stackNameProblem(stack);
  if (problem) throw new CommandError(problem);
  if (!fs.existsSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`))) {
    throw new CommandError(`no stack file Pulumi.${stack}.yaml in ${PROJECT_ROOT}`);
  }
  if (command.length === 0)
    throw new CommandError("name the command after --, e.g. slipway sandbox staging -- pulumi up --yes");

  const sandbox = sandboxOf(stack);
  if (values.reset) fs.rmSync(sandbox.dir, { recursive: true, force: true });
  const note = layOut(sandbox);
  const cliDir = pulumiDir();
  const realHost = realLanguageHost(path.join(cliDir, "pulumi"), process.env.PATH ?? "");
  const env = sandboxEnvironment(sandbox, cliDir, process.env, realHost === undefined);
  initStack(sandbox, env);

  const host = realHost ? `the language host in ${realHost}` : "Slipway's stand-in language host (docs/sandbox.md)";
  console.error(
    `slipway sandbox ${stack}: ${NOTHING_REAL} in ${path.relative(process.cwd(), sandbox.dir) || "."}; ${host}`,
  );
  if (note) console.error(`slipway sandbox ${stack}: ${note}`);
  const code = await run(command, sandbox, env);
  console.error(`slipway sandbox ${stack}: exit ${code}; ${NOTHING_REAL}`);
  return code;
}
