/**
 * Pricers for Kubernetes objects that make AWS bill: persistent volumes (EBS, through
 * the EBS CSI driver and the stack's StorageClass) and Services of type LoadBalancer.
 * Helm releases are priced from {@link CHART_BILLABLES}; objects the program declares
 * itself are read directly.
 */
import type { RecordedResource } from "../../harness/record";
import { valueAt, type ChartBillable, type ChartContract } from "../../lib/chart-contracts";
import { chartContracts } from "../../infra/chart-contracts";
import { gibibytes, unit, type Pricer, type PricingContext } from "./model";

const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** A map of dotted keys (annotations, tags) at a path, or an empty one. */
function labelsAt(value: unknown, dotted: string): Record<string, unknown> {
  const found = valueAt(value, dotted);
  return found !== null && typeof found === "object" ? (found as Record<string, unknown>) : {};
}

/** The EBS volume type behind a storage class the stack declares (or its default class). */
function volumeTypeOf(className: unknown, context: PricingContext): string | undefined {
  const classes = context.record.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
  const found = classes.find((c) =>
    className === undefined
      ? labelsAt(c.inputs, "metadata.annotations")[DEFAULT_CLASS_ANNOTATION] === "true"
      : valueAt(c.inputs, "metadata.name") === className,
  );
  const type = valueAt(found?.inputs, "parameters.type");
  return typeof type === "string" ? type : undefined;
}

function priceVolume(
  resource: RecordedResource,
  context: PricingContext,
  volume: { label: string; size: unknown; storageClass: unknown; count: number },
): void {
  const size = gibibytes(volume.size);
  if (size === undefined)
    return context.unpriced(resource, `${volume.label}: size ${String(volume.size)} is not a quantity`);
  const type = volumeTypeOf(volume.storageClass, context);
  const perGib = type === undefined ? undefined : context.prices.ebs.gibMonth[type];
  if (perGib === undefined) {
    return context.unpriced(
      resource,
      `${volume.label}: storage class ${String(volume.storageClass ?? "(default)")} has no EBS price`,
    );
  }
  context.line(resource, {
    item: volume.label,
    spec: `${volume.count} × ${size} GiB ${type}`,
    monthly: volume.count * size * perGib,
  });
}

/**
 * Public subnets a load balancer spans: the ones tagged for discovery, `kubernetes.io/role/elb`
 * (EKS docs, "Route internet traffic with AWS Load Balancer Controller": subnet tagging).
 */
function publicZones(context: PricingContext): number {
  return context.record.resources.filter(
    (r) => r.type === "aws:ec2/subnet:Subnet" && labelsAt(r.inputs, "tags")["kubernetes.io/role/elb"] === "1",
  ).length;
}

/**
 * A Service of type LoadBalancer: an NLB with `aws-load-balancer-type: nlb` or `external`,
 * otherwise the in-tree controller's Classic Load Balancer (kubernetes/cloud-provider-aws,
 * docs/service_controller.md, `service.beta.kubernetes.io/aws-load-balancer-type`); an
 * internet-facing one holds a public IPv4 address per subnet it is enabled in (Elastic Load
 * Balancing docs, "Network Load Balancers": one node and address per enabled zone).
 */
function priceLoadBalancer(
  resource: RecordedResource,
  context: PricingContext,
  label: string,
  annotations: unknown,
): void {
  const notes = (annotations ?? {}) as Record<string, string>;
  const network = ["nlb", "external"].includes(notes["service.beta.kubernetes.io/aws-load-balancer-type"] ?? "");
  const { elb, vpc } = context.prices;
  context.line(resource, {
    item: `${label} load balancer`,
    spec: network ? "Network Load Balancer" : "Classic Load Balancer",
    monthly: (network ? elb.networkHour : elb.classicHour) * context.prices.hoursPerMonth,
  });
  context.assume(
    network ? "Network Load Balancer capacity units" : "Classic Load Balancer data processed",
    network ? unit(elb.networkCapacityUnitHour, "NLCU-hour") : unit(elb.classicGib, "GiB"),
    resource,
  );
  const internal =
    notes["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal" ||
    notes["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true";
  const zones = publicZones(context);
  if (internal || zones === 0) return;
  context.line(resource, {
    item: `${label} load balancer addresses`,
    spec: `${zones} public IPv4 (one per public subnet)`,
    monthly: zones * vpc.publicIpv4Hour * context.prices.hoursPerMonth,
  });
}

/** The value at a path of the release's values, or the chart's default there. */
function valueOr(values: unknown, dotted: string | undefined, fallback: unknown): unknown {
  const value = dotted === undefined ? undefined : valueAt(values, dotted);
  return value === undefined ? fallback : value;
}

type ContractVolume = ChartBillable["volumes"][number];
type ContractLoadBalancer = ChartBillable["loadBalancers"][number];

/** A chart's claims: one per replica of the workload it belongs to (the contract says where replicas are). */
function chartVolume(
  resource: RecordedResource,
  context: PricingContext,
  release: ChartRelease,
  volume: ContractVolume,
) {
  const { values, contract } = release;
  const size = valueOr(values, volume.size.path, volume.size.default);
  const enabled = volume.enabled ? valueOr(values, volume.enabled.path, volume.enabled.default) : size !== undefined;
  if (enabled !== true || size === undefined) return;
  const replicas = contract.workloads.find((w) => w.name === volume.workload)?.replicas;
  const count = Number(replicas ? valueOr(values, replicas.path, replicas.default) : 1);
  priceVolume(resource, context, {
    label: volume.label,
    size,
    storageClass: valueOr(values, volume.storageClass, undefined),
    count,
  });
}

function chartLoadBalancer(
  resource: RecordedResource,
  context: PricingContext,
  values: unknown,
  lb: ContractLoadBalancer,
) {
  if (valueOr(values, lb.enabled.path, lb.enabled.default) !== true) return;
  if (valueOr(values, lb.type.path, lb.type.default) !== "LoadBalancer") return;
  priceLoadBalancer(resource, context, lb.label, valueAt(values, lb.annotations));
}

/** A release with the contract of its chart (channels/contracts/charts.yaml). */
interface ChartRelease {
  readonly values: unknown;
  readonly contract: ChartContract;
}

const helmRelease: Pricer = (resource, context) => {
  // An OCI reference (oci://ghcr.io/.../gha-runner-scale-set) ends in the chart's name.
  const chart = String(resource.inputs.chart).split("/").pop()!;
  const contract = Object.values(chartContracts()).find((c) => c.chart === chart);
  if (!contract) {
    return context.unpriced(
      resource,
      `chart ${chart}: no contract in channels/contracts/charts.yaml says what it bills`,
    );
  }
  const release = { values: resource.inputs.values ?? {}, contract };
  for (const volume of contract.billable.volumes) chartVolume(resource, context, release, volume);
  for (const lb of contract.billable.loadBalancers) chartLoadBalancer(resource, context, release.values, lb);
};

const service: Pricer = (resource, context) => {
  if (valueAt(resource.inputs, "spec.type") !== "LoadBalancer") return;
  priceLoadBalancer(
    resource,
    context,
    String(valueAt(resource.inputs, "metadata.name") ?? resource.name),
    valueAt(resource.inputs, "metadata.annotations"),
  );
};

const claim: Pricer = (resource, context) => {
  priceVolume(resource, context, {
    label: "volume",
    size: valueAt(resource.inputs, "spec.resources.requests.storage"),
    storageClass: valueAt(resource.inputs, "spec.storageClassName"),
    count: 1,
  });
};

const statefulSet: Pricer = (resource, context) => {
  const templates = (valueAt(resource.inputs, "spec.volumeClaimTemplates") ?? []) as unknown[];
  const replicas = Number(valueAt(resource.inputs, "spec.replicas") ?? 1);
  for (const template of templates) {
    priceVolume(resource, context, {
      label: `${String(valueAt(template, "metadata.name"))} volume`,
      size: valueAt(template, "spec.resources.requests.storage"),
      storageClass: valueAt(template, "spec.storageClassName"),
      count: replicas,
    });
  }
};

/** Pricers of Kubernetes types, by type token. */
export const KUBERNETES_PRICERS: Readonly<Record<string, Pricer>> = {
  "kubernetes:helm.sh/v3:Release": helmRelease,
  "kubernetes:core/v1:Service": service,
  "kubernetes:core/v1:PersistentVolumeClaim": claim,
  "kubernetes:apps/v1:StatefulSet": statefulSet,
};
