/**
 * Every platform add-on as plain data, one entry each: its key (also its Helm release
 * name), what it is for, the namespace it runs in and that namespace's Pod Security level,
 * the add-ons it needs first, whether a Helm chart installs it, and the settings it reads
 * from `slipway:platform`, with their defaults. Pulumi-free, so checking a stack file never
 * loads a component; components/platform/catalog.ts gives each key its deploy function.
 *
 * A chart add-on (`chart: true`) is pinned under `charts.<key>` in every release channel
 * (channels/*.yaml) and described under the same key in channels/contracts/charts.yaml.
 */
import { z } from "zod";
import type { PodSecurityLevel } from "../../lib/pod-security-standards";
import { dnsLabel, dnsName, strictObject } from "../common";

/** Where an add-on's settings sit in `slipway:platform`, and their schema. */
export interface AddonSettings {
  /** Key under `slipway:platform`, e.g. `monitoring`. */
  readonly section: string;
  /** The section's schema, with its defaults. */
  readonly schema: z.ZodType;
}

/** The facts of one add-on; `K` is the type of the add-on keys, so `needs` is typed. */
export interface AddonFacts<K extends string = string> {
  /** Typed key; also the Helm release name and its chart contract's key. */
  readonly key: K;
  /** What it is for, shown in the plan. */
  readonly description: string;
  /** Namespace its namespaced objects go in. */
  readonly namespace: string;
  /** Pod Security level of that namespace (ignored for kube-system, which Slipway does not own). */
  readonly podSecurity: PodSecurityLevel;
  /** What must be ready first. Only real needs: anything else serialises for nothing. */
  readonly needs: readonly K[];
  /** Installed from a Helm chart: a channel pins it and a chart contract describes it. */
  readonly chart: boolean;
  /** Its settings in `slipway:platform`. @default - none */
  readonly settings?: AddonSettings;
}

/**
 * Prometheus retention and volume.
 * @see https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-72.6.2/charts/kube-prometheus-stack/values.yaml (prometheus.prometheusSpec.retention, storageSpec)
 */
const monitoringSettings = strictObject({
  /** Days Prometheus keeps samples. @default 15 */
  retentionDays: z.int().min(1).max(365).default(15),
  /** Size of Prometheus' gp3 volume. @default 50 */
  storageGiB: z.int().min(10).max(16384).default(50),
}).prefault({});

/**
 * Where certificates come from and how ACME challenges are solved.
 * @see https://cert-manager.io/docs/configuration/acme/ (ACME issuers, HTTP-01 and DNS-01 solvers)
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/ (the Route 53 solver's zone and IRSA role)
 */
const certificateSettings = strictObject({
  /** ACME account email. @default - none; required when cluster-issuers is on with an ACME issuer */
  acmeEmail: z.email({ message: "must be an email address for the ACME account" }).optional(),
  /** ACME challenge solver (ACME issuers only). @default "http01" */
  solver: z.enum(["http01", "route53"]).default("http01"),
  /** Hosted zone for DNS-01 through Route 53. @default - none; required for the route53 solver */
  route53HostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, { message: "must be a Route 53 hosted zone id like Z0123456789ABC" })
    .optional(),
  /**
   * The ClusterIssuer apps' certificates come from: Let's Encrypt (ACME, over the
   * internet), or `private-ca`, a CA kept in cert-manager (air-gapped stacks).
   * @default "letsencrypt-production"
   */
  issuer: z.enum(["letsencrypt-staging", "letsencrypt-production", "private-ca"]).default("letsencrypt-production"),
}).prefault({});

/**
 * The runner scale set and the GitHub App it registers with.
 * @see https://github.com/actions/actions-runner-controller/blob/gha-runner-scale-set-0.11.0/charts/gha-runner-scale-set/values.yaml (githubConfigUrl, runnerScaleSetName, minRunners, maxRunners)
 */
const runnerSettings = strictObject({
  /** Organisation or repository URL the runners register with. @default - none; required when gha-runners is on */
  githubConfigUrl: z
    .string()
    .regex(/^https:\/\/[\w.-]+(:\d+)?\/[\w.-]+(\/[\w.-]+)?$/, {
      message:
        "must be a GitHub or GitHub Enterprise Server org or repository URL, like https://github.com/example-org",
    })
    .optional(),
  /** GitHub App id. @default - none; required when gha-runners is on */
  githubAppId: z.int().positive().optional(),
  /** GitHub App installation id. @default - none; required when gha-runners is on */
  githubAppInstallationId: z.int().positive().optional(),
  /** Runner scale set name (the `runs-on` label). @default "slipway" */
  scaleSetName: dnsLabel.default("slipway"),
  /** Idle runners kept warm. @default 0 */
  minRunners: z.int().min(0).default(0),
  /** Most runners at once. @default 5 */
  maxRunners: z.int().min(1).max(1000).default(5),
})
  .prefault({})
  .refine((r) => r.minRunners <= r.maxRunners, {
    message: "minRunners must not exceed maxRunners",
    path: ["minRunners"],
  });

/**
 * Grafana's volume.
 * @see https://github.com/grafana/helm-charts/blob/grafana-9.2.2/charts/grafana/values.yaml (persistence.size)
 */
const grafanaSettings = strictObject({
  /** Size of Grafana's gp3 volume. @default 10 */
  storageGiB: z.int().min(1).max(1024).default(10),
}).prefault({});

/**
 * Where the demo release answers.
 * @see https://github.com/stefanprodan/podinfo/blob/6.9.0/charts/podinfo/values.yaml (ingress.hosts)
 */
const exampleServicesSettings = strictObject({
  /** Host of the demo release's Ingress. */
  host: dnsName,
}).optional();

/** The catalog, in no particular order (the graph decides the order). */
const ADDON_TABLE = [
  {
    key: "storage-class",
    description: "gp3 default StorageClass (EBS CSI, encrypted)",
    namespace: "kube-system",
    podSecurity: "privileged",
    needs: [],
    chart: false,
  },
  {
    key: "metrics-server",
    description: "resource metrics API for the HPAs",
    namespace: "kube-system",
    podSecurity: "privileged",
    needs: [],
    chart: true,
  },
  {
    key: "prometheus-operator-crds",
    description: "ServiceMonitor, PrometheusRule and the other Prometheus Operator CRDs",
    namespace: "monitoring",
    podSecurity: "privileged",
    needs: [],
    chart: true,
  },
  {
    key: "cluster-monitoring",
    description: "Prometheus and Alertmanager (kube-prometheus-stack)",
    namespace: "monitoring",
    podSecurity: "privileged",
    needs: ["prometheus-operator-crds", "storage-class"],
    chart: true,
    settings: { section: "monitoring", schema: monitoringSettings },
  },
  {
    key: "alert-rules",
    description: "the platform's PrometheusRules (CPU, database and Redis connections, restarts)",
    namespace: "monitoring",
    podSecurity: "privileged",
    needs: ["prometheus-operator-crds"],
    chart: false,
  },
  {
    key: "cert-manager",
    description: "certificate automation (with its CRDs)",
    namespace: "cert-manager",
    podSecurity: "restricted",
    // Only the CRDs, for its ServiceMonitor: not the whole monitoring stack.
    needs: ["prometheus-operator-crds"],
    chart: true,
    // The issuers read them too; the solver decides cert-manager's own IRSA role.
    settings: { section: "certificates", schema: certificateSettings },
  },
  {
    key: "cluster-issuers",
    description: "Let's Encrypt staging and production ClusterIssuers",
    namespace: "cert-manager",
    podSecurity: "restricted",
    needs: ["cert-manager"],
    chart: false,
  },
  {
    key: "ingress-controllers",
    description: "Traefik behind an NLB, the default IngressClass",
    namespace: "traefik",
    podSecurity: "restricted",
    // For its ServiceMonitor. It does not need the issuers: certificates are per Ingress.
    needs: ["prometheus-operator-crds"],
    chart: true,
  },
  {
    key: "gha-runners-controller",
    description: "GitHub Actions Runner Controller",
    namespace: "arc-systems",
    podSecurity: "restricted",
    needs: [],
    chart: true,
  },
  {
    key: "gha-runners",
    description: "runner scale set for CI jobs",
    namespace: "arc-runners",
    // Runner pods without docker-in-docker fit baseline; dind would need privileged (ARC #792).
    podSecurity: "baseline",
    needs: ["gha-runners-controller"],
    chart: true,
    settings: { section: "runners", schema: runnerSettings },
  },
  {
    key: "grafana-stack",
    description: "Grafana with the platform dashboard",
    namespace: "grafana",
    // The chart's init container chowns the volume as root: baseline, not restricted.
    podSecurity: "baseline",
    // Prometheus for its data source, gp3 for its volume: not cert-manager, not the ingress.
    needs: ["cluster-monitoring", "storage-class"],
    chart: true,
    settings: { section: "grafana", schema: grafanaSettings },
  },
  {
    key: "example-services",
    description: "demo release behind the ingress with a TLS certificate",
    namespace: "example-services",
    podSecurity: "restricted",
    needs: ["ingress-controllers", "cluster-issuers"],
    chart: true,
    settings: { section: "exampleServices", schema: exampleServicesSettings },
  },
] as const satisfies readonly AddonFacts[];

type Entry = (typeof ADDON_TABLE)[number];

/** Name of a platform add-on. */
export type AddonKey = Entry["key"];

/** Name of an add-on installed from a Helm chart. */
export type ChartAddonKey = Extract<Entry, { readonly chart: true }>["key"];

/** Every add-on, typed: a `needs` entry that names no add-on is a compile error here. */
export const ADDONS: readonly AddonFacts<AddonKey>[] = ADDON_TABLE;

/** Every add-on by key. */
export const ADDON_FACTS = Object.fromEntries(ADDONS.map((a) => [a.key, a])) as Readonly<
  Record<AddonKey, AddonFacts<AddonKey>>
>;

/** Every add-on key, in catalog order. */
export const ADDON_KEYS = ADDON_TABLE.map((a) => a.key) as readonly AddonKey[] as readonly [AddonKey, ...AddonKey[]];

/** True when the add-on is installed from a Helm chart. */
export function isChartAddon(key: AddonKey): key is ChartAddonKey {
  return ADDON_FACTS[key].chart;
}

/** The add-ons installed from a Helm chart, in catalog order; a release channel pins each. */
export const CHART_ADDON_KEYS: readonly ChartAddonKey[] = ADDON_KEYS.filter(isChartAddon);

type SettingsEntry = Extract<Entry, { readonly settings: AddonSettings }>;

/** The add-ons' settings sections of `slipway:platform`, by section name. */
export type AddonSettingsShape = { [E in SettingsEntry as E["settings"]["section"]]: E["settings"]["schema"] };

/** The add-ons' sections of `slipway:platform`, in catalog order, for the platform schema. */
export const ADDON_SETTINGS_SHAPE = Object.fromEntries(
  ADDON_TABLE.flatMap((a) => ("settings" in a ? [[a.settings.section, a.settings.schema]] : [])),
) as AddonSettingsShape;

/** The validated settings of each add-on section, by section name. */
export type AddonSettingsValues = { [S in keyof AddonSettingsShape]: z.output<AddonSettingsShape[S]> };
