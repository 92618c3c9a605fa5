/**
 * Every platform add-on, keyed by its typed name. The runbooks' numbered list (005..950)
 * becomes this catalog plus each add-on's `needs`; the order is computed, not numbered.
 */
import type { AddonDefinition } from "./addon";
import { alertRules } from "./alert-rules";
import { certManager } from "./cert-manager";
import { clusterIssuers } from "./cluster-issuers";
import { clusterMonitoring } from "./cluster-monitoring";
import { exampleServices } from "./example-services";
import { ghaRunners, ghaRunnersController } from "./gha-runners";
import { grafanaStack } from "./grafana-stack";
import { ingressControllers } from "./ingress-controllers";
import type { AddonKey } from "../../lib/addon-keys";
import { metricsServer } from "./metrics-server";
import { prometheusOperatorCrds } from "./prometheus-operator-crds";
import { storageClass } from "./storage-class";

/** The catalog. `satisfies` makes a missing or misspelt key a compile error. */
export const CATALOG = {
  "storage-class": storageClass,
  "metrics-server": metricsServer,
  "prometheus-operator-crds": prometheusOperatorCrds,
  "cluster-monitoring": clusterMonitoring,
  "alert-rules": alertRules,
  "cert-manager": certManager,
  "cluster-issuers": clusterIssuers,
  "ingress-controllers": ingressControllers,
  "gha-runners-controller": ghaRunnersController,
  "gha-runners": ghaRunners,
  "grafana-stack": grafanaStack,
  "example-services": exampleServices,
} as const satisfies Record<AddonKey, AddonDefinition>;

/** The catalog as a list, in key order. */
export const ADDONS: readonly AddonDefinition[] = Object.values(CATALOG);
