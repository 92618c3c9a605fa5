/**
 * The EKS access policies Slipway associates with access entries, and what each lets a
 * principal do in Kubernetes. With the cluster in API authentication mode only access
 * entries authenticate an IAM principal (EKS user guide, "Grant IAM users access to
 * Kubernetes with EKS access entries"), and the policy associated with the entry is what it
 * may then do.
 *
 * Source for every entry: EKS user guide, "Review access policy permissions"
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html;
 * awsdocs/amazon-eks-user-guide latest/ug/manage-access/k8s-access/access-policy-reference.adoc
 * at 145543a96a20b66b1e946cd818943e5aa7713f6c).
 */

/** What an access policy allows, as far as deploying and previewing a stack is concerned. */
export interface EksAccessPolicy {
  /** The policy's ARN. */
  readonly arn: string;
  /** get, list and watch on every resource of every API group, Secrets included. */
  readonly readsEverything: boolean;
  /** create, update, patch and delete on every resource (what `pulumi up` does). */
  readonly writesEverything: boolean;
  /** What the guide's table says, in short. */
  readonly grants: string;
}

const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/** The access policies this project names, by name. */
export const EKS_ACCESS_POLICIES = {
  /** `*` verbs on `*` resources and non-resource URLs: the deploy. */
  AmazonEKSClusterAdminPolicy: {
    arn: policy("AmazonEKSClusterAdminPolicy"),
    readsEverything: true,
    writesEverything: true,
    grants: "every verb on every resource",
  },
  /**
   * get, list, watch on `*` in `*` API groups; the guide: "Note this includes Kubernetes
   * Secrets". The preview and the drift check need Secrets: a Helm release's state is a
   * Secret in its namespace (Helm's default storage driver: helm.sh/docs/topics/advanced,
   * "Storage backends"), and a refresh reads every Secret the stack manages.
   */
  AmazonEKSAdminViewPolicy: {
    arn: policy("AmazonEKSAdminViewPolicy"),
    readsEverything: true,
    writesEverything: false,
    grants: "get, list, watch on every resource, Secrets included",
  },
  /** get, list, watch on most resources, but not Secrets: not enough for a preview. */
  AmazonEKSViewPolicy: {
    arn: policy("AmazonEKSViewPolicy"),
    readsEverything: false,
    writesEverything: false,
    grants: "get, list, watch on most resources, not Secrets",
  },
} as const satisfies Record<string, EksAccessPolicy>;

/** The access policy with this ARN, when this project knows it. */
export function accessPolicyByArn(arn: unknown): EksAccessPolicy | undefined {
  return Object.values(EKS_ACCESS_POLICIES).find((p) => p.arn === arn);
}
