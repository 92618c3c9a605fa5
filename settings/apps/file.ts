/**
 * Applications as files: `apps/<name>.yaml`, one per application, named by its file.
 * The file holds the app's fields (settings/apps/app.ts) and, under `stacks:`, what one
 * stack changes; here is the file's shape and how a stack's entry changes the app. The
 * stack file only says where the folder is (`slipway:apps`).
 *
 * Why files and not entries in the stack file: the CLI hands the whole stack config to
 * the program in one environment variable, which Linux caps at 128 KiB (see
 * ops/plan/config-size.ts); files also give each app its own owner and review.
 */
import { z } from "zod";
import { appFields, envMap, secretEnvMap } from "./app";
import { strictObject } from "../common";

/** What a stack may change about an app, under `stacks.<stack>:` in the app's file. */
export const appOverrideSchema = strictObject({
  /** Whether this stack runs the app. @default true */
  enabled: z.boolean().optional(),
  /** Replaces the file's `replicas`, and drops its `autoscaling`. @default - the file's */
  replicas: appFields.replicas,
  /** Replaces the file's `autoscaling`, and drops its `replicas`. @default - the file's */
  autoscaling: appFields.autoscaling,
  /** Replaces the file's `resources`. @default - the file's */
  resources: appFields.resources.optional(),
  /** Added to the file's `env`, variable by variable. @default {} */
  env: envMap.optional(),
  /** Added to the file's `secretEnv`, variable by variable. @default {} */
  secretEnv: secretEnvMap.optional(),
  /** Replaces the file's `ingress`. @default - the file's */
  ingress: appFields.ingress,
});

/**
 * The shape of a whole app file, for the generated reference (docs/config.md). Validation
 * goes through `appsForStack` (infra/app-file-checks.ts), which checks the file as each stack sees it.
 */
export const appFileSchema = (() => {
  const fields = Object.fromEntries(Object.entries(appFields).filter(([key]) => key !== "name"));
  return strictObject({
    ...(fields as Omit<typeof appFields, "name">),
    /** What each stack changes, by stack name. @default {} */
    stacks: z.record(z.string(), appOverrideSchema).optional(),
  });
})();

/** One stack's entry under `stacks:`, as written. */
export type AppOverride = z.input<typeof appOverrideSchema>;

/** One app file, read and parsed as YAML (infra/app-files.ts reads the folder). */
export interface AppFile {
  /** The file as errors show it, e.g. `apps/controlcore-api.yaml`. */
  readonly file: string;
  /** The app's name: the file name without `.yaml`. */
  readonly name: string;
  /** The YAML document, a mapping. */
  readonly document: Readonly<Record<string, unknown>>;
}

/** The file's fields with one stack's entry applied. */
export function merged(appFile: AppFile, override: AppOverride | undefined): Record<string, unknown> {
  const base = Object.fromEntries(Object.entries(appFile.document).filter(([key]) => key !== "stacks"));
  if (!override) return { ...base };
  // Only what a stack may change: any other key is reported at its place in `stacks:`.
  const changes = Object.fromEntries(
    Object.entries(override).filter(([key]) => key !== "enabled" && key in appOverrideSchema.shape),
  );
  const app: Record<string, unknown> = { ...base, ...changes };
  // One way to size an app per stack: a stack that sets replicas drops the file's
  // autoscaling, and the other way round.
  if ("replicas" in changes) delete app.autoscaling;
  if ("autoscaling" in changes) delete app.replicas;
  for (const key of ["env", "secretEnv"] as const) {
    if (isMapping(base[key]) && isMapping(changes[key])) app[key] = { ...base[key], ...changes[key] };
  }
  return app;
}

/** `stacks.<stack>` of an app file, when it is a mapping. */
export function stackEntry(document: Readonly<Record<string, unknown>>, stack: string): AppOverride | undefined {
  const stacks = document.stacks;
  if (!isMapping(stacks) || !Object.hasOwn(stacks, stack)) return undefined;
  const entry = stacks[stack];
  return isMapping(entry) ? (entry as AppOverride) : undefined;
}

/** True for a YAML mapping (a plain object), not a list or a scalar. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
