/** Traefik (as the runbooks ran it) behind an AWS Network Load Balancer, its IngressClass the default. */
import { type AddonContext, type AddonInputs } from "./addon";
import { createRelease, replicas } from "./helm-release";
import { ADDON_FACTS } from "../../settings/addons/catalog";

/** Name of the platform's IngressClass. */
export const INGRESS_CLASS = "traefik";
/** Namespace the ingress controller runs in; app NetworkPolicies admit traffic from it. */
export const INGRESS_NAMESPACE = ADDON_FACTS["ingress-controllers"].namespace;

/**
 * Chart values. The chart's own security contexts set no seccompProfile (traefik chart
 * v35.4.0 and v36.3.0, values.yaml), which the namespace's `restricted` level requires:
 * both are given in full here (channels/contracts/charts.yaml, ingress-controllers).
 */
export function ingressControllerValues(settings: AddonInputs): Record<string, unknown> {
  return {
    deployment: { replicas: replicas(settings.highAvailability) },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: "RuntimeDefault" },
    },
    podDisruptionBudget: { enabled: settings.highAvailability, minAvailable: 1 },
    ingressClass: { enabled: true, isDefaultClass: true, name: INGRESS_CLASS },
    service: {
      type: "LoadBalancer",
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": settings.isolated ? "internal" : "internet-facing",
        // An air-gapped VPC has no internet gateway, and ELB refuses an internet-facing load
        // balancer there (API error InvalidSubnet, "The specified VPC has no associated Internet
        // gateway"). With `aws-load-balancer-type: nlb` the Service is served by the in-tree
        // cloud provider, which reads this annotation, not `-scheme` (the AWS Load Balancer
        // Controller's): kubernetes/cloud-provider-aws, ServiceAnnotationLoadBalancerInternal.
        ...(settings.isolated ? { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" } : {}),
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
      },
    },
    ports: { web: { redirections: { entryPoint: { to: "websecure", scheme: "https", permanent: true } } } },
    metrics: { prometheus: { serviceMonitor: { enabled: true } } },
    topologySpreadConstraints: settings.highAvailability
      ? [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
          },
        ]
      : [],
  };
}

/** Deploys ingress-controllers (its facts: settings/addons/catalog.ts). */
export function deployIngressControllers(ctx: AddonContext): void {
  createRelease(ctx, { values: ingressControllerValues(ctx.settings) });
}
