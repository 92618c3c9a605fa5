/**
 * The sourced contract of each third-party chart (`channels/contracts/charts.yaml`): the
 * chart versions whose files were read, the defaults Slipway relies on at those versions,
 * and where in the values each workload's replicas, disruption budget and security
 * contexts live. From a release's values it rebuilds what the chart will run, as Helm
 * merges values (user maps merged into the chart's key by key, anything else replaced:
 * helm.sh/docs/chart_template_guide/values_files), for the Pod Security and
 * disruption-budget rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { PodSpecData } from "./pod-security-standards";

/** The contracts file. */
export const CHART_CONTRACTS_FILE = path.resolve(__dirname, "..", "channels", "contracts", "charts.yaml");

const valuePath = z.string().min(1);
const atPath = z.strictObject({ path: valuePath, default: z.record(z.string(), z.unknown()).default({}) });

const containerSchema = z.strictObject({
  name: z.string(),
  /** An init container. @default false */
  init: z.boolean().default(false),
  /** Where the chart turns the container on or off. @default - always on */
  enabled: z.strictObject({ path: valuePath, default: z.boolean() }).optional(),
  securityContext: atPath,
});

const workloadSchema = z.strictObject({
  name: z.string(),
  /** Namespace the pods run in, when not the release's. @default - the release's */
  namespace: z.string().optional(),
  replicas: z.strictObject({ path: valuePath, default: z.number().int().min(0) }).optional(),
  disruptionBudget: z
    .strictObject({
      path: valuePath,
      /** Key under `path` that turns the budget on; without one, any non-empty value does. */
      enabled: z.string().optional(),
      default: z.record(z.string(), z.unknown()).default({}),
      /** minAvailable the chart's template writes when neither bound is set. */
      impliedMinAvailable: z.number().int().optional(),
    })
    .optional(),
  securityContext: atPath.optional(),
  containers: z.array(containerSchema).default([]),
});

/** A value Slipway must set because the chart's default is wrong on EKS. */
const requirementSchema = z.strictObject({
  path: valuePath,
  value: z.unknown(),
  /** The chart's own default at the verified versions. */
  default: z.unknown(),
  /** What goes wrong with the default, and the source that says so. */
  reason: z.string().min(10),
});

/** A PersistentVolumeClaim the chart creates. */
const volumeSchema = z.strictObject({
  /** What it holds, for the cost estimate's line. */
  label: z.string(),
  /** The workload whose replicas each get a claim. @default - one claim */
  workload: z.string().optional(),
  /** Where the chart turns the volume on. @default - on whenever a size is set */
  enabled: z.strictObject({ path: valuePath, default: z.boolean() }).optional(),
  /** The requested size (`10Gi`); no volume when unset and without a default. */
  size: z.strictObject({ path: valuePath, default: z.string().optional() }),
  /** The storage class name. @default - the cluster's default class */
  storageClass: valuePath.optional(),
});

/** A Service the chart creates, a load balancer when its type is `LoadBalancer`. */
const loadBalancerSchema = z.strictObject({
  label: z.string(),
  enabled: z.strictObject({ path: valuePath, default: z.boolean() }),
  type: z.strictObject({ path: valuePath, default: z.string() }),
  /** Where the Service's annotations are (they pick the AWS load balancer type). */
  annotations: valuePath,
});

/** What a chart makes AWS bill for. */
const billableSchema = z.strictObject({
  volumes: z.array(volumeSchema).default([]),
  loadBalancers: z.array(loadBalancerSchema).default([]),
});

/** One image a chart pulls, and how its values name it (lib/image-mirror.ts redirects it). */
const chartImageSchema = z.strictObject({
  /** Values path of the chart's image object (its `repository`, `tag` and digest keys). */
  values: valuePath,
  /** What the chart pulls by default: registry and repository, without tag. */
  upstream: z.string().min(1),
  /** The tag the chart pulls at the verified version (its appVersion when it leaves `tag` empty). */
  tag: z.string().min(1),
  /** Whether the image object has its own `registry` key; else `repository` holds the whole path. */
  registryKey: z.boolean(),
  /**
   * Whether the template puts the values' `global.imageRegistry` before the image's own
   * registry (`.Values.global.imageRegistry | default ...registry`). @default false
   */
  globalRegistry: z.boolean().default(false),
  /**
   * How the chart's template appends a digest: `sha-hex` (key `sha`, bare hex after
   * `@sha256:`), `sha` or `digest` (that key, the whole `sha256:...`), or `tag` (no digest
   * key: the tag carries it, `v1.2.3@sha256:...`).
   */
  digest: z.enum(["sha-hex", "sha", "digest", "tag"]),
});

/** Every image a chart pulls under Slipway's values, at the versions read. */
const chartImagesSchema = z.strictObject({
  verified: z.array(z.string().min(1)).min(1),
  source: z.string().min(5),
  list: z.array(chartImageSchema),
  /** Images the chart pulls that no value redirects (air-gapped stacks refuse the chart). @default [] */
  unredirectable: z.array(z.string()).default([]),
  /**
   * Images of the chart's test hooks (`helm.sh/hook: test` pods), written into its templates.
   * Only `helm test` creates those pods; install, upgrade and rollback skip test hooks
   * (Helm docs, "Chart Tests"), so a deploy never pulls them and air-gapped stacks do not
   * refuse the chart for them, but `helm test` of the release cannot run air-gapped.
   * @default []
   */
  testHooks: z.array(z.string()).default([]),
});

const contractSchema = z.strictObject({
  chart: z.string(),
  verified: z.array(z.string().min(1)).min(1),
  source: z.string().min(10),
  /** Why the namespace is not restricted, where it is not. @default - none */
  reason: z.string().optional(),
  /** What deleting the release loses (volumes, CRDs and their objects). @default - nothing */
  holds: z.string().optional(),
  workloads: z.array(workloadSchema),
  /** Values the chart's defaults get wrong on EKS. @default [] */
  requires: z.array(requirementSchema).default([]),
  /** What the chart makes AWS bill for; required, so a new chart cannot silently cost nothing. */
  billable: billableSchema,
  /** Every image the chart pulls; required, so an air-gapped stack knows what to mirror. */
  images: chartImagesSchema,
});

const fileSchema = z.strictObject({ charts: z.record(z.string(), contractSchema) });

/** One chart's contract. */
export type ChartContract = z.infer<typeof contractSchema>;
/** What a chart makes AWS bill for. */
export type ChartBillable = z.infer<typeof billableSchema>;
/** One image a chart pulls. */
export type ChartImage = z.infer<typeof chartImageSchema>;
/** Every image a chart pulls. */
export type ChartImages = z.infer<typeof chartImagesSchema>;
/** One workload a chart runs. */
export type ChartWorkload = z.infer<typeof workloadSchema>;

let cache: Readonly<Record<string, ChartContract>> | undefined;

/** Every contract by add-on key; the file is validated on first use, and a broken file is an error naming it. */
export function chartContracts(file = CHART_CONTRACTS_FILE): Readonly<Record<string, ChartContract>> {
  if (file === CHART_CONTRACTS_FILE && cache) return cache;
  const parsed = fileSchema.safeParse(parseYaml(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`${path.basename(file)} is not a valid chart contract file: ${problems}`);
  }
  if (file === CHART_CONTRACTS_FILE) cache = parsed.data.charts;
  return parsed.data.charts;
}

/**
 * Why a pin falls outside its chart's contract, or undefined when the contract covers it:
 * the chart must be the one the contract was read from, at a verified version.
 */
export function pinOutsideContract(key: string, pin: { chart: string; version: string }): string | undefined {
  const contract = chartContracts()[key];
  if (!contract)
    return `${key} has no contract in channels/contracts/charts.yaml: read the chart's values.yaml and add one`;
  if (contract.chart !== pin.chart) {
    return `${key} is pinned to chart ${pin.chart}, but its contract was read from chart ${contract.chart}`;
  }
  if (contract.verified.includes(pin.version)) return undefined;
  return (
    `${pin.chart} ${pin.version} is not among the versions whose values were verified for ${key} ` +
    `(${contract.verified.join(", ")}): read ${contract.source.split(" ")[0]} at ${pin.version} ` +
    `(security contexts, replicas, disruption budget), update channels/contracts/charts.yaml and add the version to verified`
  );
}

/** The value at a contract path (`a.b`, `containers[name=x]`), or undefined. */
export function valueAt(values: unknown, dotted: string): unknown {
  let value = values;
  for (const segment of dotted.split(".")) {
    const match = /^([^[]+)\[name=([^\]]+)\]$/.exec(segment);
    const key = match?.[1] ?? segment;
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (match)
      value = Array.isArray(value) ? value.find((item) => (item as { name?: unknown })?.name === match[2]) : undefined;
  }
  return value;
}

/** Helm's merge of user values into chart defaults: maps key by key, everything else replaced, null deletes. */
export function mergeValues(defaults: unknown, user: unknown): unknown {
  if (user === undefined) return defaults;
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(user)) return user;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(defaults[key], value);
  }
  return merged;
}

/** A pod a chart will run, rebuilt from the contract and the release's values. */
export interface ChartPod {
  /** Workload name in the contract. */
  readonly workload: string;
  /** Namespace of the pod, when not the release's. */
  readonly namespace?: string;
  /** The pod spec's security-relevant parts. */
  readonly spec: PodSpecData;
}

/** The contract's required values that these values (merged over the defaults) do not set. */
export function unmetRequirements(contract: ChartContract, values: unknown): ChartContract["requires"] {
  return contract.requires.filter((r) => {
    const given = valueAt(values, r.path);
    return JSON.stringify(given === undefined ? r.default : given) !== JSON.stringify(r.value);
  });
}

/** The pods of a chart, with the security contexts they get from defaults plus values. */
export function chartPods(contract: ChartContract, values: unknown): ChartPod[] {
  return contract.workloads.map((workload) => {
    const on = workload.containers.filter((c) =>
      c.enabled ? mergeValues(c.enabled.default, valueAt(values, c.enabled.path)) === true : true,
    );
    const container = (c: (typeof on)[number]) => ({
      name: c.name,
      securityContext: mergeValues(c.securityContext.default, valueAt(values, c.securityContext.path)),
    });
    const spec: PodSpecData = {
      securityContext: workload.securityContext
        ? mergeValues(workload.securityContext.default, valueAt(values, workload.securityContext.path))
        : {},
      containers: on.filter((c) => !c.init).map(container),
      initContainers: on.filter((c) => c.init).map(container),
    };
    return { workload: workload.name, namespace: workload.namespace, spec };
  });
}

/** A disruption budget a chart will create, with the replicas it guards. */
export interface ChartBudget {
  /** Workload name in the contract. */
  readonly workload: string;
  /** Pods the workload runs. */
  readonly replicas: number;
  /** The budget's minAvailable, if set. */
  readonly minAvailable?: number | string;
  /** The budget's maxUnavailable, if set. */
  readonly maxUnavailable?: number | string;
}

/** The disruption budgets a chart will create from these values (only the enabled ones). */
export function chartBudgets(contract: ChartContract, values: unknown): ChartBudget[] {
  return contract.workloads.flatMap((workload): ChartBudget[] => {
    const budget = workload.disruptionBudget;
    if (!budget) return [];
    const settings = mergeValues(budget.default, valueAt(values, budget.path)) as Record<string, unknown> | undefined;
    const enabled = budget.enabled ? settings?.[budget.enabled] === true : Object.keys(settings ?? {}).length > 0;
    if (!enabled || !settings) return [];
    const replicas = Number(
      workload.replicas ? (valueAt(values, workload.replicas.path) ?? workload.replicas.default) : 1,
    );
    const bound = (v: unknown) => (typeof v === "number" || typeof v === "string" ? v : undefined);
    const minAvailable = bound(settings.minAvailable);
    const maxUnavailable = bound(settings.maxUnavailable);
    return [
      {
        workload: workload.name,
        replicas,
        minAvailable: minAvailable ?? (maxUnavailable === undefined ? budget.impliedMinAvailable : undefined),
        maxUnavailable,
      },
    ];
  });
}

/**
 * Pods a budget lets the eviction API take at `replicas`: 0 blocks every node drain
 * (kubernetes.io/docs/tasks/run-application/configure-pdb: "if you set maxUnavailable to
 * 0% or 0, or you set minAvailable to 100% or the number of replicas, you are requiring
 * zero voluntary evictions"). Percentages round up for both, as the disruption controller
 * scales them (kubernetes pkg/controller/disruption/disruption.go, GetScaledValueFromIntOrPercent
 * with roundUp true).
 */
export function evictablePods(
  replicas: number,
  bounds: { minAvailable?: number | string; maxUnavailable?: number | string },
): number {
  const count = (v: number | string) =>
    typeof v === "string" && v.endsWith("%") ? Math.ceil((Number(v.slice(0, -1)) / 100) * replicas) : Number(v);
  if (bounds.maxUnavailable !== undefined) return Math.min(replicas, count(bounds.maxUnavailable));
  if (bounds.minAvailable !== undefined) return Math.max(0, replicas - count(bounds.minAvailable));
  return replicas;
}
