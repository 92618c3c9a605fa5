/**
 * How each platform add-on is deployed, by its typed key. Its facts (namespace, Pod
 * Security level, needs, chart) and settings are plain data in settings/addons/catalog.ts;
 * the runbooks' numbered list (005..950) becomes those `needs`, and the order is computed.
 */
import type { AddonDefinition, AddonDeploy } from "./addon";
import { deployAlertRules } from "./alert-rules";
import { deployCertManager } from "./cert-manager";
import { deployClusterIssuers } from "./cluster-issuers";
import { deployClusterMonitoring } from "./cluster-monitoring";
import { deployExampleServices } from "./example-services";
import { deployGhaRunners, deployGhaRunnersController } from "./gha-runners";
import { deployGrafanaStack } from "./grafana-stack";
import { deployIngressControllers } from "./ingress-controllers";
import { ADDON_FACTS, ADDON_KEYS, type AddonKey } from "../../settings/addons/catalog";
import { deployMetricsServer } from "./metrics-server";
import { deployPrometheusOperatorCrds } from "./prometheus-operator-crds";
import { deployStorageClass } from "./storage-class";

/** Each add-on's deploy function. `satisfies` makes a missing or unknown key a compile error. */
const DEPLOY = {
  "storage-class": deployStorageClass,
  "metrics-server": deployMetricsServer,
  "prometheus-operator-crds": deployPrometheusOperatorCrds,
  "cluster-monitoring": deployClusterMonitoring,
  "alert-rules": deployAlertRules,
  "cert-manager": deployCertManager,
  "cluster-issuers": deployClusterIssuers,
  "ingress-controllers": deployIngressControllers,
  "gha-runners-controller": deployGhaRunnersController,
  "gha-runners": deployGhaRunners,
  "grafana-stack": deployGrafanaStack,
  "example-services": deployExampleServices,
} as const satisfies Record<AddonKey, AddonDeploy>;

/** The catalog: every add-on's facts with its deploy function, by key. */
export const CATALOG = Object.fromEntries(
  ADDON_KEYS.map((key) => [key, { ...ADDON_FACTS[key], deploy: DEPLOY[key] }]),
) as Readonly<Record<AddonKey, AddonDefinition>>;

/** The catalog as a list, in key order. */
export const ADDONS: readonly AddonDefinition[] = ADDON_KEYS.map((key) => CATALOG[key]);
