/**
 * Reads a file people write by hand (an app file, a stack file) as UTF-8 text, refusing
 * what is not: a reader that replaced bad bytes with U+FFFD would hand YAML a different
 * value than the one in the review, and nobody would see it.
 */
import * as fs from "node:fs";

/** The UTF-8 byte-order mark. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Largest file read as hand-written YAML. The committed stack and app files are under 6 KiB,
 * and the CLI hands a stack's whole config to the program in one environment variable that
 * Linux caps at 128 KiB (pulumi/pulumi#8680): a file past 1 MiB is generated or damaged, and
 * reading and parsing tens of MiB would take the check minutes and the memory with it.
 */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

/** What a symlink that leads back to itself is, in words (stat fails with ELOOP). */
export const SYMLINK_LOOP = "is a symlink loop: following its links comes back to it; make it a file";

/** What a path is, in words, when it is not a regular file. */
export function kindOf(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Why the path cannot be read as a hand-written file (a symlink loop or one that leads
 * nowhere, a folder, a FIFO that would block the read, a device, too large), found with
 * stat before anything is opened; undefined when it is a regular file of a sane size.
 * A path with nothing at it throws ENOENT, for the caller to say what was missing.
 */
export function textFileProblem(fullPath: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(fullPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return SYMLINK_LOOP;
    if (code === "ENOENT" && fs.lstatSync(fullPath, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return `is a symlink to ${fs.readlinkSync(fullPath)}, which does not exist`;
    }
    if (code === "EACCES") return "cannot be read: permission denied";
    throw error;
  }
  const kind = kindOf(stat);
  if (kind) return `is ${kind}, not a file; it must be a regular YAML file`;
  if (stat.size > MAX_TEXT_FILE_BYTES) {
    return `is ${(stat.size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MiB a hand-written YAML file is taken at (the committed ones are a few KiB); it was not read: check what was written into it`;
  }
  return undefined;
}

/**
 * The text of a hand-written UTF-8 file, or one line saying why it is not one (without the
 * file's name). Throws ENOENT when nothing is at the path.
 */
export function readUtf8(fullPath: string): { text: string } | { problem: string } {
  const problem = textFileProblem(fullPath);
  if (problem) return { problem };
  return decodeUtf8(fs.readFileSync(fullPath));
}

/**
 * Bytes as UTF-8 text, a leading UTF-8 BOM dropped, or one line saying why they are not
 * UTF-8 (UTF-16, a stray BOM, an invalid byte with its line). For any size: state
 * exports, which machines write, go through here too.
 */
export function decodeUtf8(bytes: Buffer): { text: string } | { problem: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: "starts with a UTF-16 byte-order mark (BOM): the file is UTF-16; save it as UTF-8" };
  }
  // YAML allows a UTF-8 BOM at the start of a stream (YAML 1.2.2, 5.2 "Character Encodings");
  // some editors write one. It says nothing, so it goes.
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  const body = bytes.subarray(start);
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
    const stray = text.indexOf("\uFEFF");
    if (stray >= 0) {
      return {
        problem: `line ${lineOf(body, Buffer.byteLength(text.slice(0, stray)))}: holds a byte-order mark (BOM, U+FEFF) inside the text, where it is an invisible character in a value; delete it`,
      };
    }
    return { text };
  } catch {
    const at = firstInvalidByte(body);
    return {
      problem: `line ${lineOf(body, at)}: byte 0x${(body[at] ?? 0).toString(16).toUpperCase().padStart(2, "0")} (offset ${at + start}) is not UTF-8; save the file as UTF-8`,
    };
  }
}

/** The 1-based line of a byte offset. */
function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Grow a prefix until it stops decoding; cut it back to whole sequences first.
  let good = 0;
  while (good < bytes.length) {
    const lead = bytes[good]!;
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length === 0) return good;
    try {
      decoder.decode(bytes.subarray(good, good + length));
    } catch {
      return good;
    }
    good += length;
  }
  return good;
}

/**
 * A YAML parse error as one line: the parser's first line (which says what is wrong and
 * where) and the text of the line it points at, so a duplicate key or a stray tab is named
 * without opening the file.
 */
export function yamlProblem(error: unknown, text: string): string {
  const message = (error as Error).message.split("\n")[0]!.replace(/:\s*$/, "");
  const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
  const source = line === undefined ? undefined : text.split(/\r?\n/)[line - 1]?.trim();
  return `not valid YAML: ${message}${source ? ` (${JSON.stringify(source)})` : ""}`;
}
