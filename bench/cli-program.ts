/**
 * The program as the Pulumi CLI's Node.js language host runs it, for bench/run.ts: node,
 * with the project's `nodeargs` (or, for Pulumi's default TypeScript path, none and
 * `PULUMI_NODEJS_TYPESCRIPT=true`), running `@pulumi/pulumi/cmd/run` in the program's folder
 * against a recording engine (bench/engine.ts) with the stack's config in its environment.
 *
 * The command line and the environment are built by the sandbox's stand-in host
 * (sandbox/language-host.ts), which follows pulumi-language-nodejs 3.248.0 (main.go), so the
 * bench and the sandbox start the program the same way.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import { parse } from "yaml";
import type { RawStackConfig } from "../infra/stack-file";
import { PROJECT, runtimeConfig } from "../harness/run";
import { programConfig, runArguments } from "../sandbox/language-host";
import { nodeOptions, splitWords, type NodeOptions } from "../sandbox/node-options";
import { RecordingEngine, type EngineRecord } from "./engine";
import { timed, type TimedRun } from "./process";
import { PROJECT_ROOT } from "../lib/project-root";

/** Pulumi.yaml, as the CLI reads it. */
const PROJECT_FILE = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
  main?: string;
  runtime?: { options?: Record<string, unknown> };
};

/** The project's own `runtime.options`: the path users take. */
export const PROJECT_PATH: HostOptions = nodeOptions(PROJECT_FILE.runtime?.options ?? {});

/** The `runtime.options` of one way to run the program, with the one the sandbox's host does not read. */
export interface HostOptions extends NodeOptions {
  /**
   * `tsconfigpath`, relative to the program's folder: the host passes it to `cmd/run` as
   * PULUMI_NODEJS_TSCONFIG_PATH (pulumi-language-nodejs 3.248.0, main.go, Run).
   */
  readonly tsconfigpath?: string;
}

/**
 * Pulumi's default for a TypeScript program: no `nodeargs`, ts-node with type checking
 * (`typescript: true`), with the project's own tsconfig.json. Without `tsconfigpath`,
 * `cmd/run` looks for tsconfig.json only in the program's folder (infra/, where there is
 * none) and type-checks with ts-node's ES2020 defaults, which refuse the program
 * (`Object.hasOwn` is ES2022): so the default path this project could take names its tsconfig.
 */
export const DEFAULT_PATH: HostOptions = { ...nodeOptions({}), tsconfigpath: "../tsconfig.json" };

/**
 * Where the host starts node and what it names as the program: the folder of `main` and
 * its file name (pulumi 3.248.0, pkg/engine/project.go, getPwdMain).
 */
export const PROGRAM_DIR = programDirOf(PROJECT_ROOT);
function programDirOf(projectDir: string): string {
  return path.join(projectDir, path.dirname(PROJECT_FILE.main ?? "."));
}
const ENTRY_POINT = PROJECT_FILE.main ? path.basename(PROJECT_FILE.main) : ".";

/** The CLI's default `--parallel` (operations/up.go, defaultParallel: 4 per CPU). */
const PARALLEL = 4 * os.availableParallelism();

/** One run of the program under the CLI's host: its timing, and what the engine saw. */
export interface CliRun extends TimedRun {
  readonly engine: EngineRecord;
}

/** What the host would be asked to run. */
export interface CliProgram {
  readonly stack: string;
  readonly config: RawStackConfig;
  /** Which loader: {@link PROJECT_PATH} or {@link DEFAULT_PATH}. */
  readonly path: HostOptions;
  /** `pulumi preview` (true) or `pulumi up`. */
  readonly preview: boolean;
  /**
   * The project's folder, when it is not this checkout (a throwaway copy, as the error
   * position tests use): the program runs from its `infra/`, with its own preload.
   * @default PROJECT_ROOT
   */
  readonly projectDir?: string;
}

/** The `node` command line and environment the language host uses for this run. */
export function hostCommand(program: CliProgram, engineAddress: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const { config, secretKeys } = runtimeConfig(program.config);
  const projectDir = program.projectDir ?? PROJECT_ROOT;
  const programDir = programDirOf(projectDir);
  const info = new langproto.ProgramInfo();
  info.setRootDirectory(projectDir);
  info.setProgramDirectory(programDir);
  info.setEntryPoint(ENTRY_POINT);
  const request = new langproto.RunRequest();
  request.setProject(PROJECT);
  request.setStack(program.stack);
  request.setPwd(programDir);
  request.setInfo(info);
  request.setDryrun(program.preview);
  request.setParallel(PARALLEL);
  request.setMonitorAddress(engineAddress);
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDir] });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: programConfig(Object.entries(config)),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
  };
  if (program.path.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (program.path.tsconfigpath) env.PULUMI_NODEJS_TSCONFIG_PATH = program.path.tsconfigpath;
  return { args: [...splitWords(program.path.nodeargs), ...runArguments(request, runPath, engineAddress)], env };
}

/** Runs the program once, as the CLI's host would, against `engine`, whatever its exit. */
export async function runAsHost(program: CliProgram, engine: RecordingEngine): Promise<CliRun> {
  const { args, env } = hostCommand(program, engine.address);
  const cwd = programDirOf(program.projectDir ?? PROJECT_ROOT);
  const run = await timed({ command: process.execPath, args, cwd, env });
  return { ...run, engine: engine.take() };
}

/** Runs the program once, as the CLI's host would, against `engine`; fails when the program fails. */
export async function runUnderHost(program: CliProgram, engine: RecordingEngine): Promise<CliRun> {
  const run = await runAsHost(program, engine);
  if (run.code !== 0) {
    const logged = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
    throw new Error(`the program exited ${run.code}: ${[...logged, run.stderr.trim()].join("\n").slice(0, 2000)}`);
  }
  return run;
}
