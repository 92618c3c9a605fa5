/**
 * Let's Encrypt staging and production ClusterIssuers. They depend on the cert-manager
 * release, which is only done once its webhook answers, so they are never rejected by a
 * webhook that is not up yet.
 */
import * as k8s from "@pulumi/kubernetes";
import { addonOptions, type AddonDefinition, type CertificateSettings } from "./addon";

/** ACME directories of Let's Encrypt. */
export const ACME_SERVERS = {
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
  "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** The spec of one ClusterIssuer. */
export function clusterIssuerSpec(
  issuer: keyof typeof ACME_SERVERS,
  certificates: CertificateSettings,
  region: string,
): Record<string, unknown> {
  const solver =
    certificates.solver === "route53"
      ? { dns01: { route53: { region, hostedZoneID: certificates.route53HostedZoneId } } }
      : { http01: { ingress: { ingressClassName: "traefik" } } };
  return {
    acme: {
      email: certificates.acmeEmail,
      server: ACME_SERVERS[issuer],
      privateKeySecretRef: { name: `${issuer}-account-key` },
      solvers: [solver],
    },
  };
}

export const clusterIssuers: AddonDefinition = {
  key: "cluster-issuers",
  description: "Let's Encrypt staging and production ClusterIssuers",
  namespace: "cert-manager",
  podSecurity: "restricted",
  needs: ["cert-manager"],
  deploy(ctx) {
    for (const issuer of Object.keys(ACME_SERVERS) as Array<keyof typeof ACME_SERVERS>) {
      new k8s.apiextensions.CustomResource(
        `${ctx.name}-${issuer}`,
        {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: issuer },
          spec: clusterIssuerSpec(issuer, ctx.settings.certificates, ctx.settings.region),
        },
        addonOptions(ctx),
      );
    }
  },
};
