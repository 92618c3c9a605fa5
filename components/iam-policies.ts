/**
 * IAM policy documents Slipway builds more than once, as JSON strings. Pure (apart from
 * resolving Outputs), so they are tested without the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";

/** Trust policy letting an AWS service (e.g. `eks.amazonaws.com`) assume a role. */
export function serviceAssumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/**
 * Trust policy for IRSA: only the named Kubernetes service account, through the cluster's
 * OIDC provider, may assume the role.
 *
 * @param oidcProviderArn ARN of the cluster's IAM OIDC provider.
 * @param oidcIssuerUrl   The cluster's issuer URL (`https://oidc.eks...`).
 */
export function irsaAssumeRolePolicy(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuerUrl: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([oidcProviderArn, oidcIssuerUrl]).apply(([arn, url]) => {
    const issuer = url.replace(/^https:\/\//, "");
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });
}
