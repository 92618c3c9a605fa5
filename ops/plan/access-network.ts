/**
 * The pieces of the access-path check (access-paths.ts): its types, the record read as a
 * linked graph, and the network the program declares (routes, endpoints, the cluster's
 * security group), from which each route leg is found.
 */
import { cidrsOutside, contains, parseCidr } from "../../lib/cidr";
import type { StackConfig } from "../../infra/config";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { INTERNET_ONLY_SERVICES, type FactName } from "./access-needs";
import type { WorkflowJob } from "./workflow-jobs";

/** One leg of a path: the route, the grant or the tool. */
export interface Leg {
  /** `ok`: found in the program; `missing`: a finding; `external`: the account's, not checked here. */
  readonly status: "ok" | "missing" | "external";
  /** What carries it, what is missing, or who provides it. */
  readonly text: string;
}

/** One call of one actor. */
export interface AccessPath {
  readonly actor: string;
  readonly call: string;
  readonly route: Leg;
  readonly grant: Leg;
  /** A tool the caller must have, for the calls that need one. */
  readonly tool?: Leg;
  /** The facts of access-needs.ts the path relies on. */
  readonly facts: FactName[];
}

/** A path with a missing leg: it fails the plan. */
export interface AccessFinding {
  readonly actor: string;
  readonly call: string;
  readonly leg: "route" | "grant" | "tool";
  readonly missing: string;
}

/** Everything the check found. */
export interface AccessReport {
  readonly paths: AccessPath[];
  readonly findings: AccessFinding[];
  /** What holds for an actor as a whole (a job whose runners are off). */
  readonly notes: string[];
}

/** What the check reads. */
export interface AccessInput {
  /** The program's record with known values (`pulumi up`'s form). */
  readonly record: ProgramRecord;
  /** The validated stack config. */
  readonly config: StackConfig;
  /** The workflow jobs of every stack; the check keeps this stack's. */
  readonly workflows: readonly WorkflowJob[];
}

export const ok = (text: string): Leg => ({ status: "ok", text });
export const missing = (text: string): Leg => ({ status: "missing", text });
export const external = (text: string): Leg => ({ status: "external", text });
export const none: Leg = ok("none needed");

/** The record's resources, linked the way the program linked them (by property dependencies). */
export class Graph {
  private readonly byUrn: Map<string, RecordedResource>;
  constructor(readonly record: ProgramRecord) {
    this.byUrn = new Map(record.resources.map((r) => [r.urn, r]));
  }
  of(type: string): RecordedResource[] {
    return this.record.resources.filter((r) => r.type === type);
  }
  /** The resources an input of `resource` came from. */
  from(resource: RecordedResource, input: string): RecordedResource[] {
    return (resource.propertyDependencies[input] ?? []).flatMap((urn) => this.byUrn.get(urn) ?? []);
  }
  /** Resources of `type` with an input that came from `target`. */
  pointingAt(type: string, input: string, target: RecordedResource): RecordedResource[] {
    return this.of(type).filter((r) => (r.propertyDependencies[input] ?? []).includes(target.urn));
  }
}

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  table: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  nat: "aws:ec2/natGateway:NatGateway",
  igw: "aws:ec2/internetGateway:InternetGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  association_: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  role: "aws:iam/role:Role",
  attach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  release: "kubernetes:helm.sh/v3:Release",
  issuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
  service: "kubernetes:core/v1:Service",
} as const;

export const str = (value: unknown): string => (typeof value === "string" ? value : "");
export const tags = (r: RecordedResource) => (r.inputs.tags ?? {}) as Record<string, string>;
export const cidrIn = (outer: string, inner: string) => {
  const [o, i] = [parseCidr(outer), parseCidr(inner)];
  return o !== undefined && i !== undefined && contains(o, i);
};

/** Where the calls of an actor start. */
export type Location =
  | { readonly kind: "nodes"; readonly label: string }
  | { readonly kind: "network"; readonly label: string; readonly cidrs: readonly string[] }
  | { readonly kind: "public"; readonly label: string; readonly cidrs: readonly string[] };

/** The network as the program declares it: routes, endpoints, the cluster's security group. */
export class Network {
  readonly vpcCidr: string;
  readonly cluster: RecordedResource | undefined;
  constructor(
    private readonly g: Graph,
    private readonly region: string,
  ) {
    this.vpcCidr = str(g.of(T.vpc)[0]?.inputs.cidrBlock);
    this.cluster = g.of(T.cluster)[0];
  }

  /** The subnets the nodes (and so every pod) are in. */
  nodeSubnets(): RecordedResource[] {
    const ids = new Set(this.g.of(T.nodeGroup).flatMap((n) => this.g.from(n, "subnetIds").map((s) => s.urn)));
    return this.g.of(T.subnet).filter((s) => ids.has(s.urn));
  }

  /** The subnets the control plane's network interfaces are in. */
  clusterSubnets(): RecordedResource[] {
    return this.cluster ? this.g.from(this.cluster, "vpcConfig").filter((r) => r.type === T.subnet) : [];
  }

  /** The subnets of the VPC that hold `cidr`, or that it holds. */
  subnetsOf(cidr: string): RecordedResource[] {
    return this.g
      .of(T.subnet)
      .filter((s) => cidrIn(str(s.inputs.cidrBlock), cidr) || cidrIn(cidr, str(s.inputs.cidrBlock)));
  }

  private tableOf(subnet: RecordedResource): RecordedResource | undefined {
    const association = this.g.pointingAt(T.association, "subnetId", subnet)[0];
    return association ? this.g.from(association, "routeTableId")[0] : undefined;
  }

  private routes(table: RecordedResource): Array<Record<string, unknown>> {
    return (table.inputs.routes ?? []) as Array<Record<string, unknown>>;
  }

  /** How `subnet` reaches the internet: its default route to a NAT gateway whose subnet routes to an internet gateway. */
  internet(subnet: RecordedResource): Leg {
    const table = this.tableOf(subnet);
    if (!table) return missing(`${subnet.name} has no route table`);
    const nat = this.g.from(table, "routes").find((r) => r.type === T.nat);
    const viaNat = this.routes(table).some((r) => r.cidrBlock === "0.0.0.0/0" && r.natGatewayId !== undefined);
    if (!nat || !viaNat) return missing(`${table.name} has no default route to a NAT gateway`);
    const natSubnet = this.g.from(nat, "subnetId")[0];
    const publicTable = natSubnet && this.tableOf(natSubnet);
    const igw = publicTable && this.g.from(publicTable, "routes").find((r) => r.type === T.igw);
    if (!publicTable || !igw)
      return missing(`NAT gateway ${nat.name} sits in a subnet with no route to an internet gateway`);
    return ok(`NAT gateway ${nat.name} -> ${igw.name}`);
  }

  /** How `subnets` reach an AWS API: through NAT, or the service's VPC endpoint. */
  awsApi(subnets: readonly RecordedResource[], service: string): Leg {
    if (subnets.length === 0) return missing(`no subnet to call ${service} from`);
    const legs = subnets.map((subnet) => {
      const internet = this.internet(subnet);
      if (internet.status === "ok" || INTERNET_ONLY_SERVICES.has(service)) return internet;
      return this.endpointFor(subnet, service);
    });
    const bad = legs.find((l) => l.status !== "ok");
    if (bad) return missing(`${service}: ${bad.text}`);
    return ok(
      `from ${subnets.length === 1 ? subnets[0]!.name : `each of ${subnets.length} subnets`}: ${[...new Set(legs.map((l) => l.text))].join(", ")}`,
    );
  }

  private endpointFor(subnet: RecordedResource, service: string): Leg {
    const name = `com.amazonaws.${this.region}.${service}`;
    const endpoints = this.g.of(T.endpoint).filter((e) => e.inputs.serviceName === name);
    if (service === "s3") {
      const table = this.tableOf(subnet);
      const gateway = endpoints.find(
        (e) => e.inputs.vpcEndpointType === "Gateway" && table && this.g.from(e, "routeTableIds").includes(table),
      );
      return gateway
        ? ok(`S3 gateway endpoint ${gateway.name}`)
        : missing(`${subnet.name} has no NAT route and its route table no S3 gateway endpoint`);
    }
    const endpoint = endpoints.find(
      (e) => e.inputs.vpcEndpointType === "Interface" && e.inputs.privateDnsEnabled === true,
    );
    if (!endpoint) return missing(`${subnet.name} has no NAT route and the VPC no ${service} interface endpoint`);
    const cidr = str(subnet.inputs.cidrBlock);
    const groups = this.g.from(endpoint, "securityGroupIds");
    const rule = groups
      .flatMap((group) => this.g.pointingAt(T.ingress, "securityGroupId", group))
      .find((r) => admits(r, cidr));
    if (!rule) return missing(`${endpoint.name}'s security group admits no HTTPS from ${cidr}`);
    return ok(`interface endpoint ${endpoint.name} (private DNS; ${rule.name})`);
  }

  /**
   * How a caller reaches the Kubernetes API. Nodes and pods carry the cluster security
   * group and use the private endpoint; a network needs the 443 rule (and, outside the VPC,
   * routes back); public CIDRs need the public endpoint's allow-list.
   */
  kubernetesApi(from: Location): { leg: Leg; facts: FactName[] } {
    const cluster = this.cluster;
    if (!cluster) return { leg: missing("the program declares no EKS cluster"), facts: [] };
    const vpcConfig = (cluster.inputs.vpcConfig ?? {}) as Record<string, unknown>;
    if (from.kind === "public") {
      const allowed = (vpcConfig.publicAccessCidrs ?? []) as string[];
      const outside = from.cidrs.filter((c) => !allowed.some((a) => cidrIn(a, c)));
      if (vpcConfig.endpointPublicAccess !== true)
        return { leg: missing("the public endpoint is off"), facts: ["publicEndpoint"] };
      if (outside.length > 0)
        return { leg: missing(`the public endpoint does not admit ${outside.join(", ")}`), facts: ["publicEndpoint"] };
      return {
        leg: ok(`public endpoint, admitting ${from.cidrs.join(", ")} (publicAccessCidrs)`),
        facts: ["publicEndpoint"],
      };
    }
    if (vpcConfig.endpointPrivateAccess !== true)
      return { leg: missing("the private endpoint is off"), facts: ["privateEndpointFromVpc"] };
    if (from.kind === "nodes") {
      const named = this.g
        .of(T.launchTemplate)
        .filter((t) =>
          ["vpcSecurityGroupIds", "securityGroupNames", "networkInterfaces"].some((k) => t.inputs[k] !== undefined),
        );
      if (named.length > 0) {
        return {
          leg: missing(
            `launch template ${named[0]!.name} names its own security groups, so its nodes lack the cluster security group`,
          ),
          facts: ["nodesTakeClusterSecurityGroup"],
        };
      }
      return {
        leg: ok(
          `private endpoint; ${from.label} carry the cluster security group (no launch template names one), which admits itself`,
        ),
        facts: [
          "privateEndpointFromVpc",
          "clusterSecurityGroup",
          "nodesTakeClusterSecurityGroup",
          "podsShareNodeSecurityGroups",
        ],
      };
    }
    const rules = this.g.pointingAt(T.ingress, "securityGroupId", cluster);
    const facts: FactName[] = ["privateEndpointFromVpc", "connectedNetwork"];
    const via: string[] = [];
    for (const cidr of from.cidrs) {
      const rule = rules.find((r) => admits(r, cidr));
      if (!rule) return { leg: missing(`no rule on the cluster security group admits ${cidr} on 443`), facts };
      via.push(rule.name);
      if (cidrsOutside(this.vpcCidr, [cidr]).length === 0) continue;
      const back = this.routeBack(cidr);
      if (back.status !== "ok") return { leg: back, facts };
      via.push(back.text);
    }
    return { leg: ok(`private endpoint; ${[...new Set(via)].join(", ")}`), facts };
  }

  /** The control plane's answers to `cidr`: a route in each of its subnets' tables through an attached transit gateway. */
  private routeBack(cidr: string): Leg {
    const attachments = this.g.of(T.attachment);
    const subnets = this.clusterSubnets();
    const used = new Set<string>();
    for (const subnet of subnets) {
      const table = this.tableOf(subnet);
      const route =
        table && this.routes(table).find((r) => cidrIn(str(r.cidrBlock), cidr) && r.transitGatewayId !== undefined);
      if (!table || !route)
        return missing(`no route back to ${cidr} from ${subnet.name}, where the control plane answers`);
      const attachment = attachments.find((a) => a.inputs.transitGatewayId === route.transitGatewayId);
      if (!attachment) {
        return missing(
          `${table.name} routes ${cidr} to ${str(route.transitGatewayId)}, which the VPC is not attached to`,
        );
      }
      used.add(attachment.name);
    }
    if (subnets.length === 0) return missing("the control plane has no subnet");
    return ok(`the route back from each of its ${subnets.length} subnets through ${[...used].join(", ")}`);
  }

  /** Public subnets with an internet gateway route, or private ones, tagged for load balancers of `scheme`. */
  loadBalancerSubnets(scheme: "internet-facing" | "internal"): Leg {
    const tag = scheme === "internal" ? "kubernetes.io/role/internal-elb" : "kubernetes.io/role/elb";
    const tagged = this.g.of(T.subnet).filter((s) => tags(s)[tag] === "1");
    if (tagged.length === 0) return missing(`no subnet is tagged ${tag}`);
    if (scheme === "internal") return ok(`${tagged.length} subnets tagged ${tag}`);
    const routed = tagged.filter((s) => {
      const table = this.tableOf(s);
      return table !== undefined && this.g.from(table, "routes").some((r) => r.type === T.igw);
    });
    return routed.length > 0
      ? ok(`${routed.length} subnets tagged ${tag}, routed to an internet gateway`)
      : missing(`the subnets tagged ${tag} have no route to an internet gateway`);
  }
}

/** Whether an ingress rule admits `cidr` on TCP 443. */
export function admits(rule: RecordedResource, cidr: string): boolean {
  const protocol = str(rule.inputs.ipProtocol);
  const from = Number(rule.inputs.fromPort ?? -1);
  const to = Number(rule.inputs.toPort ?? -1);
  const port = protocol === "-1" || (protocol === "tcp" && from <= 443 && 443 <= to);
  return port && cidrIn(str(rule.inputs.cidrIpv4), cidr);
}

/** The paths of one actor, collected. */
export class Actor {
  readonly paths: AccessPath[] = [];
  constructor(readonly name: string) {}
  add(call: string, route: Leg, grant: Leg, facts: FactName[], tool?: Leg): void {
    this.paths.push({ actor: this.name, call, route, grant, ...(tool ? { tool } : {}), facts });
  }
}

/** One leg for several: the first that is not ok, or all of them joined. */
export function combine(legs: readonly Leg[]): Leg {
  const bad = legs.find((l) => l.status !== "ok");
  return bad ?? ok([...new Set(legs.map((l) => l.text))].join("; "));
}
