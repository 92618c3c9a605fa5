/**
 * Shared test helpers: one program run per stack per test process (runs are slow-ish and
 * deterministic), and small accessors over the record.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { format } from "node:util";
import * as path from "node:path";
import { stringify } from "yaml";
import { readAppFiles } from "../infra/app-files";
import { EncryptedValue, readStackFile, type RawStackConfig } from "../infra/stack-file";
import { ofType, type ProgramRecord, type RecordedResource } from "../harness/record";
import { PROJECT, runProgram } from "../harness/run";
import { planCommand } from "../ops/plan";
import { PROJECT_ROOT } from "../lib/project-root";

/** The two real stacks. */
export const STACKS = ["staging", "production"] as const;
/** A real stack name. */
export type StackName = (typeof STACKS)[number];

const cache = new Map<StackName, Promise<ProgramRecord>>();

/** The record of the real program run with the real `Pulumi.<stack>.yaml`. */
export function recordOf(stack: StackName): Promise<ProgramRecord> {
  let run = cache.get(stack);
  if (!run) {
    run = runProgram({ stack });
    cache.set(stack, run);
  }
  return run;
}

/** The real stack file's raw config, deep-copied so a test may change it. */
export function stackFileConfig(stack: StackName): RawStackConfig {
  return structuredClone(readStackFile(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), PROJECT));
}

/** A new folder in the system's temporary folder, removed when the test process exits. */
export function temporaryFolder(prefix: string): string {
  return removedAtExit(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * A new folder inside the project (under the ignored `.slipway/`), removed when the test
 * process exits: app files must live in the repository.
 */
export function projectTemporaryFolder(prefix: string): string {
  const parent = path.join(PROJECT_ROOT, ".slipway", "test");
  fs.mkdirSync(parent, { recursive: true });
  return removedAtExit(fs.mkdtempSync(path.join(parent, prefix)));
}

/** Folders the test process removes when it exits: one exit listener for all of them. */
const toRemove = new Set<string>();

function removedAtExit(folder: string): string {
  if (toRemove.size === 0) {
    process.once("exit", () => {
      for (const f of toRemove) fs.rmSync(f, { recursive: true, force: true });
    });
  }
  toRemove.add(folder);
  return folder;
}

/**
 * A temporary folder of app files inside the project: the project's own, deep-copied by
 * app name, with a change applied. Give it to a stack as `slipway:apps: { directory }`.
 */
export function appFolderWith(change: (apps: Record<string, any>) => void): string {
  const apps: Record<string, any> = Object.fromEntries(
    readAppFiles(PROJECT_ROOT).files.map((file) => [file.name, structuredClone(file.document)]),
  );
  change(apps);
  const directory = projectTemporaryFolder("apps-");
  for (const [name, document] of Object.entries(apps)) {
    fs.writeFileSync(path.join(directory, `${name}.yaml`), stringify(document));
  }
  return directory;
}

/** The one resource of a type (fails when there is not exactly one). */
export function only(record: ProgramRecord, type: string): RecordedResource {
  const found = ofType(record, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in ${record.stack}, found ${found.length}`);
  return found[0];
}

/** Mock ids are `<logical name>-id`; this maps an id back to its resource. */
export function byMockId(record: ProgramRecord, id: unknown): RecordedResource | undefined {
  return record.resources.find((r) => `${r.name}-id` === id);
}

/** Mock ARNs end in `/<logical name>`; this maps an ARN back to its resource of a type. */
export function byMockArn(record: ProgramRecord, type: string, arn: unknown): RecordedResource | undefined {
  return ofType(record, type).find((r) => typeof arn === "string" && arn.endsWith(`/${r.name}`));
}

/** A nested input by dotted path (`vpcConfig.subnetIds`). */
export function input(resource: RecordedResource, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.inputs);
}

/** A resource's tag value (tag keys hold dots, so `input` cannot reach them). */
export function tag(resource: RecordedResource, key: string): string | undefined {
  return (resource.inputs.tags as Record<string, string> | undefined)?.[key];
}

const golden = new Map<string, Promise<ProgramRecord>>();

/**
 * The compliant example the policy tests mutate: the real stack file plus what only
 * `pulumi config set --secret` can add (the Alertmanager webhook), so that every rule
 * has something to pass on. Recorded as a preview (`preview: true`) or with known values.
 */
export function goldenRecordOf(stack: StackName, preview = false): Promise<ProgramRecord> {
  const key = `${stack}:${preview}`;
  let run = golden.get(key);
  if (!run) {
    const config = stackFileConfig(stack);
    config["slipway:alertmanagerWebhookUrl"] = new EncryptedValue("AAABAJ+fixture-webhook");
    run = runProgram({ stack, config, preview });
    golden.set(key, run);
  }
  return run;
}

/**
 * A command's entry point run in this process, its console output captured, with `env`
 * set for the call: what a new process would print, without paying for one.
 */
export async function inProcess(
  command: (argv: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  /* eslint-disable no-console -- the commands print through console; this captures it */
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error, env: { ...process.env } };
  console.log = (...parts: unknown[]) => void out.push(`${format(...parts)}\n`);
  console.error = (...parts: unknown[]) => void err.push(`${format(...parts)}\n`);
  Object.assign(process.env, env);
  try {
    const code = await command(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    for (const key of Object.keys(env)) {
      if (saved.env[key] === undefined) delete process.env[key];
      else process.env[key] = saved.env[key];
    }
  }
  /* eslint-enable no-console */
}

/**
 * `npm run plan -- <args>` in this process: the same command, its output captured, without
 * a new Node process and a new policy pack per call. Call `PolicyPackServer.stopShared()`
 * in an `after` hook of the file.
 */
export function planInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return inProcess(planCommand, args);
}

/**
 * Runs one of the project's scripts (`ops/plan.ts`, `ops/cli.ts`...) the way a pipeline
 * does: in its own process, stdout a pipe, no colour.
 */
export function runScript(script: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const loader = ["--require", path.join(PROJECT_ROOT, "infra", "fast-start.cjs")];
  const result = spawnSync(process.execPath, [...loader, path.join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
