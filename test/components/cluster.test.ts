import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { ancestors, byUrn, ofType, SECRET_MASK } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { EKS_ACCESS_POLICIES } from "../../lib/eks-access";
import { STACKS, byMockArn, byMockId, input, only, recordOf, stackFileConfig, tag } from "../helpers";

for (const stack of STACKS) {
  const expected = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" }).cluster;

  describe(`Cluster (${stack})`, () => {
    it("encrypts Kubernetes secrets with a KMS key that rotates", async () => {
      const record = await recordOf(stack);
      const cluster = only(record, "aws:eks/cluster:Cluster");
      assert.deepEqual(input(cluster, "encryptionConfig.resources"), ["secrets"]);
      const key = byMockArn(record, "aws:kms/key:Key", input(cluster, "encryptionConfig.provider.keyArn"));
      assert.ok(key, "the cluster's key is a KMS key of this stack");
      assert.equal(input(key, "enableKeyRotation"), true);
      assert.ok(cluster.dependencies.includes(key.urn));
    });

    it("puts the control plane and every node group only in private subnets", async () => {
      const record = await recordOf(stack);
      const placements = [
        ...ofType(record, "aws:eks/cluster:Cluster").map((c) => input(c, "vpcConfig.subnetIds")),
        ...ofType(record, "aws:eks/nodeGroup:NodeGroup").map((g) => input(g, "subnetIds")),
      ] as string[][];
      assert.equal(placements.length, 1 + Object.keys(expected.nodeGroups).length);
      for (const subnetIds of placements) {
        assert.equal(subnetIds.length, 3);
        for (const id of subnetIds) assert.equal(tag(byMockId(record, id)!, "slipway.io/tier"), "private", id);
      }
    });

    it("keeps the private endpoint on and the public one limited to the configured CIDRs", async () => {
      const cluster = only(await recordOf(stack), "aws:eks/cluster:Cluster");
      assert.equal(input(cluster, "vpcConfig.endpointPrivateAccess"), true);
      assert.equal(input(cluster, "vpcConfig.endpointPublicAccess"), expected.endpointPublicAccessCidrs.length > 0);
      assert.deepEqual(input(cluster, "vpcConfig.publicAccessCidrs"), expected.endpointPublicAccessCidrs);
      assert.ok(!(input(cluster, "vpcConfig.publicAccessCidrs") as string[]).includes("0.0.0.0/0"));
    });

    it("requires IMDSv2 on every node group's launch template", async () => {
      const record = await recordOf(stack);
      const groups = ofType(record, "aws:eks/nodeGroup:NodeGroup");
      assert.equal(groups.length, Object.keys(expected.nodeGroups).length);
      for (const group of groups) {
        const template = byMockId(record, input(group, "launchTemplate.id"));
        assert.equal(template?.type, "aws:ec2/launchTemplate:LaunchTemplate", group.name);
        assert.equal(input(template!, "metadataOptions.httpTokens"), "required", group.name);
        assert.equal(input(template!, "metadataOptions.httpPutResponseHopLimit"), expected.imdsHopLimit);
        assert.equal(input(template!, "blockDeviceMappings.0.ebs.encrypted"), "true");
      }
    });

    it("sizes and taints node groups as configured", async () => {
      const groups = ofType(await recordOf(stack), "aws:eks/nodeGroup:NodeGroup");
      for (const [name, spec] of Object.entries(expected.nodeGroups)) {
        const group = groups.find((g) => g.name === `cluster-${name}`)!;
        assert.deepEqual(group.inputs.scalingConfig, {
          minSize: spec.minSize,
          maxSize: spec.maxSize,
          desiredSize: spec.desiredSize,
        });
        assert.deepEqual(input(group, "updateConfig.maxUnavailable"), spec.maxUnavailable);
        assert.deepEqual(group.inputs.instanceTypes, spec.instanceTypes);
        assert.deepEqual(
          group.inputs.taints ?? [],
          spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        );
      }
      const system = groups.find((g) => g.name === "cluster-system")!;
      assert.deepEqual(
        (system.inputs.taints as Array<{ key: string }>).map((t) => t.key),
        ["CriticalAddonsOnly"],
      );
    });

    it("ships the configured control-plane logs to a log group with retention", async () => {
      const record = await recordOf(stack);
      const cluster = only(record, "aws:eks/cluster:Cluster");
      assert.deepEqual(input(cluster, "enabledClusterLogTypes"), expected.logTypes);
      for (const required of ["api", "audit", "authenticator"])
        assert.ok(expected.logTypes.includes(required as never));
      const group = ofType(record, "aws:cloudwatch/logGroup:LogGroup").find(
        (g) => input(g, "name") === `/aws/eks/slipway-${stack}/cluster`,
      );
      assert.ok(group && cluster.dependencies.includes(group.urn), "the log group exists before the cluster");
      assert.equal(input(group, "retentionInDays"), expected.logRetentionDays);
    });

    it("grants the admin roles cluster-admin and the preview roles read access, Secrets included, through access entries in API mode", async () => {
      const record = await recordOf(stack);
      assert.equal(input(only(record, "aws:eks/cluster:Cluster"), "accessConfig.authenticationMode"), "API");
      const associations = ofType(record, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
      const grants = (policy: keyof typeof EKS_ACCESS_POLICIES) =>
        associations.filter((a) => input(a, "policyArn") === EKS_ACCESS_POLICIES[policy].arn);
      assert.deepEqual(
        grants("AmazonEKSClusterAdminPolicy").map((a) => input(a, "principalArn")),
        expected.adminRoleArns,
      );
      assert.ok(expected.previewRoleArns.length > 0, `Pulumi.${stack}.yaml names the workflows' preview role`);
      assert.deepEqual(
        grants("AmazonEKSAdminViewPolicy").map((a) => input(a, "principalArn")),
        expected.previewRoleArns,
      );
      assert.equal(associations.length, expected.adminRoleArns.length + expected.previewRoleArns.length);
      const entries = ofType(record, "aws:eks/accessEntry:AccessEntry");
      for (const association of associations) {
        assert.equal(input(association, "accessScope.type"), "cluster");
        const entry = entries.find((e) => input(e, "principalArn") === input(association, "principalArn"));
        assert.ok(entry && association.dependencies.includes(entry.urn), "the entry exists before its policy");
      }
    });

    it("pins the four managed add-ons, the EBS CSI driver with its IRSA role", async () => {
      const record = await recordOf(stack);
      const addons = Object.fromEntries(ofType(record, "aws:eks/addon:Addon").map((a) => [input(a, "addonName"), a]));
      assert.deepEqual(Object.keys(addons).sort(), ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
      assert.equal(input(addons["aws-ebs-csi-driver"], "addonVersion"), expected.addons.awsEbsCsiDriver);
      assert.equal(input(addons["coredns"], "addonVersion"), expected.addons.coredns);
      const role = byMockArn(
        record,
        "aws:iam/role:Role",
        input(addons["aws-ebs-csi-driver"], "serviceAccountRoleArn"),
      )!;
      const trust = JSON.parse(input(role, "assumeRolePolicy") as string);
      assert.equal(trust.Statement[0].Action, "sts:AssumeRoleWithWebIdentity");
      assert.deepEqual(Object.values(trust.Statement[0].Condition.StringEquals), [
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        "sts.amazonaws.com",
      ]);
      assert.ok(only(record, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"));
    });

    it(`${expected.protect ? "protects" : "does not protect"} the cluster and its KMS key, as configured`, async () => {
      const record = await recordOf(stack);
      const cluster = only(record, "aws:eks/cluster:Cluster");
      assert.equal(cluster.options.protect, expected.protect);
      assert.equal(input(cluster, "deletionProtection"), expected.protect);
      const key = ofType(record, "aws:kms/key:Key").find((k) => k.name === "cluster-secrets")!;
      assert.equal(key.options.protect, expected.protect);
    });

    it("exposes the kubeconfig only as a secret, and builds the Kubernetes provider from it", async () => {
      const record = await recordOf(stack);
      assert.equal(record.outputs.kubeconfig, SECRET_MASK);
      const provider = only(record, "pulumi:providers:kubernetes");
      assert.equal(provider.inputs.kubeconfig, SECRET_MASK);
      assert.doesNotMatch(JSON.stringify(record), /get-token/, "the kubeconfig text reached the record in plain text");
    });
  });

  describe(`Every resource sits under its component (${stack})`, () => {
    it("parents every cloud resource under a slipway component, never directly under the stack", async () => {
      const record = await recordOf(stack);
      const cloud = record.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      assert.ok(cloud.length > 40);
      for (const resource of cloud) {
        const parent = byUrn(record, resource.parent);
        assert.match(parent.type, /^slipway:/, `${resource.urn} is parented to ${parent.type}`);
        assert.ok(
          resource.name.startsWith(`${parent.name}-`),
          `${resource.name} is named after its component ${parent.name}`,
        );
        assert.equal(
          ancestors(record, resource).at(-1),
          `urn:pulumi:${stack}::slipway::pulumi:pulumi:Stack::slipway-${stack}`,
        );
      }
    });

    it("sends every AWS resource through the explicit provider that carries the tags", async () => {
      const record = await recordOf(stack);
      const provider = only(record, "pulumi:providers:aws");
      assert.deepEqual(JSON.parse(input(provider, "defaultTags") as string), {
        tags: { project: "slipway", stack, owner: "platform-team", "managed-by": "pulumi" },
      });
      for (const resource of record.resources.filter((r) => r.type.startsWith("aws:"))) {
        assert.equal(resource.provider, provider.urn, resource.urn);
      }
    });
  });
}

describe("Nothing is registered before config validates", () => {
  it("stops a bad stack file before any resource but the stack itself", async () => {
    const config = stackFileConfig("production");
    (config["slipway:cluster"] as Record<string, unknown>).kubernetesVersion = "1.20";
    await assert.rejects(
      runProgram({ stack: "production", config }),
      (error: Error & { registeredTypes?: string[] }) => {
        assert.match(error.message, /slipway:cluster\.kubernetesVersion/);
        assert.deepEqual(error.registeredTypes, ["pulumi:pulumi:Stack"]);
        return true;
      },
    );
  });
});
