/**
 * EKS in the private subnets: secrets envelope-encrypted with a rotating KMS key, a
 * private endpoint (public only for listed CIDRs), control-plane logs, API access
 * entries, IRSA, pinned managed add-ons and managed node groups on IMDSv2-only launch
 * templates. Exposes one `k8s.Provider` for everything that runs in the cluster.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptionKey } from "./encryption-key";
import { buildKubeconfig } from "./kubeconfig";
import { EKS_ACCESS_POLICIES } from "../lib/eks-access";
import { accessEntries, privateEndpointAccess } from "./cluster-access";
import { irsaAssumeRolePolicy, serviceAssumeRolePolicy } from "./iam-policies";
import type { ClusterSettings, NodeGroupSettings } from "../settings/cluster";

/**
 * Arguments of {@link Cluster}: the cluster settings (settings/cluster.ts), with its name,
 * region and what it takes from the network.
 */
export type ClusterArgs = ClusterSettings & {
  /** EKS cluster name (also names its log group), e.g. `slipway-production`. */
  readonly clusterName: string;
  /** AWS region, for the kubeconfig's `aws eks get-token`. */
  readonly region: string;
  /** Private subnets for the control-plane ENIs and the nodes. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /**
   * CIDRs admitted to the private endpoint on 443 besides the cluster's own security group:
   * the deploy network (settings/network.ts, `deployNetwork`). @default []
   */
  readonly endpointPrivateAccessCidrs?: readonly string[];
  /** What must exist before those CIDRs reach the endpoint (their routes); the provider waits for it. @default [] */
  readonly privateAccessReadyAfter?: pulumi.Resource[];
};

const MANAGED_POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** An EKS cluster with its nodes, add-ons and a Kubernetes provider. */
export class Cluster extends pulumi.ComponentResource {
  /** EKS cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** API server endpoint. */
  public readonly endpoint: pulumi.Output<string>;
  /** OIDC issuer URL, for IRSA trust policies. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** ARN of the IAM OIDC provider, for IRSA trust policies. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** Security group EKS attaches to the control plane and managed nodes; data stores allow it. */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Kubeconfig using `aws eks get-token`; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Provider for everything deployed into the cluster. */
  public readonly provider: k8s.Provider;
  /**
   * Resources that must exist before workloads can be scheduled (node groups, CoreDNS).
   * In-cluster components depend on these, not on the whole cluster component.
   */
  public readonly readyForWorkloads: pulumi.Resource[];

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:aws:Cluster", name, {}, opts);
    const cluster = this.controlPlane(name, args);
    // The provider waits for every association, the preview role's too: on destroy, every
    // access entry goes after the last Kubernetes resource.
    const clusterAccess = [
      ...accessEntries(
        `${name}-admin`,
        args.adminRoleArns,
        EKS_ACCESS_POLICIES.AmazonEKSClusterAdminPolicy,
        cluster,
        this,
      ),
      ...accessEntries(
        `${name}-preview`,
        args.previewRoleArns,
        EKS_ACCESS_POLICIES.AmazonEKSAdminViewPolicy,
        cluster,
        this,
      ),
    ];
    const identity = this.identityProviders(name, args, cluster);
    // Networking add-ons come first: nodes only turn Ready once the CNI runs on them.
    // Network policy enforcement is off in the VPC CNI by default; the apps' NetworkPolicies need it.
    const vpcCni = this.addon(name, cluster, "vpc-cni", args.addons.vpcCni, {
      serviceAccountRoleArn: identity.cniRole.arn,
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
    });
    const kubeProxy = this.addon(name, cluster, "kube-proxy", args.addons.kubeProxy, {});
    const nodeGroups = this.nodeGroups(name, args, cluster, [vpcCni, kubeProxy]);
    // CoreDNS and the EBS CSI controller are Deployments: they need nodes to become healthy.
    const coredns = this.addon(name, cluster, "coredns", args.addons.coredns, {}, nodeGroups);
    this.addon(
      name,
      cluster,
      "aws-ebs-csi-driver",
      args.addons.awsEbsCsiDriver,
      { serviceAccountRoleArn: identity.ebsCsiRole.arn },
      nodeGroups,
    );

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.oidcIssuerUrl = identity.oidcIssuerUrl;
    this.oidcProviderArn = identity.oidcProvider.arn;
    this.nodeSecurityGroupId = cluster.vpcConfig.apply((vpc) => vpc.clusterSecurityGroupId!);
    const privateAccess = privateEndpointAccess(
      name,
      args.endpointPrivateAccessCidrs ?? [],
      this.nodeSecurityGroupId,
      this,
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
        .apply(([clusterName, endpoint, ca]) => buildKubeconfig(clusterName, endpoint, ca.data!, args.region)),
    );
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: [...clusterAccess, ...privateAccess, ...(args.privateAccessReadyAfter ?? [])] },
    );
    this.readyForWorkloads = [...nodeGroups, coredns];
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      oidcIssuerUrl: this.oidcIssuerUrl,
      oidcProviderArn: this.oidcProviderArn,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      kubeconfig: this.kubeconfig,
    });
  }

  /** The EKS control plane: its KMS key, IAM role and log group first, then the cluster. */
  private controlPlane(name: string, args: ClusterArgs): aws.eks.Cluster {
    const protect = args.protect;
    const publicCidrs = args.endpointPublicAccessCidrs;
    const secretsKey = createEncryptionKey(
      {
        name: `${name}-secrets`,
        aliasName: `${args.clusterName}-secrets`,
        description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
        protect,
      },
      this,
    );
    const clusterRole = new aws.iam.Role(
      `${name}-control-plane`,
      {
        assumeRolePolicy: serviceAssumeRolePolicy("eks.amazonaws.com"),
        tags: { Name: `${args.clusterName}-control-plane` },
      },
      { parent: this },
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-control-plane`,
      { role: clusterRole.name, policyArn: MANAGED_POLICY("AmazonEKSClusterPolicy") },
      { parent: this },
    );
    // Created before the cluster so EKS writes into a group with our retention, rather
    // than creating one that keeps logs forever.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: args.logRetentionDays,
        tags: { Name: `${args.clusterName}-logs` },
      },
      { parent: this },
    );
    return new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicCidrs.length > 0,
          publicAccessCidrs: publicCidrs.length > 0 ? [...publicCidrs] : undefined,
        },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: [...args.logTypes],
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        // The add-ons below are managed by EKS at pinned versions; self-managed copies would fight them.
        bootstrapSelfManagedAddons: false,
        deletionProtection: protect,
        tags: { Name: args.clusterName },
      },
      { parent: this, protect, dependsOn: [clusterPolicy, logGroup] },
    );
  }

  /** The OIDC provider for IRSA, and the roles of the CNI and the EBS CSI controller. */
  private identityProviders(name: string, args: ClusterArgs, cluster: aws.eks.Cluster) {
    const oidcIssuerUrl = cluster.identities.apply((ids) => {
      // EKS gives every cluster an OIDC issuer (identities[0].oidcs[0].issuer).
      const issuer = ids[0]?.oidcs?.[0]?.issuer;
      if (!issuer) throw new Error("the EKS cluster reports no OIDC issuer");
      return issuer;
    });
    const oidcProvider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: { Name: `${args.clusterName}-oidc` } },
      { parent: this },
    );
    const irsaRole = (role: string, namespace: string, serviceAccount: string, policy: string) => {
      const r = new aws.iam.Role(
        `${name}-${role}`,
        {
          assumeRolePolicy: irsaAssumeRolePolicy(oidcProvider.arn, oidcIssuerUrl, namespace, serviceAccount),
          tags: { Name: `${args.clusterName}-${role}` },
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${role}`,
        { role: r.name, policyArn: MANAGED_POLICY(policy) },
        { parent: this },
      );
      return r;
    };
    // The CNI gets its own role so nodes do not carry ENI permissions for every pod.
    const cniRole = irsaRole("vpc-cni", "kube-system", "aws-node", "AmazonEKS_CNI_Policy");
    const ebsCsiRole = irsaRole(
      "ebs-csi",
      "kube-system",
      "ebs-csi-controller-sa",
      "service-role/AmazonEBSCSIDriverPolicy",
    );
    return { oidcIssuerUrl, oidcProvider, cniRole, ebsCsiRole };
  }

  /** An EKS managed add-on at its pinned version. */
  private addon(
    name: string,
    cluster: aws.eks.Cluster,
    addonName: string,
    version: string,
    extra: Partial<aws.eks.AddonArgs>,
    dependsOn: pulumi.Resource[] = [],
  ): aws.eks.Addon {
    return new aws.eks.Addon(
      `${name}-${addonName}`,
      {
        clusterName: cluster.name,
        addonName,
        addonVersion: version,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        ...extra,
      },
      { parent: this, dependsOn },
    );
  }

  /** The node role, then each managed node group on its IMDSv2-only launch template, after the networking add-ons. */
  private nodeGroups(
    name: string,
    args: ClusterArgs,
    cluster: aws.eks.Cluster,
    networking: pulumi.Resource[],
  ): aws.eks.NodeGroup[] {
    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      { assumeRolePolicy: serviceAssumeRolePolicy("ec2.amazonaws.com"), tags: { Name: `${args.clusterName}-nodes` } },
      { parent: this },
    );
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-nodes-${policy}`,
          { role: nodeRole.name, policyArn: MANAGED_POLICY(policy) },
          { parent: this },
        ),
    );
    return Object.entries(args.nodeGroups).map(([groupName, spec]) => {
      const launchTemplate = this.launchTemplate(name, args, groupName, spec);
      return new aws.eks.NodeGroup(
        `${name}-${groupName}`,
        {
          clusterName: cluster.name,
          version: args.kubernetesVersion,
          nodeRoleArn: nodeRole.arn,
          subnetIds: args.privateSubnetIds,
          instanceTypes: [...spec.instanceTypes],
          capacityType: spec.capacityType,
          amiType: spec.amiType,
          scalingConfig: { minSize: spec.minSize, maxSize: spec.maxSize, desiredSize: spec.desiredSize },
          updateConfig: { maxUnavailable: spec.maxUnavailable },
          labels: { ...spec.labels },
          taints: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
          launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
          tags: { Name: `${args.clusterName}-${groupName}` },
        },
        { parent: this, dependsOn: [...nodePolicies, ...networking] },
      );
    });
  }

  /** A node group's launch template: IMDSv2 only, an encrypted gp3 root volume. */
  private launchTemplate(
    name: string,
    args: ClusterArgs,
    groupName: string,
    spec: NodeGroupSettings,
  ): aws.ec2.LaunchTemplate {
    return new aws.ec2.LaunchTemplate(
      `${name}-${groupName}`,
      {
        description: `Nodes of ${args.clusterName}/${groupName}: IMDSv2 only, encrypted gp3 root volume`,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: args.imdsHopLimit,
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: spec.diskSizeGiB,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ],
        tagSpecifications: [{ resourceType: "instance", tags: { Name: `${args.clusterName}-${groupName}` } }],
        updateDefaultVersion: true,
      },
      { parent: this },
    );
  }
}
