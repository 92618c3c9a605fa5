/** metrics-server: the resource metrics API that HorizontalPodAutoscalers read. */
import { type AddonDefinition, type PlatformSettings } from "./addon";
import { createRelease, replicas } from "./helm-release";

/** Chart values for metrics-server. */
export function metricsServerValues(settings: PlatformSettings): Record<string, unknown> {
  return {
    replicas: replicas(settings.highAvailability),
    podDisruptionBudget: { enabled: settings.highAvailability, maxUnavailable: 1 },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  };
}

export const metricsServer: AddonDefinition = {
  key: "metrics-server",
  description: "resource metrics API for the HPAs",
  namespace: "kube-system",
  podSecurity: "privileged",
  needs: [],
  deploy(ctx) {
    createRelease(ctx, { values: metricsServerValues(ctx.settings) });
  },
};
