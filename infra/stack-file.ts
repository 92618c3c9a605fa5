/**
 * Reads `Pulumi.<stack>.yaml` exactly as the Pulumi CLI lays it out (`config:` with
 * namespaced keys, `secure:` ciphertexts), for the offline plan and the tests. The CLI
 * itself never goes through here: under `pulumi up` the engine hands config to the program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { readUtf8, yamlProblem } from "./text-file";
import { ciphertextProblem, envelopeProblems, type CiphertextForm } from "./stack-secrets";

/**
 * Stands in for a `secure:` value. Offline there is no key to decrypt it, so only the fact
 * that it is a secret survives; the program then sees a placeholder wrapped as a secret.
 */
export class EncryptedValue {
  constructor(
    /** The ciphertext as the CLI wrote it. Never printed. */
    readonly ciphertext: string,
    /** The decrypted value, when the Pulumi runtime supplied it. Never printed. */
    readonly plaintext?: string,
  ) {}
  /** Printed form, so a secret never reaches a log by accident. */
  toJSON(): string {
    return "[secret]";
  }
}

/** A stack file's `config:` map with every key namespaced (`slipway:owner`). */
export type RawStackConfig = Record<string, unknown>;

/** A stack file that could not be read or is not in the CLI's format. */
export class StackFileError extends Error {
  override name = "StackFileError";
}

/**
 * What the Pulumi CLI accepts as a stack name: letters, digits, `-`, `_` and `.`, at most
 * 100 characters (pulumi docs, "Stacks"; sdk/go/common/tokens, stack name validation).
 * A name of dots only is refused too: it would name a parent folder in a path.
 */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Why a stack name is not one the CLI accepts, or undefined when it is. */
export function stackNameProblem(name: string): string | undefined {
  if (STACK_NAME.test(name) && !/^\.+$/.test(name)) return undefined;
  return `${JSON.stringify(name)} is not a stack name: use letters, digits, "-", "_" and "." (at most 100), like production`;
}

/** The path of `Pulumi.<stack>.yaml` in a project directory; an invalid stack name is a StackFileError. */
export function stackFilePath(projectDir: string, stack: string): string {
  const problem = stackNameProblem(stack);
  if (problem) throw new StackFileError(problem);
  return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the directory. */
export function listStacks(projectDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(projectDir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^Pulumi\.(.+)\.ya?ml$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

/**
 * Reads and parses a stack file. Keys without a namespace belong to the project, as the
 * CLI treats them. Throws {@link StackFileError} with the file name on any problem.
 */
export function readStackFile(file: string, project: string): RawStackConfig {
  const name = path.basename(file);
  let read: ReturnType<typeof readUtf8>;
  try {
    read = readUtf8(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") {
      throw new StackFileError(`${name}: cannot be read (${code ?? (error as Error).message})`);
    }
    const known = listStacks(path.dirname(file));
    throw new StackFileError(
      `${name}: no such stack file in ${path.dirname(file)}; stacks there: ${known.length > 0 ? known.join(", ") : "none"}`,
    );
  }
  if ("problem" in read) throw new StackFileError(`${name}: ${read.problem}`);
  let document: unknown;
  try {
    document = parseYaml(read.text);
  } catch (error) {
    throw new StackFileError(`${name}: ${yamlProblem(error, read.text)}`);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new StackFileError(`${name}: must be a mapping with a 'config:' key`);
  }
  const config = (document as Record<string, unknown>).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${name}: 'config:' must be a mapping of keys to values`);
  }
  const { problems, form } = envelopeProblems(document as Record<string, unknown>);
  const raw: RawStackConfig = {};
  for (const [key, value] of Object.entries(config)) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    raw[full] = decodeSecure(value, full, form, problems);
  }
  if (problems.length > 0) {
    throw new StackFileError(
      `${name} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
  return raw;
}

/**
 * Replaces every `{ secure: "..." }` (at any depth) with an {@link EncryptedValue}, and
 * adds a problem, at the value's key path, for each that cannot be the provider's
 * ciphertext. The ciphertext itself is never printed.
 */
function decodeSecure(value: unknown, at: string, form: CiphertextForm, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => decodeSecure(item, `${at}[${i}]`, form, problems));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    const [only] = entries;
    if (entries.length > 1 && "secure" in value) {
      // The CLI writes a secret as a mapping with the one key secure:; anything beside it
      // makes the mapping a plain object whose "secure" text would be handed over as is.
      const others = entries.map(([k]) => k).filter((k) => k !== "secure");
      problems.push(
        `${at}: a secure: value must be the only key of its mapping, but ${others.map((k) => JSON.stringify(k)).join(", ")} ${others.length === 1 ? "sits" : "sit"} beside it; delete ${others.length === 1 ? "it" : "them"}, or set the secret again with pulumi config set --secret${at.includes(".") || at.includes("[") ? " --path" : ""} '${at}' <value>`,
      );
      return new EncryptedValue("");
    }
    if (entries.length === 1 && only?.[0] === "secure") {
      const problem = typeof only[1] === "string" ? ciphertextProblem(only[1], form) : "is not text, so not ciphertext";
      if (problem) {
        problems.push(
          `${at}: its secure: value ${problem}; set it again with pulumi config set --secret${at.includes(".") || at.includes("[") ? " --path" : ""} '${at}' <value>`,
        );
      }
      return new EncryptedValue(typeof only[1] === "string" ? only[1] : "");
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeSecure(v, `${at}.${k}`, form, problems)]));
  }
  // JSON, in which config reaches the program, has no infinity and no NaN: JSON.stringify
  // turns both into null, which the schema would then call "empty".
  const notANumber = nonFiniteNumber(value, at);
  if (notANumber) problems.push(notANumber);
  return value;
}

/**
 * YAML's `.nan`, `.inf` and `-.inf`, and a number past the largest double (`1e309`), read
 * as IEEE floats that are not numbers a key can take (YAML 1.2 core schema, "Floating
 * Point"): said as such, not as zod's "expected number, received NaN", and not as the
 * `null` JSON makes of them.
 */
export function nonFiniteNumber(value: unknown, key: string): string | undefined {
  if (typeof value !== "number" || Number.isFinite(value)) return undefined;
  if (Number.isNaN(value)) {
    return `${key}: .nan is not a number (YAML reads .nan as the floating-point "not a number"); write a number`;
  }
  const written = value > 0 ? ".inf" : "-.inf";
  return `${key}: ${written} is not a number this key takes (YAML reads ${written}, and a number past 1.8e308 like ${value > 0 ? "" : "-"}1e309, as ${value > 0 ? "" : "minus "}infinity); write a finite number`;
}
