/**
 * The AWS APIs a VPC without internet egress reaches privately: one interface endpoint per
 * service in the private subnets, with private DNS so the usual hostnames resolve to it,
 * and the S3 gateway endpoint on the private route tables. Which services, and why, is
 * {@link ENDPOINT_SERVICES}; the list follows the EKS user guide, "Deploy private clusters
 * with limited internet access" (docs.aws.amazon.com/eks/latest/userguide/private-clusters.html;
 * awsdocs/amazon-eks-user-guide latest/ug/clusters/private-clusters.adoc at
 * 101184ecc138f7f661b484f2cabac7022b726a6b, its table of services and endpoints).
 *
 * Not `eks-auth`: that guide needs it for EKS Pod Identity ("Pods configured with EKS Pod
 * Identity acquire credentials from the EKS Auth API"), and Slipway's pods take their roles
 * through IRSA, which is STS (`sts` below).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Interface endpoint services, each with who calls it from inside the VPC. */
export const ENDPOINT_SERVICES = {
  "ecr.api": "image pulls by the nodes (authorisation, manifests) and OCI charts from ECR",
  "ecr.dkr": "image pulls by the nodes (the registry API)",
  ec2: "the VPC CNI (ENIs and pod IPs) and the EBS CSI driver (volumes)",
  sts: "IAM roles for service accounts (AssumeRoleWithWebIdentity): the EBS CSI driver and apps",
  logs: "CloudWatch Logs from agents in the cluster",
  elasticloadbalancing: "load balancer controllers",
  autoscaling: "node autoscalers (Cluster Autoscaler, Karpenter)",
  kms: "pods that encrypt or decrypt with the stack's KMS keys",
  // The EKS API proper (DescribeCluster, access entries, add-ons, node groups), which the
  // AWS provider calls throughout a `pulumi up`; the Kubernetes API has its own private
  // endpoint and is not served here (EKS user guide, "Access Amazon EKS using AWS
  // PrivateLink", Considerations).
  eks: "the EKS API from inside the VPC: a deploy or an operator's `aws eks` on a host in the VPC",
} as const;

/** Arguments of {@link VpcEndpoints}. */
export interface VpcEndpointsArgs {
  /** The VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Its CIDR: everything in the VPC may reach the endpoints on 443. */
  readonly vpcCidr: string;
  /** AWS region, for the service names (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** Private subnets, one interface endpoint network interface in each. */
  readonly subnetIds: pulumi.Input<string>[];
  /** Private route tables, which get the S3 gateway endpoint's routes. */
  readonly routeTableIds: pulumi.Input<string>[];
}

/** Interface endpoints for {@link ENDPOINT_SERVICES} and the S3 gateway endpoint. */
export class VpcEndpoints extends pulumi.ComponentResource {
  /** The endpoints' security group. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:aws:VpcEndpoints", name, {}, opts);
    const group = this.securityGroup(name, args);
    for (const service of Object.keys(ENDPOINT_SERVICES)) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: args.vpcId,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: args.subnetIds,
          securityGroupIds: [group.id],
          tags: { Name: `${name}-${service}` },
        },
        { parent: this },
      );
    }
    // ECR keeps image layers in S3: pulls need S3 too. A gateway endpoint is a route, not a
    // network interface, and costs nothing.
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: args.vpcId,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: args.routeTableIds,
        tags: { Name: `${name}-s3` },
      },
      { parent: this },
    );
    this.securityGroupId = group.id;
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }

  /** HTTPS in from the VPC, nothing else. */
  private securityGroup(name: string, args: VpcEndpointsArgs): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: "AWS API endpoints: HTTPS from the VPC", tags: { Name: `${name}-sg` } },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-https-from-vpc`,
      {
        securityGroupId: group.id,
        description: "HTTPS to the AWS API endpoints from the VPC",
        cidrIpv4: args.vpcCidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
      },
      { parent: this },
    );
    return group;
  }
}
