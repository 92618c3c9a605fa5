/**
 * The app files as one stack sees them: each file merged with the stack's entry and
 * checked against settings/apps/, every problem one line naming the file and the key
 * where it was written (in the words of infra/config-problems.ts).
 */
import type { z } from "zod";
import { appSchema, type AppSettings } from "../settings/apps/app";
import { appOverrideSchema, isMapping, merged, stackEntry, type AppFile } from "../settings/apps/file";
import { describeIssue } from "./config-problems";

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
  addonNamespaces: readonly string[],
): { apps: StackApp[]; problems: string[] } {
  const schema = appSchema(addonNamespaces);
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
    const result = schema.safeParse({ ...merged(appFile, override), name: appFile.name });
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
