/**
 * The config problems Slipway reports, one line each with the key path, the value and
 * what is allowed: keys in namespaces nothing reads, special keys, secure values where
 * plain config belongs, and zod's issues in the same words as the rest.
 */
import type { z } from "zod";
import { EncryptedValue, type RawStackConfig, nonFiniteNumber } from "./stack-file";
import { closest } from "../lib/did-you-mean";

/** Config keys that hold secrets: refused in plain text, never echoed in an error. */
export const SECRET_KEYS = [
  "slipway:alertmanagerWebhookUrl",
  "slipway:githubAppPrivateKey",
  "slipway:appSecrets",
] as const;

/**
 * Config namespaces something in this program reads: Slipway's own, and its providers'
 * (`aws:`, `kubernetes:`, `random:`) and Pulumi's (`pulumi:tags`...). A key in any other
 * namespace is read by nothing: almost always a typo that would silently drop a section.
 */
const KNOWN_NAMESPACES = ["slipway", "aws", "kubernetes", "random", "pulumi"] as const;

/** One problem per config key outside the known namespaces, with a did-you-mean. */
export function foreignNamespaceProblems(raw: RawStackConfig): string[] {
  return Object.keys(raw).flatMap((key) => {
    const namespace = key.includes(":") ? key.slice(0, key.indexOf(":")) : "";
    if ((KNOWN_NAMESPACES as readonly string[]).includes(namespace)) return [];
    const near = closest(namespace, KNOWN_NAMESPACES);
    const hint = near ? `did you mean ${near}:${key.slice(namespace.length + 1)}? ` : "";
    return [
      `${key}: ${namespace ? `"${namespace}" is not a config namespace anything here reads` : "has no namespace"}; ` +
        `${hint}Slipway reads slipway:* and aws:region, its providers aws:*, kubernetes:* and random:*, Pulumi pulumi:*`,
    ];
  });
}

/**
 * Keys JavaScript treats specially: a record parsed from them sets an object's prototype
 * instead of holding an entry, so the entry vanishes without an error. Refused wherever
 * they appear in the stack config.
 */
const SPECIAL_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** One problem per special key anywhere in the config, with its path. */
export function specialKeyProblems(raw: RawStackConfig): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (value === null || typeof value !== "object" || value instanceof EncryptedValue) return;
    for (const key of Object.keys(value)) {
      const path = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
      if (SPECIAL_KEYS.has(key)) problems.push(`${path}: "${key}" cannot be a key: JavaScript would drop it silently`);
      else walk((value as Record<string, unknown>)[key], path);
    }
  };
  for (const [key, value] of Object.entries(raw)) walk(value, key);
  return problems;
}

/** Where a `secure:` value sits although its key takes plain config, as key paths. */
export function misplacedSecrets(raw: RawStackConfig): Array<{ path: PropertyKey[]; shown: string }> {
  const found: Array<{ path: PropertyKey[]; shown: string }> = [];
  const walk = (value: unknown, path: PropertyKey[]) => {
    if (value instanceof EncryptedValue) {
      found.push({ path, shown: formatKeyPath(path, raw) });
      return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
  };
  for (const [key, value] of Object.entries(raw)) {
    if (!(SECRET_KEYS as readonly string[]).includes(key)) walk(value, [key]);
  }
  return found;
}

/** True when `path` is `prefix` or lies under it. */
export const under = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.every((segment, i) => String(path[i]) === String(segment));

/**
 * `slipway:network.availabilityZones[1]` from a zod path. With the raw config, an app's
 * entry also shows its name: `slipway:apps[0](controlcore-api).port`.
 */
export function formatKeyPath(path: readonly PropertyKey[], raw?: RawStackConfig): string {
  return path
    .map((part, index) => {
      if (typeof part !== "number") return index === 0 ? String(part) : `.${String(part)}`;
      const name = index === 1 && path[0] === "slipway:apps" ? valueAt(raw, [...path.slice(0, 2), "name"]) : undefined;
      return typeof name === "string" ? `[${part}](${name})` : `[${part}]`;
    })
    .join("");
}

/** The value at a key path in a raw config (as the stack file wrote it), or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function showValue(value: unknown, key: string): string {
  if (value instanceof EncryptedValue || (SECRET_KEYS as readonly string[]).includes(key)) return "[secret]";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line for one zod issue: key path, bad value, what is allowed. */
export function describeIssue(issue: z.core.$ZodIssue, raw: RawStackConfig): string {
  const key = formatKeyPath(issue.path, raw);
  if (issue.code === "unrecognized_keys") {
    return `${key || "config"}: ${issue.message}`;
  }
  if (issue.code === "invalid_key") {
    const name = String(issue.path[issue.path.length - 1]);
    return `${key}: the name "${name}" ${issue.issues.map((i) => i.message).join("; ")}`;
  }
  const value = valueAt(raw, issue.path);
  const wantsText =
    (issue.code === "invalid_type" && issue.expected === "string") ||
    (issue.code === "invalid_value" && issue.values.every((v) => typeof v === "string"));
  if (typeof value === "number" && wantsText) {
    // YAML reads an unquoted 1.30 as the number 1.3 and 15 as 15: the text is lost.
    const wanted = issue.message.replace(/^Invalid (input|option): /, "").replace(/, received number$/, "");
    const name = String(issue.path[issue.path.length - 1]);
    return `${key}: ${value} is a number, but this key takes text (${wanted}): YAML reads an unquoted value as a number, and 1.30 becomes 1.3; write it in quotes as you meant it, like ${name}: "1.30"`;
  }
  const notANumber = nonFiniteNumber(value, key);
  if (notANumber) return notANumber;
  if (value === null && issue.code === "invalid_type") {
    // A key with nothing after its colon, `~` or `null`: YAML's null, which JSON keeps.
    const wanted = issue.message.replace(/^Invalid input: /, "").replace(/, received null$/, "");
    return `${key}: is empty (YAML reads a key with no value, ~ or null as null), but this key takes a value (${wanted})`;
  }
  if (value === undefined && issue.code === "invalid_type") {
    return `${key}: is required but missing (${issue.message.replace(/^Invalid input: /, "").replace(/, received undefined$/, "")})`;
  }
  // Channel problems name their own file and value; a missing value has nothing to show.
  const hide = value === undefined || (issue.code === "custom" && issue.path[0] === "slipway:channel");
  const shown = hide ? "" : `${showValue(value, String(issue.path[0]))} `;
  return `${key}: ${shown}${plainMessage(issue)}`;
}

/**
 * zod's default wording for a range or a choice ("Too small: expected number to be >=1")
 * said as the rest of the messages say it; messages the schema wrote stay as they are.
 */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "too_small" && issue.origin === "number" && issue.message.startsWith("Too small:")) {
    return `must be ${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}`;
  }
  if (issue.code === "too_big" && issue.origin === "number" && issue.message.startsWith("Too big:")) {
    return `must be ${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}`;
  }
  if (issue.code === "invalid_value" && issue.message.startsWith("Invalid option:")) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}
