/**
 * The whole program (infra/index.ts) as integration tests: each component gets its stack
 * config, and the components are wired to each other as they must be. What each component
 * declares for its Args is tested alone (test/components/); here one run per stack is
 * shared by every test, plus one run of production with the variants switched on.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CATALOG } from "../../components/platform/catalog";
import { parseStackConfig } from "../../infra/config";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { EncryptedValue } from "../../infra/stack-file";
import { isChartAddon, type AddonKey } from "../../settings/addons/catalog";
import { MOCK_SECRET_MARKER } from "../../harness/mock-cloud";
import {
  ancestors,
  byUrn,
  ofType,
  SECRET_MASK,
  transitiveDependencies,
  type ProgramRecord,
  type RecordedResource,
} from "../../harness/record";
import { runProgram } from "../../harness/run";
import { platformWaves, recordedAddons } from "../../ops/plan/platform-waves";
import { STACKS, appFolderWith, byMockId, input, only, recordOf, stackFileConfig, tag } from "../helpers";

const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

const tierOf = (record: ProgramRecord, id: unknown) => tag(byMockId(record, id)!, "slipway.io/tier");
const privateTables = (record: ProgramRecord) =>
  ofType(record, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-"));
/** The resources of one app (children of its AppRelease), by Kubernetes type. */
function appResources(record: ProgramRecord, app: string) {
  const component = record.resources.find((r) => r.type === "slipway:k8s:AppRelease" && r.name === `app-${app}`)!;
  const children = record.resources.filter((r) => r.parent === component.urn);
  return (type: string): RecordedResource[] => children.filter((r) => r.type === `kubernetes:${type}`);
}

for (const stack of STACKS) {
  const config = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" });
  const channel = channelSchema.parse(readChannelFiles()[config.platform.channel].document);
  const production = stack === "production";
  let record: ProgramRecord;

  describe(`The program (${stack})`, () => {
    before(async () => (record = await recordOf(stack)));

    it("builds the network from its config: the VPC, the subnets per tier and AZ, the NAT gateways and flow logs", () => {
      const { network } = config;
      assert.equal(input(only(record, "aws:ec2/vpc:Vpc"), "cidrBlock"), network.vpcCidr);
      const subnets = ofType(record, "aws:ec2/subnet:Subnet");
      const tier = (t: string) => subnets.filter((s) => tag(s, "slipway.io/tier") === t);
      assert.deepEqual(
        tier("private").map((s) => [input(s, "cidrBlock"), input(s, "availabilityZone")]),
        network.privateSubnetCidrs.map((cidr, i) => [cidr, network.availabilityZones[i]]),
      );
      assert.deepEqual(
        tier("public").map((s) => input(s, "cidrBlock")),
        network.publicSubnetCidrs,
      );
      const nats = ofType(record, "aws:ec2/natGateway:NatGateway").length;
      assert.equal(nats, network.natGateways === "single" ? 1 : network.availabilityZones.length);
      const flowLog = only(record, "aws:ec2/flowLog:FlowLog");
      assert.equal(input(flowLog, "trafficType"), network.flowLogs.trafficType);
      const group = ofType(record, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "network-flow-logs")!;
      assert.equal(input(group, "retentionInDays"), network.flowLogs.retentionDays);
      assert.deepEqual(ofType(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), [], "no deploy network");
    });

    it("puts the control plane and every node group only in the network's private subnets", () => {
      const placements = [
        input(only(record, "aws:eks/cluster:Cluster"), "vpcConfig.subnetIds"),
        ...ofType(record, "aws:eks/nodeGroup:NodeGroup").map((g) => input(g, "subnetIds")),
      ] as string[][];
      assert.equal(placements.length, 1 + Object.keys(config.cluster.nodeGroups).length);
      for (const subnetIds of placements) {
        assert.equal(subnetIds.length, config.network.availabilityZones.length);
        for (const id of subnetIds) assert.equal(tierOf(record, id), "private", id);
      }
    });

    it("builds the cluster from its config: endpoint, node groups, logs, access, add-ons and protection", () => {
      const { cluster } = config;
      const eks = only(record, "aws:eks/cluster:Cluster");
      assert.equal(input(eks, "name"), cluster.name);
      assert.equal(input(eks, "version"), cluster.kubernetesVersion);
      assert.deepEqual(input(eks, "vpcConfig.publicAccessCidrs"), cluster.endpointPublicAccessCidrs);
      assert.ok(!cluster.endpointPublicAccessCidrs.includes("0.0.0.0/0"));
      assert.deepEqual(input(eks, "enabledClusterLogTypes"), cluster.logTypes);
      for (const required of ["api", "audit", "authenticator"]) assert.ok(cluster.logTypes.includes(required as never));
      const logs = ofType(record, "aws:cloudwatch/logGroup:LogGroup").find(
        (g) => input(g, "name") === `/aws/eks/${cluster.name}/cluster`,
      )!;
      assert.equal(input(logs, "retentionInDays"), cluster.logRetentionDays);
      assert.ok(eks.dependencies.includes(logs.urn), "the log group exists before the cluster");
      const groups = ofType(record, "aws:eks/nodeGroup:NodeGroup");
      for (const [name, spec] of Object.entries(cluster.nodeGroups)) {
        const group = groups.find((g) => g.name === `cluster-${name}`)!;
        assert.deepEqual(group.inputs.scalingConfig, {
          minSize: spec.minSize,
          maxSize: spec.maxSize,
          desiredSize: spec.desiredSize,
        });
        assert.deepEqual(group.inputs.instanceTypes, spec.instanceTypes);
        const template = byMockId(record, input(group, "launchTemplate.id"))!;
        assert.equal(input(template, "metadataOptions.httpPutResponseHopLimit"), cluster.imdsHopLimit);
      }
      assert.ok(cluster.previewRoleArns.length > 0, `Pulumi.${stack}.yaml names the workflows' preview role`);
      assert.deepEqual(
        ofType(record, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => input(a, "principalArn")),
        [...cluster.adminRoleArns, ...cluster.previewRoleArns],
      );
      const addons = Object.fromEntries(ofType(record, "aws:eks/addon:Addon").map((a) => [input(a, "addonName"), a]));
      assert.equal(input(addons["coredns"]!, "addonVersion"), cluster.addons.coredns);
      assert.equal(input(addons["aws-ebs-csi-driver"]!, "addonVersion"), cluster.addons.awsEbsCsiDriver);
      assert.equal(eks.options.protect, cluster.protect);
      assert.equal(
        ofType(record, "aws:kms/key:Key").find((k) => k.name === "cluster-secrets")!.options.protect,
        cluster.protect,
      );
    });

    it("builds the database and the cache from their config, in the network's private subnets", () => {
      const { database, cache } = config;
      const db = only(record, RDS);
      assert.deepEqual(
        [
          input(db, "engineVersion"),
          input(db, "instanceClass"),
          input(db, "allocatedStorage"),
          input(db, "maxAllocatedStorage"),
        ],
        [database.engineVersion, database.instanceClass, database.allocatedStorageGiB, database.maxAllocatedStorageGiB],
      );
      assert.equal(input(db, "backupRetentionPeriod"), database.backupRetentionDays);
      assert.ok(database.backupRetentionDays >= (production ? 7 : 1));
      assert.deepEqual(
        [input(db, "deletionProtection"), input(db, "multiAz"), db.options.protect],
        [database.deletionProtection, database.multiAz, database.protect],
      );
      assert.equal(production, database.protect && database.multiAz, "production keeps the database safe");
      assert.match(input(db, "finalSnapshotIdentifier") as string, new RegExp(`^slipway-${stack}-final-.+`));
      const redis = only(record, REDIS);
      assert.deepEqual(
        [input(redis, "nodeType"), input(redis, "numCacheClusters"), input(redis, "snapshotRetentionLimit")],
        [cache.nodeType, cache.numCacheClusters, cache.snapshotRetentionDays],
      );
      assert.deepEqual([input(redis, "multiAzEnabled"), redis.options.protect], [cache.multiAz, cache.protect]);
      if (production) assert.ok(cache.numCacheClusters >= 2);
      for (const type of ["aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"]) {
        for (const id of input(only(record, type), "subnetIds") as string[])
          assert.equal(tierOf(record, id), "private", type);
      }
    });

    it("admits only the cluster's node security group to each data store, on its port", () => {
      for (const [prefix, port] of [
        ["database", 5432],
        ["cache", 6379],
      ] as const) {
        const group = ofType(record, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === `${prefix}-sg`)!;
        const rules = [
          ...ofType(record, RULE),
          ...ofType(record, "aws:ec2/securityGroupRule:SecurityGroupRule"),
        ].filter((r) => input(r, "securityGroupId") === `${group.name}-id`);
        assert.equal(rules.length, 1, prefix);
        assert.equal(input(rules[0]!, "referencedSecurityGroupId"), "sg-cluster-eks-cluster", "the group EKS made");
        assert.deepEqual([input(rules[0]!, "fromPort"), input(rules[0]!, "cidrIpv4")], [port, undefined]);
      }
    });

    it("lets RDS and ElastiCache wait for the network only, never for the EKS cluster or its nodes", () => {
      const eks = [
        ...ofType(record, "aws:eks/cluster:Cluster"),
        ...ofType(record, "aws:eks/nodeGroup:NodeGroup"),
        ...ofType(record, "aws:eks/addon:Addon"),
      ].map((r) => r.urn);
      assert.equal(eks.length, 1 + 2 + 4, "the cluster, its two node groups and four add-ons");
      for (const type of [RDS, REDIS]) {
        const waitsFor = transitiveDependencies(record, only(record, type));
        assert.deepEqual(
          eks.filter((urn) => waitsFor.has(urn)),
          [],
          `${type} waits for EKS`,
        );
        assert.ok(
          [...waitsFor].some((urn) => urn.includes("aws:ec2/subnet:Subnet")),
          `${type} waits for the subnets`,
        );
      }
      const cluster = only(record, "aws:eks/cluster:Cluster");
      const waiting = record.resources
        .filter((r) => r.parent.endsWith("::database") || r.parent.endsWith("::cache"))
        .filter((r) => r.dependencies.includes(cluster.urn))
        .map((r) => r.type);
      assert.deepEqual(waiting, [RULE, RULE], "only the rules that admit the nodes wait for the cluster");
    });

    it("installs the channel's pins for the enabled add-ons, each waiting for the nodes and CoreDNS, none for a data store", () => {
      const releases = ofType(record, RELEASE);
      assert.deepEqual(releases.map((r) => r.inputs.name).sort(), config.platform.enabled.filter(isChartAddon).sort());
      for (const release of releases) {
        const pin = channel.charts[release.inputs.name as keyof typeof channel.charts]!;
        assert.equal(release.inputs.version, pin.version, release.name);
        assert.equal(
          release.inputs.chart,
          pin.repository.startsWith("oci://") ? `${pin.repository}/${pin.chart}` : pin.chart,
        );
      }
      const addons = recordedAddons(record);
      assert.equal(addons.length, config.platform.enabled.length);
      for (const addon of addons) {
        const declared = CATALOG[addon.key as AddonKey].needs.filter((n) => config.platform.enabled.includes(n));
        assert.deepEqual(addon.needs, [...declared].sort(), addon.key);
      }
      const waitedFor = [...ofType(record, "aws:eks/nodeGroup:NodeGroup"), ...ofType(record, "aws:eks/addon:Addon")]
        .filter((r) => r.type !== "aws:eks/addon:Addon" || input(r, "addonName") === "coredns")
        .map((r) => r.urn);
      const dataStores = record.resources.filter((r) => /::(database|cache)$/.test(r.parent)).map((r) => r.urn);
      const platform = only(record, "slipway:k8s:Platform").urn;
      const addonResources = record.resources.filter(
        (r) =>
          r.type.startsWith("kubernetes:") &&
          ancestors(record, r).includes(platform) &&
          r.type !== "kubernetes:core/v1:Namespace",
      );
      assert.ok(addonResources.length > 10);
      for (const resource of addonResources) {
        const deps = new Set(resource.dependencies);
        assert.ok(
          waitedFor.every((urn) => deps.has(urn)),
          `${resource.name} waits for the nodes and CoreDNS`,
        );
        assert.ok(
          dataStores.every((urn) => !deps.has(urn)),
          `${resource.name} waits for a data store`,
        );
      }
      assert.equal(
        releases.find((r) => r.inputs.name === "cert-manager")!.options.protect,
        config.platform.protectCrds,
        "protectCrds reaches the releases",
      );
    });

    for (const app of config.apps) {
      it(`deploys ${app.name} as its app file says for ${stack}, wired to the platform and the data stores it uses`, () => {
        const of = appResources(record, app.name);
        const [deployment] = of("apps/v1:Deployment");
        const [container] = input(deployment!, "spec.template.spec.containers") as Array<Record<string, any>>;
        assert.equal(container!.image, `${app.pinnedImage.repository}@${app.pinnedImage.digest}`);
        assert.match(container!.image, /@sha256:[a-f0-9]{64}$/);
        assert.equal(container!.livenessProbe.httpGet.path, app.probes.livenessPath);
        assert.deepEqual(
          container!.resources.requests,
          production ? { cpu: "100m", memory: "256Mi" } : { cpu: "50m", memory: "128Mi" },
        );
        assert.equal(of("autoscaling/v2:HorizontalPodAutoscaler").length, production ? 1 : 0);
        assert.equal(input(deployment!, "spec.replicas"), production ? undefined : 1);
        const policies = new Map(
          of("networking.k8s.io/v1:NetworkPolicy").map((p) => [
            input(p, "metadata.name"),
            p.inputs.spec as Record<string, any>,
          ]),
        );
        assert.deepEqual(policies.get(`${app.name}-allow-ingress`)!.ingress[0].from[0], {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } },
        });
        const ports = (
          policies.get(`${app.name}-allow-egress`)!.egress as Array<{ to: unknown[]; ports: Array<{ port: number }> }>
        )
          .slice(1)
          .map((rule) => [rule.to, rule.ports[0]!.port]);
        const blocks = config.network.privateSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
        assert.deepEqual(ports, [
          ...(app.uses.includes("database") ? [[blocks, 5432]] : []),
          ...(app.uses.includes("cache") ? [[blocks, 6379]] : []),
        ]);
        const [ingress] = of("networking.k8s.io/v1:Ingress");
        assert.equal(input(ingress!, "spec.ingressClassName"), "traefik");
        assert.equal(
          (input(ingress!, "metadata.annotations") as Record<string, string>)["cert-manager.io/cluster-issuer"],
          config.platform.certificates.issuer,
        );
        assert.equal(
          input(ingress!, "spec.rules.0.host"),
          production ? (app.name === "controlcore-api" ? "api.example.com" : "www.example.com") : app.ingress!.host,
        );
        assert.equal(of("core/v1:Secret")[0]!.inputs.stringData, SECRET_MASK);
        assert.equal(of("monitoring.coreos.com/v1:ServiceMonitor").length, app.metrics ? 1 : 0);
        // Service, ServiceAccount, Secret, NetworkPolicies, Deployment, Ingress and its namespace: 9; a
        // ServiceMonitor where the app exposes metrics; a PDB and an HPA where it autoscales (production).
        const children = record.resources.filter((r) => r.parent === `${of("core/v1:Namespace")[0]!.parent}`);
        assert.equal(
          children.filter((r) => r.type.startsWith("kubernetes:")).length,
          9 + (app.metrics ? 1 : 0) + (production ? 2 : 0),
        );
      });
    }

    it("parents every cloud resource under a slipway component named after it, never directly under the stack", () => {
      const cloud = record.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      assert.ok(cloud.length > 40);
      for (const resource of cloud) {
        const parent = byUrn(record, resource.parent);
        assert.match(parent.type, /^slipway:/, `${resource.urn} is parented to ${parent.type}`);
        assert.ok(resource.name.startsWith(`${parent.name}-`), `${resource.name} is named after ${parent.name}`);
        assert.equal(
          ancestors(record, resource).at(-1),
          `urn:pulumi:${stack}::slipway::pulumi:pulumi:Stack::slipway-${stack}`,
        );
      }
    });

    it("sends every AWS resource through the provider that carries the tags, every Kubernetes one through the cluster's", () => {
      const aws = only(record, "pulumi:providers:aws");
      assert.deepEqual(JSON.parse(input(aws, "defaultTags") as string), {
        tags: { project: "slipway", stack, owner: "platform-team", "managed-by": "pulumi" },
      });
      for (const resource of record.resources.filter((r) => r.type.startsWith("aws:")))
        assert.equal(resource.provider, aws.urn, resource.urn);
      const kubernetes = only(record, "pulumi:providers:kubernetes");
      for (const resource of record.resources.filter((r) => r.type.startsWith("kubernetes:")))
        assert.equal(resource.provider, kubernetes.urn, resource.name);
    });

    it("keeps every credential secret: none in the record, the kubeconfig and connections masked, endpoints only in outputs", () => {
      const text = JSON.stringify(record);
      assert.doesNotMatch(text, new RegExp(MOCK_SECRET_MARKER));
      assert.doesNotMatch(text, /get-token/, "the kubeconfig text reached the record in plain text");
      assert.equal(record.outputs.kubeconfig, SECRET_MASK);
      assert.equal(only(record, "pulumi:providers:kubernetes").inputs.kubeconfig, SECRET_MASK);
      assert.match(record.outputs.databaseEndpoint as string, /rds\.amazonaws\.com:5432$/);
      assert.match(record.outputs.cacheEndpoint as string, /cache\.amazonaws\.com:6379$/);
      assert.doesNotMatch(Object.keys(record.outputs).join(","), /password|token/i);
      for (const component of ["slipway:aws:Database", "slipway:aws:Cache"]) {
        assert.equal(record.componentOutputs[only(record, component).urn]?.connection, SECRET_MASK, component);
      }
    });
  });
}

describe("Deployment waves of the production platform, read back from the record", () => {
  it("puts each add-on in the earliest wave its needs allow, as the Platform ordered them", async () => {
    const record = await recordOf("production");
    const waves = platformWaves(record).map((wave) => wave.map((a) => a.key).sort());
    assert.deepEqual(waves, [
      ["metrics-server", "prometheus-operator-crds", "storage-class"],
      ["alert-rules", "cert-manager", "cluster-monitoring", "ingress-controllers"],
      ["cluster-issuers", "grafana-stack"],
      ["example-services"],
    ]);
    assert.deepEqual(
      (record.outputs.platformWaves as string[][]).map((wave) => [...wave].sort()),
      waves,
    );
  });
});

describe("The program with the deploy network (airgap)", () => {
  let record: ProgramRecord;
  before(async () => (record = await runProgram({ stack: "airgap" })));

  it("builds no internet gateway, NAT or public subnet in the air-gapped VPC: only private subnets, one per zone", () => {
    assert.deepEqual(ofType(record, "aws:ec2/internetGateway:InternetGateway"), []);
    assert.deepEqual(ofType(record, "aws:ec2/natGateway:NatGateway"), []);
    assert.deepEqual(ofType(record, "aws:ec2/eip:Eip"), []);
    const subnets = ofType(record, "aws:ec2/subnet:Subnet");
    assert.deepEqual(
      subnets.map((s) => [tag(s, "slipway.io/tier"), input(s, "availabilityZone")]),
      ["us-east-1a", "us-east-1b", "us-east-1c"].map((az) => ["private", az]),
    );
    // No subnet a load-balancer controller would pick for an internet-facing load balancer.
    for (const subnet of subnets) assert.equal(tag(subnet, "kubernetes.io/role/elb"), undefined, subnet.name);
    assert.deepEqual(
      ofType(record, "aws:ec2/routeTable:RouteTable")
        .map((t) => t.name)
        .filter((name) => !name.includes("-private-")),
      [],
    );
  });

  it("attaches the VPC to the transit gateway in its private subnets and routes the deploy network back through it", () => {
    const attachment = only(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    assert.equal(input(attachment, "transitGatewayId"), "tgw-0123456789abcdef0");
    assert.deepEqual(
      (input(attachment, "subnetIds") as string[]).map((id) => tierOf(record, id)),
      ["private", "private", "private"],
    );
    for (const table of privateTables(record)) {
      assert.deepEqual(input(table, "routes"), [
        { cidrBlock: "10.99.0.0/16", transitGatewayId: "tgw-0123456789abcdef0" },
      ]);
      assert.ok(table.dependencies.includes(attachment.urn), table.name);
    }
  });

  it("admits the deploy network to the private API endpoint on the cluster security group, and the provider waits for the way in", () => {
    const rules = ofType(record, RULE).filter((r) => r.name.startsWith("cluster-"));
    assert.deepEqual(
      rules.map((r) => [r.name, input(r, "cidrIpv4"), input(r, "fromPort"), input(r, "securityGroupId")]),
      [["cluster-api-from-10-99-0-0-16", "10.99.0.0/16", 443, "sg-cluster-eks-cluster"]],
    );
    const provider = only(record, "pulumi:providers:kubernetes");
    const needed = [
      ...rules,
      only(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"),
      ...privateTables(record),
    ];
    assert.equal(needed.length, 5);
    for (const resource of needed) assert.ok(provider.dependencies.includes(resource.urn), resource.name);
  });
});

/**
 * Production with the variants that change what crosses component boundaries, in one run:
 * the NAT mode from the file (not the stack name), the deploy network inside the VPC, RDS
 * keeping the password, every add-on with its secrets, DNS-01 through Route 53, and an app
 * with secret env, an IRSA role and a peer.
 */
function variantConfig() {
  const config = stackFileConfig("production");
  const network = config["slipway:network"] as Record<string, unknown>;
  network.natGateways = "single";
  network.deployNetwork = { cidrs: ["10.30.200.0/24"] };
  (config["slipway:database"] as Record<string, unknown>).masterCredentials = "secretsManager";
  const platform = config["slipway:platform"] as Record<string, any>;
  platform.disabledCharts = [];
  Object.assign(platform.certificates, { solver: "route53", route53HostedZoneId: "Z0123456789ABC" });
  config["slipway:alertmanagerWebhookUrl"] = new EncryptedValue("AAABAJ+fixture");
  config["slipway:githubAppPrivateKey"] = new EncryptedValue("AAABAK+fixture");
  config["slipway:apps"] = {
    directory: appFolderWith((apps) =>
      Object.assign(apps["controlcore-api"], {
        secretEnv: { STRIPE_API_KEY: "stripeKey" },
        iamPolicyStatements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::reports/*"] }],
        allowFrom: [{ namespace: "webgrip-web", podLabels: { "app.kubernetes.io/name": "webgrip-web" } }],
      }),
    ),
  };
  config["slipway:appSecrets"] = { stripeKey: new EncryptedValue("AAABfixture") };
  return config;
}

describe("The program with the variants switched on (production)", () => {
  let record: ProgramRecord;
  before(async () => (record = await runProgram({ stack: "production", config: variantConfig() })));

  it("follows the file's NAT mode, not the stack's name", () => {
    assert.equal(ofType(record, "aws:ec2/natGateway:NatGateway").length, 1);
  });

  it("admits a deploy network inside the VPC to the API without a transit gateway: a rule, no attachment, no route", () => {
    assert.deepEqual(ofType(record, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
    for (const table of privateTables(record)) {
      assert.deepEqual(
        (input(table, "routes") as Array<{ cidrBlock: string }>).map((r) => r.cidrBlock),
        ["0.0.0.0/0"],
      );
    }
    assert.ok(
      ofType(record, RULE).some((r) => input(r, "cidrIpv4") === "10.30.200.0/24" && input(r, "fromPort") === 443),
    );
  });

  it("lets RDS keep the password: no random password for it, the app's Secret still built", () => {
    assert.equal(input(only(record, RDS), "manageMasterUserPassword"), true);
    const passwords = ofType(record, "random:index/randomPassword:RandomPassword")
      .filter((p) => p.parent.endsWith("::database") || p.parent.endsWith("::cache"))
      .map((p) => p.name);
    assert.deepEqual(passwords, ["cache-auth-token"]);
    assert.equal(appResources(record, "controlcore-api")("core/v1:Secret")[0]!.inputs.stringData, SECRET_MASK);
  });

  it("deploys the runners and keeps every secret config value out of chart values and plain text", () => {
    const releases = ofType(record, RELEASE);
    assert.ok(releases.some((r) => r.inputs.name === "gha-runners"));
    const text = JSON.stringify(record);
    assert.doesNotMatch(text, /offline-secret\(/, "a secret config value reached the record in plain text");
    assert.doesNotMatch(text, new RegExp(MOCK_SECRET_MARKER), "a generated password reached the record in plain text");
    for (const release of releases)
      assert.doesNotMatch(JSON.stringify(release.inputs.values), /\[secret\]/, `${release.name} values hold a secret`);
  });

  it("gives cert-manager an IRSA role trusted by the cluster's OIDC provider for DNS-01", () => {
    const role = ofType(record, "aws:iam/role:Role").find((r) => r.name === "platform-cert-manager-dns01")!;
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    assert.match(trust.Statement[0].Principal.Federated, /iam\/openIdConnectProvider\/cluster-oidc$/);
  });

  it("resolves the app's secret env from slipway:appSecrets and its IRSA role from the cluster's OIDC identity", () => {
    const of = appResources(record, "controlcore-api");
    assert.match(
      (input(of("core/v1:ServiceAccount")[0]!, "metadata.annotations") as Record<string, string>)[
        "eks.amazonaws.com/role-arn"
      ],
      /iam\/role\/app-controlcore-api-irsa$/,
    );
    const role = ofType(record, "aws:iam/role:Role").find((r) => r.name === "app-controlcore-api-irsa")!;
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    assert.match(trust.Statement[0].Principal.Federated, /iam\/openIdConnectProvider\/cluster-oidc$/);
    assert.match(role.inputs.assumeRolePolicy as string, /system:serviceaccount:controlcore-api:controlcore-api/);
  });
});

describe("Nothing is registered before config validates", () => {
  it("stops a bad stack file before any resource but the stack itself", async () => {
    const config = stackFileConfig("production");
    (config["slipway:cluster"] as Record<string, unknown>).kubernetesVersion = "1.20";
    await assert.rejects(
      runProgram({ stack: "production", config }),
      (error: Error & { registeredTypes?: string[] }) => {
        assert.match(error.message, /slipway:cluster\.kubernetesVersion/);
        assert.deepEqual(error.registeredTypes, ["pulumi:pulumi:Stack"]);
        return true;
      },
    );
  });
});
