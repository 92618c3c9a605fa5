/**
 * What each actor of a stack must reach and be let in by, as data with its source: the
 * facts about AWS, EKS, Helm, the runner image and pulumi-kubernetes that the access-path
 * check (access-paths.ts) relies on. docs/fidelity.md, "Access paths", lists the same.
 * Each entry's `source` names the page or file it was read from.
 */
import { KUBECONFIG_TOKEN_COMMAND } from "../../components/kubeconfig";

/** One fact about a real system, with where it was read. */
export interface SourcedFact {
  /** What the check takes as given. */
  readonly says: string;
  /** The page, file at a tag, or issue that says so. */
  readonly source: string;
}

const EKS_GUIDE = "awsdocs/amazon-eks-user-guide";

/** The facts the paths rely on, by name; a path cites the ones it used. */
export const FACTS = {
  clusterSecurityGroup: {
    says: "EKS creates the cluster security group with an inbound rule admitting all traffic from itself, on the control plane's network interfaces and every managed node's",
    source: `EKS user guide, "View Amazon EKS security group requirements for clusters" (${EKS_GUIDE} latest/ug/networking/sec-group-reqs.adoc at 2ef9e386c918fb0273527207d6af9d3d19ef4621)`,
  },
  nodesTakeClusterSecurityGroup: {
    says: "a managed node group gets the cluster security group unless its launch template names security groups",
    source: `EKS user guide, "Customize managed nodes with launch templates" (${EKS_GUIDE} latest/ug/nodes/launch-templates.adoc)`,
  },
  podsShareNodeSecurityGroups: {
    says: "a pod on a node shares the node's security groups, unless security groups for pods give it its own (none here)",
    source: `EKS user guide, "Assign security groups to individual Pods in EKS Auto Mode" (pods otherwise share "the security groups of the node they run on"; https://docs.aws.amazon.com/eks/latest/userguide/auto-sgp.html)`,
  },
  privateEndpointFromVpc: {
    says: "with the private endpoint on, Kubernetes API requests from within the VPC use it",
    source: `EKS user guide, "Cluster API server endpoint" (${EKS_GUIDE} latest/ug/clusters/cluster-endpoint.adoc at 0ce90ef1ec408ad793cccdc8b8b5819961477101)`,
  },
  connectedNetwork: {
    says: "a connected network reaches the private endpoint when the cluster security group admits it on 443, and its answers route back to it",
    source: `EKS user guide, "Cluster API server endpoint", "Accessing a private only API server" (${EKS_GUIDE} latest/ug/clusters/cluster-endpoint.adoc at 0ce90ef1ec408ad793cccdc8b8b5819961477101)`,
  },
  publicEndpoint: {
    says: "the public endpoint admits only the CIDRs in publicAccessCidrs",
    source: `EKS user guide, "Cluster API server endpoint" (${EKS_GUIDE} latest/ug/clusters/cluster-endpoint.adoc)`,
  },
  accessEntries: {
    says: "with authenticationMode API, an IAM principal reaches Kubernetes only through its access entry, and does what the entry's access policy allows",
    source: `EKS user guide, "Grant IAM users access to Kubernetes with EKS access entries" and "Review access policy permissions" (lib/eks-access.ts)`,
  },
  nodeAccessEntry: {
    says: "EKS creates the access entry of a managed node group's node role itself",
    source: `EKS user guide, "Create access entries": "It's unnecessary to create an access entry for an IAM role that's used for a managed node group" (${EKS_GUIDE} latest/ug/manage-access/k8s-access/creating-access-entries.adoc at 1b1d3dfc05c983f1df2fa0cb7cc1a1cb76d0fe3d)`,
  },
  awsApisWithoutEgress: {
    says: "from a subnet without a route to the internet, an AWS API is reached through its interface endpoint with private DNS, S3 through its gateway endpoint",
    source: `EKS user guide, "Deploy private clusters with limited internet access" (${EKS_GUIDE} latest/ug/clusters/private-clusters.adoc at 101184ecc138f7f661b484f2cabac7022b726a6b)`,
  },
  ecrPulls: {
    says: "an image or chart pull from ECR calls the ECR API (ecr.api: the token), the registry (ecr.dkr) and S3 (the layers)",
    source: `EKS user guide, "Deploy private clusters with limited internet access", its table (${EKS_GUIDE} latest/ug/clusters/private-clusters.adoc at 101184ecc138f7f661b484f2cabac7022b726a6b)`,
  },
  nodesCallEc2: {
    says: "nodes of the EKS optimized AMI call the EC2 API (they set their node name from it)",
    source: `EKS user guide, "Deploy private clusters with limited internet access" ("If you use the EKS Optimized AMI, you should enable the ec2 endpoint")`,
  },
  irsa: {
    says: "a pod with an IAM role for its service account calls STS (AssumeRoleWithWebIdentity), which the role's trust policy must allow for that service account",
    source: `EKS user guide, "Deploy private clusters with limited internet access", Pod requirements, IRSA; "IAM roles for service accounts"`,
  },
  kubeconfigToken: {
    says: `the kubeconfig the program builds runs \`${KUBECONFIG_TOKEN_COMMAND} eks get-token\` for every Kubernetes call`,
    source: "components/kubeconfig.ts",
  },
  runnerImage: {
    says: "the runner scale set's default image (ghcr.io/actions/actions-runner) has curl, unzip and git, and no AWS CLI",
    source:
      "actions/runner images/Dockerfile at v2.336.0; the gha-runner-scale-set chart's template.spec.containers (channels/contracts/charts.yaml, gha-runners)",
  },
  backupToS3: {
    says: "`slipway backup --s3` copies with `aws s3 cp`",
    source: "ops/commands/backup.ts",
  },
  ecrCredentials: {
    says: "Helm pulls an OCI chart from ECR only after a login with an ECR token; a Release logs in with repositoryOpts.username and .password",
    source:
      'pulumi/pulumi-kubernetes#1914, #2364, #3661 (v4.27.0); provider/pkg/provider/helm_release.go getChart at v4.32.0; ECR user guide, "Private registry authentication in Amazon ECR"',
  },
  webIdentity: {
    says: "a workflow job takes its role from GitHub's OIDC token through STS (AssumeRoleWithWebIdentity)",
    source: "aws-actions/configure-aws-credentials README (OIDC)",
  },
  inTreeLoadBalancer: {
    says: "a Service of type LoadBalancer with aws-load-balancer-type nlb is served by the in-tree cloud provider in the EKS control plane, which calls ELB and EC2 with the cluster role (AmazonEKSClusterPolicy) and places the NLB in subnets tagged kubernetes.io/role/elb (internet-facing) or kubernetes.io/role/internal-elb (internal)",
    source: `kubernetes/cloud-provider-aws (ServiceAnnotationLoadBalancerInternal, subnet discovery by role tag); EKS user guide, "Amazon EKS cluster IAM role" and "Route internet traffic with AWS Load Balancer Controller" (subnet tags)`,
  },
  acme: {
    says: "an ACME issuer calls its ACME server over the internet; HTTP-01 is proven by the ACME server fetching the challenge from the internet",
    source: 'cert-manager docs, "ACME" and "HTTP01"; RFC 8555 section 8.3',
  },
} as const satisfies Record<string, SourcedFact>;

/** A fact's name. */
export type FactName = keyof typeof FACTS;

/**
 * The workflows' repository variables that name a role, and which stack file key must list
 * it: the key whose access entries let that role in (docs/deploy.md, "Where the deploy runs").
 */
export const ROLE_VARIABLES = {
  AWS_DEPLOY_ROLE_ARN: { key: "adminRoleArns", access: "write", what: "the deploy role" },
  AWS_PREVIEW_ROLE_ARN: { key: "previewRoleArns", access: "read", what: "the preview role" },
} as const;

/** What a job step needs of its runner, and why. */
export interface StepNeed {
  /** A command the step runs that the runner must have. */
  readonly tool: string;
  /** Whether a step needs it. */
  readonly step: (step: {
    readonly run?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
  }) => boolean;
  /** What it is for. */
  readonly why: string;
  /** The fact it rests on. */
  readonly fact: FactName;
}

/** The steps that need a tool the runner image lacks. */
export const STEP_NEEDS: readonly StepNeed[] = [
  {
    tool: KUBECONFIG_TOKEN_COMMAND,
    step: (s) =>
      /\b(up|preview|drift-preview)\.sh\b/.test(s.run ?? "") ||
      (s.uses?.startsWith("pulumi/actions@") === true && s.with?.command !== undefined),
    why: "runs Pulumi against the stack, whose kubeconfig asks it for a token",
    fact: "kubeconfigToken",
  },
  {
    tool: "aws",
    step: (s) => /\bbackup\.sh\b/.test(s.run ?? ""),
    why: "copies the state backup to S3",
    fact: "backupToS3",
  },
];

/** The steps that put a tool on the job's PATH. */
export const STEP_INSTALLS: Readonly<Record<string, RegExp>> = {
  aws: /\.github\/scripts\/install-aws-cli\.sh\b/,
};

/** The stack argument of a step that runs Pulumi against a stack, or undefined. */
export function stackArgument(step: {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}): string | undefined {
  const script = /\b(?:up|preview|drift-preview|backup|bookmark)\.sh\s+("?)([^\s"]+)\1/.exec(step.run ?? "");
  if (script) return script[2];
  if (step.uses?.startsWith("pulumi/actions@") && typeof step.with?.["stack-name"] === "string") {
    return step.with["stack-name"] as string;
  }
  return undefined;
}

/**
 * The AWS service (its endpoint name, `com.amazonaws.<region>.<name>`) each module of the
 * AWS provider calls when it creates, reads or deletes a resource: the module is the
 * service's own API, but for the VPC and transit gateway resources, which are EC2's, and
 * log groups, CloudWatch Logs'. Source: the AWS provider's type tokens
 * (`aws:<module>/<resource>:<Resource>`) and the service each resource's page names.
 */
export const SERVICE_OF_MODULE: Readonly<Record<string, string>> = {
  ec2: "ec2",
  vpc: "ec2",
  ec2transitgateway: "ec2",
  eks: "eks",
  iam: "iam",
  rds: "rds",
  elasticache: "elasticache",
  kms: "kms",
  cloudwatch: "logs",
  ecr: "ecr.api",
};

/**
 * The AWS services an AWS managed policy's actions belong to, for the roles the program
 * attaches them to: each policy's document on its page of the AWS Managed Policy Reference
 * Guide (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html).
 */
export const MANAGED_POLICY_SERVICES: Readonly<Record<string, readonly string[]>> = {
  AmazonEKSWorkerNodePolicy: ["ec2", "eks"],
  AmazonEC2ContainerRegistryReadOnly: ["ecr.api", "ecr.dkr"],
  AmazonEKS_CNI_Policy: ["ec2"],
  AmazonEBSCSIDriverPolicy: ["ec2"],
  AmazonEKSClusterPolicy: ["ec2", "elasticloadbalancing", "autoscaling", "kms"],
};

/** The endpoint name of an IAM action's service prefix (`s3:GetObject` -> `s3`); most are the prefix. */
export function serviceOfAction(action: string): string {
  const prefix = action.split(":")[0]?.toLowerCase() ?? "";
  const names: Readonly<Record<string, string>> = { ecr: "ecr.api", elasticloadbalancing: "elasticloadbalancing" };
  return names[prefix] ?? prefix;
}

/**
 * What the add-ons whose pods take an IAM role (by namespace:service account) call with
 * it; an app's role calls what its own policy names.
 */
export const IRSA_CALLS: Readonly<Record<string, { readonly services: readonly string[]; readonly source: string }>> = {
  "kube-system:aws-node": {
    services: ["ec2"],
    source:
      'EKS user guide, "Assign IPs to Pods with the Amazon VPC CNI": the plugin attaches network interfaces and addresses through EC2',
  },
  "kube-system:ebs-csi-controller-sa": {
    services: ["ec2"],
    source:
      'EKS user guide, "Store Kubernetes volumes with Amazon EBS": the controller creates and attaches volumes through EC2',
  },
  "cert-manager:cert-manager": {
    services: ["route53"],
    source: 'cert-manager docs, "Route53": DNS-01 writes the challenge record through the Route 53 API',
  },
};

/**
 * Services no VPC endpoint here serves, reached only over the internet (NAT); `internet`
 * stands for any public host (a chart repository, a registry).
 */
export const INTERNET_ONLY_SERVICES: ReadonlySet<string> = new Set(["route53", "internet"]);
