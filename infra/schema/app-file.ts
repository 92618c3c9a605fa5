/**
 * Applications as files: `apps/<name>.yaml`, one per application, named by its file.
 * The file holds the app's fields (infra/schema/apps.ts) and, under `stacks:`, what one
 * stack changes. The stack file only says where the folder is (`slipway:apps`).
 *
 * Why files and not entries in the stack file: the CLI hands the whole stack config to
 * the program in one environment variable, which Linux caps at 128 KiB (see
 * ops/plan/config-size.ts); files also give each app its own owner and review.
 */
import { z } from "zod";
import { appFields, appSchema, envMap, secretEnvMap, type AppSettings } from "./apps";
import { canonicalHost, strictObject } from "./common";
import { describeIssue } from "../config-problems";

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
 * goes through {@link appsForStack}, which checks the file as each stack sees it.
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

/** An app as one stack runs it, with the file it came from. */
export interface StackApp {
  readonly file: string;
  readonly settings: AppSettings;
  /** Where each of the app's top-level keys was written: `[]` for the file, `["stacks", stack]` for the stack's entry. */
  readonly origin: (key: PropertyKey) => PropertyKey[];
}

/**
 * The apps a stack runs, from their files, with every problem: each file's `stacks:`
 * entries checked for every stack (a typo in production's entry shows in staging's plan
 * too), and each app checked as this stack sees it.
 */
export function appsForStack(
  files: readonly AppFile[],
  stack: string,
  knownStacks: readonly string[],
): { apps: StackApp[]; problems: string[] } {
  const apps: StackApp[] = [];
  const problems: string[] = [];
  for (const appFile of files) {
    const found = new Set(stackEntryProblems(appFile, knownStacks));
    const override = stackEntry(appFile.document, stack);
    if (override?.enabled === false) {
      found.forEach((problem) => problems.push(problem));
      continue;
    }
    const origin = (key: PropertyKey) =>
      override && key !== "enabled" && key in appOverrideSchema.shape && key in override ? ["stacks", stack] : [];
    const result = appSchema.safeParse({ ...merged(appFile, override), name: appFile.name });
    if (result.success) apps.push({ file: appFile.file, settings: result.data, origin });
    else {
      for (const issue of result.error.issues) {
        const [first] = issue.path;
        const path = first === undefined ? [] : [...origin(first), ...issue.path];
        found.add(`${appFile.file}: ${describeAppIssue({ ...issue, path }, appFile)}`);
      }
    }
    found.forEach((problem) => problems.push(problem));
  }
  return { apps, problems };
}

/** The file's fields with one stack's entry applied. */
function merged(appFile: AppFile, override: AppOverride | undefined): Record<string, unknown> {
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
function stackEntry(document: Readonly<Record<string, unknown>>, stack: string): AppOverride | undefined {
  const stacks = document.stacks;
  if (!isMapping(stacks) || !Object.hasOwn(stacks, stack)) return undefined;
  const entry = stacks[stack];
  return isMapping(entry) ? (entry as AppOverride) : undefined;
}

/** Problems in the file's `stacks:` (and its own `name:`), for every stack it names. */
function stackEntryProblems(appFile: AppFile, knownStacks: readonly string[]): string[] {
  const problems: string[] = [];
  if ("name" in appFile.document) {
    problems.push(`${appFile.file}: name: an app is named by its file (${appFile.name}); remove this key`);
  }
  const stacks = appFile.document.stacks;
  if (stacks === undefined) return problems;
  if (!isMapping(stacks)) {
    return [
      ...problems,
      `${appFile.file}: stacks: must map stack names to what each changes, like stacks: { staging: { replicas: 1 } }`,
    ];
  }
  for (const [stack, entry] of Object.entries(stacks)) {
    if (!knownStacks.includes(stack)) {
      problems.push(
        `${appFile.file}: stacks.${stack}: no stack of that name (no Pulumi.${stack}.yaml); stacks: ${knownStacks.join(", ")}`,
      );
      continue;
    }
    const result = appOverrideSchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(
          `${appFile.file}: ${describeAppIssue({ ...issue, path: ["stacks", stack, ...issue.path] }, appFile)}`,
        );
      }
    }
  }
  return problems;
}

/** One line for a zod issue inside an app file; the app's name is its file's. */
function describeAppIssue(issue: z.core.$ZodIssue, appFile: AppFile): string {
  if (issue.path.length === 1 && issue.path[0] === "name") {
    return `file name: "${appFile.name}" ${issue.message} (an app is named by its file, which names its namespace too)`;
  }
  if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
    return `${issue.message.replace("allowed keys: name, ", "allowed keys: ")}, stacks`;
  }
  return describeIssue(issue, appFile.document);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Where one app serves one host in one stack, as its file says. */
interface HostUse {
  readonly stack: string;
  readonly file: string;
  readonly host: string;
  readonly path: string;
  /** Where the host is written: `ingress.host` or `stacks.<stack>.ingress.host`. */
  readonly at: string;
}

/** Every host every app serves in every stack, from the files as written. */
function hostUses(files: readonly AppFile[], stacks: readonly string[]): HostUse[] {
  return stacks.flatMap((stack) =>
    files.flatMap((appFile) => {
      const override = stackEntry(appFile.document, stack);
      if (override?.enabled === false) return [];
      const fromStack = override !== undefined && "ingress" in override;
      const ingress = fromStack ? override.ingress : appFile.document.ingress;
      if (!isMapping(ingress) || typeof ingress.host !== "string") return [];
      const route = typeof ingress.path === "string" ? ingress.path : "/";
      const at = fromStack ? `stacks.${stack}.ingress.host` : "ingress.host";
      return [{ stack, file: appFile.file, host: canonicalHost(ingress.host), path: route, at }];
    }),
  );
}

/**
 * Hosts served twice, in every stack, not only the one planned: one host in two stacks
 * (DNS sends a name to one load balancer, and each stack has its own), and, in the other
 * stacks, one host and path in two apps (the planned stack's are reported with its apps,
 * infra/schema/apps.ts). One problem per clash.
 */
export function hostClashes(files: readonly AppFile[], stacks: readonly string[], planned: string): string[] {
  const byHost = new Map<string, HostUse[]>();
  for (const use of hostUses(files, stacks)) byHost.set(use.host, [...(byHost.get(use.host) ?? []), use]);
  const problems: string[] = [];
  for (const [host, uses] of byHost) {
    const routes = new Map<string, HostUse>();
    for (const use of uses) {
      const route = `${use.stack} ${use.path}`;
      const twin = routes.get(route);
      if (!twin) routes.set(route, use);
      else if (use.stack !== planned) {
        problems.push(
          `${use.file}: ${use.at}: ${host}${use.path} is already served in ${use.stack} by ${twin.file}; one route, one app`,
        );
      }
    }
    const stacksOf = [...new Set(uses.map((u) => u.stack))];
    if (stacksOf.length < 2) continue;
    // One problem per host, where it first appears in a second stack, naming every place.
    const at = uses.find((u) => u.stack !== stacksOf[0])!;
    const places = uses.map((u) => `${u.stack} (${u.file} ${u.at})`).join(", ");
    problems.push(
      `${at.file}: ${at.at}: ${host} is served in ${stacksOf.length} stacks, ${places}: DNS sends one host to one stack's load balancer; give each stack its own host`,
    );
  }
  return problems;
}
