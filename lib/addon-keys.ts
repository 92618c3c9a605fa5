/**
 * The names of the platform add-ons. A typed union, so a `needs` entry that names no
 * add-on is a compile error, not a check that silently never fires.
 */

/** Every add-on in the catalog, in no particular order (the graph decides order). */
export const ADDON_KEYS = [
  "storage-class",
  "metrics-server",
  "prometheus-operator-crds",
  "cluster-monitoring",
  "alert-rules",
  "cert-manager",
  "cluster-issuers",
  "ingress-controllers",
  "gha-runners-controller",
  "gha-runners",
  "grafana-stack",
  "example-services",
] as const;

/** Name of a platform add-on. */
export type AddonKey = (typeof ADDON_KEYS)[number];

/** The add-ons installed from a Helm chart; a release channel pins each of them. */
export const CHART_ADDON_KEYS = [
  "metrics-server",
  "prometheus-operator-crds",
  "cluster-monitoring",
  "cert-manager",
  "ingress-controllers",
  "gha-runners-controller",
  "gha-runners",
  "grafana-stack",
  "example-services",
] as const satisfies readonly AddonKey[];

/** Name of an add-on installed from a Helm chart. */
export type ChartAddonKey = (typeof CHART_ADDON_KEYS)[number];

/** True when the add-on is installed from a Helm chart. */
export function isChartAddon(key: AddonKey): key is ChartAddonKey {
  return (CHART_ADDON_KEYS as readonly string[]).includes(key);
}
