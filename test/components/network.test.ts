import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ENDPOINT_SERVICES } from "../../components/vpc-endpoints";
import { Network, type NetworkArgs } from "../../components/network";
import { buildAlone, input, promiseOf, type Built, type BuiltResource } from "../build-alone";

const AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];
const BASE: NetworkArgs = {
  vpcCidr: "10.30.0.0/16",
  availabilityZones: AZS,
  privateSubnetCidrs: ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"],
  publicSubnetCidrs: ["10.30.96.0/22", "10.30.100.0/22", "10.30.104.0/22"],
  natGateways: "single",
  region: "us-east-1",
  flowLogs: { retentionDays: 30, trafficType: "ALL" },
};

const build = (args: NetworkArgs) => buildAlone((opts) => new Network("network", args, opts));
const tag = (resource: BuiltResource, key: string) => (resource.inputs.tags as Record<string, string>)[key];
const tier = (built: Built<Network>, name: string) =>
  built.ofType("aws:ec2/subnet:Subnet").filter((s) => tag(s, "slipway.io/tier") === name);
const privateTables = (built: Built<Network>) =>
  built.ofType("aws:ec2/routeTable:RouteTable").filter((t) => t.name.startsWith("network-private-"));

describe("Network", () => {
  // One row per egress mode: how many NAT gateways, whether an internet gateway exists, and
  // whether the private side reaches AWS through VPC endpoints instead.
  const rows = [
    { natGateways: "single", nats: 1, internetGateway: true, endpoints: false },
    { natGateways: "perAz", nats: 3, internetGateway: true, endpoints: false },
    // Air-gapped: no internet gateway, so no public subnet either (it would be public in name only).
    { natGateways: "none", nats: 0, internetGateway: false, endpoints: true },
  ] as const;

  for (const row of rows) {
    describe(`natGateways: ${row.natGateways}`, () => {
      let built: Built<Network>;
      before(async () => (built = await build({ ...BASE, natGateways: row.natGateways })));

      it("creates one VPC with the CIDR and DNS on, and one public and one private subnet per AZ", () => {
        const vpc = built.only("aws:ec2/vpc:Vpc");
        assert.equal(input(vpc, "cidrBlock"), BASE.vpcCidr);
        assert.deepEqual([input(vpc, "enableDnsHostnames"), input(vpc, "enableDnsSupport")], [true, true]);
        assert.deepEqual(
          tier(built, "private").map((s) => [input(s, "cidrBlock"), input(s, "availabilityZone")]),
          BASE.privateSubnetCidrs.map((cidr, i) => [cidr, AZS[i]]),
        );
        assert.deepEqual(
          tier(built, "public").map((s) => [input(s, "cidrBlock"), input(s, "availabilityZone")]),
          row.internetGateway ? BASE.publicSubnetCidrs.map((cidr, i) => [cidr, AZS[i]]) : [],
        );
        for (const subnet of built.ofType("aws:ec2/subnet:Subnet")) {
          assert.equal(input(subnet, "mapPublicIpOnLaunch"), false, subnet.name);
          assert.equal(input(subnet, "vpcId"), "network-vpc-id", subnet.name);
        }
      });

      it("tags subnets for EKS load-balancer discovery, an internet-facing one only where there is a way out, and names every resource", () => {
        assert.equal(
          built.ofType("aws:ec2/subnet:Subnet").filter((s) => tag(s, "kubernetes.io/role/elb") !== undefined).length,
          row.internetGateway ? AZS.length : 0,
        );
        for (const subnet of tier(built, "public")) assert.equal(tag(subnet, "kubernetes.io/role/elb"), "1");
        for (const subnet of tier(built, "private")) assert.equal(tag(subnet, "kubernetes.io/role/internal-elb"), "1");
        for (const resource of built.resources.filter((r) => r.custom && "tags" in r.inputs))
          assert.equal(tag(resource, "Name")?.startsWith("network-"), true, resource.name);
      });

      it(`creates ${row.nats} NAT gateway(s), each with an Elastic IP in a public subnet, after the internet gateway`, () => {
        const nats = built.ofType("aws:ec2/natGateway:NatGateway");
        assert.equal(nats.length, row.nats);
        assert.equal(built.ofType("aws:ec2/eip:Eip").length, row.nats);
        assert.equal(built.ofType("aws:ec2/internetGateway:InternetGateway").length, row.internetGateway ? 1 : 0);
        nats.forEach((nat, i) => {
          assert.equal(built.byId(input(nat, "subnetId"))?.name, `network-public-${AZS[i]}`);
          assert.equal(built.byId(input(nat, "allocationId"))?.type, "aws:ec2/eip:Eip");
          assert.deepEqual(nat.dependsOn, ["aws:ec2/internetGateway:InternetGateway::network-igw"]);
        });
      });

      it("routes the public side, if any, to the internet gateway, and each private subnet through its own table", () => {
        const publicTables = built.ofType("aws:ec2/routeTable:RouteTable").filter((t) => !t.name.includes("-private-"));
        assert.deepEqual(
          publicTables.map((t) => [t.name, input(t, "routes")]),
          row.internetGateway ? [["network-public-rt", [{ cidrBlock: "0.0.0.0/0", gatewayId: "network-igw-id" }]]] : [],
        );
        const nats = built.ofType("aws:ec2/natGateway:NatGateway");
        const tables = privateTables(built);
        assert.equal(tables.length, AZS.length);
        tables.forEach((table, i) => {
          const nat = row.natGateways === "perAz" ? nats[i] : nats[0];
          assert.deepEqual(
            input(table, "routes"),
            nat ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: `${nat.name}-id` }] : [],
          );
        });
        const associations = built.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation");
        assert.equal(associations.length, (row.internetGateway ? 2 : 1) * AZS.length);
        for (const association of associations) {
          const subnet = built.byId(input(association, "subnetId"))!;
          const table = built.byId(input(association, "routeTableId"))!;
          const expected = tag(subnet, "slipway.io/tier") === "public" ? "network-public-rt" : subnet.name;
          assert.equal(table.name, expected, association.name);
        }
      });

      it(`${row.endpoints ? "reaches AWS through VPC endpoints, and marks the VPC as without egress" : "needs no VPC endpoints"}`, () => {
        const endpoints = built.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.equal(tag(built.only("aws:ec2/vpc:Vpc"), "slipway.io/egress"), row.endpoints ? "none" : undefined);
        if (!row.endpoints) return assert.deepEqual(endpoints, []);
        const interfaces = endpoints.filter((e) => input(e, "vpcEndpointType") === "Interface");
        assert.deepEqual(
          interfaces.map((e) => input(e, "serviceName")),
          Object.keys(ENDPOINT_SERVICES).map((s) => `com.amazonaws.us-east-1.${s}`),
        );
        for (const endpoint of interfaces) {
          assert.equal(input(endpoint, "privateDnsEnabled"), true);
          assert.deepEqual(
            (input(endpoint, "subnetIds") as string[]).map((id) => built.byId(id)?.name),
            AZS.map((az) => `network-private-${az}`),
          );
        }
        const s3 = endpoints.find((e) => input(e, "vpcEndpointType") === "Gateway")!;
        assert.equal(input(s3, "serviceName"), "com.amazonaws.us-east-1.s3");
        assert.deepEqual(
          input(s3, "routeTableIds"),
          privateTables(built).map((t) => `${t.name}-id`),
        );
        const https = built.only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(
          [input(https, "cidrIpv4"), input(https, "ipProtocol"), input(https, "fromPort"), input(https, "toPort")],
          [BASE.vpcCidr, "tcp", 443, 443],
        );
      });

      it("adopts the default security group with no rules", () => {
        const group = built.only("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.equal(input(group, "vpcId"), "network-vpc-id");
        assert.equal(group.inputs.ingress, undefined);
        assert.equal(group.inputs.egress, undefined);
      });

      it("exposes the VPC, the subnets in AZ order and the NAT count", async () => {
        const network = built.component;
        assert.equal(await promiseOf(network.vpcId), "network-vpc-id");
        assert.deepEqual(
          await Promise.all(network.privateSubnetIds.map(promiseOf)),
          AZS.map((az) => `network-private-${az}-id`),
        );
        assert.deepEqual(
          await Promise.all(network.publicSubnetIds.map(promiseOf)),
          row.internetGateway ? AZS.map((az) => `network-public-${az}-id`) : [],
        );
        assert.equal(network.natGatewayCount, row.nats);
        assert.deepEqual(network.deployNetworkRoute, []);
      });
    });
  }

  describe("flow logs", () => {
    for (const [retentionDays, trafficType] of [
      [30, "ALL"],
      [7, "REJECT"],
    ] as const) {
      it(`sends ${trafficType} VPC flow logs to a log group kept ${retentionDays} days, written by a role limited to it`, async () => {
        const built = await build({ ...BASE, flowLogs: { retentionDays, trafficType } });
        const flowLog = built.only("aws:ec2/flowLog:FlowLog");
        assert.equal(input(flowLog, "vpcId"), "network-vpc-id");
        assert.equal(input(flowLog, "trafficType"), trafficType);
        assert.equal(input(flowLog, "logDestinationType"), "cloud-watch-logs");
        const group = built.byArn("aws:cloudwatch/logGroup:LogGroup", input(flowLog, "logDestination"))!;
        assert.equal(input(group, "retentionInDays"), retentionDays);
        const role = built.byArn("aws:iam/role:Role", input(flowLog, "iamRoleArn"))!;
        assert.match(input(role, "assumeRolePolicy") as string, /vpc-flow-logs\.amazonaws\.com/);
        const policy = JSON.parse(input(built.only("aws:iam/rolePolicy:RolePolicy"), "policy") as string);
        const arn = input(flowLog, "logDestination");
        assert.deepEqual(policy.Statement[0].Resource, [arn, `${arn}:*`]);
        assert.deepEqual(policy.Statement[0].Action, [
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "logs:DescribeLogStreams",
        ]);
      });
    }
  });

  describe("the deploy network", () => {
    const transitGatewayId = "tgw-0123456789abcdef0";

    it("outside the VPC: attaches the VPC in every private subnet and routes it back through the gateway, after the attachment", async () => {
      const built = await build({
        ...BASE,
        natGateways: "none",
        deployNetwork: { cidrs: ["10.99.0.0/16"], transitGatewayId },
      });
      const attachment = built.only("aws:ec2transitgateway/vpcAttachment:VpcAttachment");
      assert.equal(input(attachment, "transitGatewayId"), transitGatewayId);
      assert.equal(input(attachment, "vpcId"), "network-vpc-id");
      assert.deepEqual(
        (input(attachment, "subnetIds") as string[]).map((id) => tag(built.byId(id)!, "slipway.io/tier")),
        ["private", "private", "private"],
      );
      for (const table of privateTables(built)) {
        assert.deepEqual(input(table, "routes"), [{ cidrBlock: "10.99.0.0/16", transitGatewayId }]);
        assert.deepEqual(table.dependsOn, [`aws:ec2transitgateway/vpcAttachment:VpcAttachment::${attachment.name}`]);
      }
      assert.deepEqual(
        built.component.deployNetworkRoute.length,
        1 + AZS.length,
        "the attachment and the private route tables, for the Kubernetes provider to wait for",
      );
    });

    it("keeps the NAT route beside the deploy network's", async () => {
      const built = await build({ ...BASE, deployNetwork: { cidrs: ["10.99.0.0/16"], transitGatewayId } });
      for (const table of privateTables(built)) {
        assert.deepEqual(
          (input(table, "routes") as Array<{ cidrBlock: string }>).map((r) => r.cidrBlock),
          ["0.0.0.0/0", "10.99.0.0/16"],
        );
      }
    });

    const inside: Array<[string, NetworkArgs["deployNetwork"]]> = [
      ["inside the VPC", { cidrs: ["10.30.200.0/24"], transitGatewayId }],
      ["without a transit gateway", { cidrs: ["10.99.0.0/16"] }],
    ];
    for (const [when, deployNetwork] of inside) {
      it(`${when}: no attachment and no route`, async () => {
        const built = await build({ ...BASE, deployNetwork });
        assert.deepEqual(built.ofType("aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
        for (const table of privateTables(built)) {
          assert.deepEqual(
            (input(table, "routes") as Array<{ cidrBlock: string }>).map((r) => r.cidrBlock),
            ["0.0.0.0/0"],
          );
          assert.deepEqual(table.dependsOn, []);
        }
        assert.deepEqual(built.component.deployNetworkRoute, []);
      });
    }
  });

  it("refuses natGateways: none without the region its endpoints need", async () => {
    await assert.rejects(
      build({ ...BASE, natGateways: "none", region: undefined }),
      /natGateways: none needs the region/,
    );
  });
});
