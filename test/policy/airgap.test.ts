import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { isAirGapped, publicRegistryReferences } from "../../policy/rules/airgap";
import { RULES } from "../../policy/rules/index";
import { evaluate } from "../../policy/evaluate";
import { policyResources } from "../../ops/plan/policy";
import { ofType, SECRET_MASK, type ProgramRecord } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { goldenRecordOf, input } from "../helpers";

const rule = RULES.find((r) => r.name === "no-public-registries")!;
const release = (record: ProgramRecord, name: string) =>
  ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!;

describe("the air-gapped stack as the program declares it", () => {
  let record: ProgramRecord;
  let preview: ProgramRecord;
  before(async () => {
    record = await runProgram({ stack: "airgap" });
    preview = await runProgram({ stack: "airgap", preview: true });
  });

  it("has no NAT gateway, no Elastic IP and no internet gateway, and no route out but to the deploy network", () => {
    for (const type of [
      "aws:ec2/natGateway:NatGateway",
      "aws:ec2/eip:Eip",
      "aws:ec2/internetGateway:InternetGateway",
    ]) {
      assert.deepEqual(ofType(record, type), [], type);
    }
    for (const table of ofType(record, "aws:ec2/routeTable:RouteTable")) {
      const routes = (table.inputs.routes ?? []) as Array<Record<string, unknown>>;
      const expected = table.name.includes("private")
        ? [{ cidrBlock: "10.99.0.0/16", transitGatewayId: "tgw-0123456789abcdef0" }]
        : [];
      assert.deepEqual(routes, expected, table.name);
    }
  });

  it("reaches ECR, S3, EC2, STS, CloudWatch Logs, ELB, Auto Scaling, KMS and EKS through VPC endpoints", () => {
    const endpoints = ofType(record, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => [
      e.inputs.serviceName,
      e.inputs.vpcEndpointType,
    ]);
    assert.deepEqual(endpoints.sort(), [
      ["com.amazonaws.us-east-1.autoscaling", "Interface"],
      ["com.amazonaws.us-east-1.ec2", "Interface"],
      ["com.amazonaws.us-east-1.ecr.api", "Interface"],
      ["com.amazonaws.us-east-1.ecr.dkr", "Interface"],
      ["com.amazonaws.us-east-1.eks", "Interface"],
      ["com.amazonaws.us-east-1.elasticloadbalancing", "Interface"],
      ["com.amazonaws.us-east-1.kms", "Interface"],
      ["com.amazonaws.us-east-1.logs", "Interface"],
      ["com.amazonaws.us-east-1.s3", "Gateway"],
      ["com.amazonaws.us-east-1.sts", "Interface"],
    ]);
    const s3 = ofType(record, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.name === "network-endpoints-s3")!;
    assert.equal((s3.inputs.routeTableIds as string[]).length, 3, "the S3 gateway routes every private subnet");
    const ecr = ofType(record, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.name === "network-endpoints-ecr.dkr")!;
    assert.equal(ecr.inputs.privateDnsEnabled, true);
    assert.equal((ecr.inputs.subnetIds as string[]).length, 3);
    const https = ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find(
      (r) => r.name === "network-endpoints-https-from-vpc",
    )!;
    assert.deepEqual([https.inputs.cidrIpv4, https.inputs.fromPort, https.inputs.toPort], ["10.40.0.0/16", 443, 443]);
  });

  for (const form of ["update", "preview"] as const) {
    it(`logs in to ECR for each chart it pulls from there, with the token's password kept secret (${form})`, () => {
      const releases = ofType(form === "update" ? record : preview, "kubernetes:helm.sh/v3:Release");
      assert.equal(releases.length, 7, "every chart add-on the stack runs");
      for (const release of releases) {
        assert.match(String(release.inputs.chart), /^oci:\/\/123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\//);
        // An ECR token's user name is AWS; its password is the token (ECR, GetAuthorizationToken).
        assert.deepEqual(release.inputs.repositoryOpts, { username: "AWS", password: SECRET_MASK }, release.name);
      }
    });
  }

  it("points each chart at its mirror, in the form each chart's template reads", () => {
    const certManager = release(record, "cert-manager");
    assert.match(
      String(certManager.inputs.chart),
      /^oci:\/\/123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/charts\/cert-manager$/,
    );
    assert.deepEqual(input(certManager, "values.webhook.image"), {
      repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/quay.io/jetstack/cert-manager-webhook",
      tag: "v1.17.2",
      digest: input(certManager, "values.webhook.image.digest"),
    });
    assert.match(String(input(certManager, "values.webhook.image.digest")), /^sha256:[a-f0-9]{64}$/);
    // kube-prometheus-stack appends "@sha256:" itself: its sha is bare hex.
    const monitoring = release(record, "cluster-monitoring");
    assert.match(String(input(monitoring, "values.prometheus.prometheusSpec.image.sha")), /^[a-f0-9]{64}$/);
    assert.equal(
      input(monitoring, "values.prometheus.prometheusSpec.image.registry"),
      "123456789012.dkr.ecr.us-east-1.amazonaws.com",
    );
    // kube-state-metrics appends its sha whole; node-exporter takes digest.
    assert.match(String(input(monitoring, "values.kube-state-metrics.image.sha")), /^sha256:/);
    assert.match(String(input(monitoring, "values.prometheus-node-exporter.image.digest")), /^sha256:/);
    // traefik has no digest key: the tag carries it, and Slipway's own values are kept beside it.
    const traefik = release(record, "ingress-controllers");
    assert.match(String(input(traefik, "values.image.tag")), /^v3\.4\.0@sha256:[a-f0-9]{64}$/);
    assert.equal(input(traefik, "values.deployment.replicas"), 2);
    // The in-tree cloud provider serves `aws-load-balancer-type: nlb` and reads `-internal`.
    const annotations = input(traefik, "values.service.annotations") as Record<string, string>;
    assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"], "true");
    assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
  });

  it("signs certificates with a private CA in cert-manager", () => {
    const issuers = ofType(record, "kubernetes:cert-manager.io/v1:ClusterIssuer").map((r) => [
      input(r, "metadata.name"),
      Object.keys(r.inputs.spec as object)[0],
    ]);
    assert.deepEqual(issuers.sort(), [
      ["private-ca", "ca"],
      ["slipway-selfsigned", "selfSigned"],
    ]);
    const ca = ofType(record, "kubernetes:cert-manager.io/v1:Certificate").find(
      (c) => input(c, "metadata.name") === "private-ca",
    )!;
    assert.equal(input(ca, "spec.isCA"), true);
    assert.equal(input(ca, "spec.secretName"), "private-ca");
    const ingress = ofType(record, "kubernetes:networking.k8s.io/v1:Ingress")[0];
    assert.equal(
      (input(ingress, "metadata.annotations") as Record<string, string>)["cert-manager.io/cluster-issuer"],
      "private-ca",
    );
  });

  it("references no public registry, in the preview and the update forms, and the rule agrees", () => {
    for (const form of [record, preview]) {
      const resources = policyResources(form);
      assert.equal(isAirGapped(resources), true);
      assert.deepEqual(publicRegistryReferences(resources), []);
      assert.deepEqual(evaluate(resources, "production", [rule]), []);
    }
  });

  for (const { chart, remove, message } of [
    {
      chart: "cert-manager",
      remove: ["cainjector", "image"],
      message: "cert-manager: pulls quay.io/jetstack/cert-manager-cainjector (values cainjector.image)",
    },
    {
      // grafana's _pod.tpl adds the download-dashboards init container whenever `dashboards` is set.
      chart: "grafana-stack",
      remove: ["downloadDashboardsImage"],
      message: "grafana-stack: pulls docker.io/curlimages/curl (values downloadDashboardsImage)",
    },
  ]) {
    it(`fails the rule when one image of a chart is left at its default: ${remove.join(".")} of ${chart}`, () => {
      // A copy of the release's props: the record is shared by the tests of this file.
      const resources = policyResources(record).map((r) =>
        r.type === "kubernetes:helm.sh/v3:Release" && r.props.name === chart
          ? { ...r, props: structuredClone(r.props) }
          : r,
      );
      const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.name === chart)!;
      const parent = remove
        .slice(0, -1)
        .reduce((v, key) => v[key] as Record<string, unknown>, release.props.values as Record<string, unknown>);
      assert.ok(remove.at(-1)! in parent, "the stack redirects it");
      delete parent[remove.at(-1)!];
      assert.deepEqual(
        evaluate(resources, "production", [rule]).map((f) => f.message),
        [message],
      );
    });
  }
});

describe("the same rule on production", () => {
  it("lists production's public charts and images, and holds production to them only once it has no egress", async () => {
    const resources = policyResources(await goldenRecordOf("production"));
    assert.equal(isAirGapped(resources), false);
    assert.deepEqual(evaluate(resources, "production", [rule]), []);
    const found = publicRegistryReferences(resources).map(([, message]) => message);
    for (const expected of [
      "cert-manager: chart from https://charts.jetstack.io",
      "cert-manager: pulls quay.io/jetstack/cert-manager-controller (values image)",
      "ingress-controllers: pulls docker.io/traefik (values image)",
      "cluster-monitoring: pulls quay.io/prometheus/prometheus (values prometheus.prometheusSpec.image)",
      "grafana-stack: pulls docker.io/grafana/grafana (values image)",
      "grafana-stack: pulls docker.io/curlimages/curl (values downloadDashboardsImage)",
      "metrics-server: pulls registry.k8s.io/metrics-server/metrics-server (values image)",
    ]) {
      assert.ok(found.includes(expected), `${expected} not in:\n${found.join("\n")}`);
    }
    // The apps' own images are in the account's ECR: not public.
    assert.equal(
      found.some((m) => m.includes("controlcore-api")),
      false,
    );
  });
});
