/**
 * What the end-to-end tests share: the real Pulumi CLI (built by .ci/pulumi-cli), a copy of
 * this repository to run it in, and the commands as a user types them.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

/** The folder holding the real `pulumi`: SLIPWAY_PULUMI_CLI_DIR (set by .ci/run), else PATH's. */
export function pulumiCliDir(): string | undefined {
  const candidates = [process.env.SLIPWAY_PULUMI_CLI_DIR, ...(process.env.PATH ?? "").split(path.delimiter)];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, "pulumi")));
}

/**
 * Whether to skip: never in CI (.ci/run builds the CLI, and a missing one must fail the
 * run, not pass it quietly); elsewhere, without a CLI, the tests say how to get one.
 */
export const E2E_SKIP =
  pulumiCliDir() || process.env.CI
    ? false
    : 'no Pulumi CLI: run `export PATH="$(.ci/pulumi-cli):$PATH"` (builds it with Go) to run the end-to-end tests';

/** The CLI folder, or a failure that says why there is none. */
export function requireCli(): string {
  const dir = pulumiCliDir();
  if (!dir)
    throw new Error("no Pulumi CLI on PATH or in SLIPWAY_PULUMI_CLI_DIR: .ci/run builds it with .ci/pulumi-cli");
  return dir;
}

/** A finished command: its exit code and what it printed. */
export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function ran(result: SpawnSyncReturns<string>): Ran {
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of this repository's working tree, committed in a git repository of its own. */
export class RepositoryCopy {
  readonly dir = temporaryFolder("slipway-e2e-");

  constructor() {
    const files = execFileSync(
      "git",
      ["-C", PROJECT_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      {
        encoding: "utf8",
      },
    )
      .split("\0")
      .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_ROOT, f)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(this.dir, file));
      fs.chmodSync(path.join(this.dir, file), fs.statSync(path.join(PROJECT_ROOT, file)).mode);
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(this.dir, "node_modules"), "dir");
    this.git("init", "-q");
    this.commit("the working tree under test");
  }

  /** Runs git in the copy. */
  git(...args: string[]): string {
    return execFileSync("git", ["-C", this.dir, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", ...args], {
      encoding: "utf8",
      stdio: "pipe",
    });
  }

  /** Commits everything as it stands. */
  commit(message: string): void {
    this.git("add", "-A");
    this.git("commit", "-qm", message);
  }

  /** Edits a file of the copy. */
  edit(file: string, change: (text: string) => string): void {
    const full = path.join(this.dir, file);
    fs.writeFileSync(full, change(fs.readFileSync(full, "utf8")));
  }

  /** `slipway <args>` as the bin runs it, with the real CLI on PATH and `env` added. */
  slipway(args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = this.dir): Ran {
    return ran(
      spawnSync(process.execPath, [path.join(this.dir, "ops", "bin", "slipway.cjs"), ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, ...env, PATH: `${requireCli()}${path.delimiter}${process.env.PATH ?? ""}` },
        maxBuffer: 64 << 20,
      }),
    );
  }

  /** `slipway sandbox <stack> -- <command...>`. */
  sandbox(stack: string, ...command: string[]): Ran {
    return this.slipway(["sandbox", stack, "--", ...command]);
  }

  /** `slipway sandbox <stack> -- <command...>` with `env` added to the environment. */
  sandboxWith(env: NodeJS.ProcessEnv, stack: string, ...command: string[]): Ran {
    return this.slipway(["sandbox", stack, "--", ...command], env);
  }

  /** A file of the stack's sandbox (.slipway/sandbox/<stack>/<parts>). */
  sandboxFile(stack: string, ...parts: string[]): string {
    return path.join(this.dir, ".slipway", "sandbox", stack, ...parts);
  }

  /** Removes the copy. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Fails with what the command printed unless it exited 0. */
export function succeeded(result: Ran, what: string): Ran {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}
