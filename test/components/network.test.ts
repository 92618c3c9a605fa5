import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { ofType } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { STACKS, byMockArn, byMockId, input, only, recordOf, stackFileConfig, tag } from "../helpers";

for (const stack of STACKS) {
  const expected = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" }).network;

  describe(`Network (${stack})`, () => {
    it("creates one VPC with the configured CIDR and one public and one private subnet per AZ", async () => {
      const record = await recordOf(stack);
      assert.equal(input(only(record, "aws:ec2/vpc:Vpc"), "cidrBlock"), expected.vpcCidr);
      const subnets = ofType(record, "aws:ec2/subnet:Subnet");
      const tier = (t: string) => subnets.filter((s) => tag(s, "slipway.io/tier") === t);
      assert.deepEqual(
        tier("private").map((s) => input(s, "cidrBlock")),
        expected.privateSubnetCidrs,
      );
      assert.deepEqual(
        tier("public").map((s) => input(s, "cidrBlock")),
        expected.publicSubnetCidrs,
      );
      assert.deepEqual(
        tier("private").map((s) => input(s, "availabilityZone")),
        expected.availabilityZones,
      );
      for (const subnet of subnets) assert.equal(input(subnet, "mapPublicIpOnLaunch"), false, subnet.name);
    });

    it("tags subnets for EKS load-balancer discovery", async () => {
      const subnets = ofType(await recordOf(stack), "aws:ec2/subnet:Subnet");
      for (const subnet of subnets) {
        const key =
          tag(subnet, "slipway.io/tier") === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb";
        assert.equal((subnet.inputs.tags as Record<string, string>)[key], "1", subnet.name);
      }
    });

    it(`creates ${expected.natGateways === "single" ? "one NAT gateway" : "one NAT gateway per AZ"}, as configured, and routes every private subnet through one`, async () => {
      const record = await recordOf(stack);
      const nats = ofType(record, "aws:ec2/natGateway:NatGateway");
      assert.equal(nats.length, expected.natGateways === "single" ? 1 : expected.availabilityZones.length);
      const privateTables = ofType(record, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-"));
      assert.equal(privateTables.length, expected.availabilityZones.length);
      for (const table of privateTables) {
        const route = (table.inputs.routes as Array<Record<string, string>>)[0];
        assert.equal(route.cidrBlock, "0.0.0.0/0");
        assert.ok(
          nats.some((n) => `${n.name}-id` === route.natGatewayId),
          `${table.name} routes to ${route.natGatewayId}`,
        );
      }
    });

    it(`sends VPC flow logs to CloudWatch kept ${expected.flowLogs.retentionDays} days`, async () => {
      const record = await recordOf(stack);
      const flowLog = only(record, "aws:ec2/flowLog:FlowLog");
      assert.equal(byMockId(record, input(flowLog, "vpcId"))?.type, "aws:ec2/vpc:Vpc");
      assert.equal(input(flowLog, "trafficType"), expected.flowLogs.trafficType);
      const group = byMockArn(record, "aws:cloudwatch/logGroup:LogGroup", input(flowLog, "logDestination"));
      assert.ok(group, "flow log destination is a log group of this stack");
      assert.equal(input(group, "retentionInDays"), expected.flowLogs.retentionDays);
    });

    it("adopts the default security group with no rules", async () => {
      const sg = only(await recordOf(stack), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
      assert.equal(sg.inputs.ingress, undefined);
      assert.equal(sg.inputs.egress, undefined);
    });
  });
}

describe("Network follows its config, not the stack name", () => {
  it("gives staging one NAT per AZ when its stack file asks for it", async () => {
    const config = stackFileConfig("staging");
    (config["slipway:network"] as Record<string, unknown>).natGateways = "perAz";
    const record = await runProgram({ stack: "staging", config });
    assert.equal(ofType(record, "aws:ec2/natGateway:NatGateway").length, 3);
  });
});

describe("the deploy network (slipway:network.deployNetwork)", () => {
  const airgap = () => runProgram({ stack: "airgap" });
  const deployNetwork = { cidrs: ["10.99.0.0/16"], transitGatewayId: "tgw-0123456789abcdef0" };

  it("builds no internet gateway, NAT or public subnet in the air-gapped VPC: only private subnets, one per zone", async () => {
    const record = await airgap();
    assert.deepEqual(ofType(record, "aws:ec2/internetGateway:InternetGateway"), []);
    assert.deepEqual(ofType(record, "aws:ec2/natGateway:NatGateway"), []);
    assert.deepEqual(ofType(record, "aws:ec2/eip:Eip"), []);
    const subnets = ofType(record, "aws:ec2/subnet:Subnet");
    assert.deepEqual(
      subnets.map((s) => [tag(s, "slipway.io/tier"), input(s, "availabilityZone")]),
      ["us-east-1a", "us-east-1b", "us-east-1c"].map((az) => ["private", az]),
    );
    // No subnet a load-balancer controller would pick for an internet-facing load balancer.
    for (const subnet of subnets) assert.equal(tag(subnet, "kubernetes.io/role/elb"), undefined, subnet.name);
    assert.deepEqual(
      ofType(record, "aws:ec2/routeTable:RouteTable")
        .map((t) => t.name)
        .filter((name) => !name.includes("-private-")),
      [],
    );
  });

  it("attaches the VPC to the deploy network's transit gateway in every private subnet", async () => {
    const record = await airgap();
    const attachment = only(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    assert.equal(input(attachment, "transitGatewayId"), deployNetwork.transitGatewayId);
    const subnets = (input(attachment, "subnetIds") as string[]).map((id) => byMockId(record, id)!);
    assert.deepEqual(
      subnets.map((s) => tag(s, "slipway.io/tier")),
      ["private", "private", "private"],
    );
  });

  it("routes the deploy network back from every private subnet through that gateway, after the attachment", async () => {
    const record = await airgap();
    const attachment = only(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    const privateTables = ofType(record, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private"));
    assert.equal(privateTables.length, 3);
    for (const table of privateTables) {
      assert.deepEqual(input(table, "routes"), [
        { cidrBlock: "10.99.0.0/16", transitGatewayId: deployNetwork.transitGatewayId },
      ]);
      assert.ok(table.dependencies.includes(attachment.urn), table.name);
    }
  });

  it("admits the deploy network to the private API endpoint on 443, on the cluster security group", async () => {
    const record = await airgap();
    // Every rule the Cluster component adds; the data stores' and endpoints' are their own.
    const rules = ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
      r.name.startsWith("cluster-"),
    );
    assert.deepEqual(
      rules.map((r) => [
        r.name,
        input(r, "cidrIpv4"),
        input(r, "ipProtocol"),
        input(r, "fromPort"),
        input(r, "toPort"),
      ]),
      [["cluster-api-from-10-99-0-0-16", "10.99.0.0/16", "tcp", 443, 443]],
    );
    assert.equal(input(rules[0]!, "securityGroupId"), `sg-cluster-eks-cluster`, "the group EKS made for the cluster");
  });

  it("makes the Kubernetes provider wait for the rule, the attachment and the routes before its first call", async () => {
    const record = await airgap();
    const provider = only(record, "pulumi:providers:kubernetes");
    const needed = [
      ...ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
        r.name.startsWith("cluster-api-from"),
      ),
      only(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"),
      ...ofType(record, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private")),
    ];
    assert.equal(needed.length, 5);
    for (const resource of needed) assert.ok(provider.dependencies.includes(resource.urn), resource.name);
  });

  it("needs no transit gateway for hosts inside the VPC: a rule, no attachment, no route", async () => {
    const config = stackFileConfig("production");
    (config["slipway:network"] as Record<string, unknown>).deployNetwork = { cidrs: ["10.30.200.0/24"] };
    const record = await runProgram({ stack: "production", config });
    assert.deepEqual(ofType(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
    for (const table of ofType(record, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private"))) {
      assert.deepEqual(
        (input(table, "routes") as Array<{ cidrBlock: string }>).map((r) => r.cidrBlock),
        ["0.0.0.0/0"],
      );
    }
    assert.ok(
      ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").some(
        (r) => input(r, "cidrIpv4") === "10.30.200.0/24" && input(r, "fromPort") === 443,
      ),
    );
  });

  it("adds nothing to a stack without one", async () => {
    const record = await recordOf("production");
    assert.deepEqual(ofType(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
    assert.equal(
      ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
        r.name.startsWith("cluster-api-from"),
      ).length,
      0,
    );
  });
});
