/**
 * A small demo release (podinfo) behind the ingress with a TLS certificate from the
 * configured ClusterIssuer: proves DNS, NLB, Traefik, cert-manager and the issuer end to end.
 */
import * as pulumi from "@pulumi/pulumi";
import { type AddonContext, type AddonInputs } from "./addon";
import { createRelease } from "./helm-release";
import { INGRESS_CLASS } from "./ingress-controllers";

/** Chart values. */
export function exampleServicesValues(settings: AddonInputs): Record<string, unknown> {
  const host = settings.exampleServices?.host;
  return {
    replicaCount: settings.highAvailability ? 2 : 1,
    ingress: {
      enabled: true,
      className: INGRESS_CLASS,
      annotations: { "cert-manager.io/cluster-issuer": settings.certificates.issuer },
      hosts: [{ host, paths: [{ path: "/", pathType: "Prefix" }] }],
      tls: [{ secretName: "example-services-tls", hosts: [host] }],
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  };
}

/** Deploys example-services (its facts: settings/addons/catalog.ts). */
export function deployExampleServices(ctx: AddonContext): void {
  if (!ctx.settings.exampleServices) {
    throw new pulumi.ResourceError("example-services needs exampleServices.host", ctx.parent);
  }
  createRelease(ctx, { values: exampleServicesValues(ctx.settings) });
}
