/**
 * The actors that deploy and preview a stack (access-paths.ts): the deploy from an admin
 * machine or the deploy network, and the workflow jobs on the stack's runners. Each calls
 * the Kubernetes API, the AWS APIs of the program's resources and the chart repositories.
 */
import { cidrsOutside } from "../../lib/cidr";
import { accessPolicyByArn } from "../../lib/eks-access";
import { ecrRegistryOf } from "../../lib/ecr";
import type { StackConfig } from "../../infra/config";
import { SECRET_MASK, type RecordedResource } from "../../harness/record";
import { ROLE_VARIABLES, SERVICE_OF_MODULE, STEP_INSTALLS, STEP_NEEDS, type FactName } from "./access-needs";
import {
  Actor,
  combine,
  external,
  missing,
  none,
  ok,
  str,
  T,
  type AccessInput,
  type Graph,
  type Leg,
  type Location,
  type Network,
} from "./access-network";
import type { WorkflowJob } from "./workflow-jobs";

/** The Kubernetes grant of the roles a stack file key lists: an access entry with a policy that allows `access`. */
export function roleGrant(
  g: Graph,
  config: StackConfig,
  key: "adminRoleArns" | "previewRoleArns",
  access: "write" | "read",
): Leg {
  const roles = config.cluster[key];
  const at = `slipway:cluster.${key}`;
  if (roles.length === 0) return missing(`${at} is empty: the role has no access entry`);
  const mode = str(
    (g.of(T.cluster)[0]?.inputs.accessConfig as Record<string, unknown> | undefined)?.authenticationMode,
  );
  if (!mode.startsWith("API")) return missing(`the cluster's authenticationMode is ${mode || "unset"}, not API`);
  const entries = g.of(T.accessEntry);
  for (const association of g.of(T.association_)) {
    const principal = association.inputs.principalArn;
    const policy = accessPolicyByArn(association.inputs.policyArn);
    const enough = access === "write" ? policy?.writesEverything : policy?.readsEverything;
    const scope = (association.inputs.accessScope as { type?: string } | undefined)?.type;
    if (!roles.includes(str(principal)) || !enough || scope !== "cluster") continue;
    if (!entries.some((e) => e.inputs.principalArn === principal)) continue;
    return ok(
      `access entry ${association.name}: ${policy!.arn.split("/").pop()} (${policy!.grants}), cluster-wide (${at})`,
    );
  }
  const needed = access === "write" ? "writes everything" : "reads everything, Secrets included";
  return missing(`no role of ${at} has an access entry whose policy ${needed}`);
}

/**
 * The services the program's resources belong to, which the deploy calls, and STS, which
 * the AWS provider calls to validate its credentials unless `skipCredentialsValidation`
 * (@pulumi/aws 7.48.0 provider.d.ts: "Skip the credentials validation via STS API"; not
 * set in infra/providers.ts).
 */
export function programServices(g: Graph): string[] {
  const services = new Set<string>(["sts"]);
  for (const r of g.record.resources) {
    const match = /^aws:([a-z0-9]+)\//.exec(r.type);
    if (match) services.add(SERVICE_OF_MODULE[match[1]!] ?? match[1]!);
  }
  if (chartRepositories(g).some(([repo]) => ecrRegistryOf(repo))) services.add("ecr.api");
  return [...services].sort();
}

/** The chart repositories the releases pull from, each with its releases. */
export function chartRepositories(g: Graph): Array<[string, RecordedResource[]]> {
  const byRepo = new Map<string, RecordedResource[]>();
  for (const release of g.of(T.release)) {
    const chart = str(release.inputs.chart);
    const repo = chart.startsWith("oci://")
      ? chart.slice(0, chart.lastIndexOf("/"))
      : str((release.inputs.repositoryOpts as Record<string, unknown> | undefined)?.repo);
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), release]);
  }
  return [...byRepo];
}

/**
 * The chart repositories: the route from `subnets` (or the caller's own network), and the
 * login each needs. Public repositories share one path: one route, no login.
 */
export function addChartPaths(
  actor: Actor,
  g: Graph,
  net: Network,
  subnets: readonly RecordedResource[] | undefined,
): void {
  const repositories = chartRepositories(g);
  const open = repositories.filter(([repo]) => !ecrRegistryOf(repo)).map(([repo]) => repo);
  if (open.length > 0) {
    const route = subnets ? net.awsApi(subnets, "internet") : external("the caller's own network");
    actor.add(`Helm chart repositories ${open.join(", ")}`, route, ok("public chart repositories: no login"), []);
  }
  for (const [repo, releases] of repositories) {
    const registry = ecrRegistryOf(repo);
    if (!registry) continue;
    const route = !subnets
      ? external("the caller's own network")
      : combine(["ecr.api", "ecr.dkr", "s3"].map((s) => net.awsApi(subnets, s)));
    const bare = releases.filter((r) => {
      const opts = (r.inputs.repositoryOpts ?? {}) as Record<string, unknown>;
      return !opts.username || opts.password !== SECRET_MASK;
    });
    const grant =
      bare.length > 0
        ? missing(
            `${bare.map((r) => r.inputs.name).join(", ")} carry no registry credentials (repositoryOpts.username and a secret password)`,
          )
        : ok("each release's repositoryOpts: an ECR token of the registry (ecr:GetAuthorizationToken), secret");
    actor.add(`Helm chart repository ${repo}`, route, grant, ["ecrCredentials", "ecrPulls"]);
  }
}

/**
 * The deploy from outside the workflows: from the public endpoint's allow-list (the admin
 * machine on the office VPN), from the deploy network, or from nowhere when neither exists.
 */
export function deployers(g: Graph, net: Network, config: StackConfig): Actor[] {
  const locations: Array<Exclude<Location, { kind: "nodes" }>> = [];
  const publicCidrs = config.cluster.endpointPublicAccessCidrs;
  if (publicCidrs.length > 0) {
    locations.push({ kind: "public", label: "an admin machine on the allow-listed range", cidrs: publicCidrs });
  }
  const deployNetwork = config.network.deployNetwork;
  if (deployNetwork) locations.push({ kind: "network", label: "the deploy network", cidrs: deployNetwork.cidrs });
  const grant = roleGrant(g, config, "adminRoleArns", "write");
  if (locations.length === 0) {
    const actor = new Actor("deploy (first deploy, admin role)");
    actor.add(
      "Kubernetes API",
      missing(
        "the public endpoint is off and no deploy network is admitted to the private one: set slipway:network.deployNetwork (docs/airgap.md, Deploying)",
      ),
      grant,
      ["connectedNetwork", "publicEndpoint"],
    );
    return [actor];
  }
  return locations.map((from) => {
    const where =
      from.kind === "public"
        ? `${from.cidrs.join(", ")}, endpointPublicAccessCidrs`
        : `${from.cidrs.join(", ")}, slipway:network.deployNetwork`;
    const actor = new Actor(`deploy from ${from.label} (${where}), admin role`);
    const api = net.kubernetesApi(from);
    const tool = external("the machine's AWS CLI (README, Real use)");
    actor.add("Kubernetes API", api.leg, grant, [...api.facts, "accessEntries", "kubeconfigToken"], tool);
    // Hosts inside the VPC call the AWS APIs from its subnets; anything else through its own network.
    const inside = from.kind === "network" ? from.cidrs.filter((c) => cidrsOutside(net.vpcCidr, [c]).length === 0) : [];
    const subnets = inside.flatMap((c) => net.subnetsOf(c));
    const awsRoute =
      inside.length > 0
        ? awsApis(net, subnets, programServices(g))
        : external("the caller's own network (docs/airgap.md, Deploying)");
    actor.add(
      `AWS APIs (${programServices(g).join(", ")})`,
      awsRoute,
      external("the admin role's IAM policy"),
      inside.length > 0 ? ["awsApisWithoutEgress"] : [],
    );
    addChartPaths(actor, g, net, inside.length > 0 ? subnets : undefined);
    return actor;
  });
}

/** Every service in turn: the first that cannot be reached, or how all are. */
export function awsApis(net: Network, subnets: readonly RecordedResource[], services: readonly string[]): Leg {
  const legs = services.map((s) => net.awsApi(subnets, s));
  const bad = legs.filter((l) => l.status !== "ok");
  if (bad.length > 0) return missing(bad.map((l) => l.text).join("; "));
  return ok([...new Set(legs.map((l) => l.text))].join("; "));
}

/** The jobs of the workflows that act on this stack, on its runner scale set. */
export function workflowActors(g: Graph, net: Network, input: AccessInput, notes: string[]): Actor[] {
  const { config } = input;
  const runners = config.platform.runners.scaleSetName;
  const jobs = input.workflows.filter((j) => j.stack === config.stack);
  if (jobs.length > 0 && !config.platform.enabled.includes("gha-runners")) {
    notes.push(
      `gha-runners is off in ${config.stackFile}: the workflow jobs below have no runner until it is on (docs/deploy.md, First deploy); their paths are checked as they will be`,
    );
  }
  return jobs.map((job) => {
    const variable = job.roleVariable ?? "";
    const role = ROLE_VARIABLES[variable as keyof typeof ROLE_VARIABLES] as
      (typeof ROLE_VARIABLES)[keyof typeof ROLE_VARIABLES] | undefined;
    const actor = new Actor(`${job.file} job ${job.job} (${job.stack}, ${variable || "no role"})`);
    const onRunners = job.runsOn === runners;
    const subnets = net.nodeSubnets();
    const located = (leg: Leg): Leg =>
      onRunners
        ? leg
        : missing(`runs on ${job.runsOn}, not on this stack's runner scale set ${runners}, inside the VPC`);
    const grant = role
      ? roleGrant(g, config, role.key, role.access)
      : missing(
          `its role variable ${variable || "(none)"} is not one of ${Object.keys(ROLE_VARIABLES).join(", ")}, which the stack file lists`,
        );
    const api = net.kubernetesApi({ kind: "nodes", label: `the ${runners} runner pods` });
    actor.add(
      "Kubernetes API",
      located(api.leg),
      grant,
      [...api.facts, "accessEntries", "kubeconfigToken", "runnerImage"],
      toolLeg(job, "kubeconfigToken"),
    );
    actor.add(
      "STS (the job's role from GitHub's OIDC token)",
      located(net.awsApi(subnets, "sts")),
      external("the role's trust policy for GitHub's OIDC provider"),
      ["webIdentity"],
    );
    actor.add(
      `AWS APIs (${programServices(g).join(", ")})`,
      located(awsApis(net, subnets, programServices(g))),
      external(`${role?.what ?? "the role"}'s IAM policy`),
      ["awsApisWithoutEgress"],
    );
    addChartPaths(actor, g, net, subnets);
    if (job.steps.some((s) => /\bbackup\.sh\b/.test(s.run ?? ""))) {
      actor.add(
        "S3 (the state backup, BACKUP_S3_URI)",
        located(net.awsApi(subnets, "s3")),
        external("the deploy role's IAM policy on the bucket"),
        ["backupToS3"],
        toolLeg(job, "backupToS3"),
      );
    }
    return actor;
  });
}

/** Whether the job has the tool a fact's steps need before the first such step. */
export function toolLeg(job: WorkflowJob, fact: FactName): Leg {
  const need = STEP_NEEDS.find((n) => n.fact === fact)!;
  const first = job.steps.find((s) => need.step(s));
  if (!first) return none;
  const installs = STEP_INSTALLS[need.tool];
  const install = installs ? job.steps.find((s) => installs.test(s.run ?? "")) : undefined;
  if (!install || install.number > first.number) {
    return missing(
      `the runner image has no ${need.tool} and no step installs it before step ${first.number} (${first.label}), which ${need.why}`,
    );
  }
  return ok(
    `${need.tool} installed by step ${install.number} (${install.label}), before step ${first.number} (${first.label})`,
  );
}
