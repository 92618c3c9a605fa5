/** What the operator commands share: failing with one line, the Pulumi CLI, git, stacks. */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as readline from "node:readline/promises";
import { parseArgs } from "node:util";
import { repeatedOption } from "../exit";
import type { Stack } from "@pulumi/pulumi/automation";
import { describeFileError } from "../exit";
import { addWorktree, isCommit, type Worktree } from "../git-worktree";
import { stackNameProblem } from "../../infra/stack-file";
import { PROJECT_ROOT } from "../../lib/project-root";
import { decodeUtf8 } from "../../infra/text-file";

/** A failure the CLI reports as one line and exit code 1. */
export class CommandError extends Error {
  override name = "CommandError";
}

/** Parsed arguments of one command. */
export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** Parses a command's arguments, or throws a CommandError naming the bad one. */
export function parse(argv: string[], options: Record<string, { type: "string" | "boolean" }>): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...options, help: { type: "boolean" } },
    });
    const repeated = repeatedOption(argv, options);
    if (repeated) throw new CommandError(repeated);
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError((error as Error).message);
  }
}

/** True when the Pulumi CLI is on PATH. */
export function hasPulumiCli(): boolean {
  try {
    execFileSync("pulumi", ["version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the Pulumi CLI runs for this checkout: the repository, or, inside `slipway sandbox`,
 * the sandbox's project (SLIPWAY_WORKSPACE_DIR), whose stack file holds the sandbox's salt.
 */
export function workspaceDir(): string {
  return process.env.SLIPWAY_WORKSPACE_DIR ?? PROJECT_ROOT;
}

/** Where backups go unless `--dir` says: backups/, or the sandbox's own (SLIPWAY_BACKUP_DIR). */
export function backupDir(): string {
  return process.env.SLIPWAY_BACKUP_DIR ?? path.join(PROJECT_ROOT, "backups");
}

/** Selects a stack through the Automation API, in `workDir` (default: {@link workspaceDir}). */
export async function selectStack(stackName: string, workDir: string = workspaceDir()): Promise<Stack> {
  const problem = stackNameProblem(stackName);
  if (problem) throw new CommandError(problem);
  if (!hasPulumiCli()) {
    throw new CommandError(
      "the Pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/); this command drives it",
    );
  }
  try {
    return await automation().LocalWorkspace.selectStack({ stackName, workDir });
  } catch (error) {
    throw new CommandError(`cannot select stack ${stackName}: ${pulumiAnswer(error)}`);
  }
}

/**
 * The stack's state as `pulumi stack export` gives it: secrets stay encrypted. Not the
 * Automation API's `Stack.exportStack`, which runs `pulumi stack export --show-secrets`
 * (@pulumi/pulumi 3.248.0, automation/localWorkspace.js, exportStack) and so would put
 * every secret of the stack in plain text into a backup, a bookmark or doctor's input.
 */
export async function exportEncrypted(stack: Stack): Promise<unknown> {
  try {
    const { stdout } = await promisify(execFile)("pulumi", ["stack", "export", "--stack", stack.name], {
      cwd: stack.workspace.workDir,
      env: { ...process.env, ...stack.workspace.envVars },
      maxBuffer: 1 << 30,
    });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new CommandError(
      `pulumi stack export failed: ${firstLine(stderr?.split("\n").find((l) => /^error:/.test(l)) ?? stderr ?? String(error))}`,
    );
  }
}

/**
 * The Automation API, loaded on first use: only the commands that drive the CLI pay for it.
 * Required, not `import()`ed: the package has no `exports` map, so Node's ES module
 * resolver refuses the folder `@pulumi/pulumi/automation` ("Directory import ... is not
 * supported"), which CommonJS resolves to its index.js.
 */
export function automation(): typeof import("@pulumi/pulumi/automation") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
}

/** A failure of a Pulumi CLI run through the Automation API (its `CommandError` carries the result). */
export function isPulumiFailure(
  error: unknown,
): error is { commandResult: { stderr?: string; stdout?: string; code?: number } } {
  return typeof error === "object" && error !== null && "commandResult" in error;
}

/**
 * What the Pulumi CLI answered, in one line, from an Automation API failure. The API's
 * `CommandError` message is the whole result ("code: 255\n stdout: ...\n stderr: ..."),
 * whose first line says nothing; the CLI's own `error:` line in stderr says what failed.
 */
export function pulumiAnswer(error: unknown): string {
  if (!isPulumiFailure(error)) return firstLine(String((error as Error).message ?? error));
  const result = error.commandResult;
  const lines = `${result.stderr ?? ""}\n${result.stdout ?? ""}`.split("\n").map((l) => l.trim());
  const answer = lines.find((l) => /^error:/i.test(l)) ?? lines.find((l) => l !== "");
  return `the Pulumi CLI answered: ${answer ?? `exit code ${result.code}, no message`}`;
}

/** First non-empty line of a message. */
export function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? text
  );
}

/** True when `sha` is a commit of the repository. */
export function commitExists(sha: string, repo: string = PROJECT_ROOT): boolean {
  return isCommit(repo, sha);
}

/** Checks out `commit` of `repo` in a temporary worktree sharing its node_modules. */
export function worktreeAt(commit: string, repo: string = PROJECT_ROOT): Worktree {
  return addWorktree(repo, commit);
}

/** Asks yes/no on a terminal; without one, only `--yes` says yes. */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new CommandError("no terminal to confirm on: pass --yes to go ahead");
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** Reads a text file a person named, or fails with one line that says what is wrong with it. */
export function readTextFile(file: string): string {
  try {
    if (fs.statSync(file).isDirectory()) throw new CommandError(`${file} is a folder; name a file`);
    // Strictly UTF-8, like the stack files: a lenient read would turn a UTF-16 export into
    // replacement characters and JSON.parse would print them back as the "reason".
    const read = decodeUtf8(fs.readFileSync(file));
    if ("problem" in read) throw new CommandError(`${file}: ${read.problem}`);
    return read.text;
  } catch (error) {
    if (error instanceof CommandError) throw error;
    // A file in a folder you may not enter is there all the same: only ENOENT means it is not.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CommandError(`no such file: ${file}`);
    throw new CommandError(
      describeFileError(error) ?? `${file} cannot be read: ${firstLine(String((error as Error).message))}`,
    );
  }
}
