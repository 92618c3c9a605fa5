/** The resource type tokens the rules look for, named once. */

/** EKS cluster. */
export const EKS = "aws:eks/cluster:Cluster";
/** EKS managed node group. */
export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** EKS access policy association (the deployer's cluster access). */
export const ACCESS_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
/** EC2 launch template of a node group. */
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
/** RDS instance. */
export const RDS = "aws:rds/instance:Instance";
/** ElastiCache replication group. */
export const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
/** KMS key. */
export const KMS_KEY = "aws:kms/key:Key";
/** CloudWatch log group. */
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** Kubernetes Namespace. */
export const NAMESPACE = "kubernetes:core/v1:Namespace";
/** Kubernetes Deployment. */
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
/** Kubernetes HorizontalPodAutoscaler. */
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
/** Helm release (helm.v3.Release). */
export const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Amazon VPC. */
export const VPC = "aws:ec2/vpc:Vpc";

/** Where each workload kind keeps its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  [DEPLOYMENT]: "spec.template.spec",
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
  "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
  "kubernetes:batch/v1:Job": "spec.template.spec",
  "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
  "kubernetes:core/v1:Pod": "spec",
};
