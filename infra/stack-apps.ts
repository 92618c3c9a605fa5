/**
 * The apps a stack runs: its app files (infra/app-files.ts), each resolved for the stack
 * (infra/app-file-checks.ts) and tied to its channel, secrets and add-ons
 * (settings/apps/stack.ts), with every problem as one line naming the file.
 */
import * as path from "node:path";
import { DEFAULT_APP_DIRECTORY, resolveApps, type AddonNamespaces } from "../settings/apps/stack";
import { hostClashes } from "../settings/apps/hosts";
import { appsForStack, type StackApp } from "./app-file-checks";
import { readAppFiles, type AppFiles } from "./app-files";
import { formatKeyPath, valueAt } from "./config-problems";
import { listStacks, type RawStackConfig } from "./stack-file";
import type { ResolvedPlatform } from "./schema/platform";
import type { AddonKey } from "../lib/addon-keys";
import type { PinnedImage } from "./schema/channel";
import type { AppSettings } from "../settings/apps/app";
import { CATALOG } from "../components/platform/catalog";
import { itemAt } from "../lib/item-at";

/** An app as the stack runs it. */
export type ResolvedApp = AppSettings & { readonly pinnedImage: PinnedImage; readonly file: string };

/** The namespace each platform add-on deploys into, from its definition. */
const ADDON_NAMESPACES = Object.fromEntries(
  Object.values(CATALOG).map((addon) => [addon.key, addon.namespace]),
) as AddonNamespaces;

/** The project directory: `infra/` sits in it, as Pulumi.yaml's `main: infra/index.ts` says. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The app files a stack reads, and the stacks their `stacks:` entries may name. */
export interface AppSource {
  readonly appFiles: AppFiles;
  readonly knownStacks: readonly string[];
}

/** The app files in this project's folder for them, as the stack config names it. */
export function projectAppSource(raw: RawStackConfig): AppSource {
  const written = valueAt(raw, ["slipway:apps", "directory"]);
  const directory = typeof written === "string" ? written : DEFAULT_APP_DIRECTORY;
  return { appFiles: readAppFiles(PROJECT_ROOT, directory), knownStacks: listStacks(PROJECT_ROOT) };
}

/** The old form of `slipway:apps`, a list of apps in the stack file. */
export const APP_LIST_PROBLEM =
  "slipway:apps: apps are files now, one per app: move each entry to apps/<name>.yaml without its name: key, " +
  "put what differs per stack under stacks.<stack>:, and take the list out of the stack file (docs/apps.md)";

/** The apps the stack runs, tied to its channel, secrets and add-ons, with every problem as one line. */
export function stackAppsOf(
  source: AppSource,
  stack: string,
  tie: {
    platform?: ResolvedPlatform;
    enabledAddons: readonly AddonKey[];
    appSecretKeys: ReadonlySet<string>;
    /** `slipway:apps.domain`: every app host must be it or lie under it. */
    domain?: string;
  },
): { apps: ResolvedApp[]; problems: string[] } {
  const knownStacks = [...new Set([...source.knownStacks, stack])].sort();
  const { apps, problems } = appsForStack(source.appFiles.files, stack, knownStacks, Object.values(ADDON_NAMESPACES));
  const at = (app: StackApp, keyPath: readonly PropertyKey[]) =>
    `${app.file}: ${formatKeyPath([...(keyPath[0] === undefined ? [] : app.origin(keyPath[0])), ...keyPath])}`;
  const tied = resolveApps(
    apps.map((app) => app.settings),
    {
      images: tie.platform?.channel.images,
      channelFile: tie.platform?.channelFile,
      enabledAddons: tie.enabledAddons,
      addonNamespaces: ADDON_NAMESPACES,
      appSecretKeys: tie.appSecretKeys,
      domain: tie.domain,
    },
    (index) => itemAt(apps, index, "app").file,
  );
  return {
    // An app without a pinned image has a problem above, which stops the stack.
    apps: apps.flatMap((app, index) => {
      const pinnedImage = tied.pinned[index];
      return pinnedImage ? [{ ...app.settings, pinnedImage, file: app.file }] : [];
    }),
    problems: [
      ...source.appFiles.problems,
      ...problems,
      ...hostClashes(source.appFiles.files, knownStacks, stack),
      ...tied.problems.map(({ app, path: keyPath, message }) => `${at(itemAt(apps, app, "app"), keyPath)}: ${message}`),
    ],
  };
}
