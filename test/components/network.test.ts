import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { ofType } from "../../ops/harness/record";
import { runProgram } from "../../ops/harness/run";
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
