/**
 * The plan's access paths: every committed stack has a route and a grant for each call of
 * each actor, and each of the faults issue 24 found (no AWS CLI on the runners, no access
 * entry for the preview role, no way to the air-gapped private endpoint, no registry
 * credentials for ECR charts) is reported on its own when its fix is taken out again: from
 * the workflows, the stack config or the recorded program.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { readStackFile, type RawStackConfig } from "../../infra/stack-file";
import { PROJECT, runProgram } from "../../harness/run";
import { PROJECT_ROOT } from "../../lib/project-root";
import { PolicyPackServer } from "../../harness/policy-pack";
import type { ProgramRecord } from "../../harness/record";
import { accessPaths, describeFinding, type AccessFinding, type AccessReport } from "../../ops/plan/access-paths";
import { FACTS } from "../../ops/plan/access-needs";
import { workflowJobs, type WorkflowJob } from "../../ops/plan/workflow-jobs";
import { EKS_ACCESS_POLICIES } from "../../lib/eks-access";

after(() => PolicyPackServer.stopShared());

const WORKFLOWS = workflowJobs(path.join(PROJECT_ROOT, ".github", "workflows"));
type Stack = "staging" | "production" | "airgap";

const rawOf = (stack: Stack): RawStackConfig =>
  structuredClone(readStackFile(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), PROJECT));

const records = new Map<Stack, Promise<ProgramRecord>>();
/** The committed stack's record, a fresh copy each time (tests change it). */
async function recordOf(stack: Stack): Promise<ProgramRecord> {
  if (!records.has(stack)) records.set(stack, runProgram({ stack }));
  return structuredClone(await records.get(stack)!);
}

/** The check over a stack, with its config, record or workflows changed. */
async function check(
  stack: Stack,
  change: {
    readonly raw?: (raw: Record<string, any>) => void;
    readonly record?: (record: ProgramRecord) => void;
    readonly workflows?: (jobs: WorkflowJob[]) => WorkflowJob[];
  } = {},
): Promise<AccessReport> {
  const raw = rawOf(stack);
  change.raw?.(raw as Record<string, any>);
  const record = change.raw ? await runProgram({ stack, config: raw }) : await recordOf(stack);
  change.record?.(record);
  const config = parseStackConfig(raw, { project: PROJECT, stack, stackFile: `Pulumi.${stack}.yaml` });
  return accessPaths({
    record,
    config,
    workflows: change.workflows ? change.workflows(structuredClone(WORKFLOWS)) : WORKFLOWS,
  });
}

const lines = (findings: readonly AccessFinding[]) => findings.map(describeFinding).join("\n");
const removeResources = (record: ProgramRecord, match: (name: string, type: string) => boolean) =>
  record.resources.splice(0, record.resources.length, ...record.resources.filter((r) => !match(r.name, r.type)));

/** The CI jobs of a stack, as the actors the report names them. */
const ciActors = (stack: Stack) =>
  WORKFLOWS.filter((j) => j.stack === stack).map((j) => `${j.file} job ${j.job} (${stack}, ${j.roleVariable})`);

describe("access paths of the committed stacks", () => {
  /** [stack, actors the report must hold (prefixes)]. */
  const expected: Array<[Stack, string[]]> = [
    [
      "staging",
      [
        "deploy from an admin machine on the allow-listed range",
        "deploy.yml job staging (staging, AWS_DEPLOY_ROLE_ARN)",
        "drift.yml job drift (staging, AWS_PREVIEW_ROLE_ARN)",
        "pull-request.yml job preview (staging, AWS_PREVIEW_ROLE_ARN)",
        "worker nodes",
        "pods of service account kube-system:aws-node",
        "pods of service account kube-system:ebs-csi-controller-sa",
        "load-balancer integration",
        "cert-manager ClusterIssuer letsencrypt-staging",
        "cert-manager ClusterIssuer letsencrypt-production",
      ],
    ],
    [
      "production",
      [
        "deploy from an admin machine on the allow-listed range",
        "deploy.yml job production-preview (production, AWS_PREVIEW_ROLE_ARN)",
        "deploy.yml job production (production, AWS_DEPLOY_ROLE_ARN)",
        "drift.yml job drift (production, AWS_PREVIEW_ROLE_ARN)",
        "pull-request.yml job preview (production, AWS_PREVIEW_ROLE_ARN)",
        "worker nodes",
        "load-balancer integration",
      ],
    ],
    [
      "airgap",
      [
        "deploy from the deploy network (10.99.0.0/16, slipway:network.deployNetwork), admin role",
        "worker nodes",
        "pods of service account kube-system:aws-node",
        "load-balancer integration",
      ],
    ],
  ];
  for (const [stack, actors] of expected) {
    it(`${stack}: every call of every actor has a route and a grant`, async () => {
      const report = await check(stack);
      assert.equal(lines(report.findings), "");
      const names = [...new Set(report.paths.map((p) => p.actor))];
      for (const actor of actors)
        assert.ok(
          names.some((n) => n.startsWith(actor)),
          `${actor} in:\n${names.join("\n")}`,
        );
      for (const fact of report.paths.flatMap((p) => p.facts)) assert.ok(FACTS[fact].source.length > 0, fact);
    });
  }

  it("airgap: no workflow job acts on it, and its deploy comes through the 443 rule and the transit gateway", async () => {
    const report = await check("airgap");
    assert.deepEqual(ciActors("airgap"), []);
    const api = report.paths.find(
      (p) => p.actor.startsWith("deploy from the deploy network") && p.call === "Kubernetes API",
    )!;
    assert.match(
      api.route.text,
      /cluster-api-from-10-99-0-0-16, the route back from each of its 3 subnets through network-deploy-network/,
    );
    assert.match(api.grant.text, /AmazonEKSClusterAdminPolicy/);
  });

  it("staging: says its runners are off, and checks the jobs as they will run", async () => {
    const report = await check("staging");
    assert.match(report.notes.join("\n"), /gha-runners is off in Pulumi\.staging\.yaml/);
  });
});

describe("fault 1: no AWS CLI on the runners", () => {
  const withoutInstall = (jobs: WorkflowJob[]) =>
    jobs.map((j) => ({ ...j, steps: j.steps.filter((s) => !/install-aws-cli\.sh/.test(s.run ?? "")) }));

  for (const stack of ["staging", "production"] as const) {
    it(`${stack}: each CI job lacks the tool for the cluster (and the deploy jobs for the backup), and nothing else`, async () => {
      const report = await check(stack, { workflows: withoutInstall });
      assert.ok(report.findings.length > 0);
      for (const finding of report.findings) {
        assert.equal(finding.leg, "tool", describeFinding(finding));
        assert.match(finding.missing, /^the runner image has no aws and no step installs it before step \d+ \(/);
      }
      assert.deepEqual([...new Set(report.findings.map((f) => f.actor))].sort(), ciActors(stack).sort());
      const deploy = report.findings.filter((f) => f.actor.includes("AWS_DEPLOY_ROLE_ARN")).map((f) => f.call);
      assert.deepEqual(deploy, ["Kubernetes API", "S3 (the state backup, BACKUP_S3_URI)"]);
    });
  }

  it("an install after the step that needs it is no install", async () => {
    const report = await check("staging", {
      workflows: (jobs) =>
        jobs.map((j) => {
          const install = j.steps.find((s) => /install-aws-cli\.sh/.test(s.run ?? ""))!;
          const rest = j.steps.filter((s) => s !== install);
          return { ...j, steps: [...rest, { ...install, number: rest.length + 1 }] };
        }),
    });
    assert.match(
      lines(report.findings),
      /deploy\.yml job staging .* -> Kubernetes API: no tool: the runner image has no aws and no step installs it before step \d+ \(pulumi up\)/,
    );
  });
});

describe("fault 2: no access entry for the preview role", () => {
  for (const stack of ["staging", "production"] as const) {
    it(`${stack}: without previewRoleArns, each preview job has no grant, and nothing else is missing`, async () => {
      const report = await check(stack, { raw: (c) => delete c["slipway:cluster"].previewRoleArns });
      const previews = ciActors(stack).filter((a) => a.includes("AWS_PREVIEW_ROLE_ARN"));
      assert.deepEqual(report.findings.map((f) => f.actor).sort(), previews.sort());
      for (const finding of report.findings) {
        assert.equal(finding.call, "Kubernetes API");
        assert.equal(finding.leg, "grant");
        assert.equal(finding.missing, "slipway:cluster.previewRoleArns is empty: the role has no access entry");
      }
    });
  }

  it("a preview entry whose policy leaves Secrets out is no grant (AmazonEKSViewPolicy)", async () => {
    const report = await check("production", {
      record: (record) => {
        for (const r of record.resources) {
          if (r.inputs.policyArn === EKS_ACCESS_POLICIES.AmazonEKSAdminViewPolicy.arn) {
            r.inputs.policyArn = EKS_ACCESS_POLICIES.AmazonEKSViewPolicy.arn;
          }
        }
      },
    });
    assert.equal(report.findings.length, 3, "production-preview, drift and the pull-request preview");
    assert.match(
      lines(report.findings),
      /no grant: no role of slipway:cluster\.previewRoleArns has an access entry whose policy reads everything, Secrets included/,
    );
  });
});

describe("fault 3: no way to the air-gapped private endpoint", () => {
  it("without a deploy network, the first deploy has no route to the API", async () => {
    const report = await check("airgap", { raw: (c) => delete c["slipway:network"].deployNetwork });
    assert.equal(
      lines(report.findings),
      "deploy (first deploy, admin role) -> Kubernetes API: no route: the public endpoint is off and no deploy network is admitted to the private one: set slipway:network.deployNetwork (docs/airgap.md, Deploying)",
    );
  });

  it("without the 443 rule on the cluster security group, the deploy network has no route", async () => {
    const report = await check("airgap", {
      record: (r) => removeResources(r, (name) => name.startsWith("cluster-api-from")),
    });
    assert.equal(
      lines(report.findings),
      "deploy from the deploy network (10.99.0.0/16, slipway:network.deployNetwork), admin role -> Kubernetes API: no route: no rule on the cluster security group admits 10.99.0.0/16 on 443",
    );
  });

  it("without the routes back through the transit gateway, the control plane's answers go nowhere", async () => {
    const report = await check("airgap", {
      record: (record) => {
        for (const table of record.resources.filter((r) => r.type === "aws:ec2/routeTable:RouteTable"))
          table.inputs.routes = [];
      },
    });
    assert.match(
      lines(report.findings),
      /^deploy from the deploy network .* -> Kubernetes API: no route: no route back to 10\.99\.0\.0\/16 from network-private-us-east-1a, where the control plane answers$/,
    );
  });

  it("a deploy host inside the isolated VPC reaches the EKS API through the eks endpoint, and nothing without it", async () => {
    const host = (c: Record<string, any>) => (c["slipway:network"].deployNetwork = { cidrs: ["10.40.0.0/28"] });
    const withEndpoint = await check("airgap", { raw: host });
    const aws = (report: AccessReport) =>
      report.paths.find((p) => p.actor.startsWith("deploy from") && p.call.startsWith("AWS APIs"))!;
    // IAM, RDS and ElastiCache have no endpoint here: a host inside the VPC cannot deploy, and the check says so.
    assert.doesNotMatch(aws(withEndpoint).route.text, /no eks interface endpoint/);
    assert.match(
      aws(withEndpoint).route.text,
      /iam: network-private-us-east-1a has no NAT route and the VPC no iam interface endpoint/,
    );
    const withoutEndpoint = await check("airgap", {
      raw: host,
      record: (r) => removeResources(r, (name) => name === "network-endpoints-eks"),
    });
    assert.match(
      aws(withoutEndpoint).route.text,
      /eks: network-private-us-east-1a has no NAT route and the VPC no eks interface endpoint/,
    );
  });
});

describe("fault 4: charts from ECR with no registry credentials", () => {
  it("a release on ECR without repositoryOpts credentials is reported, on its own", async () => {
    const report = await check("airgap", {
      record: (record) => {
        for (const r of record.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release"))
          delete r.inputs.repositoryOpts;
      },
    });
    assert.equal(report.findings.length, 1);
    assert.equal(
      describeFinding(report.findings[0]!),
      "deploy from the deploy network (10.99.0.0/16, slipway:network.deployNetwork), admin role -> Helm chart repository oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts: no grant: metrics-server, prometheus-operator-crds, cert-manager, ingress-controllers, cluster-monitoring, example-services, grafana-stack carry no registry credentials (repositoryOpts.username and a secret password)",
    );
  });

  it("a password in plain text is no secret credential", async () => {
    const report = await check("airgap", {
      record: (record) => {
        const release = record.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release")!;
        release.inputs.repositoryOpts = { username: "AWS", password: "eyJwYXlsb2FkIjoi" };
      },
    });
    assert.match(lines(report.findings), /no grant: metrics-server carry no registry credentials/);
  });
});

describe("the rest of the class", () => {
  /** [what breaks, the change, what the report must say]. */
  const cases: Array<[string, Stack, Parameters<typeof check>[1], RegExp]> = [
    [
      "no NAT in a stack with NAT routes removed",
      "staging",
      {
        record: (record) => {
          for (const table of record.resources.filter(
            (r) => r.name.startsWith("network-private-") && r.type === "aws:ec2/routeTable:RouteTable",
          )) {
            table.inputs.routes = [];
          }
        },
      },
      /worker nodes \(managed node groups\) -> EC2 API: no route: ec2: network-private-us-east-1a has no NAT route and the VPC no ec2 interface endpoint/,
    ],
    [
      "a job on runners that are not the stack's",
      "staging",
      { workflows: (jobs) => jobs.map((j) => (j.job === "drift" ? { ...j, runsOn: "ubuntu-latest" } : j)) },
      /drift\.yml job drift \(staging, AWS_PREVIEW_ROLE_ARN\) -> Kubernetes API: no route: runs on ubuntu-latest, not on this stack's runner scale set slipway-staging, inside the VPC/,
    ],
    [
      "a job assuming a role no stack file key lists",
      "production",
      {
        workflows: (jobs) =>
          jobs.map((j) => (j.job === "production" ? { ...j, roleVariable: "AWS_OTHER_ROLE_ARN" } : j)),
      },
      /no grant: its role variable AWS_OTHER_ROLE_ARN is not one of AWS_DEPLOY_ROLE_ARN, AWS_PREVIEW_ROLE_ARN, which the stack file lists/,
    ],
    [
      "a node group's launch template naming its own security groups",
      "production",
      {
        record: (record) => {
          record.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!.inputs.vpcSecurityGroupIds =
            ["sg-1"];
        },
      },
      /worker nodes \(managed node groups\) -> Kubernetes API \(the kubelet\): no route: launch template cluster-system names its own security groups/,
    ],
    [
      "an IRSA role without its policy",
      "airgap",
      {
        record: (r) =>
          removeResources(
            r,
            (name, type) => name === "cluster-vpc-cni" && type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          ),
      },
      /pods of service account kube-system:aws-node \(IAM role cluster-vpc-cni\) -> ec2 API: no grant: no policy of cluster-vpc-cni allows ec2/,
    ],
    [
      "an air-gapped VPC without the STS endpoint",
      "airgap",
      { record: (r) => removeResources(r, (name) => name === "network-endpoints-sts") },
      /kube-system:ebs-csi-controller-sa .* -> STS \(AssumeRoleWithWebIdentity\): no route: sts: .* no sts interface endpoint/,
    ],
  ];
  for (const [what, stack, change, says] of cases) {
    it(what, async () => assert.match(lines((await check(stack, change)).findings), says));
  }
});

describe("the workflow jobs the check reads", () => {
  let jobs: WorkflowJob[];
  before(() => (jobs = WORKFLOWS));
  it("finds each job that runs Pulumi against a stack, once per stack of its matrix, with its runner and role", () => {
    assert.deepEqual(
      jobs.map((j) => [j.file, j.job, j.stack, j.runsOn, j.roleVariable]),
      [
        ["deploy.yml", "staging", "staging", "slipway-staging", "AWS_DEPLOY_ROLE_ARN"],
        ["deploy.yml", "production-preview", "production", "slipway-production", "AWS_PREVIEW_ROLE_ARN"],
        ["deploy.yml", "production", "production", "slipway-production", "AWS_DEPLOY_ROLE_ARN"],
        ["drift.yml", "drift", "staging", "slipway-staging", "AWS_PREVIEW_ROLE_ARN"],
        ["drift.yml", "drift", "production", "slipway-production", "AWS_PREVIEW_ROLE_ARN"],
        ["pull-request.yml", "preview", "staging", "slipway-staging", "AWS_PREVIEW_ROLE_ARN"],
        ["pull-request.yml", "preview", "production", "slipway-production", "AWS_PREVIEW_ROLE_ARN"],
      ],
    );
  });
});
