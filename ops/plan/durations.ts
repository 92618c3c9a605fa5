/**
 * Typical provisioning times, in minutes, for the critical-path estimate. These are
 * planning figures, not measurements: the middle of what AWS documents or what creating
 * the resource usually takes. Documented in docs/provisioning-times.md; change both together.
 */
import type { RecordedResource } from "../../harness/record";

/** Minutes by type token; a function where the inputs change the answer. */
export const PROVISIONING_MINUTES: Readonly<Record<string, number | ((r: RecordedResource) => number)>> = {
  // EKS: AWS quotes about 10 minutes for a control plane; node groups and add-ons a few.
  "aws:eks/cluster:Cluster": 10,
  "aws:eks/nodeGroup:NodeGroup": 4,
  "aws:eks/addon:Addon": 1.5,
  "aws:eks/accessEntry:AccessEntry": 0.1,
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 0.1,
  // RDS: a Multi-AZ instance builds a standby too.
  "aws:rds/instance:Instance": (r) => (r.inputs.multiAz === true ? 20 : 12),
  "aws:rds/parameterGroup:ParameterGroup": 0.1,
  "aws:rds/subnetGroup:SubnetGroup": 0.1,
  // ElastiCache: each replica adds a few minutes.
  "aws:elasticache/replicationGroup:ReplicationGroup": (r) =>
    10 + 3 * Math.max(0, Number(r.inputs.numCacheClusters ?? 1) - 1),
  "aws:elasticache/parameterGroup:ParameterGroup": 0.1,
  "aws:elasticache/subnetGroup:SubnetGroup": 0.1,
  // Network.
  "aws:ec2/natGateway:NatGateway": 2,
  // The attachment turns available in minutes; the private route tables wait for it.
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": 2,
  "aws:ec2/vpc:Vpc": 0.2,
  "aws:ec2/eip:Eip": 0.1,
  "aws:ec2/flowLog:FlowLog": 0.1,
  // Kubernetes: Helm waits for readiness; kube-prometheus-stack is the slow one.
  "kubernetes:helm.sh/v3:Release": (r) => (String(r.inputs.chart).includes("kube-prometheus-stack") ? 5 : 2),
  "kubernetes:apps/v1:Deployment": 1.5,
  "kubernetes:networking.k8s.io/v1:Ingress": 1,
  // Providers only read their inputs.
  "pulumi:providers:aws": 0,
  "pulumi:providers:kubernetes": 0,
};

/** Anything not listed: an API call or two. */
export const DEFAULT_MINUTES = 0.1;

/** Estimated minutes to create one resource. */
export function provisioningMinutes(resource: RecordedResource): number {
  const entry = PROVISIONING_MINUTES[resource.type];
  if (entry === undefined) return DEFAULT_MINUTES;
  return typeof entry === "function" ? entry(resource) : entry;
}
