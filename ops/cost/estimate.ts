/**
 * The monthly cost of what a stack declares, from the program's record and a region's
 * price table: offline and instant. Every AWS type the program declares is either priced
 * here or listed as free with the reason; anything else is reported as unpriced, never
 * counted as zero.
 */
import { identity, type ProgramRecord, type RecordedResource } from "../../harness/record";
import { AWS_PRICERS } from "./aws";
import { KUBERNETES_PRICERS } from "./kubernetes";
import type { CostAssumption, CostEstimate, CostLine, Pricer, PricingContext, Unpriced } from "./model";
import type { PriceTable } from "./prices";

/** Every pricer, by type token. */
export const PRICERS: Readonly<Record<string, Pricer>> = { ...AWS_PRICERS, ...KUBERNETES_PRICERS };

/**
 * AWS types with no charge of their own. Their cost, if any, is billed through another
 * resource: a launch template's volumes through the node group that uses it, a flow log's
 * records through its log group.
 */
export const FREE_AWS_TYPES: ReadonlySet<string> = new Set([
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/route:Route",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/flowLog:FlowLog",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:kms/alias:Alias",
  "aws:eks/addon:Addon",
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/parameterGroup:ParameterGroup",
]);

/** True when a type never bills: components, providers, random values, free AWS types, other Kubernetes objects. */
function isFree(resource: RecordedResource): boolean {
  if (!resource.custom) return true;
  const { type } = resource;
  return (
    type.startsWith("pulumi:providers:") ||
    type.startsWith("random:") ||
    // Other Kubernetes objects run on the priced nodes.
    type.startsWith("kubernetes:") ||
    FREE_AWS_TYPES.has(type)
  );
}

/** A function giving the stack's child a resource belongs to (`database`, `app-web`), or `stack`. */
function componentFinder(record: ProgramRecord): (resource: RecordedResource) => string {
  const byUrn = new Map(record.resources.map((r) => [r.urn, r]));
  return (resource) => {
    let current = resource;
    for (;;) {
      const parent = byUrn.get(current.parent);
      if (!parent || parent.type === "pulumi:pulumi:Stack") return current.custom ? "stack" : current.name;
      current = parent;
    }
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Options of {@link estimateCost}. */
export interface EstimateOptions {
  /** The day priced, `YYYY-MM-DD` (decides EKS standard or extended support). @default today (UTC) */
  readonly asOf?: string;
}

/** The monthly estimate of everything `record` declares, at `prices`. */
export function estimateCost(record: ProgramRecord, prices: PriceTable, options: EstimateOptions = {}): CostEstimate {
  const lines: CostLine[] = [];
  const assumptions = new Map<string, CostAssumption & { resources: string[] }>();
  const unpriced: Unpriced[] = [];
  const notices = new Set<string>();
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const componentOf = componentFinder(record);
  const context: PricingContext = {
    record,
    prices,
    asOf,
    line: (resource, line) =>
      lines.push({
        component: componentOf(resource),
        resource: resource.name,
        key: `${identity(resource)}#${line.item}`,
        ...line,
      }),
    assume: (item, unitPrice, resource) => {
      const entry = assumptions.get(item) ?? { item, unitPrice, appliesTo: "", resources: [] };
      entry.resources.push(resource.name);
      assumptions.set(item, entry);
    },
    unpriced: (resource, reason) => unpriced.push({ resource: resource.name, reason }),
    notice: (text) => notices.add(text),
  };
  for (const resource of record.resources) {
    const pricer = PRICERS[resource.type];
    if (pricer) pricer(resource, context);
    else if (!isFree(resource))
      context.unpriced(resource, `type ${resource.type} has no pricer and is not listed as free in ops/cost`);
  }
  return summarise(prices, asOf, lines, [...assumptions.values()], unpriced, [...notices]);
}

function summarise(
  prices: PriceTable,
  asOf: string,
  lines: CostLine[],
  assumptions: Array<CostAssumption & { resources: string[] }>,
  unpriced: Unpriced[],
  notices: string[],
): CostEstimate {
  const components = new Map<string, number>();
  for (const line of lines) components.set(line.component, (components.get(line.component) ?? 0) + line.monthly);
  return {
    region: prices.region,
    currency: prices.currency,
    pricesChecked: prices.checked,
    asOf,
    hoursPerMonth: prices.hoursPerMonth,
    monthly: sum(lines.map((l) => l.monthly)),
    range: {
      min: sum(lines.map((l) => l.range?.min ?? l.monthly)),
      max: sum(lines.map((l) => l.range?.max ?? l.monthly)),
    },
    byComponent: [...components.entries()]
      .map(([component, monthly]) => ({ component, monthly }))
      .sort((a, b) => b.monthly - a.monthly || a.component.localeCompare(b.component)),
    lines,
    assumptions: assumptions.map(({ item, unitPrice, resources }) => ({
      item,
      unitPrice,
      appliesTo: resources.join(", "),
    })),
    unpriced,
    notices,
  };
}
