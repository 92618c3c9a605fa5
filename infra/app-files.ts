/**
 * Reads the folder of app files (`apps/` unless `slipway:apps.directory` says otherwise):
 * every `<name>.yaml` or `<name>.yml` in it, in name order, parsed as YAML. Other files
 * (a README, a CODEOWNERS) are left alone. Problems name the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AppFile } from "./schema/app-file";
import { specialKeyProblems } from "./config-problems";

/** What the folder held: the app files that parsed, and one line per file that did not. */
export interface AppFiles {
  readonly files: AppFile[];
  readonly problems: string[];
}

/**
 * Most app files one stack takes. Measured (bench/evaluate.ts, Node 22, 2 cores): 2,000
 * apps are 28,000 resources, 20 s and 0.65 GiB to evaluate, and a real preview of that
 * many resources takes far longer; memory grows by about 0.25 GiB per 1,000 apps toward
 * Node's default heap limit. Past this, the program refuses before reading the files,
 * instead of running for minutes into an out-of-memory crash: split the apps across
 * stacks or folders.
 */
export const MAX_APPS_PER_STACK = 2000;

/** Where the app files are by default, relative to the project directory. */
export const DEFAULT_APP_DIRECTORY = "apps";

/**
 * The app files in `directory` (relative to `projectDir`, or absolute). A missing default
 * folder means no apps; a folder the stack names must exist.
 */
export function readAppFiles(projectDir: string, directory: string = DEFAULT_APP_DIRECTORY): AppFiles {
  const folder = path.resolve(projectDir, directory);
  // Inside the project, as people name files in a review; elsewhere, the whole path.
  const fromProject = path.relative(projectDir, folder);
  const inProject = !fromProject.startsWith("..") && !path.isAbsolute(fromProject);
  const shown = (name: string) =>
    inProject ? path.relative(projectDir, path.join(folder, name)) : path.join(folder, name);
  let names: string[];
  try {
    names = fs.readdirSync(folder).sort();
  } catch {
    if (directory === DEFAULT_APP_DIRECTORY) return { files: [], problems: [] };
    return {
      files: [],
      problems: [`slipway:apps.directory: ${JSON.stringify(directory)} is not a folder in ${projectDir}`],
    };
  }
  // Each YAML file and the app name it gives.
  const appFiles = names.flatMap((fileName) => {
    const name = /^(.+)\.ya?ml$/.exec(fileName)?.[1];
    return name === undefined ? [] : [{ fileName, name }];
  });
  if (appFiles.length > MAX_APPS_PER_STACK) {
    return {
      files: [],
      problems: [
        `slipway:apps.directory: ${JSON.stringify(directory)} holds ${appFiles.length} app files, more than the ` +
          `${MAX_APPS_PER_STACK} one stack takes (about ${MAX_APPS_PER_STACK * 14} resources; the preview's time and memory grow with each app): ` +
          `split the apps across stacks, each with its own slipway:apps.directory`,
      ],
    };
  }
  const files: AppFile[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { fileName, name } of appFiles) {
    const file = shown(fileName);
    const twin = seen.get(name);
    if (twin !== undefined) {
      problems.push(`${file}: app "${name}" is also defined by ${twin}; keep one of the two files`);
      continue;
    }
    seen.set(name, file);
    const document = parseAppDocument(path.join(folder, fileName), file);
    if (typeof document === "string") {
      problems.push(document);
      continue;
    }
    const special = specialKeyProblems({ [file]: document }).map((p) => p.replace(`${file}.`, `${file}: `));
    if (special.length > 0) problems.push(...special);
    else files.push({ file, name, document });
  }
  return { files, problems };
}

/** The file's YAML mapping, or the problem with it as one line. */
function parseAppDocument(fullPath: string, file: string): Record<string, unknown> | string {
  let document: unknown;
  try {
    document = parseYaml(fs.readFileSync(fullPath, "utf8"));
  } catch (error) {
    return `${file}: not valid YAML: ${(error as Error).message.split("\n")[0]}`;
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return `${file}: must be a mapping of the app's settings, like image:, port:, resources: (docs/apps.md)`;
  }
  return document as Record<string, unknown>;
}
