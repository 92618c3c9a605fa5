/**
 * What ties the apps to the rest of their stack: the channel that pins their images, the
 * secrets they name, the platform add-ons they rely on, the namespaces they admit and the
 * routes they serve.
 */
import { z } from "zod";
import type { AddonKey } from "../../lib/addon-keys";
import { closest } from "../../lib/did-you-mean";
import { dnsName, strictObject } from "../common";
import { KUBERNETES_NAMESPACES, type AppSettings } from "./app";

/** Where the app files are by default, relative to the project directory. */
export const DEFAULT_APP_DIRECTORY = "apps";

/** `slipway:apps` in the stack file: where the stack's app files are, and the domain they serve. */
export const appsSectionSchema = strictObject({
  /**
   * Folder of the app files, one `<name>.yaml` per application (docs/apps.md), relative
   * to the project directory. @default "apps"
   */
  directory: z.string().min(1).default(DEFAULT_APP_DIRECTORY),
  /**
   * The stack's domain: every app's ingress host must be it or a name under it, so a
   * staging host cannot end up in production's file by mistake. @default - any host
   */
  domain: dnsName.optional(),
}).prefault({});

/** The namespace each platform add-on deploys into, by add-on. */
export type AddonNamespaces = Readonly<Record<AddonKey, string>>;

/** A problem with one app, at a key path inside it. */
export interface AppProblem {
  /** Index of the app in the list given. */
  readonly app: number;
  /** Key path inside the app, e.g. `["secretEnv", "STRIPE_KEY"]`. */
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Ties the apps to the rest of the stack: each image pinned by the channel, each secret
 * env entry present in `slipway:appSecrets`, the platform add-ons an app relies on
 * switched on, and no public route served twice. Returns each app's pinned image, in
 * order, and the problems.
 */
export function resolveApps<Image>(
  apps: readonly AppSettings[],
  stack: {
    readonly images: Readonly<Record<string, Image>> | undefined;
    readonly channelFile: string | undefined;
    readonly enabledAddons: readonly AddonKey[];
    /** The namespace each platform add-on deploys into. */
    readonly addonNamespaces: AddonNamespaces;
    readonly appSecretKeys: ReadonlySet<string>;
    readonly domain?: string;
  },
  describeApp: (index: number) => string,
): { pinned: Array<Image | undefined>; problems: AppProblem[] } {
  const pinned: Array<Image | undefined> = [];
  const problems: AppProblem[] = [];
  const routes = new Map<string, number>();
  const namespaces = stackNamespaces(apps, stack.enabledAddons, stack.addonNamespaces);
  apps.forEach((app, index) => {
    const problem = (path: PropertyKey[], message: string) => problems.push({ app: index, path, message });
    const image = stack.images?.[app.image];
    if (stack.images && !image) {
      problem(
        ["image"],
        `"${app.image}" has no digest in ${stack.channelFile}; images there: ${Object.keys(stack.images).join(", ") || "none"}`,
      );
    }
    pinned.push(image);
    for (const [variable, key] of Object.entries(app.secretEnv)) {
      if (!stack.appSecretKeys.has(key)) {
        problem(
          ["secretEnv", variable],
          `refers to "${key}", which slipway:appSecrets does not hold: pulumi config set --secret --path 'slipway:appSecrets.${key}' <value>`,
        );
      }
    }
    const needs: Array<[keyof AppSettings, AddonKey, string]> = [
      ["ingress", "ingress-controllers", "an ingress"],
      ["ingress", "cluster-issuers", "a TLS certificate"],
      ["metrics", "prometheus-operator-crds", "a ServiceMonitor"],
    ];
    for (const [key, addon, what] of needs) {
      if (app[key] !== undefined && !stack.enabledAddons.includes(addon)) {
        problem([key], `needs ${what}, but the ${addon} add-on is disabled`);
      }
    }
    app.allowFrom.forEach((peer, i) => {
      const problem = namespaceProblem(peer.namespace, namespaces);
      if (problem) problems.push({ app: index, path: ["allowFrom", i, "namespace"], message: problem });
    });
    const host = app.ingress?.host;
    if (host && stack.domain && host !== stack.domain && !host.endsWith(`.${stack.domain}`)) {
      problem(
        ["ingress", "host"],
        `${host} is not under slipway:apps.domain ${stack.domain}, the stack's domain: use ${stack.domain} or a name under it, like ${host.split(".")[0]}.${stack.domain}`,
      );
    }
    if (app.ingress) {
      const route = `${app.ingress.host}${app.ingress.path}`;
      const first = routes.get(route);
      if (first === undefined) routes.set(route, index);
      else problem(["ingress"], `${route} is already served by ${describeApp(first)}`);
    }
  });
  return { pinned, problems };
}

/**
 * The namespaces that exist in a stack: each app's (an app's name is its namespace), each
 * enabled add-on's, and those Kubernetes creates itself (kubernetes.io, "Namespaces",
 * initial namespaces).
 */
function stackNamespaces(
  apps: readonly AppSettings[],
  enabledAddons: readonly AddonKey[],
  addonNamespaces: AddonNamespaces,
): string[] {
  return [
    ...new Set([
      ...apps.map((a) => a.name),
      ...enabledAddons.map((key) => addonNamespaces[key]),
      ...KUBERNETES_NAMESPACES,
    ]),
  ];
}

/**
 * Why a peer namespace of `allowFrom` would admit nobody (no app of this stack and no
 * enabled add-on runs there, so it is empty, or whoever creates it later gets in), or
 * undefined when something of the stack owns it.
 */
function namespaceProblem(namespace: string, namespaces: readonly string[]): string | undefined {
  if (namespaces.includes(namespace)) return undefined;
  const near = closest(namespace, namespaces);
  return (
    `"${namespace}" is no namespace of this stack: no app of that name runs here and no enabled add-on uses it, ` +
    `so the rule admits nobody (or whoever creates it later)${near ? `; did you mean ${near}?` : ""} namespaces: ${namespaces.join(", ")}`
  );
}
