import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { EncryptedValue } from "../../infra/stack-file";
import { MOCK_SECRET_MARKER } from "../../harness/mock-cloud";
import { ofType, SECRET_MASK, type ProgramRecord, type RecordedResource } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { STACKS, appFolderWith, input, recordOf, stackFileConfig } from "../helpers";

/** The resources of one app (children of its AppRelease), by type. */
function appResources(record: ProgramRecord, app: string) {
  const component = record.resources.find((r) => r.type === "slipway:k8s:AppRelease" && r.name === `app-${app}`)!;
  const children = record.resources.filter((r) => r.parent === component.urn);
  return (type: string): RecordedResource[] => children.filter((r) => r.type === `kubernetes:${type}`);
}

for (const stack of STACKS) {
  const config = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" });
  const production = stack === "production";

  for (const app of config.apps) {
    describe(`AppRelease ${app.name} (${stack})`, () => {
      it("runs the digest-pinned image from the channel with the restricted security context", async () => {
        const [deployment] = appResources(await recordOf(stack), app.name)("apps/v1:Deployment");
        const pod = input(deployment, "spec.template.spec") as Record<string, any>;
        const [container] = pod.containers;
        assert.equal(container.image, `${app.pinnedImage.repository}@${app.pinnedImage.digest}`);
        assert.match(container.image, /@sha256:[a-f0-9]{64}$/);
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
      });

      it("probes liveness and readiness on their own paths, with requests and limits", async () => {
        const [deployment] = appResources(await recordOf(stack), app.name)("apps/v1:Deployment");
        const [container] = input(deployment, "spec.template.spec.containers") as Array<Record<string, any>>;
        assert.equal(container.livenessProbe.httpGet.path, app.probes.livenessPath);
        assert.equal(container.readinessProbe.httpGet.path, app.probes.readinessPath);
        assert.notDeepEqual(container.livenessProbe, container.readinessProbe);
        assert.deepEqual(container.resources.requests, app.resources.requests);
        assert.equal(container.resources.limits.memory, app.resources.limits.memory);
        assert.deepEqual(
          container.resources.requests,
          production ? { cpu: "100m", memory: "256Mi" } : { cpu: "50m", memory: "128Mi" },
        );
      });

      it(
        production
          ? "autoscales 3..10 at 70% CPU with a PDB and zone spread, no fixed replicas"
          : "runs one replica, without HPA or PDB",
        async () => {
          const of = appResources(await recordOf(stack), app.name);
          const [deployment] = of("apps/v1:Deployment");
          const hpas = of("autoscaling/v2:HorizontalPodAutoscaler");
          const pdbs = of("policy/v1:PodDisruptionBudget");
          if (production) {
            assert.equal(input(deployment, "spec.replicas"), undefined);
            assert.equal(hpas.length, 1);
            assert.deepEqual([input(hpas[0], "spec.minReplicas"), input(hpas[0], "spec.maxReplicas")], [3, 10]);
            assert.equal(input(hpas[0], "spec.metrics.0.resource.target.averageUtilization"), 70);
            assert.equal(input(hpas[0], "spec.scaleTargetRef.name"), app.name);
            assert.equal(pdbs.length, 1);
            assert.equal(input(pdbs[0], "spec.maxUnavailable"), 1);
            const spread = input(deployment, "spec.template.spec.topologySpreadConstraints") as Array<{
              topologyKey: string;
            }>;
            assert.deepEqual(
              spread.map((c) => c.topologyKey),
              ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
            );
          } else {
            assert.equal(input(deployment, "spec.replicas"), 1);
            assert.deepEqual([hpas.length, pdbs.length], [0, 0]);
          }
        },
      );

      it("denies all traffic by default and allows exactly its own", async () => {
        const policies = appResources(await recordOf(stack), app.name)("networking.k8s.io/v1:NetworkPolicy");
        const byName = new Map(policies.map((p) => [input(p, "metadata.name"), p.inputs.spec as Record<string, any>]));
        assert.deepEqual([...byName.keys()].sort(), [
          `${app.name}-allow-egress`,
          `${app.name}-allow-ingress`,
          `${app.name}-default-deny`,
        ]);
        assert.deepEqual(byName.get(`${app.name}-default-deny`), {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
        });

        const ingress = byName.get(`${app.name}-allow-ingress`)!;
        const expectedIngress: object[] = [
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }],
            ports: [{ protocol: "TCP", port: app.port }],
          },
        ];
        if (app.metrics) {
          expectedIngress.push({
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ protocol: "TCP", port: app.metrics.port }],
          });
        }
        assert.deepEqual(ingress.ingress, expectedIngress);
        assert.deepEqual(ingress.podSelector, {
          matchLabels: { "app.kubernetes.io/name": app.name, "app.kubernetes.io/instance": app.name },
        });

        const egress = byName.get(`${app.name}-allow-egress`)!.egress as Array<Record<string, any>>;
        const expectedEgress: object[] = [
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
        ];
        const privateBlocks = config.network.privateSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
        if (app.uses.includes("database"))
          expectedEgress.push({ to: privateBlocks, ports: [{ protocol: "TCP", port: 5432 }] });
        if (app.uses.includes("cache"))
          expectedEgress.push({ to: privateBlocks, ports: [{ protocol: "TCP", port: 6379 }] });
        assert.deepEqual(egress, expectedEgress);
      });

      it("serves through the platform's IngressClass with TLS from the configured issuer", async () => {
        const of = appResources(await recordOf(stack), app.name);
        const [ingress] = of("networking.k8s.io/v1:Ingress");
        assert.equal(input(ingress, "spec.ingressClassName"), "traefik");
        assert.deepEqual(input(ingress, "spec.tls"), [{ hosts: [app.ingress!.host], secretName: `${app.name}-tls` }]);
        assert.equal(
          (input(ingress, "metadata.annotations") as Record<string, string>)["cert-manager.io/cluster-issuer"],
          config.platform.certificates.issuer,
        );
        assert.equal(
          input(ingress, "spec.rules.0.host"),
          production ? (app.name === "controlcore-api" ? "api.example.com" : "www.example.com") : app.ingress!.host,
        );
        const [service] = of("core/v1:Service");
        assert.equal(input(service, "spec.type"), "ClusterIP");
      });

      it("puts its data-store credentials in a Secret that stays secret", async () => {
        const record = await recordOf(stack);
        const [secret] = appResources(record, app.name)("core/v1:Secret");
        assert.equal(secret.inputs.stringData, SECRET_MASK);
        const [deployment] = appResources(record, app.name)("apps/v1:Deployment");
        assert.deepEqual(input(deployment, "spec.template.spec.containers.0.envFrom"), [
          { secretRef: { name: `${app.name}-credentials` } },
        ]);
        assert.match(
          (input(deployment, "spec.template.metadata.annotations") as Record<string, string>)[
            "slipway.io/credentials-checksum"
          ],
          /^[a-f0-9]{64}$/,
        );
        assert.doesNotMatch(JSON.stringify(record), new RegExp(MOCK_SECRET_MARKER));
      });

      it("labels everything it creates with the app.kubernetes.io set", async () => {
        const record = await recordOf(stack);
        const component = record.resources.find((r) => r.name === `app-${app.name}`)!;
        const children = record.resources.filter((r) => r.parent === component.urn && r.type.startsWith("kubernetes:"));
        // Service, ServiceAccount, Secrets, NetworkPolicies, Deployment, Ingress: 9; a ServiceMonitor
        // for controlcore-api, which exposes metrics; a PDB and an HPA where the app autoscales (production).
        const expected = (app.name === "controlcore-api" ? 10 : 9) + (stack === "production" ? 2 : 0);
        assert.equal(children.length, expected);
        for (const child of children) {
          const labels = input(child, "metadata.labels") as Record<string, string>;
          assert.equal(labels["app.kubernetes.io/name"], app.name, child.name);
          assert.equal(labels["app.kubernetes.io/part-of"], "slipway", child.name);
          assert.equal(labels["app.kubernetes.io/managed-by"], "pulumi", child.name);
        }
        const ns = appResources(record, app.name)("core/v1:Namespace")[0];
        assert.equal(
          (input(ns, "metadata.labels") as Record<string, string>)["pod-security.kubernetes.io/enforce"],
          "restricted",
        );
      });
    });
  }
}

describe("credential rotation", () => {
  it("changes the pod template's checksum when a generated credential changes, and only then", async () => {
    const checksum = (record: ProgramRecord) =>
      Object.fromEntries(
        ofType(record, "kubernetes:apps/v1:Deployment").map((d) => [
          d.name,
          (input(d, "spec.template.metadata.annotations") as Record<string, string>)["slipway.io/credentials-checksum"],
        ]),
      );
    const before = checksum(await runProgram({ stack: "production", mockSeed: "before" }));
    const again = checksum(await runProgram({ stack: "production", mockSeed: "before" }));
    const after = checksum(await runProgram({ stack: "production", mockSeed: "rotated" }));
    assert.deepEqual(before, again, "same credentials, same checksum");
    for (const name of Object.keys(before)) assert.notEqual(before[name], after[name], name);
  });
});

describe("an app with secret env, an IRSA role and extra peers", () => {
  it("wires the secret into the credentials Secret, the role into the ServiceAccount, the peer into the policy", async () => {
    const config = stackFileConfig("production");
    const directory = appFolderWith((apps) =>
      Object.assign(apps["controlcore-api"], {
        secretEnv: { STRIPE_API_KEY: "stripeKey" },
        iamPolicyStatements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::reports/*"] }],
        allowFrom: [{ namespace: "webgrip-web", podLabels: { "app.kubernetes.io/name": "webgrip-web" } }],
      }),
    );
    config["slipway:apps"] = { directory };
    config["slipway:appSecrets"] = { stripeKey: new EncryptedValue("AAABfixture") };
    const record = await runProgram({ stack: "production", config });
    const of = appResources(record, "controlcore-api");
    const [sa] = of("core/v1:ServiceAccount");
    assert.match(
      (input(sa, "metadata.annotations") as Record<string, string>)["eks.amazonaws.com/role-arn"],
      /iam\/role\/app-controlcore-api-irsa$/,
    );
    const role = ofType(record, "aws:iam/role:Role").find((r) => r.name === "app-controlcore-api-irsa")!;
    assert.match(role.inputs.assumeRolePolicy as string, /system:serviceaccount:controlcore-api:controlcore-api/);
    const ingress = of("networking.k8s.io/v1:NetworkPolicy").find(
      (p) => input(p, "metadata.name") === "controlcore-api-allow-ingress",
    )!;
    assert.deepEqual(input(ingress, "spec.ingress.0.from.1"), {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "webgrip-web" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "webgrip-web" } },
    });
    const egress = of("networking.k8s.io/v1:NetworkPolicy").find(
      (p) => input(p, "metadata.name") === "controlcore-api-allow-egress",
    )!;
    assert.deepEqual(input(egress, "spec.egress.3"), {
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
    assert.doesNotMatch(JSON.stringify(record), /offline-secret\(/);
  });
});
