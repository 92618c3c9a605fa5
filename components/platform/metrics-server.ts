/** metrics-server: the resource metrics API that HorizontalPodAutoscalers read. */
import { type AddonContext, type AddonInputs } from "./addon";
import { createRelease, replicas } from "./helm-release";

/** Chart values for metrics-server. */
export function metricsServerValues(settings: AddonInputs): Record<string, unknown> {
  return {
    replicas: replicas(settings.highAvailability),
    podDisruptionBudget: { enabled: settings.highAvailability, maxUnavailable: 1 },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  };
}

/** Deploys metrics-server (its facts: settings/addons/catalog.ts). */
export function deployMetricsServer(ctx: AddonContext): void {
  createRelease(ctx, { values: metricsServerValues(ctx.settings) });
}
