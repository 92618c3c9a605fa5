/**
 * Resource types whose loss loses data: `protect` in production, the doctor's warning on
 * an unprotected one, and the policy rules that guard them.
 */
export const STATEFUL_TYPES = [
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:eks/cluster:Cluster",
  "aws:kms/key:Key",
] as const;
