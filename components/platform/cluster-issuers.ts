/**
 * The ClusterIssuers apps' certificates come from: Let's Encrypt staging and production,
 * or, for `issuer: private-ca` (air-gapped stacks, which cannot reach an ACME server), a
 * CA kept in cert-manager. They depend on the cert-manager release, which is only done
 * once its webhook answers, so they are never rejected by a webhook that is not up yet.
 */
import * as k8s from "@pulumi/kubernetes";
import { addonOptions, type AddonContext, type AddonDefinition, type CertificateSettings } from "./addon";
import { INGRESS_CLASS } from "./ingress-controllers";

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
      : { http01: { ingress: { ingressClassName: INGRESS_CLASS } } };
  return {
    acme: {
      email: certificates.acmeEmail,
      server: ACME_SERVERS[issuer],
      privateKeySecretRef: { name: `${issuer}-account-key` },
      solvers: [solver],
    },
  };
}

/** Name of the private CA's ClusterIssuer, its Certificate and the Secret holding its key. */
export const PRIVATE_CA = "private-ca";

/**
 * A self-signed CA and the issuer that signs with it, as cert-manager's docs bootstrap one
 * (cert-manager.io/docs/configuration/selfsigned, "Bootstrapping CA Issuers"): a
 * self-signed ClusterIssuer signs the CA Certificate, whose Secret the CA ClusterIssuer
 * reads from cert-manager's own namespace (the cluster resource namespace,
 * cert-manager.io/docs/configuration/ca). Clients trust it by its certificate, `ca.crt`
 * in that Secret.
 */
function privateCa(ctx: AddonContext): void {
  const certManager = { group: "cert-manager.io", kind: "ClusterIssuer" };
  const bootstrap = new k8s.apiextensions.CustomResource(
    `${ctx.name}-selfsigned`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "slipway-selfsigned" },
      spec: { selfSigned: {} },
    },
    addonOptions(ctx),
  );
  const authority = new k8s.apiextensions.CustomResource(
    `${ctx.name}-${PRIVATE_CA}-certificate`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: PRIVATE_CA, namespace: ctx.namespace },
      spec: {
        isCA: true,
        commonName: `${ctx.settings.clusterName} private CA`,
        secretName: PRIVATE_CA,
        duration: "87600h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { ...certManager, name: "slipway-selfsigned" },
      },
    },
    addonOptions(ctx, { dependsOn: [bootstrap] }),
  );
  new k8s.apiextensions.CustomResource(
    `${ctx.name}-${PRIVATE_CA}`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: PRIVATE_CA },
      spec: { ca: { secretName: PRIVATE_CA } },
    },
    addonOptions(ctx, { dependsOn: [authority] }),
  );
}

export const clusterIssuers: AddonDefinition = {
  key: "cluster-issuers",
  // Kept as first written: the description is an input of the add-on component, and the
  // private CA (issuer: private-ca) is the exception of air-gapped stacks.
  description: "Let's Encrypt staging and production ClusterIssuers",
  namespace: "cert-manager",
  podSecurity: "restricted",
  needs: ["cert-manager"],
  deploy(ctx) {
    if (ctx.settings.certificates.issuer === PRIVATE_CA) {
      privateCa(ctx);
      return;
    }
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
