/**
 * Who may reach and use the cluster's API: EKS access entries with their access policy, and
 * the ingress rules that admit networks to the private endpoint. Child builders of the
 * Cluster component (components/cluster.ts).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksAccessPolicy } from "../lib/eks-access";

/**
 * One access entry per role, each with `policy` cluster-wide, named `<prefix>-<role name>`.
 * With API access entries and no creator bootstrap, a role has no Kubernetes access until
 * its association exists: the Cluster's provider waits for the associations returned here,
 * so no Kubernetes call comes earlier and on destroy every Kubernetes resource goes before
 * access is removed.
 *
 * The admin roles get AmazonEKSClusterAdminPolicy. The preview role gets
 * AmazonEKSAdminViewPolicy: `pulumi preview` and `--refresh` read each object the stack
 * manages and each Helm release's Secret, and may write nothing. Where a preview would have
 * patched with a server-side dry run, pulumi-kubernetes takes the Forbidden answer and
 * previews client-side instead (provider/pkg/provider/provider.go, Create and Update with
 * `req.GetPreview()` and `apierrors.IsForbidden`, at v4.32.0).
 */
export function accessEntries(
  prefix: string,
  roleArns: readonly string[],
  policy: EksAccessPolicy,
  cluster: aws.eks.Cluster,
  parent: pulumi.Resource,
): aws.eks.AccessPolicyAssociation[] {
  return roleArns.map((roleArn) => {
    const roleName = roleArn.split("/").pop()!.toLowerCase();
    const entry = new aws.eks.AccessEntry(
      `${prefix}-${roleName}`,
      { clusterName: cluster.name, principalArn: roleArn, type: "STANDARD" },
      { parent },
    );
    return new aws.eks.AccessPolicyAssociation(
      `${prefix}-${roleName}`,
      { clusterName: cluster.name, principalArn: roleArn, policyArn: policy.arn, accessScope: { type: "cluster" } },
      { parent, dependsOn: [entry] },
    );
  });
}

/**
 * HTTPS to the private endpoint from each of `cidrs`. The cluster security group EKS
 * creates admits only itself (the control plane's network interfaces and the managed
 * nodes: EKS user guide, "View Amazon EKS security group requirements for clusters"); a
 * connected network needs "rules to allow ingress traffic on port 443 from your connected
 * network" (EKS user guide, "Cluster API server endpoint", "Accessing a private only API
 * server"; awsdocs/amazon-eks-user-guide latest/ug/clusters/cluster-endpoint.adoc at
 * 0ce90ef1ec408ad793cccdc8b8b5819961477101).
 */
export function privateEndpointAccess(
  name: string,
  cidrs: readonly string[],
  clusterSecurityGroupId: pulumi.Output<string>,
  parent: pulumi.Resource,
): aws.vpc.SecurityGroupIngressRule[] {
  return cidrs.map(
    (cidr) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-api-from-${cidr.replace(/[./]/g, "-")}`,
        {
          securityGroupId: clusterSecurityGroupId,
          description: `Kubernetes API (private endpoint) from the deploy network ${cidr}`,
          cidrIpv4: cidr,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
        },
        { parent },
      ),
  );
}
