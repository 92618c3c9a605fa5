/**
 * Pricers for the AWS resources Slipway declares. Each reads the inputs the program
 * sends (known in a preview too: sizes and classes are config, not computed outputs).
 */
import type { RecordedResource } from "../../harness/record";
import { valueAt } from "../../lib/chart-contracts";
import { unit, type Pricer, type PricingContext } from "./model";

function hourly(context: PricingContext, perHour: number): number {
  return perHour * context.prices.hoursPerMonth;
}

/** Standard or extended support on `asOf`, from the EKS release calendar in the table. */
const eksCluster: Pricer = (resource, context) => {
  const version = String(resource.inputs.version);
  const { eks } = context.prices;
  const ends = eks.standardSupportEnds[version];
  if (ends === undefined) return context.unpriced(resource, `Kubernetes ${version} is not in the EKS support calendar`);
  // supportType STANDARD: EKS upgrades the cluster at the end of standard support instead of billing extended support.
  const standardOnly = valueAt(resource.inputs, "upgradePolicy.supportType") === "STANDARD";
  const extended = context.asOf > ends && !standardOnly;
  if (extended) {
    context.notice(
      `Kubernetes ${version} left EKS standard support on ${ends}: the control plane bills extended support ` +
        `(${unit(eks.clusterHour.extended, "hour")} instead of ${unit(eks.clusterHour.standard, "hour")}) until it is upgraded`,
    );
  }
  context.line(resource, {
    item: "control plane",
    spec: `Kubernetes ${version}, ${extended ? "extended" : "standard"} support`,
    monthly: hourly(context, extended ? eks.clusterHour.extended : eks.clusterHour.standard),
  });
};

/** The launch template a node group uses, found by property dependency (its ID is unknown in a preview). */
function launchTemplateOf(resource: RecordedResource, context: PricingContext): RecordedResource | undefined {
  const urn = resource.propertyDependencies.launchTemplate?.[0];
  return context.record.resources.find((r) => r.urn === urn);
}

/** Nodes at the desired size, the range from min to max, and each node's root volume. */
const nodeGroup: Pricer = (resource, context) => {
  const [instanceType] = resource.inputs.instanceTypes as string[];
  const scaling = resource.inputs.scalingConfig as { desiredSize: number; minSize: number; maxSize: number };
  // On-Demand node groups launch the first listed type first: the "prioritized" allocation
  // strategy (EKS docs, "Managed node groups", capacity types).
  const perHour = instanceType === undefined ? undefined : context.prices.ec2.instanceHour[instanceType];
  if (perHour === undefined) {
    return context.unpriced(resource, `no price for EC2 ${instanceType} in ${context.prices.region}`);
  }
  if (resource.inputs.capacityType === "SPOT") {
    context.notice(`${resource.name} runs Spot capacity: priced at the On-Demand rate, the most it can cost`);
  }
  const node = hourly(context, perHour);
  context.line(resource, {
    item: "nodes",
    spec: `${scaling.desiredSize} × ${instanceType}`,
    monthly: node * scaling.desiredSize,
    range: { min: node * scaling.minSize, max: node * scaling.maxSize },
  });
  const template = launchTemplateOf(resource, context);
  const disk = valueAt(template?.inputs, "blockDeviceMappings.0.ebs") as { volumeSize?: number; volumeType?: string };
  if (disk?.volumeSize === undefined)
    return context.unpriced(resource, "node disks: no launch template volume to read");
  const perGib = context.prices.ebs.gibMonth[disk.volumeType ?? "gp3"];
  if (perGib === undefined) return context.unpriced(resource, `no price for EBS ${disk.volumeType}`);
  const volume = disk.volumeSize * perGib;
  context.line(resource, {
    item: "node disks",
    spec: `${scaling.desiredSize} × ${disk.volumeSize} GiB ${disk.volumeType ?? "gp3"}`,
    monthly: volume * scaling.desiredSize,
    range: { min: volume * scaling.minSize, max: volume * scaling.maxSize },
  });
};

const natGateway: Pricer = (resource, context) => {
  const { vpc } = context.prices;
  context.line(resource, { item: "NAT gateway", spec: "per hour", monthly: hourly(context, vpc.natGatewayHour) });
  context.assume("NAT gateway data processed", unit(vpc.natGatewayGib, "GiB"), resource);
};

const elasticIp: Pricer = (resource, context) => {
  const perHour = context.prices.vpc.publicIpv4Hour;
  context.line(resource, { item: "public IPv4 address", spec: "per hour", monthly: hourly(context, perHour) });
};

const vpcEndpoint: Pricer = (resource, context) => {
  if (resource.inputs.vpcEndpointType !== "Interface") return; // gateway endpoints (S3, DynamoDB) are free
  const zones = Array.isArray(resource.inputs.subnetIds) ? resource.inputs.subnetIds.length : 1;
  const { vpc } = context.prices;
  context.line(resource, {
    item: "interface endpoint",
    spec: `${String(resource.inputs.serviceName)} in ${zones} zone(s)`,
    monthly: hourly(context, vpc.interfaceEndpointHour) * zones,
  });
  context.assume("interface endpoint data processed", unit(vpc.interfaceEndpointGib, "GiB"), resource);
};

/** The VPC's attachment to a transit gateway (the deploy network's way in), and its traffic. */
const transitGatewayAttachment: Pricer = (resource, context) => {
  const { transitGateway } = context.prices;
  context.line(resource, {
    item: "transit gateway attachment",
    spec: String(resource.inputs.transitGatewayId),
    monthly: hourly(context, transitGateway.attachmentHour),
  });
  context.assume("transit gateway data processed", unit(transitGateway.gib, "GiB"), resource);
};

/** Instance class (twice with a standby), storage now and at the autoscaling ceiling. */
const rdsInstance: Pricer = (resource, context) => {
  const { rds } = context.prices;
  const instanceClass = String(resource.inputs.instanceClass);
  const perHour = rds.postgresInstanceHour[instanceClass];
  if (resource.inputs.engine !== "postgres" || perHour === undefined) {
    return context.unpriced(
      resource,
      `no price for RDS ${String(resource.inputs.engine)} ${instanceClass} in ${rds.source}`,
    );
  }
  const multiAz = resource.inputs.multiAz === true;
  const copies = multiAz ? rds.multiAzFactor : 1;
  context.line(resource, {
    item: "instance",
    spec: `${instanceClass}${multiAz ? " Multi-AZ" : ""}`,
    monthly: hourly(context, perHour) * copies,
  });
  const storageType = String(resource.inputs.storageType ?? "gp2");
  const perGib = rds.storageGibMonth[storageType];
  if (perGib === undefined) return context.unpriced(resource, `no price for RDS storage ${storageType}`);
  const allocated = Number(resource.inputs.allocatedStorage);
  const ceiling = Number(resource.inputs.maxAllocatedStorage ?? allocated);
  context.line(resource, {
    item: "storage",
    spec: `${allocated} GiB ${storageType}${multiAz ? " Multi-AZ" : ""}${ceiling > allocated ? `, autoscaling to ${ceiling} GiB` : ""}`,
    monthly: allocated * perGib * copies,
    range: { min: allocated * perGib * copies, max: ceiling * perGib * copies },
  });
  context.assume("RDS backup storage beyond the allocated size", unit(rds.backupGibMonth, "GiB-month"), resource);
  if (Number(resource.inputs.monitoringInterval ?? 0) > 0) {
    // Enhanced Monitoring writes to the RDSOSMetrics log group, billed as CloudWatch Logs.
    const { cloudwatchLogs } = context.prices;
    context.assume(
      "RDS Enhanced Monitoring (CloudWatch Logs ingestion)",
      unit(cloudwatchLogs.ingestionGib, "GiB"),
      resource,
    );
  }
};

/** Nodes: one per cache cluster, or shards × (replicas + 1) in cluster mode. */
const replicationGroup: Pricer = (resource, context) => {
  const { elasticache } = context.prices;
  const nodeType = String(resource.inputs.nodeType);
  const perHour = elasticache.nodeHour[nodeType];
  if (perHour === undefined)
    return context.unpriced(resource, `no price for ElastiCache ${nodeType} in ${context.prices.region}`);
  const shards = resource.inputs.numNodeGroups as number | undefined;
  const nodes =
    shards !== undefined
      ? shards * (Number(resource.inputs.replicasPerNodeGroup ?? 0) + 1)
      : Number(resource.inputs.numCacheClusters ?? 1);
  context.line(resource, { item: "nodes", spec: `${nodes} × ${nodeType}`, monthly: hourly(context, perHour) * nodes });
  context.assume("ElastiCache backups beyond one per cluster", unit(elasticache.backupGibMonth, "GiB-month"), resource);
};

const kmsKey: Pricer = (resource, context) => {
  const { kms } = context.prices;
  context.line(resource, { item: "KMS key", spec: "per key", monthly: kms.keyMonth });
  if (resource.inputs.enableKeyRotation === true) {
    context.assume("KMS key rotation, first and second rotation", unit(kms.rotationMonth, "key-month each"), resource);
  }
  context.assume("KMS requests", unit(kms.per10kRequests, "10,000 requests"), resource);
};

const logGroup: Pricer = (resource, context) => {
  const { cloudwatchLogs } = context.prices;
  context.assume("CloudWatch Logs ingestion", unit(cloudwatchLogs.ingestionGib, "GiB"), resource);
  context.assume("CloudWatch Logs storage", unit(cloudwatchLogs.storageGibMonth, "GiB-month"), resource);
};

/** Pricers of AWS types, by type token. */
export const AWS_PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:eks/cluster:Cluster": eksCluster,
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/eip:Eip": elasticIp,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": transitGatewayAttachment,
  "aws:rds/instance:Instance": rdsInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
  "aws:kms/key:Key": kmsKey,
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
};
