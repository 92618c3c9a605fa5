/**
 * What every data store stands on, in the same shape for RDS and ElastiCache: its own KMS
 * key (kept on delete: snapshots need it), a subnet group over the private subnets, a
 * security group with one rule per client, and a parameter group with the tuning.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createEncryptionKey } from "./encryption-key";
import { createPrivateSecurityGroup } from "./private-security-group";

/** Where a data store sits and who may reach it: what it takes from the network and the cluster. */
export interface DataStorePlacement {
  /** VPC of the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the subnet group (two AZs at least). */
  readonly subnetIds: pulumi.Input<string>[];
  /** Security groups allowed to connect, by role name (`{ nodes: ... }`). @default {} */
  readonly clientSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Arguments of {@link createDataStoreBase}. */
export interface DataStoreBaseArgs {
  /** Logical name prefix (the component's name). */
  readonly name: string;
  /** Which service's subnet and parameter groups. */
  readonly engine: "rds" | "elasticache";
  /** The store's AWS identifier, for descriptions. */
  readonly identifier: string;
  /** Alias of the KMS key, without `alias/`. */
  readonly keyAlias: string;
  /** What the key encrypts. */
  readonly keyDescription: string;
  /** What the security group protects, e.g. `PostgreSQL slipway-production`. */
  readonly securityGroupDescription: string;
  /** Private subnets. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** VPC of the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** The store's port. */
  readonly port: number;
  /** Client security groups allowed in on the port, by role. */
  readonly clients: Readonly<Record<string, pulumi.Input<string>>>;
  /** Pulumi `protect` on the key. */
  readonly protect: boolean;
  /** Parameter group family, e.g. `postgres15`, `redis7`. */
  readonly family: string;
  /** Parameters. */
  readonly parameters: ReadonlyArray<{ name: string; value: string; applyMethod?: string }>;
}

/** The shared foundation of a data store. */
export interface DataStoreBase {
  readonly key: aws.kms.Key;
  readonly subnetGroupName: pulumi.Output<string>;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly parameterGroupName: pulumi.Output<string>;
}

/** Creates the key, subnet group, security group and parameter group under `parent`. */
export function createDataStoreBase(args: DataStoreBaseArgs, parent: pulumi.Resource): DataStoreBase {
  const { name, identifier } = args;
  const key = createEncryptionKey(
    {
      name: `${name}-key`,
      aliasName: args.keyAlias,
      description: args.keyDescription,
      protect: args.protect,
      retainOnDelete: true,
    },
    parent,
  );
  const subnets = {
    subnetIds: args.subnetIds,
    description: `Private subnets of ${identifier}`,
    tags: { Name: `${name}-subnets` },
  };
  const subnetGroup =
    args.engine === "rds"
      ? new aws.rds.SubnetGroup(`${name}-subnets`, subnets, { parent })
      : new aws.elasticache.SubnetGroup(`${name}-subnets`, subnets, { parent });
  const securityGroup = createPrivateSecurityGroup(
    { name, vpcId: args.vpcId, port: args.port, description: args.securityGroupDescription, clients: args.clients },
    parent,
  );
  const tuning = {
    family: args.family,
    description: `Tuning of ${identifier}`,
    parameters: [...args.parameters],
    tags: { Name: `${name}-params` },
  };
  const parameterGroup =
    args.engine === "rds"
      ? new aws.rds.ParameterGroup(`${name}-params`, tuning, { parent })
      : new aws.elasticache.ParameterGroup(`${name}-params`, tuning, { parent });
  return { key, subnetGroupName: subnetGroup.name, securityGroup, parameterGroupName: parameterGroup.name };
}
