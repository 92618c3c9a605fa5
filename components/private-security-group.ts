/**
 * The security group of a data store: no inline rules and no CIDR ingress; one separate
 * ingress rule per client security group. Separate rules matter for time as well as
 * safety: the data store depends only on its group, not on the clients (the EKS nodes),
 * so RDS and ElastiCache create in parallel with the cluster.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link createPrivateSecurityGroup}. */
export interface PrivateSecurityGroupArgs {
  /** Logical name prefix, e.g. `database`. */
  readonly name: string;
  /** VPC of the group. */
  readonly vpcId: pulumi.Input<string>;
  /** TCP port the clients may reach. */
  readonly port: number;
  /** What the group protects, for its description. */
  readonly description: string;
  /** Security groups allowed in on `port`, by a stable role name (e.g. `{ nodes: sg-... }`). */
  readonly clients: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Creates the group under `parent` and one ingress rule per client; returns the group. */
export function createPrivateSecurityGroup(
  args: PrivateSecurityGroupArgs,
  parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    `${args.name}-sg`,
    { vpcId: args.vpcId, description: args.description, tags: { Name: `${args.name}-sg` } },
    { parent },
  );
  for (const [client, securityGroupId] of Object.entries(args.clients)) {
    new aws.vpc.SecurityGroupIngressRule(
      `${args.name}-from-${client}`,
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: securityGroupId,
        ipProtocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        description: `${client} to ${args.description} on ${args.port}`,
      },
      { parent },
    );
  }
  return group;
}
