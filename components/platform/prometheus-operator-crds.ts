/**
 * The Prometheus Operator CRDs on their own, first: any chart can then declare a
 * ServiceMonitor or PrometheusRule without waiting for the whole monitoring stack.
 */
import { type AddonDefinition } from "./addon";
import { createRelease } from "./helm-release";

export const prometheusOperatorCrds: AddonDefinition = {
  key: "prometheus-operator-crds",
  description: "ServiceMonitor, PrometheusRule and the other Prometheus Operator CRDs",
  namespace: "monitoring",
  podSecurity: "privileged",
  needs: [],
  deploy(ctx) {
    // Deleting a CRD deletes every object of its kind, so the release is protected where configured.
    createRelease(ctx, { values: {}, protect: ctx.settings.protectCrds });
  },
};
