/**
 * The actors that run in or for the cluster (access-paths.ts): the nodes, the pods with an
 * IAM role, the load-balancer integration and cert-manager's ACME issuers.
 */
import { ecrRegistryOf } from "../../lib/ecr";
import { registryHost } from "../../lib/image-mirror";
import type { StackConfig } from "../../infra/config";
import type { RecordedResource } from "../../harness/record";
import { IRSA_CALLS, MANAGED_POLICY_SERVICES, serviceOfAction } from "./access-needs";
import { Actor, combine, missing, none, ok, str, T, type Graph, type Leg, type Network } from "./access-network";

/** The nodes: register with the API, call EC2, pull images. */
export function nodes(g: Graph, net: Network, config: StackConfig): Actor {
  const actor = new Actor("worker nodes (managed node groups)");
  const groups = g.of(T.nodeGroup);
  const subnets = net.nodeSubnets();
  const nodeRoles = [...new Set(groups.flatMap((n) => g.from(n, "nodeRoleArn")))];
  const api = net.kubernetesApi({ kind: "nodes", label: "the nodes" });
  const entry =
    groups.length > 0 && nodeRoles.length > 0
      ? ok(
          `the access entry EKS makes for the node role ${nodeRoles.map((r) => r.name).join(", ")} of managed node groups`,
        )
      : missing("no managed node group with a node role");
  actor.add("Kubernetes API (the kubelet)", api.leg, entry, [...api.facts, "nodeAccessEntry"]);
  actor.add("EC2 API", net.awsApi(subnets, "ec2"), policyGrant(g, nodeRoles, "ec2"), ["nodesCallEc2"]);
  const ecrHosts = imageHosts(config).filter((h) => ecrRegistryOf(h));
  for (const host of ecrHosts) {
    actor.add(
      `container images from ECR ${host}`,
      combine(["ecr.api", "ecr.dkr", "s3"].map((s) => net.awsApi(subnets, s))),
      policyGrant(g, nodeRoles, "ecr.dkr"),
      ["ecrPulls"],
    );
  }
  const publicHosts = imageHosts(config).filter((h) => !ecrRegistryOf(h));
  if (!config.platform.isolated || publicHosts.length > 0) {
    const what = publicHosts.length > 0 ? publicHosts.join(", ") : "the charts' own images";
    actor.add(
      `container images from public registries (${what})`,
      subnets[0] ? combine(subnets.map((s) => net.internet(s))) : missing("no node subnet"),
      ok("public images: no login"),
      [],
    );
  }
  return actor;
}

/** The registry hosts of the images the stack's channel and apps pin. */
export function imageHosts(config: StackConfig): string[] {
  const references = [
    ...Object.values(config.platform.charts).flatMap((pin) =>
      Object.values(pin?.images ?? {}).map((i) => i.repository),
    ),
    ...Object.values(config.platform.images).map((i) => i.repository),
    ...config.apps.map((a) => a.pinnedImage.repository),
  ];
  return [...new Set(references.map(registryHost))].sort();
}

/** Whether the policies attached to `roles` allow calls to `service`. */
export function policyGrant(g: Graph, roles: readonly RecordedResource[], service: string): Leg {
  for (const role of roles) {
    for (const attachment of g.pointingAt(T.attach, "role", role)) {
      const name = str(attachment.inputs.policyArn).split("/").pop() ?? "";
      if (MANAGED_POLICY_SERVICES[name]?.includes(service)) return ok(`${role.name}: ${name}`);
    }
    for (const inline of g.pointingAt(T.rolePolicy, "role", role)) {
      if (statementServices(inline).includes(service)) return ok(`${role.name}: inline policy ${inline.name}`);
    }
  }
  return missing(`no policy of ${roles.map((r) => r.name).join(", ") || "any role"} allows ${service}`);
}

/** The services an inline policy's Allow statements name. */
export function statementServices(policy: RecordedResource): string[] {
  try {
    const document = JSON.parse(str(policy.inputs.policy)) as {
      Statement?: Array<{ Effect?: string; Action?: string | string[] }>;
    };
    return (document.Statement ?? [])
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action ?? ""]))
      .map(serviceOfAction);
  } catch {
    return [];
  }
}

/** Each pod with an IAM role (IRSA): STS, then the services it calls. */
export function podRoles(g: Graph, net: Network): Actor[] {
  const subnets = net.nodeSubnets();
  return g.of(T.role).flatMap((role) => {
    let trust: {
      Statement?: Array<{
        Action?: string;
        Principal?: { Federated?: unknown };
        Condition?: { StringEquals?: Record<string, string> };
      }>;
    };
    try {
      trust = JSON.parse(str(role.inputs.assumeRolePolicy));
    } catch {
      return [];
    }
    const statement = trust.Statement?.find((s) => s.Action === "sts:AssumeRoleWithWebIdentity");
    if (!statement) return [];
    const subject =
      Object.entries(statement.Condition?.StringEquals ?? {}).find(([k]) => k.endsWith(":sub"))?.[1] ?? "";
    const account = subject.replace(/^system:serviceaccount:/, "");
    const actor = new Actor(`pods of service account ${account || "?"} (IAM role ${role.name})`);
    const trusted =
      statement.Principal?.Federated && subject.startsWith("system:serviceaccount:")
        ? ok(`${role.name}'s trust policy: the cluster's OIDC provider, for ${account} only`)
        : missing(`${role.name}'s trust policy names no service account of the cluster's OIDC provider`);
    actor.add("STS (AssumeRoleWithWebIdentity)", net.awsApi(subnets, "sts"), trusted, ["irsa"]);
    const known = IRSA_CALLS[account];
    const services = known
      ? known.services
      : [...new Set(g.pointingAt(T.rolePolicy, "role", role).flatMap(statementServices))];
    for (const service of services) {
      actor.add(`${service} API`, net.awsApi(subnets, service), policyGrant(g, [role], service), [
        "awsApisWithoutEgress",
      ]);
    }
    return [actor];
  });
}

/** Each Service of type LoadBalancer (a release's values or an object): the cloud provider's calls and where it places the NLB. */
export function loadBalancers(g: Graph, net: Network): Actor[] {
  const services = [
    ...g.of(T.release).flatMap((r) => {
      const service = ((r.inputs.values ?? {}) as Record<string, unknown>).service as
        Record<string, unknown> | undefined;
      return service?.type === "LoadBalancer"
        ? [
            {
              name: `release ${str(r.inputs.name)}`,
              annotations: (service.annotations ?? {}) as Record<string, string>,
            },
          ]
        : [];
    }),
    ...g.of(T.service).flatMap((s) => {
      const spec = (s.inputs.spec ?? {}) as Record<string, unknown>;
      const metadata = (s.inputs.metadata ?? {}) as Record<string, unknown>;
      return spec.type === "LoadBalancer"
        ? [{ name: `Service ${s.name}`, annotations: (metadata.annotations ?? {}) as Record<string, string> }]
        : [];
    }),
  ];
  const cluster = g.of(T.cluster)[0];
  const clusterRoles = cluster ? g.from(cluster, "roleArn") : [];
  return services.map(({ name, annotations }) => {
    const actor = new Actor(`load-balancer integration (in-tree cloud provider in the EKS control plane), for ${name}`);
    const internal =
      annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true" ||
      annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal";
    actor.add(
      "ELB and EC2 APIs",
      ok("from the EKS control plane, AWS's side"),
      policyGrant(g, clusterRoles, "elasticloadbalancing"),
      ["inTreeLoadBalancer"],
    );
    actor.add(
      `an ${internal ? "internal" : "internet-facing"} NLB in tagged subnets`,
      net.loadBalancerSubnets(internal ? "internal" : "internet-facing"),
      none,
      ["inTreeLoadBalancer"],
    );
    return actor;
  });
}

/** cert-manager's ACME issuers: the ACME server over the internet, and the HTTP-01 proof from it. */
export function issuers(g: Graph, net: Network): Actor[] {
  const subnets = net.nodeSubnets();
  return g.of(T.issuer).flatMap((issuer) => {
    const acme = ((issuer.inputs.spec ?? {}) as Record<string, unknown>).acme as Record<string, unknown> | undefined;
    if (!acme) return [];
    const actor = new Actor(
      `cert-manager ClusterIssuer ${str((issuer.inputs.metadata as Record<string, unknown> | undefined)?.name)}`,
    );
    const host =
      str(acme.server)
        .replace(/^https:\/\//, "")
        .split("/")[0] ?? "";
    actor.add(
      `ACME server ${host}`,
      subnets[0] ? combine(subnets.map((s) => net.internet(s))) : missing("no node subnet"),
      acme.email
        ? ok(`the ACME account of ${str(acme.email)}, which the issuer registers`)
        : missing("the issuer has no ACME account email"),
      ["acme"],
    );
    const solvers = (acme.solvers ?? []) as Array<Record<string, unknown>>;
    if (solvers.some((s) => s.http01)) {
      actor.add(
        `HTTP-01 proof, fetched by ${host} from the internet`,
        net.loadBalancerSubnets("internet-facing"),
        none,
        ["acme", "inTreeLoadBalancer"],
      );
    }
    return [actor];
  });
}
