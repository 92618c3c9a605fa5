/**
 * How a command ends: only once everything it printed has been written, and with one line
 * and a non-zero exit when it could not be (a full disk). Node writes to pipes
 * asynchronously on POSIX ("Pipes (and sockets): synchronous on Windows, asynchronous on
 * POSIX", Node.js docs, process, "A note on process I/O"), so `process.exit` right after
 * `console.log` dropped what was still queued: `plan --json | wc -c` stopped at 64 KiB.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import * as fs from "node:fs";

/** Resolves once every write queued on `stream` so far is flushed. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

/** Exits with `code` after stdout and stderr have drained; with 1 and one line when stdout could not be written. */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // A failed write destroys the stream at once but reports its error a tick later: the
  // command may finish first, and must not then exit 0 as if its output had arrived.
  const broken = process.stdout.errored as NodeJS.ErrnoException | null;
  if (broken) return stdoutFailed(broken);
  process.exit(code);
}

/** The command's name in its one-line failure (`plan`, `slipway doctor`). */
let commandLabel: () => string = () => "slipway";
/** Set once the failure of stdout is being reported, so it is said once. */
let reporting: Promise<never> | undefined;

/**
 * How a command ends when its output cannot be written. A reader that stops early
 * (`| head`) closes the pipe: Node then raises EPIPE on the next write; that reader wants
 * no more, so the command stops quietly with 0. Anything else (ENOSPC from a full disk or
 * `> /dev/full`, EIO) loses output someone wanted: one line on stderr naming where the
 * output went and why it failed, and exit 1. Without this, Node's default for an 'error'
 * nobody handles is a stack trace. `label` names the command in that line.
 */
export function exitCleanlyOnOutputError(label: string | (() => string)): void {
  commandLabel = typeof label === "string" ? () => label : label;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => void stdoutFailed(error));
  // stderr failing leaves nowhere to say so: only the exit code can.
  process.stderr.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));
}

function stdoutFailed(error: NodeJS.ErrnoException): Promise<never> {
  if (error.code === "EPIPE") process.exit(0);
  reporting ??= new Promise<never>(() => {
    const line = `${commandLabel()}: ${describeOutputFailure(error, outputTarget(process.stdout))}\n`;
    process.stderr.write(line, () => process.exit(1));
  });
  return reporting;
}

/**
 * Where a stream goes, for a person: `standard output (/dev/full)` when the shell
 * redirected it to a file (Linux names it in /proc/self/fd), else `standard output`.
 */
export function outputTarget(stream: { readonly fd?: number }): string {
  try {
    const target = fs.readlinkSync(`/proc/self/fd/${stream.fd ?? 1}`);
    if (target.startsWith("/")) return `standard output (${target})`;
  } catch {
    // No /proc (macOS): the plain name still says which output failed.
  }
  return "standard output";
}

/** A failed write to `target` as the rest of one line: what is wrong and what to do. */
export function describeOutputFailure(error: NodeJS.ErrnoException, target: string): string {
  const known = error.code ? FILE_ERRORS[error.code] : undefined;
  if (known) return `${target} ${known}`;
  const detail = error.code ?? String(error.message ?? error).split("\n")[0];
  return `${target} cannot be written (${detail}); send the output somewhere else`;
}

/**
 * Node's parseArgs error for a mistyped flag, as one line: its first sentence (`Unknown
 * option '--colour'`), without the advice about positionals that follows it.
 */
export function parseArgsMistake(error: unknown): string {
  const [first = ""] = String((error as Error).message ?? error).split(". ");
  return first.replace(/\.$/, "");
}

/**
 * A flag that takes a value given more than once (`--cost-date 2026-01-01 --cost-date
 * 2026-06-01`): node's parseArgs keeps the last one silently, so the command would run with
 * a value the reader of the command line may not have meant. One line naming the flag and
 * its values, or undefined.
 */
export function repeatedOption(argv: string[], options: ParseArgsConfig["options"]): string | undefined {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const given = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind !== "option" || options?.[token.name]?.type !== "string") continue;
    given.set(token.name, [...(given.get(token.name) ?? []), String(token.value)]);
  }
  const [name, values] = [...given].find(([, list]) => list.length > 1) ?? [];
  return name && values ? `--${name} given ${values.length} times (${values.join(", ")}); give it once` : undefined;
}

/** What each file-system error says about the path it names, and what to do. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "does not exist; check the path",
  ENOTDIR: "is not a folder (a part of the path is a file); name a folder",
  EISDIR: "is a folder; name a file",
  EACCES: "is not readable or writable by you; check its permissions",
  EPERM: "may not be changed by you; check its permissions",
  EEXIST: "already exists; remove it or name another",
  EROFS: "is on a read-only file system; name a place you can write",
  ENOSPC: "cannot be written: the disk is full; free space on it or write elsewhere",
  EDQUOT: "cannot be written: your disk quota is used up; free space or write elsewhere",
  EIO: "cannot be written: the device reported an I/O error; check the disk, or write elsewhere",
};

/** A file-system error as `<path> <what is wrong; what to do>`, or undefined for any other error. */
export function describeFileError(error: unknown): string | undefined {
  const { code, path } = error as NodeJS.ErrnoException;
  return code && path && FILE_ERRORS[code] ? `${path} ${FILE_ERRORS[code]}` : undefined;
}

/**
 * An unexpected error as one line for people: a file-system error names the path, what is
 * wrong with it and what to do; anything else its first line.
 */
export function describeFailure(error: unknown): string {
  return describeFileError(error) ?? `unexpected failure: ${String((error as Error).message ?? error).split("\n")[0]}`;
}
