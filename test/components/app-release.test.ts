import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AppRelease, type AppReleaseArgs } from "../../components/app-release";
import type { CacheConnection } from "../../components/cache";
import type { DatabaseConnection } from "../../components/database";
import { buildAlone, input, promiseOf, type Built, type BuiltResource } from "../build-alone";

const DIGEST = `sha256:${"a1".repeat(32)}`;
const PRIVATE_CIDRS = ["10.30.0.0/19", "10.30.32.0/19"];
const database = (password: string): DatabaseConnection => ({
  host: "db.internal",
  port: 5432,
  database: "app",
  username: "slipway_admin",
  password,
  tlsRequired: true,
});
const cache: CacheConnection = {
  host: "master.cache",
  readerHost: "replica.cache",
  port: 6379,
  authToken: "token",
  tlsRequired: true,
};

/** An API like controlcore-api in production: autoscaled, both data stores, metrics, a public route. */
const API: AppReleaseArgs = {
  name: "api",
  image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api", digest: DIGEST, tag: "1.4.2" },
  port: 8080,
  autoscaling: { minReplicas: 3, maxReplicas: 10, targetCpuPercent: 70 },
  resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  env: { NODE_ENV: "production" },
  allowFrom: [],
  probes: { livenessPath: "/health", readinessPath: "/ready" },
  ingress: { host: "api.example.com", path: "/", className: "traefik", clusterIssuer: "letsencrypt-production" },
  ingressNamespace: "traefik",
  monitoringNamespace: "monitoring",
  metrics: { port: 9090, path: "/metrics" },
};
/** A web front end like webgrip-web in staging: one replica, no data store, no metrics. */
const WEB: AppReleaseArgs = {
  name: "web",
  image: { repository: "registry.example.com/web", digest: DIGEST },
  port: 3000,
  replicas: 1,
  resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  env: {},
  allowFrom: [],
  probes: { livenessPath: "/healthz", readinessPath: "/readyz" },
  ingress: { host: "web.example.com", path: "/", className: "traefik", clusterIssuer: "letsencrypt-staging" },
  ingressNamespace: "traefik",
  monitoringNamespace: "monitoring",
};

/** Builds the app with its data stores' connections as the components give them: secrets. */
function build(args: AppReleaseArgs, stores: { password?: string; cache?: boolean } = {}) {
  return buildAlone((opts) => {
    const withStores: AppReleaseArgs = {
      ...args,
      database: stores.password
        ? { connection: pulumi.secret(database(stores.password)), cidrs: PRIVATE_CIDRS }
        : undefined,
      cache: stores.cache ? { connection: pulumi.secret(cache), cidrs: PRIVATE_CIDRS } : undefined,
    };
    return new AppRelease(`app-${args.name}`, withStores, opts);
  });
}

const kind = (built: Built<AppRelease>, type: string): BuiltResource[] => built.ofType(`kubernetes:${type}`);
const one = (built: Built<AppRelease>, type: string): BuiltResource => built.only(`kubernetes:${type}`);

describe("AppRelease", () => {
  let api: Built<AppRelease>;
  let web: Built<AppRelease>;
  before(async () => {
    api = await build(API, { password: "p@ss", cache: true });
    web = await build(WEB);
  });

  it("runs the digest-pinned image with the restricted security context and no API token", () => {
    for (const [built, args] of [
      [api, API],
      [web, WEB],
    ] as const) {
      const pod = input(one(built, "apps/v1:Deployment"), "spec.template.spec") as Record<string, any>;
      const [container] = pod.containers;
      assert.equal(container.image, `${args.image.repository}@${DIGEST}`);
      assert.deepEqual(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.deepEqual(container.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ["ALL"] },
      });
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(input(one(built, "core/v1:ServiceAccount"), "automountServiceAccountToken"), false);
    }
  });

  it("probes liveness and readiness on their own paths, with the given requests and limits", () => {
    const [container] = input(one(api, "apps/v1:Deployment"), "spec.template.spec.containers") as Array<
      Record<string, any>
    >;
    assert.equal(container.livenessProbe.httpGet.path, "/health");
    assert.equal(container.readinessProbe.httpGet.path, "/ready");
    assert.deepEqual(container.resources, {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { memory: "512Mi", cpu: "1" },
    });
    assert.deepEqual(container.env, [{ name: "NODE_ENV", value: "production" }]);
    const [webContainer] = input(one(web, "apps/v1:Deployment"), "spec.template.spec.containers") as Array<
      Record<string, any>
    >;
    assert.deepEqual(webContainer.resources.limits, { memory: "256Mi" }, "CPU is capped only when a limit is given");
  });

  it("autoscales between its bounds at the CPU target with a PDB and zone spread, and no fixed replica count", () => {
    const deployment = one(api, "apps/v1:Deployment");
    assert.equal(input(deployment, "spec.replicas"), undefined);
    const hpa = one(api, "autoscaling/v2:HorizontalPodAutoscaler");
    assert.deepEqual([input(hpa, "spec.minReplicas"), input(hpa, "spec.maxReplicas")], [3, 10]);
    assert.equal(input(hpa, "spec.metrics.0.resource.target.averageUtilization"), 70);
    assert.equal(input(hpa, "spec.scaleTargetRef.name"), "api");
    assert.equal(input(one(api, "policy/v1:PodDisruptionBudget"), "spec.maxUnavailable"), 1);
    const spread = input(deployment, "spec.template.spec.topologySpreadConstraints") as Array<{ topologyKey: string }>;
    assert.deepEqual(
      spread.map((c) => c.topologyKey),
      ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
    );
  });

  it("runs one replica without HPA, PDB or spread", () => {
    const deployment = one(web, "apps/v1:Deployment");
    assert.equal(input(deployment, "spec.replicas"), 1);
    assert.deepEqual(kind(web, "autoscaling/v2:HorizontalPodAutoscaler"), []);
    assert.deepEqual(kind(web, "policy/v1:PodDisruptionBudget"), []);
    assert.equal(input(deployment, "spec.template.spec.topologySpreadConstraints"), undefined);
  });

  it("denies all traffic by default and allows exactly its own: the ingress controller, Prometheus, DNS and its data stores", () => {
    const byName = new Map(
      kind(api, "networking.k8s.io/v1:NetworkPolicy").map((p) => [
        input(p, "metadata.name"),
        p.inputs.spec as Record<string, any>,
      ]),
    );
    assert.deepEqual([...byName.keys()].sort(), ["api-allow-egress", "api-allow-ingress", "api-default-deny"]);
    assert.deepEqual(byName.get("api-default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const ingress = byName.get("api-allow-ingress")!;
    assert.deepEqual(ingress.podSelector, {
      matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" },
    });
    assert.deepEqual(ingress.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [{ protocol: "TCP", port: 9090 }],
      },
    ]);
    const blocks = PRIVATE_CIDRS.map((cidr) => ({ ipBlock: { cidr } }));
    assert.deepEqual(byName.get("api-allow-egress")!.egress, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      { to: blocks, ports: [{ protocol: "TCP", port: 5432 }] },
      { to: blocks, ports: [{ protocol: "TCP", port: 6379 }] },
    ]);
    const webEgress = kind(web, "networking.k8s.io/v1:NetworkPolicy").find(
      (p) => input(p, "metadata.name") === "web-allow-egress",
    )!;
    assert.equal((input(webEgress, "spec.egress") as unknown[]).length, 1, "DNS only, without data stores");
  });

  it("serves through the given IngressClass with TLS from the given issuer, after what the Ingress waits for", () => {
    const ingress = one(api, "networking.k8s.io/v1:Ingress");
    assert.equal(input(ingress, "spec.ingressClassName"), "traefik");
    assert.deepEqual(input(ingress, "spec.tls"), [{ hosts: ["api.example.com"], secretName: "api-tls" }]);
    assert.equal(input(ingress, "spec.rules.0.host"), "api.example.com");
    assert.equal(
      (input(ingress, "metadata.annotations") as Record<string, string>)["cert-manager.io/cluster-issuer"],
      "letsencrypt-production",
    );
    assert.equal(input(one(api, "core/v1:Service"), "spec.type"), "ClusterIP");
    assert.equal(api.component.publicUrl, "https://api.example.com/");
  });

  it("puts its data-store URLs in a Secret sent only as a secret, which the pods read and whose checksum they carry", async () => {
    const secret = one(api, "core/v1:Secret");
    assert.deepEqual(secret.secretInputs, ["stringData"]);
    assert.deepEqual(Object.keys(secret.inputs.stringData as object).sort(), ["DATABASE_URL", "REDIS_URL"]);
    assert.match((secret.inputs.stringData as Record<string, string>).DATABASE_URL!, /sslmode=require$/);
    const deployment = one(api, "apps/v1:Deployment");
    assert.deepEqual(input(deployment, "spec.template.spec.containers.0.envFrom"), [
      { secretRef: { name: "api-credentials" } },
    ]);
    assert.ok(deployment.dependsOn.includes(`kubernetes:core/v1:Secret::${secret.name}`), "the Secret exists first");
    const checksum = (input(deployment, "spec.template.metadata.annotations") as Record<string, string>)[
      "slipway.io/credentials-checksum"
    ];
    assert.match(checksum!, /^[a-f0-9]{64}$/);
    assert.equal(await promiseOf(api.component.connectionChecksum), checksum);
    assert.deepEqual(kind(web, "core/v1:Secret"), [], "no credentials, no Secret");
  });

  it("changes the pod template's checksum when a credential changes, and only then", async () => {
    const checksumOf = async (password: string) =>
      promiseOf((await build(API, { password, cache: true })).component.connectionChecksum);
    const before = await promiseOf(api.component.connectionChecksum);
    assert.equal(await checksumOf("p@ss"), before, "same credentials, same checksum");
    assert.notEqual(await checksumOf("rotated"), before);
  });

  it("labels everything it creates with the app.kubernetes.io set, in a namespace held to Pod Security restricted", () => {
    const children = api.resources.filter((r) => r.type.startsWith("kubernetes:"));
    // Namespace, ServiceAccount, Secret, three NetworkPolicies, Deployment, Service, Ingress,
    // HPA, PDB and the ServiceMonitor.
    assert.equal(children.length, 12);
    for (const child of children) {
      const labels = input(child, "metadata.labels") as Record<string, string>;
      assert.equal(labels["app.kubernetes.io/name"], "api", child.name);
      assert.equal(labels["app.kubernetes.io/version"], "1.4.2", child.name);
      assert.equal(labels["app.kubernetes.io/part-of"], "slipway", child.name);
      assert.equal(labels["app.kubernetes.io/managed-by"], "pulumi", child.name);
    }
    const namespace = one(api, "core/v1:Namespace");
    assert.equal(input(namespace, "metadata.name"), "api");
    assert.equal(
      (input(namespace, "metadata.labels") as Record<string, string>)["pod-security.kubernetes.io/enforce"],
      "restricted",
    );
    const webVersion = (input(one(web, "core/v1:Namespace"), "metadata.labels") as Record<string, string>)[
      "app.kubernetes.io/version"
    ];
    assert.equal(webVersion, DIGEST.slice(7, 19), "without a tag, the digest's start");
  });

  it("monitors the metrics port through a ServiceMonitor, after what it waits for", () => {
    const monitor = one(api, "monitoring.coreos.com/v1:ServiceMonitor");
    assert.deepEqual(input(monitor, "spec.endpoints"), [{ port: "metrics", path: "/metrics", interval: "30s" }]);
    assert.deepEqual(kind(web, "monitoring.coreos.com/v1:ServiceMonitor"), []);
  });

  it("waits for what it is told: the namespace and workload for the nodes, the Ingress and ServiceMonitor for their add-ons", async () => {
    const waited = await buildAlone((opts) => {
      const stand = (name: string) => new pulumi.ComponentResource("test:index:Ready", name, {}, opts);
      return new AppRelease(
        "app-api",
        {
          ...API,
          dependsOn: [stand("nodes")],
          ingressDependsOn: [stand("ingress-controllers")],
          serviceMonitorDependsOn: [stand("prometheus-operator-crds")],
        },
        opts,
      );
    });
    assert.deepEqual(one(waited, "core/v1:Namespace").dependsOn, ["test:index:Ready::nodes"]);
    assert.deepEqual(one(waited, "apps/v1:Deployment").dependsOn, ["test:index:Ready::nodes"]);
    assert.deepEqual(one(waited, "networking.k8s.io/v1:Ingress").dependsOn, ["test:index:Ready::ingress-controllers"]);
    assert.deepEqual(one(waited, "monitoring.coreos.com/v1:ServiceMonitor").dependsOn, [
      "test:index:Ready::prometheus-operator-crds",
    ]);
  });

  it("with secret env, an IRSA role and extra peers: the secret in its Secret, the role on its ServiceAccount, the peer in its policies", async () => {
    const built = await buildAlone(
      (opts) =>
        new AppRelease(
          "app-api",
          {
            ...API,
            secretEnv: { STRIPE_API_KEY: pulumi.secret("sk_live_fixture") },
            iam: {
              statements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::reports/*"] }],
              oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
              oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
            },
            allowFrom: [{ namespace: "web", podLabels: { "app.kubernetes.io/name": "web" } }],
          },
          opts,
        ),
    );
    const secret = one(built, "core/v1:Secret");
    assert.deepEqual(secret.secretInputs, ["stringData"]);
    assert.deepEqual(secret.inputs.stringData, { STRIPE_API_KEY: "sk_live_fixture" });
    const role = built.only("aws:iam/role:Role");
    assert.equal(role.name, "app-api-irsa");
    assert.match(input(role, "assumeRolePolicy") as string, /system:serviceaccount:api:api/);
    assert.deepEqual(JSON.parse(input(built.only("aws:iam/rolePolicy:RolePolicy"), "policy") as string).Statement, [
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::reports/*"] },
    ]);
    assert.equal(
      (input(one(built, "core/v1:ServiceAccount"), "metadata.annotations") as Record<string, string>)[
        "eks.amazonaws.com/role-arn"
      ],
      `arn:aws:mock:us-east-1:123456789012:iam/role/${role.name}`,
    );
    const policies = kind(built, "networking.k8s.io/v1:NetworkPolicy");
    const ingress = policies.find((p) => input(p, "metadata.name") === "api-allow-ingress")!;
    assert.deepEqual(input(ingress, "spec.ingress.0.from.1"), {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } },
    });
    const egress = policies.find((p) => input(p, "metadata.name") === "api-allow-egress")!;
    assert.deepEqual((input(egress, "spec.egress") as unknown[]).at(-1), {
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
  });
});
