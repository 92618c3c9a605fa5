/**
 * cert-manager with its CRDs (kept on uninstall: deleting them deletes every Certificate),
 * highly available where configured, metrics for Prometheus, and an IRSA role when ACME
 * challenges are solved through Route 53.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaAssumeRolePolicy } from "../iam-policies";
import { type AddonContext, type AddonInputs } from "./addon";
import { createRelease, replicas } from "./helm-release";

/** cert-manager's controller service account (the IRSA subject). */
export const CERT_MANAGER_SERVICE_ACCOUNT = "cert-manager";

/** Chart values; `roleArn` is the IRSA role when DNS-01 through Route 53 is used. */
export function certManagerValues(settings: AddonInputs, roleArn?: pulumi.Input<string>): Record<string, unknown> {
  const count = replicas(settings.highAvailability);
  const pdb = { enabled: settings.highAvailability, minAvailable: 1 };
  return {
    crds: { enabled: true, keep: true },
    replicaCount: count,
    podDisruptionBudget: pdb,
    webhook: { replicaCount: count, podDisruptionBudget: pdb },
    cainjector: { replicaCount: count, podDisruptionBudget: pdb },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    serviceAccount: {
      name: CERT_MANAGER_SERVICE_ACCOUNT,
      annotations: roleArn ? { "eks.amazonaws.com/role-arn": roleArn } : {},
    },
    // The projected IRSA token must be readable by cert-manager's non-root user.
    securityContext: { runAsNonRoot: true, fsGroup: 1001, seccompProfile: { type: "RuntimeDefault" } },
  };
}

/** IAM policy for DNS-01 in one hosted zone. */
export function route53SolverPolicy(hostedZoneId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "route53:GetChange", Resource: "arn:aws:route53:::change/*" },
      {
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
        Resource: `arn:aws:route53:::hostedzone/${hostedZoneId}`,
      },
      { Effect: "Allow", Action: "route53:ListHostedZonesByName", Resource: "*" },
    ],
  });
}

/** Deploys cert-manager (its facts: settings/addons/catalog.ts). */
export function deployCertManager(ctx: AddonContext): void {
  const { solver, route53HostedZoneId } = ctx.settings.certificates;
  let roleArn: pulumi.Output<string> | undefined;
  if (solver === "route53" && route53HostedZoneId) {
    const role = new aws.iam.Role(
      `${ctx.name}-dns01`,
      {
        assumeRolePolicy: irsaAssumeRolePolicy(
          ctx.cluster.oidcProviderArn,
          ctx.cluster.oidcIssuerUrl,
          "cert-manager",
          CERT_MANAGER_SERVICE_ACCOUNT,
        ),
        tags: { Name: `${ctx.settings.clusterName}-cert-manager-dns01` },
      },
      { parent: ctx.parent },
    );
    new aws.iam.RolePolicy(
      `${ctx.name}-dns01`,
      { role: role.id, policy: route53SolverPolicy(route53HostedZoneId) },
      { parent: ctx.parent },
    );
    roleArn = role.arn;
  }
  createRelease(ctx, { values: certManagerValues(ctx.settings, roleArn), protect: ctx.settings.protectCrds });
}
