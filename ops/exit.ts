/**
 * Ends a command only once everything it printed has been written. Node writes to pipes
 * asynchronously on POSIX ("Pipes (and sockets): synchronous on Windows, asynchronous on
 * POSIX", Node.js docs, process, "A note on process I/O"), so `process.exit` right after
 * `console.log` dropped what was still queued: `plan --json | wc -c` stopped at 64 KiB.
 */

/** Resolves once every write queued on `stream` so far is flushed. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

/** Exits with `code` after stdout and stderr have drained. */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/**
 * A reader that stops early (`| head`) closes the pipe: Node then raises EPIPE on the next
 * write, which would end the command with a stack trace. That reader wants no more
 * output, so the command stops quietly instead.
 */
export function stopQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
}

/**
 * Node's parseArgs error for a mistyped flag, as one line: its first sentence (`Unknown
 * option '--colour'`), without the advice about positionals that follows it.
 */
export function parseArgsMistake(error: unknown): string {
  const [first = ""] = String((error as Error).message ?? error).split(". ");
  return first.replace(/\.$/, "");
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "does not exist; check the path",
  ENOTDIR: "is not a folder (a part of the path is a file); name a folder",
  EISDIR: "is a folder; name a file",
  EACCES: "is not readable or writable by you; check its permissions",
  EPERM: "may not be changed by you; check its permissions",
  EEXIST: "already exists; remove it or name another",
  ENOSPC: "cannot be written: the disk is full",
};

/**
 * An unexpected error as one line for people: a file-system error names the path, what is
 * wrong with it and what to do; anything else its first line.
 */
export function describeFailure(error: unknown): string {
  const { code, path, message } = error as NodeJS.ErrnoException;
  if (code && path && FILE_ERRORS[code]) return `${path} ${FILE_ERRORS[code]}`;
  return `unexpected failure: ${String(message ?? error).split("\n")[0]}`;
}
