/**
 * Where the `secure:` values sit inside a key the Pulumi CLI hands over whole. The CLI
 * decrypts the stack file and passes each top-level key as one value, marking the whole
 * key secret when any `secure:` lies inside it (`PULUMI_CONFIG_SECRET_KEYS` lists keys,
 * not paths). Only the stack file still says which value was the secure one, so that a
 * misplaced secret can be reported at `slipway:cluster.kubernetesVersion`, not
 * `slipway:cluster`.
 */
import * as path from "node:path";
import { EncryptedValue, readStackFile, type RawStackConfig } from "./stack-file";
import { PROJECT_ROOT } from "../lib/project-root";

/** Where the program looks for `Pulumi.<stack>.yaml`; the harness points it at its project. */
let stackFileDirectory = PROJECT_ROOT;

/** Sets the folder of the stack files (the offline harness runs other projects' files). */
export function setStackFileDirectory(directory: string): void {
  stackFileDirectory = directory;
}

/**
 * The stack file as written, or undefined when it cannot be read (another config file
 * given to the CLI, a stack file elsewhere): then secrets are located by key only.
 */
export function stackFileOnDisk(stack: string, project: string): RawStackConfig | undefined {
  try {
    return readStackFile(path.join(stackFileDirectory, `Pulumi.${stack}.yaml`), project);
  } catch {
    return undefined;
  }
}

/**
 * A secret key's value for validation: when the stack file shows `secure:` values below
 * the key and the decrypted value has the same shape, the plain structure with each of
 * them an {@link EncryptedValue} at its own path; otherwise the whole key as one secret.
 */
export function locateSecrets(text: string, written: unknown): unknown {
  const whole = new EncryptedValue("", text);
  if (written === undefined || written instanceof EncryptedValue || written === null || typeof written !== "object") {
    return whole;
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return whole;
  }
  let found = false;
  const merge = (plain: unknown, file: unknown): unknown => {
    if (file instanceof EncryptedValue) {
      found = true;
      return new EncryptedValue("", typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    if (plain === null || typeof plain !== "object" || file === null || typeof file !== "object") return plain;
    if (Array.isArray(plain) !== Array.isArray(file)) return plain;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(plain) ? [...plain] : { ...plain };
    for (const [k, v] of Object.entries(copy)) {
      (copy as Record<string, unknown>)[k] = merge(v, (file as Record<string, unknown>)[k]);
    }
    return copy;
  };
  const merged = merge(decoded, written);
  return found ? merged : whole;
}
