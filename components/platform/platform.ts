/**
 * The platform: the add-on catalog deployed in dependency order. Each add-on waits for
 * exactly what it `needs` (and the cluster being ready for workloads), so independent
 * add-ons deploy in parallel, where the runbooks ran nine `helm upgrade` calls in a row.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PinnedChart } from "../../lib/pinned-chart";
import {
  SYSTEM_NAMESPACES,
  type AddonDefinition,
  type ClusterIdentity,
  type AddonInputs,
  type PlatformSecrets,
} from "./addon";
import { podSecurityLabels } from "../pod-security";
import type { PodSecurityLevel } from "../../lib/pod-security-standards";
import { ADDONS } from "./catalog";
import { checkGraph, computeWaves } from "../../lib/addon-graph";
import type { AddonKey, ChartAddonKey } from "../../settings/addons/catalog";
import { PlatformAddon } from "./platform-addon";

/** Arguments of {@link Platform}. */
export interface PlatformArgs {
  /** Add-ons switched on. */
  readonly enabled: readonly AddonKey[];
  /** The channel's pins (with any explicit override applied) for the chart add-ons. */
  readonly charts: Readonly<Partial<Record<ChartAddonKey, PinnedChart>>>;
  /** Settings the add-ons read (settings/addons/platform.ts) and the cluster's name and region. */
  readonly settings: AddonInputs;
  /** Secrets the add-ons put into Kubernetes Secrets. */
  readonly secrets: PlatformSecrets;
  /** The cluster's OIDC identity, for IRSA roles. */
  readonly cluster: ClusterIdentity;
  /** What must exist before anything is scheduled (node groups, CoreDNS). */
  readonly clusterReady: pulumi.Resource[];
  /** The catalog. @default - every add-on in `catalog.ts` */
  readonly addons?: readonly AddonDefinition[];
}

const PERMISSIVENESS: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/** The platform add-ons on one cluster. */
export class Platform extends pulumi.ComponentResource {
  /** Enabled add-ons grouped into deployment waves. */
  public readonly waves: AddonKey[][];
  /** Namespaces Slipway created, by name. */
  public readonly namespaces: Record<string, pulumi.Output<string>>;
  /** The enabled add-ons' components, for workloads that need one (an Ingress needs the controller). */
  public readonly addons: Partial<Record<AddonKey, PlatformAddon>>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:k8s:Platform", name, {}, opts);
    const addons = args.addons ?? ADDONS;
    const enabled = new Set<string>(args.enabled);
    const problems = checkGraph(addons, enabled);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`platform add-ons: ${problems.map((p) => p.message).join("; ")}`, this);
    }
    const active = addons.filter((a) => enabled.has(a.key));
    const byKey = new Map(active.map((a) => [a.key, a]));
    this.waves = computeWaves(active);

    // One namespace per distinct name, at the most permissive level any of its add-ons needs.
    const levels = new Map<string, PodSecurityLevel>();
    for (const addon of active) {
      if (SYSTEM_NAMESPACES.has(addon.namespace)) continue;
      const current = levels.get(addon.namespace);
      if (!current || PERMISSIVENESS[addon.podSecurity] > PERMISSIVENESS[current])
        levels.set(addon.namespace, addon.podSecurity);
    }
    this.namespaces = {};
    for (const [namespace, level] of levels) {
      const resource = new k8s.core.v1.Namespace(
        `${name}-ns-${namespace}`,
        {
          metadata: {
            name: namespace,
            labels: { ...podSecurityLabels(level), "app.kubernetes.io/part-of": "slipway" },
          },
        },
        { parent: this },
      );
      this.namespaces[namespace] = resource.metadata.name;
    }

    const deployed = new Map<AddonKey, PlatformAddon>();
    for (const key of this.waves.flat()) {
      const addon = byKey.get(key)!;
      const component = new PlatformAddon(
        `${name}-${key}`,
        { key, description: addon.description, needs: addon.needs },
        { parent: this },
      );
      addon.deploy({
        key,
        name: `${name}-${key}`,
        parent: component,
        namespace: this.namespaces[addon.namespace] ?? addon.namespace,
        chart: (args.charts as Partial<Record<AddonKey, PinnedChart>>)[key],
        dependsOn: [...args.clusterReady, ...addon.needs.map((need) => deployed.get(need)!)],
        settings: args.settings,
        secrets: args.secrets,
        cluster: args.cluster,
      });
      component.done();
      deployed.set(key, component);
    }
    this.addons = Object.fromEntries(deployed);
    this.registerOutputs({ waves: this.waves, namespaces: this.namespaces });
  }
}
