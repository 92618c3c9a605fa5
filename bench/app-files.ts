/**
 * Generated app files for the bench: `count` copies of controlcore-api (the larger seed
 * app: database, cache, metrics, ingress), each on its own host, in a folder inside the
 * project, under the git-ignored .slipway/ (the program takes app files from the
 * repository only), and the stack's config or stack file pointing at that folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { readStackFile, stackFilePath, type RawStackConfig } from "../infra/stack-file";
import { PROJECT } from "../harness/run";
import { PROJECT_ROOT } from "../lib/project-root";

/** A folder of generated app files, and a place beside it for stack files; `remove` deletes both. */
export interface AppFolder {
  /** The app files' folder: absolute, inside the project. */
  readonly directory: string;
  /** The folder above it, for stack files (a stack file among the apps would be read as an app). */
  readonly stackDir: string;
  readonly count: number;
  remove(): void;
}

/** The folder every bench file goes in: inside the project, ignored by git. */
export const BENCH_DIR = path.join(PROJECT_ROOT, ".slipway");

/** Writes `count` app files into a new folder under .slipway/. */
export function writeAppFiles(count: number): AppFolder {
  const template = fs.readFileSync(path.join(PROJECT_ROOT, "apps", "controlcore-api.yaml"), "utf8");
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const stackDir = fs.mkdtempSync(path.join(BENCH_DIR, "bench-apps-"));
  const directory = path.join(stackDir, "apps");
  fs.mkdirSync(directory);
  for (let i = 0; i < count; i++) {
    // One host per app in every stack: the program serves each route by one app only.
    const text = template.replace(/host: ([a-z0-9.-]+)/g, `host: app-${i}.$1`);
    fs.writeFileSync(path.join(directory, `app-${i}.yaml`), text);
  }
  return { directory, stackDir, count, remove: () => fs.rmSync(stackDir, { recursive: true, force: true }) };
}

/** The stack's config from its stack file, its apps taken from `folder`. */
export function configWithApps(stack: string, folder: AppFolder): RawStackConfig {
  const config = readStackFile(stackFilePath(PROJECT_ROOT, stack), PROJECT);
  config["slipway:apps"] = { directory: folder.directory };
  return config;
}

/**
 * A copy of `Pulumi.<stack>.yaml` whose apps come from `folder`, written to its `stackDir`,
 * for `plan <stack> --stack-dir <folder.stackDir>`; every other line as written.
 */
export function writeStackFileWithApps(stack: string, folder: AppFolder): string {
  const document = parseDocument(fs.readFileSync(stackFilePath(PROJECT_ROOT, stack), "utf8"));
  document.setIn(["config", "slipway:apps"], { directory: path.relative(PROJECT_ROOT, folder.directory) });
  const file = stackFilePath(folder.stackDir, stack);
  fs.writeFileSync(file, String(document));
  return file;
}
