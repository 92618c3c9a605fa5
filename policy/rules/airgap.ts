/**
 * The air-gap rule: a stack with no path to the internet (its VPC tagged
 * `slipway.io/egress: none`, components/network.ts) pulls no chart and no image from a
 * public registry. Helm renders a chart's images in the cluster, not in the record, so a
 * release is judged by its chart contract: every image the chart pulls
 * (channels/contracts/charts.yaml, `images`), from the values the release passes or the
 * chart's default.
 */
import { field, listProp, prop, UNKNOWN, type PolicyResource, type StackRule } from "../rule";
import { chartContracts } from "../chart-contracts";
import { isPublicChartRepository, isPublicRegistry, pulledImages } from "../../lib/image-mirror";
import { POD_SPEC_PATHS, RELEASE, VPC } from "../types";

/** A dotted read through chart values that knows a preview's unknowns. */
const valueIn = (values: unknown, dotted: string): unknown =>
  dotted.split(".").reduce<unknown>((value, key) => field(value, key), values);

/** Whether the stack has no path to the internet. */
export function isAirGapped(resources: readonly PolicyResource[]): boolean {
  return resources.some((r) => r.type === VPC && field(prop(r, "tags"), "slipway.io/egress") === "none");
}

/** Public charts and images a Helm release pulls, as [URN, message]. */
function releaseReferences(release: PolicyResource): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const name = String(prop(release, "name"));
  const chart = String(prop(release, "chart") ?? "");
  const repository = chart.startsWith("oci://") ? chart : String(prop(release, "repositoryOpts.repo") ?? "");
  if (isPublicChartRepository(repository)) found.push([release.urn, `${name}: chart from ${repository}`]);
  const contract = chartContracts()[name];
  if (!contract) return found;
  const values = prop(release, "values");
  for (const { image, from } of pulledImages(contract.images.list, values, valueIn)) {
    if (isPublicRegistry(from)) found.push([release.urn, `${name}: pulls ${from} (values ${image.values})`]);
  }
  for (const image of contract.images.unredirectable) {
    found.push([release.urn, `${name}: pulls ${image}, which no value redirects`]);
  }
  return found;
}

/** Public images of a workload's containers, as [URN, message]. */
function workloadReferences(workload: PolicyResource, podSpec: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const list of ["containers", "initContainers"]) {
    const containers = listProp(workload, `${podSpec}.${list}`);
    if (containers === UNKNOWN) continue;
    for (const container of containers) {
      const image = field(container, "image");
      if (typeof image === "string" && isPublicRegistry(image)) {
        found.push([workload.urn, `${String(prop(workload, "metadata.name"))}: runs ${image}`]);
      }
    }
  }
  return found;
}

/** Every chart and image the stack would pull from a public registry, as [URN, message]. */
export function publicRegistryReferences(resources: readonly PolicyResource[]): Array<[string, string]> {
  return resources.flatMap((r) => {
    if (r.type === RELEASE) return releaseReferences(r);
    const podSpec = POD_SPEC_PATHS[r.type];
    return podSpec ? workloadReferences(r, podSpec) : [];
  });
}

/** The air-gap rules. */
export const AIRGAP_RULES: readonly StackRule[] = [
  {
    scope: "stack",
    name: "no-public-registries",
    id: "AIRGAP-01",
    description: "an air-gapped stack pulls no chart and no image from a public registry",
    severity: "critical",
    remediation:
      "Mirror the chart or image into the account and pin the copy in the isolated channel (npm run ops -- mirror-list airgap; docs/airgap.md).",
    sources: [
      "EKS user guide, Private cluster requirements: images must come from a registry in the VPC",
      "distribution/reference normalize.go: a reference without a host is Docker Hub's",
    ],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) => (isAirGapped(resources) ? publicRegistryReferences(resources) : []),
  },
];
