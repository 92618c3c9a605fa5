/**
 * The VPC every other component lives in: one public and one private subnet per AZ,
 * NAT egress for the private side (or, air-gapped, only the private subnets, no egress
 * and VPC endpoints), flow logs, and a default security group stripped of its rules.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceAssumeRolePolicy } from "./iam-policies";
import { VpcEndpoints } from "./vpc-endpoints";
import { itemAt } from "../lib/item-at";
import { cidrsOutside } from "../lib/cidr";
import type { NetworkSettings } from "../settings/network";

/**
 * Arguments of {@link Network}: the network settings (settings/network.ts), with the
 * subnet layout resolved into one CIDR per AZ.
 */
export type NetworkArgs = Omit<
  NetworkSettings,
  "privateSubnetPrefixLength" | "publicSubnetPrefixLength" | "subnetCidrs"
> & {
  /** One private subnet CIDR per AZ, index-aligned with `availabilityZones` (nodes, databases, caches). */
  readonly privateSubnetCidrs: readonly string[];
  /**
   * One public subnet CIDR per AZ, index-aligned with `availabilityZones` (NAT gateways,
   * internet-facing load balancers). With `natGateways: none` nothing is built in them: the
   * range stays reserved in the VPC's plan.
   */
  readonly publicSubnetCidrs: readonly string[];
  /** AWS region, for the VPC endpoints' service names; required with `natGateways: none`. @default - none */
  readonly region?: string;
};

/** A VPC laid out for EKS: private subnets for the workloads, public ones for the edge. */
export class Network extends pulumi.ComponentResource {
  /** The VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** Private subnet ids, one per AZ, in the order of `availabilityZones`. */
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** Public subnet ids, one per AZ, in the order of `availabilityZones`; none when air-gapped. */
  public readonly publicSubnetIds: pulumi.Output<string>[];
  /** Number of NAT gateways created. */
  public readonly natGatewayCount: number;
  /**
   * What the deploy network's way into the VPC is made of (the transit gateway attachment
   * and the private route tables routing back through it); empty without a deploy network
   * outside the VPC. The Kubernetes provider waits for it.
   */
  public readonly deployNetworkRoute: pulumi.Resource[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:aws:Network", name, {}, opts);
    const isolated = args.natGateways === "none";
    const vpc = this.vpc(name, args);
    const igw = isolated
      ? undefined
      : new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, { parent: this });
    // An air-gapped VPC has no internet gateway, so a public subnet would be public in name
    // only: a route table with no way out, and a subnet the load-balancer controllers would
    // still pick for an internet-facing load balancer (its `kubernetes.io/role/elb` tag).
    const publicSubnets = igw ? this.publicSubnets(name, args, vpc, igw) : [];
    const natGateways = igw ? this.natGateways(name, args, publicSubnets, igw) : [];
    const { subnets: privateSubnets, routeTables, attachment } = this.privateSubnets(name, args, vpc, natGateways);
    if (isolated) this.endpoints(name, args, vpc, privateSubnets, routeTables);
    this.deployNetworkRoute = attachment ? [attachment, ...routeTables] : [];
    this.flowLogs(name, args, vpc);
    this.natGatewayCount = natGateways.length;
    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      natGatewayCount: this.natGatewayCount,
    });
  }

  /** The VPC, its default security group adopted with no rules. */
  private vpc(name: string, args: NetworkArgs): aws.ec2.Vpc {
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        // The tag says "no path to the internet" to people and to the policy pack
        // (policy/rules/airgap.ts holds such a stack to no public registry).
        tags: { Name: `${name}-vpc`, ...(args.natGateways === "none" ? { "slipway.io/egress": "none" } : {}) },
      },
      { parent: this },
    );
    // Adopting the default security group with no rules removes AWS's allow-all-within-group
    // rules, so nothing that forgets its own group is silently reachable (VPC-02).
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: { Name: `${name}-default-sg (no rules)` } },
      { parent: this },
    );
    return vpc;
  }

  /** One public subnet per zone, routed to the internet gateway. */
  private publicSubnets(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    igw: aws.ec2.InternetGateway,
  ): aws.ec2.Subnet[] {
    const routeTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: { Name: `${name}-public-rt` },
      },
      { parent: this },
    );
    return args.availabilityZones.map((az, index) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${az}`,
        {
          vpcId: vpc.id,
          cidrBlock: args.publicSubnetCidrs[index],
          availabilityZone: az,
          // Nothing here needs an automatic public IP: NAT gateways get Elastic IPs and
          // load balancers get their own (VPC-03).
          mapPublicIpOnLaunch: false,
          // Internet-facing load balancers land here (AWS Load Balancer / in-tree controller discovery).
          tags: { Name: `${name}-public-${az}`, "kubernetes.io/role/elb": "1", "slipway.io/tier": "public" },
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${az}`,
        { subnetId: subnet.id, routeTableId: routeTable.id },
        { parent: this },
      );
      return subnet;
    });
  }

  /** A NAT gateway with its Elastic IP in the first zone, or in every zone (`perAz`). */
  private natGateways(
    name: string,
    args: NetworkArgs,
    publicSubnets: aws.ec2.Subnet[],
    igw: aws.ec2.InternetGateway,
  ): aws.ec2.NatGateway[] {
    const azs = args.availabilityZones;
    const natAzs = args.natGateways === "single" ? azs.slice(0, 1) : azs;
    return natAzs.map((az, index) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${az}`,
        { domain: "vpc", tags: { Name: `${name}-nat-${az}` } },
        { parent: this },
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${az}`,
        {
          subnetId: itemAt(publicSubnets, index, "public subnet of the NAT's zone").id,
          allocationId: eip.id,
          tags: { Name: `${name}-nat-${az}` },
        },
        { parent: this, dependsOn: [igw] },
      );
    });
  }

  /**
   * One private subnet per zone, with its own route table to its zone's NAT (or the single
   * one); with no NAT, a route table with no route out of the VPC. A deploy network outside
   * the VPC is routed through its transit gateway from every private subnet, where the
   * control plane's network interfaces answer it.
   */
  private privateSubnets(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    natGateways: aws.ec2.NatGateway[],
  ): {
    subnets: aws.ec2.Subnet[];
    routeTables: aws.ec2.RouteTable[];
    attachment?: aws.ec2transitgateway.VpcAttachment;
  } {
    const single = args.natGateways === "single";
    const subnets = args.availabilityZones.map(
      (az, index) =>
        new aws.ec2.Subnet(
          `${name}-private-${az}`,
          {
            vpcId: vpc.id,
            cidrBlock: args.privateSubnetCidrs[index],
            availabilityZone: az,
            mapPublicIpOnLaunch: false,
            tags: {
              Name: `${name}-private-${az}`,
              "kubernetes.io/role/internal-elb": "1",
              "slipway.io/tier": "private",
            },
          },
          { parent: this },
        ),
    );
    const attachment = this.deployNetworkAttachment(name, args, vpc, subnets);
    const deployRoutes = attachment
      ? cidrsOutside(args.vpcCidr, args.deployNetwork?.cidrs ?? []).map((cidrBlock) => ({
          cidrBlock,
          transitGatewayId: attachment.transitGatewayId,
        }))
      : [];
    const routeTables = args.availabilityZones.map((az, index) => {
      const nat = natGateways.length > 0 ? natGateways[single ? 0 : index] : undefined;
      // The routes are inline, as the NAT route always was, and a table with inline routes owns
      // them all: a route added by hand goes at the next update (an empty list "removes all
      // managed routes", and inline routes cannot be mixed with aws.ec2.Route: @pulumi/aws
      // 7.48.0 ec2/routeTable.d.ts, `routes`). So the deploy network's routes are here too,
      // created after the attachment: each names a transit gateway the VPC is attached to.
      const routeTable = new aws.ec2.RouteTable(
        `${name}-private-${az}`,
        {
          vpcId: vpc.id,
          routes: [...(nat ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] : []), ...deployRoutes],
          tags: { Name: `${name}-private-${az}` },
        },
        { parent: this, dependsOn: attachment ? [attachment] : [] },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${az}`,
        { subnetId: itemAt(subnets, index, "private subnet of the zone").id, routeTableId: routeTable.id },
        { parent: this },
      );
      return routeTable;
    });
    return { subnets, routeTables, attachment };
  }

  /**
   * The VPC's attachment to the deploy network's transit gateway, in the private subnets
   * (one network interface per zone), when a deploy network CIDR lies outside the VPC. The
   * transit gateway's own route tables, and the deploy network's side, are the account's.
   */
  private deployNetworkAttachment(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    privateSubnets: aws.ec2.Subnet[],
  ): aws.ec2transitgateway.VpcAttachment | undefined {
    const deploy = args.deployNetwork;
    if (!deploy?.transitGatewayId || cidrsOutside(args.vpcCidr, deploy.cidrs).length === 0) return undefined;
    return new aws.ec2transitgateway.VpcAttachment(
      `${name}-deploy-network`,
      {
        transitGatewayId: deploy.transitGatewayId,
        vpcId: vpc.id,
        subnetIds: privateSubnets.map((s) => s.id),
        tags: { Name: `${name}-deploy-network` },
      },
      { parent: this },
    );
  }

  /** The AWS APIs the nodes and add-ons call, reached through VPC endpoints instead of NAT. */
  private endpoints(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    privateSubnets: aws.ec2.Subnet[],
    routeTables: aws.ec2.RouteTable[],
  ): void {
    if (!args.region) throw new pulumi.ResourceError("natGateways: none needs the region for the VPC endpoints", this);
    new VpcEndpoints(
      `${name}-endpoints`,
      {
        vpcId: vpc.id,
        vpcCidr: args.vpcCidr,
        region: args.region,
        subnetIds: privateSubnets.map((s) => s.id),
        routeTableIds: routeTables.map((t) => t.id),
      },
      { parent: this },
    );
  }

  /** VPC flow logs into a log group with retention, written by a role limited to that group. */
  private flowLogs(name: string, args: NetworkArgs, vpc: aws.ec2.Vpc): void {
    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogs.retentionDays, tags: { Name: `${name}-flow-logs` } },
      { parent: this },
    );
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs`,
      { assumeRolePolicy: serviceAssumeRolePolicy("vpc-flow-logs.amazonaws.com"), tags: { Name: `${name}-flow-logs` } },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: flowLogGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
      },
      { parent: this },
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: args.flowLogs.trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
        tags: { Name: `${name}-flow-log` },
      },
      { parent: this },
    );
  }
}
