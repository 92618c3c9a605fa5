/**
 * The plan's output paths (`--manifests <dir>`, `--dot <file>`), checked before the
 * program runs: a folder nobody may write, or a path through a file, fails at once with
 * one line instead of after the whole plan has been computed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { foreignManifestsProblem } from "./manifests";

/** Raised when an output path cannot be written; its message is the one line to print. */
export class OutputPathError extends Error {
  override name = "OutputPathError";
}

/** The closest part of `target` that exists (itself, or a folder above it). */
function nearestExisting(target: string): string {
  let current = path.resolve(target);
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** True when this process may create and remove entries in `folder`. */
function writable(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `target` (a folder to fill, or a file to write) cannot be written, in words that
 * name the part of the path at fault and what to do; undefined when it can.
 */
export function outputPathProblem(flag: string, target: string, kind: "folder" | "file"): string | undefined {
  const existing = nearestExisting(target);
  const stat = fs.statSync(existing);
  const resolved = path.resolve(target);
  if (existing === resolved) {
    if (kind === "folder" && !stat.isDirectory()) return `${flag} ${target} is a file, not a folder; name a folder`;
    if (kind === "file" && stat.isDirectory()) return `${flag} ${target} is a folder; name a file`;
    const folder = kind === "folder" ? resolved : path.dirname(resolved);
    if (!writable(folder) || (kind === "file" && !isWritableFile(resolved))) {
      return `${flag} ${target}: ${kind === "folder" ? target : resolved} is not writable by you; check its permissions or name another ${kind}`;
    }
    return undefined;
  }
  if (!stat.isDirectory()) {
    return `${flag} ${target}: ${existing} is a file, not a folder; name a ${kind} whose path runs only through folders`;
  }
  if (!writable(existing)) {
    return `${flag} ${target}: cannot create it, because ${existing} is not writable by you; name a ${kind} under a folder you can write, or check its permissions`;
  }
  return creationProblem(flag, target, path.join(existing, path.relative(existing, resolved).split(path.sep)[0]!));
}

/**
 * Creates and removes the first missing folder of the path, the way the plan will create
 * it: a file system that says "writable" and then refuses (`/proc`, a read-only mount)
 * fails here in one line. Node's recursive mkdirSync never returns on such a path (it
 * retries the parent, which exists, and the child again), so this probe is not recursive.
 */
function creationProblem(flag: string, target: string, firstMissing: string): string | undefined {
  try {
    fs.mkdirSync(firstMissing);
    fs.rmdirSync(firstMissing);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "an error";
    return `${flag} ${target}: cannot create ${firstMissing} (${code}); name a place on a file system you can write`;
  }
}

function isWritableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws an OutputPathError for the first output of the plan that cannot be written:
 * the stack's folder under `--manifests` (which must not hold files the plan did not
 * write), and the `--dot` file.
 */
export function refuseUnwritableOutputs(stack: string, options: { manifests?: string; dot?: string }): void {
  const problems = [
    options.manifests !== undefined
      ? (outputPathProblem("--manifests", path.join(options.manifests, stack), "folder") ??
        foreignManifestsProblem(path.join(options.manifests, stack)))
      : undefined,
    options.dot !== undefined ? outputPathProblem("--dot", options.dot, "file") : undefined,
  ];
  const first = problems.find((problem) => problem !== undefined);
  if (first) throw new OutputPathError(first);
}
