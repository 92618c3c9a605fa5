/**
 * Reads the folder of app files (`apps/` unless `slipway:apps.directory` says otherwise):
 * every `<name>.yaml` or `<name>.yml` in it, in name order, parsed as YAML. Other files
 * (a README, a CODEOWNERS) are left alone. The folder and every file in it stay inside
 * the repository, where they are reviewed; each file is checked to be a regular file
 * before it is opened (a FIFO would block the read) and to be UTF-8. Problems name the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AppFile } from "../settings/apps/file";
import { DEFAULT_APP_DIRECTORY } from "../settings/apps/stack";
import { specialKeyProblems } from "./config-problems";
import { kindOf, readUtf8, SYMLINK_LOOP, yamlProblem } from "./text-file";

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

/**
 * The app files in `directory` (relative to `projectDir`, or absolute, inside it either
 * way). A missing default folder means no apps; a folder the stack names must exist.
 */
export function readAppFiles(projectDir: string, directory: string = DEFAULT_APP_DIRECTORY): AppFiles {
  const folder = path.resolve(projectDir, directory);
  const shown = (name: string) => path.relative(projectDir, path.join(folder, name));
  const outside = outsideProblem(projectDir, folder, directory);
  if (outside) return { files: [], problems: [outside] };
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
  // Each YAML file and the app name it gives; `.yaml` alone gives none, and says so.
  const appFiles = names.flatMap((fileName) => {
    const name = /^(.*)\.ya?ml$/.exec(fileName)?.[1];
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
    if (name === "") {
      problems.push(`${file}: has no app name before its extension; name the file after the app, like billing.yaml`);
      continue;
    }
    const notFile = entryProblem(projectDir, path.join(folder, fileName));
    if (notFile) {
      problems.push(`${file}: ${notFile}`);
      continue;
    }
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
  const read = readUtf8(fullPath);
  if ("problem" in read) return `${file}: ${read.problem}`;
  let document: unknown;
  try {
    document = parseYaml(read.text);
  } catch (error) {
    return `${file}: ${yamlProblem(error, read.text)}`;
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return `${file}: must be a mapping of the app's settings, like image:, port:, resources: (docs/apps.md)`;
  }
  return document as Record<string, unknown>;
}

/** True when `inner` is `outer` or lies below it. */
function within(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * Why the folder of app files is not inside the repository (by its path, or, when it
 * exists, by where its symlinks lead), or undefined when it is. App files are reviewed
 * with the code; one outside would change a stack without a review.
 */
function outsideProblem(projectDir: string, folder: string, directory: string): string | undefined {
  const say = (where: string) =>
    `slipway:apps.directory: ${JSON.stringify(directory)} ${where}, outside the repository (${projectDir}): ` +
    `app files are reviewed with the code; keep them in a folder of the repository, like apps`;
  if (!within(projectDir, folder)) return say(`is ${folder}`);
  let real: string;
  try {
    real = fs.realpathSync(folder);
  } catch {
    return undefined; // no folder: reported when it is read
  }
  return within(fs.realpathSync(projectDir), real) ? undefined : say(`leads to ${real} through a symlink`);
}

/**
 * Why an app file cannot be read as one (a symlink out of the repository, a FIFO that
 * would block the read, a folder, a device), or undefined when it is a regular file.
 * Checked with lstat and stat, so nothing is opened before it passes.
 */
function entryProblem(projectDir: string, fullPath: string): string | undefined {
  try {
    if (fs.lstatSync(fullPath).isSymbolicLink()) {
      const target = fs.realpathSync(fullPath);
      if (!within(fs.realpathSync(projectDir), target)) {
        return `is a symlink to ${target}, outside the repository: app files are reviewed with the code; put the file itself in the repository`;
      }
    }
    const kind = kindOf(fs.statSync(fullPath));
    return kind ? `is ${kind}, not a file; an app file is a regular YAML file` : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") return SYMLINK_LOOP;
    return "is a symlink that leads nowhere (its target does not exist)";
  }
}
