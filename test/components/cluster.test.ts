import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, type ClusterArgs } from "../../components/cluster";
import type { NodeGroupSettings } from "../../settings/cluster";
import { EKS_ACCESS_POLICIES } from "../../lib/eks-access";
import { buildAlone, input, promiseOf, type Built } from "../build-alone";

const SYSTEM: NodeGroupSettings = {
  instanceTypes: ["m6i.large"],
  capacityType: "ON_DEMAND",
  amiType: "AL2023_x86_64_STANDARD",
  minSize: 2,
  maxSize: 3,
  desiredSize: 2,
  diskSizeGiB: 50,
  labels: { "slipway.io/pool": "system" },
  taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
  maxUnavailable: 1,
};
const GENERAL: NodeGroupSettings = {
  ...SYSTEM,
  instanceTypes: ["m6i.2xlarge", "m6a.2xlarge"],
  capacityType: "SPOT",
  minSize: 3,
  maxSize: 12,
  desiredSize: 4,
  diskSizeGiB: 100,
  labels: {},
  taints: [],
  maxUnavailable: 2,
};
const ADMIN = "arn:aws:iam::123456789012:role/PlatformAdmin";
const PREVIEW = "arn:aws:iam::123456789012:role/SlipwayPreview";

const BASE: ClusterArgs = {
  clusterName: "slipway-test",
  kubernetesVersion: "1.33",
  region: "eu-west-1",
  privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  endpointPublicAccessCidrs: ["203.0.113.0/24"],
  adminRoleArns: [ADMIN],
  previewRoleArns: [PREVIEW],
  logTypes: ["api", "audit", "authenticator"],
  logRetentionDays: 90,
  imdsHopLimit: 1,
  protect: true,
  addons: {
    vpcCni: "v1.19.5-eksbuild.1",
    coredns: "v1.12.1-eksbuild.2",
    kubeProxy: "v1.33.0-eksbuild.2",
    awsEbsCsiDriver: "v1.44.0-eksbuild.1",
  },
  nodeGroups: { system: SYSTEM, general: GENERAL },
};

const build = (args: ClusterArgs) => buildAlone((opts) => new Cluster("cluster", args, opts));
const EKS = "aws:eks/cluster:Cluster";

describe("Cluster", () => {
  let built: Built<Cluster>;
  before(async () => (built = await build(BASE)));

  it("encrypts Kubernetes secrets with its own KMS key that rotates, aliased after the cluster", () => {
    const cluster = built.only(EKS);
    assert.deepEqual(input(cluster, "encryptionConfig.resources"), ["secrets"]);
    const key = built.byArn("aws:kms/key:Key", input(cluster, "encryptionConfig.provider.keyArn"))!;
    assert.equal(key.name, "cluster-secrets");
    assert.equal(input(key, "enableKeyRotation"), true);
    assert.equal(input(key, "deletionWindowInDays"), 30);
    assert.equal(input(built.only("aws:kms/alias:Alias"), "name"), "alias/slipway-test-secrets");
  });

  it("puts the control plane and every node group in the given private subnets, at the cluster's version", () => {
    assert.deepEqual(input(built.only(EKS), "vpcConfig.subnetIds"), BASE.privateSubnetIds);
    assert.equal(input(built.only(EKS), "version"), "1.33");
    for (const group of built.ofType("aws:eks/nodeGroup:NodeGroup")) {
      assert.deepEqual(input(group, "subnetIds"), BASE.privateSubnetIds, group.name);
      assert.equal(input(group, "version"), "1.33", group.name);
    }
  });

  it("uses API access entries only, no creator bootstrap, and no self-managed add-ons", () => {
    const cluster = built.only(EKS);
    assert.deepEqual(input(cluster, "accessConfig"), {
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    assert.equal(input(cluster, "bootstrapSelfManagedAddons"), false);
  });

  it("ships the control-plane logs to a log group with retention, created before the cluster", () => {
    const cluster = built.only(EKS);
    assert.deepEqual(input(cluster, "enabledClusterLogTypes"), BASE.logTypes);
    const group = built.only("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(input(group, "name"), "/aws/eks/slipway-test/cluster");
    assert.equal(input(group, "retentionInDays"), 90);
    assert.ok(cluster.dependsOn.includes(`aws:cloudwatch/logGroup:LogGroup::${group.name}`));
    assert.ok(cluster.dependsOn.includes("aws:iam/rolePolicyAttachment:RolePolicyAttachment::cluster-control-plane"));
  });

  it("requires IMDSv2 at the hop limit and an encrypted gp3 root volume on every node group's launch template", () => {
    const groups = built.ofType("aws:eks/nodeGroup:NodeGroup");
    assert.equal(groups.length, 2);
    for (const group of groups) {
      const template = built.byId(input(group, "launchTemplate.id"))!;
      assert.equal(template.type, "aws:ec2/launchTemplate:LaunchTemplate", group.name);
      assert.deepEqual(input(template, "metadataOptions"), {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      assert.equal(input(template, "blockDeviceMappings.0.ebs.encrypted"), "true");
      assert.equal(input(template, "blockDeviceMappings.0.ebs.volumeType"), "gp3");
      const spec = BASE.nodeGroups[group.name.replace("cluster-", "")]!;
      assert.equal(input(template, "blockDeviceMappings.0.ebs.volumeSize"), spec.diskSizeGiB);
      assert.equal(input(group, "launchTemplate.version"), "1");
    }
  });

  it("sizes, labels and taints each node group as given", () => {
    for (const [name, spec] of Object.entries(BASE.nodeGroups)) {
      const group = built.named("aws:eks/nodeGroup:NodeGroup", `cluster-${name}`);
      assert.deepEqual(input(group, "scalingConfig"), {
        minSize: spec.minSize,
        maxSize: spec.maxSize,
        desiredSize: spec.desiredSize,
      });
      assert.equal(input(group, "updateConfig.maxUnavailable"), spec.maxUnavailable);
      assert.deepEqual(input(group, "instanceTypes"), spec.instanceTypes);
      assert.equal(input(group, "capacityType"), spec.capacityType);
      assert.equal(input(group, "amiType"), spec.amiType);
      assert.deepEqual(input(group, "labels"), spec.labels);
      assert.deepEqual(input(group, "taints") ?? [], spec.taints);
    }
  });

  it("starts the nodes after their role's policies and the networking add-ons", () => {
    for (const group of built.ofType("aws:eks/nodeGroup:NodeGroup")) {
      assert.deepEqual(group.dependsOn, [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment::cluster-nodes-AmazonEKSWorkerNodePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment::cluster-nodes-AmazonEC2ContainerRegistryReadOnly",
        "aws:eks/addon:Addon::cluster-vpc-cni",
        "aws:eks/addon:Addon::cluster-kube-proxy",
      ]);
    }
  });

  it("pins the four managed add-ons; CoreDNS and the EBS CSI driver wait for the nodes", () => {
    const addons = Object.fromEntries(
      built.ofType("aws:eks/addon:Addon").map((a) => [String(input(a, "addonName")), a] as const),
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(addons).map(([name, addon]) => [name, input(addon, "addonVersion")])),
      {
        "vpc-cni": BASE.addons.vpcCni,
        "kube-proxy": BASE.addons.kubeProxy,
        coredns: BASE.addons.coredns,
        "aws-ebs-csi-driver": BASE.addons.awsEbsCsiDriver,
      },
    );
    const nodes = ["aws:eks/nodeGroup:NodeGroup::cluster-system", "aws:eks/nodeGroup:NodeGroup::cluster-general"];
    assert.deepEqual(addons["coredns"]!.dependsOn, nodes);
    assert.deepEqual(addons["aws-ebs-csi-driver"]!.dependsOn, nodes);
    assert.deepEqual(addons["vpc-cni"]!.dependsOn, []);
    assert.equal(JSON.parse(input(addons["vpc-cni"]!, "configurationValues") as string).enableNetworkPolicy, "true");
  });

  it("gives the CNI and the EBS CSI controller their own IRSA roles, trusted by the cluster's OIDC provider", () => {
    const oidc = built.only("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    assert.deepEqual(input(oidc, "clientIdLists"), ["sts.amazonaws.com"]);
    const addons = built.ofType("aws:eks/addon:Addon");
    for (const [addonName, serviceAccount] of [
      ["vpc-cni", "aws-node"],
      ["aws-ebs-csi-driver", "ebs-csi-controller-sa"],
    ]) {
      const addon = addons.find((a) => input(a, "addonName") === addonName)!;
      const role = built.byArn("aws:iam/role:Role", input(addon, "serviceAccountRoleArn"))!;
      const [statement] = JSON.parse(input(role, "assumeRolePolicy") as string).Statement;
      assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
      assert.match(statement.Principal.Federated, /cluster-oidc$/);
      assert.deepEqual(Object.values(statement.Condition.StringEquals), [
        `system:serviceaccount:kube-system:${serviceAccount}`,
        "sts.amazonaws.com",
      ]);
    }
  });

  it("grants the admin roles cluster-admin and the preview roles read access, each entry before its policy", () => {
    const associations = built.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    assert.deepEqual(
      associations.map((a) => [input(a, "principalArn"), input(a, "policyArn"), input(a, "accessScope.type")]),
      [
        [ADMIN, EKS_ACCESS_POLICIES.AmazonEKSClusterAdminPolicy.arn, "cluster"],
        [PREVIEW, EKS_ACCESS_POLICIES.AmazonEKSAdminViewPolicy.arn, "cluster"],
      ],
    );
    for (const association of associations) {
      const entry = built.named("aws:eks/accessEntry:AccessEntry", association.name);
      assert.equal(input(entry, "principalArn"), input(association, "principalArn"));
      assert.equal(input(entry, "type"), "STANDARD");
      assert.deepEqual(association.dependsOn, [`aws:eks/accessEntry:AccessEntry::${entry.name}`]);
    }
    assert.deepEqual(
      associations.map((a) => a.name),
      ["cluster-admin-platformadmin", "cluster-preview-slipwaypreview"],
    );
  });

  it("builds the Kubernetes provider from a secret kubeconfig that asks `aws eks get-token`, after every access grant", async () => {
    const provider = built.only("pulumi:providers:kubernetes");
    assert.ok(provider.secretInputs.includes("kubeconfig"));
    const kubeconfig = JSON.parse(provider.inputs.kubeconfig as string);
    assert.deepEqual(kubeconfig.users[0].user.exec.args, [
      "eks",
      "get-token",
      "--cluster-name",
      "slipway-test",
      "--region",
      "eu-west-1",
    ]);
    assert.equal(kubeconfig.clusters[0].cluster.server, "https://cluster-eks.gr7.us-east-1.eks.amazonaws.com");
    assert.deepEqual(provider.dependsOn, [
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation::cluster-admin-platformadmin",
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation::cluster-preview-slipwaypreview",
    ]);
    assert.equal(await pulumi.isSecret(built.component.kubeconfig), true);
  });

  it("exposes the node security group EKS made, and the nodes and CoreDNS as ready-for-workloads", async () => {
    assert.equal(await promiseOf(built.component.nodeSecurityGroupId), "sg-cluster-eks-cluster");
    assert.equal(await promiseOf(built.component.clusterName), "slipway-test");
    assert.match(await promiseOf(built.component.oidcIssuerUrl), /^https:\/\/oidc\.eks\./);
    assert.equal(built.component.readyForWorkloads.length, 3, "two node groups and CoreDNS");
  });

  // Rows: what protect and the endpoint settings turn on or off.
  const rows: Array<{ title: string; args: Partial<ClusterArgs>; check: (built: Built<Cluster>) => void }> = [
    {
      title: "protects the cluster and its KMS key, with EKS deletion protection",
      args: { protect: true },
      check: (b) => {
        assert.equal(b.only(EKS).protect, true);
        assert.equal(input(b.only(EKS), "deletionProtection"), true);
        assert.equal(b.named("aws:kms/key:Key", "cluster-secrets").protect, true);
      },
    },
    {
      title: "protects neither when protect is off",
      args: { protect: false },
      check: (b) => {
        assert.equal(b.only(EKS).protect, false);
        assert.equal(input(b.only(EKS), "deletionProtection"), false);
        assert.equal(b.named("aws:kms/key:Key", "cluster-secrets").protect, false);
      },
    },
    {
      title: "keeps the private endpoint and opens the public one to the given CIDRs only",
      args: { endpointPublicAccessCidrs: ["203.0.113.0/24"] },
      check: (b) => {
        assert.deepEqual(
          [
            input(b.only(EKS), "vpcConfig.endpointPrivateAccess"),
            input(b.only(EKS), "vpcConfig.endpointPublicAccess"),
            input(b.only(EKS), "vpcConfig.publicAccessCidrs"),
          ],
          [true, true, ["203.0.113.0/24"]],
        );
      },
    },
    {
      title: "turns the public endpoint off without CIDRs",
      args: { endpointPublicAccessCidrs: [] },
      check: (b) => {
        assert.equal(input(b.only(EKS), "vpcConfig.endpointPublicAccess"), false);
        assert.equal(input(b.only(EKS), "vpcConfig.publicAccessCidrs"), undefined);
      },
    },
    {
      title: "admits no network to the private endpoint beyond its own group by default",
      args: {},
      check: (b) => assert.deepEqual(b.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), []),
    },
  ];
  for (const row of rows) {
    it(row.title, async () => row.check(await build({ ...BASE, ...row.args })));
  }

  it("admits the deploy network to the private endpoint on 443 on the cluster security group, and the provider waits for it and its routes", async () => {
    const deploy = await buildAlone((opts) => {
      // A stand-in for the network's deploy route (the transit gateway attachment and its routes).
      const route = new pulumi.ComponentResource("test:index:DeployNetworkRoute", "route", {}, opts);
      const args = { ...BASE, endpointPrivateAccessCidrs: ["10.99.0.0/16"], privateAccessReadyAfter: [route] };
      return new Cluster("cluster", args, opts);
    });
    const rule = deploy.only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepEqual(
      [rule.name, input(rule, "cidrIpv4"), input(rule, "ipProtocol"), input(rule, "fromPort"), input(rule, "toPort")],
      ["cluster-api-from-10-99-0-0-16", "10.99.0.0/16", "tcp", 443, 443],
    );
    assert.equal(input(rule, "securityGroupId"), "sg-cluster-eks-cluster");
    assert.deepEqual(deploy.only("pulumi:providers:kubernetes").dependsOn.slice(2), [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::cluster-api-from-10-99-0-0-16",
      "test:index:DeployNetworkRoute::route",
    ]);
  });
});
