/**
 * The Prometheus Operator CRDs on their own, first: any chart can then declare a
 * ServiceMonitor or PrometheusRule without waiting for the whole monitoring stack.
 */
import { type AddonContext } from "./addon";
import { createRelease } from "./helm-release";

/** Deploys prometheus-operator-crds (its facts: settings/addons/catalog.ts). */
export function deployPrometheusOperatorCrds(ctx: AddonContext): void {
  // Deleting a CRD deletes every object of its kind, so the release is protected where configured.
  createRelease(ctx, { values: {}, protect: ctx.settings.protectCrds });
}
