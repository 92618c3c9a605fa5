/**
 * What the real systems admit: the Pod Security Standards check, the sourced chart
 * contracts, and the first-deploy defects they catch (Pod Security admission of chart
 * pods, disruption budgets that block drains, alerts for targets EKS does not expose, the
 * provider's wait for cluster access, final snapshot names).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { chartContracts } from "../../infra/chart-contracts";
import {
  chartBudgets,
  chartPods,
  evictablePods,
  mergeValues,
  pinOutsideContract,
  valueAt,
} from "../../lib/chart-contracts";
import { enforcedLevel, podSecurityViolations, type PodSecurityLevel } from "../../lib/pod-security-standards";
import { CHART_ADDON_KEYS } from "../../settings/addons/catalog";
import { EncryptedValue } from "../../infra/stack-file";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { PolicyPackServer, readPackConfig } from "../../harness/policy-pack";
import { ofType, transitiveDependencies, type ProgramRecord } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { STACKS, stackFileConfig, type StackName } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
const pod = (container: Record<string, unknown> = RESTRICTED_CONTAINER, extra: Record<string, unknown> = {}) => ({
  securityContext: RESTRICTED_POD,
  containers: [{ name: "app", securityContext: container }],
  ...extra,
});

describe("Pod Security Standards", () => {
  const cases: Array<[string, Record<string, unknown>, PodSecurityLevel, RegExp | undefined]> = [
    ["a hardened pod is restricted", pod(), "restricted", undefined],
    [
      "no seccompProfile anywhere",
      pod(RESTRICTED_CONTAINER, { securityContext: { runAsNonRoot: true } }),
      "restricted",
      /no seccompProfile/,
    ],
    [
      "seccomp on the container only is enough",
      pod(
        { ...RESTRICTED_CONTAINER, seccompProfile: { type: "RuntimeDefault" } },
        { securityContext: { runAsNonRoot: true } },
      ),
      "restricted",
      undefined,
    ],
    [
      "Unconfined seccomp fails baseline too",
      pod(RESTRICTED_CONTAINER, { securityContext: { seccompProfile: { type: "Unconfined" } } }),
      "baseline",
      /seccompProfile is Unconfined/,
    ],
    [
      "escalation not forbidden",
      pod({ capabilities: { drop: ["ALL"] } }),
      "restricted",
      /allowPrivilegeEscalation: false/,
    ],
    ["capabilities not dropped", pod({ allowPrivilegeEscalation: false }), "restricted", /does not drop ALL/],
    [
      "NET_BIND_SERVICE may be added",
      pod({ ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }),
      "restricted",
      undefined,
    ],
    [
      "CHOWN is baseline, not restricted",
      pod({ ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"], add: ["CHOWN"] } }),
      "restricted",
      /adds capability CHOWN/,
    ],
    ["CHOWN passes baseline", pod({ capabilities: { add: ["CHOWN"] } }), "baseline", undefined],
    [
      "SYS_ADMIN fails baseline",
      pod({ capabilities: { add: ["SYS_ADMIN"] } }),
      "baseline",
      /adds capability SYS_ADMIN/,
    ],
    [
      "a container may not undo runAsNonRoot",
      pod({ ...RESTRICTED_CONTAINER, runAsNonRoot: false }),
      "restricted",
      /runAsNonRoot/,
    ],
    ["UID 0 on the container", pod({ ...RESTRICTED_CONTAINER, runAsUser: 0 }), "restricted", /runs as UID 0/],
    ["privileged fails baseline", pod({ privileged: true }), "baseline", /is privileged/],
    ["hostNetwork fails baseline", pod(RESTRICTED_CONTAINER, { hostNetwork: true }), "baseline", /hostNetwork is true/],
    [
      "hostPath fails baseline",
      pod(RESTRICTED_CONTAINER, { volumes: [{ name: "root", hostPath: { path: "/" } }] }),
      "baseline",
      /hostPath/,
    ],
    [
      "hostPort fails baseline",
      pod(
        { ...RESTRICTED_CONTAINER },
        {
          containers: [
            { name: "app", securityContext: RESTRICTED_CONTAINER, ports: [{ containerPort: 80, hostPort: 80 }] },
          ],
        },
      ),
      "baseline",
      /hostPort 80/,
    ],
    [
      "an NFS volume is not restricted",
      pod(RESTRICTED_CONTAINER, { volumes: [{ name: "share", nfs: { server: "x", path: "/" } }] }),
      "restricted",
      /type nfs/,
    ],
    [
      "an init container is checked too",
      { ...pod(), initContainers: [{ name: "init", securityContext: { runAsUser: 0 } }] },
      "restricted",
      /initContainers\[0\] init/,
    ],
    ["privileged admits anything", pod({ privileged: true }, { hostNetwork: true }), "privileged", undefined],
  ];
  for (const [what, spec, level, expected] of cases) {
    it(what, () => {
      const problems = podSecurityViolations(spec, level);
      if (expected === undefined) assert.deepEqual(problems, []);
      else
        assert.ok(
          problems.some((p) => expected.test(p)),
          `expected ${expected}; got ${JSON.stringify(problems)}`,
        );
    });
  }
  it("reads the enforce label, privileged when there is none", () => {
    assert.equal(enforcedLevel({ "pod-security.kubernetes.io/enforce": "restricted" }), "restricted");
    assert.equal(enforcedLevel({ "pod-security.kubernetes.io/warn": "restricted" }), "privileged");
    assert.equal(enforcedLevel(undefined), "privileged");
  });
});

describe("chart contracts", () => {
  const contracts = chartContracts();
  it("cover every chart add-on, each with its source", () => {
    assert.deepEqual(Object.keys(contracts).sort(), [...CHART_ADDON_KEYS].sort());
    for (const contract of Object.values(contracts)) assert.match(contract.source, /\S+\/\S+ /);
  });
  it("were verified at every version every channel pins, for the chart the channel names", () => {
    for (const [name, file] of Object.entries(readChannelFiles())) {
      const channel = channelSchema.parse(file.document);
      for (const [key, pin] of Object.entries(channel.charts)) {
        assert.equal(pinOutsideContract(contracts, key, pin!), undefined, `${name}: ${key}`);
      }
    }
  });
  it("merge values as Helm does: maps key by key, lists and scalars replaced, null removes", () => {
    assert.deepEqual(mergeValues({ a: 1, b: { c: 2, d: [1, 2] } }, { b: { d: [3], e: 4 } }), {
      a: 1,
      b: { c: 2, d: [3], e: 4 },
    });
    assert.deepEqual(mergeValues({ a: 1, b: 2 }, { b: null }), { a: 1 });
    assert.deepEqual(mergeValues({ a: 1 }, undefined), { a: 1 });
  });
  it("find list entries by name in a values path", () => {
    const values = { listenerTemplate: { spec: { containers: [{ name: "side" }, { name: "listener", x: 1 }] } } };
    assert.deepEqual(valueAt(values, "listenerTemplate.spec.containers[name=listener]"), { name: "listener", x: 1 });
    assert.equal(valueAt(values, "listenerTemplate.spec.containers[name=other].x"), undefined);
  });
  it("count the pods a budget lets a drain evict", () => {
    assert.equal(evictablePods(1, { minAvailable: 1 }), 0);
    assert.equal(evictablePods(2, { minAvailable: 1 }), 1);
    assert.equal(evictablePods(1, { maxUnavailable: 1 }), 1);
    assert.equal(evictablePods(3, { maxUnavailable: 0 }), 0);
    assert.equal(evictablePods(3, { minAvailable: "100%" }), 0);
    assert.equal(evictablePods(4, { minAvailable: "50%" }), 2);
    assert.equal(evictablePods(4, { maxUnavailable: "25%" }), 1);
  });
  it("rebuild Traefik's pod from its defaults: without a seccompProfile restricted refuses it", () => {
    const [traefik] = chartPods(contracts["ingress-controllers"], {});
    assert.ok(podSecurityViolations(traefik.spec, "restricted").some((p) => /seccompProfile/.test(p)));
    assert.deepEqual(podSecurityViolations(traefik.spec, "baseline"), []);
  });
  it("rebuild Grafana's pod with its root init container: baseline admits it, restricted does not", () => {
    const [grafana] = chartPods(contracts["grafana-stack"], {});
    assert.deepEqual(podSecurityViolations(grafana.spec, "baseline"), []);
    assert.ok(podSecurityViolations(grafana.spec, "restricted").some((p) => /init-chown-data/.test(p)));
    const [withoutInit] = chartPods(contracts["grafana-stack"], { initChownData: { enabled: false } });
    assert.deepEqual(withoutInit.spec.initContainers, []);
  });
  it("apply cert-manager's implied minAvailable: 1 to an enabled budget with no bounds", () => {
    const [controller] = chartBudgets(contracts["cert-manager"], { podDisruptionBudget: { enabled: true } });
    assert.deepEqual(controller, { workload: "controller", replicas: 1, minAvailable: 1, maxUnavailable: undefined });
    assert.deepEqual(chartBudgets(contracts["cert-manager"], {}), []);
  });
});

/** Production with every add-on on (runners included), through the served pack. */
function everythingOn(stack: StackName) {
  const config = stackFileConfig(stack);
  (config["slipway:platform"] as Record<string, unknown>).disabledCharts = [];
  config["slipway:githubAppPrivateKey"] = new EncryptedValue("AAABAK+fixture");
  return config;
}

describe("the first-deploy defects, caught by the served pack", () => {
  let server: PolicyPackServer;
  const records = new Map<StackName, Promise<ProgramRecord>>();
  const record = (stack: StackName) => {
    if (!records.has(stack)) records.set(stack, runProgram({ stack, config: everythingOn(stack), preview: true }));
    return records.get(stack)!;
  };
  const admissionFindings = async (stack: StackName, change?: (r: ProgramRecord) => void) => {
    const copy = structuredClone(await record(stack));
    change?.(copy);
    const config = readPackConfig(path.join(PROJECT_ROOT, "policy", "config", `${stack}.json`));
    const rules = ["pod-security-admission", "chart-disruption-budgets", "chart-required-values"];
    return (await server.analyze(copy, config)).filter((d) => rules.includes(d.policy));
  };
  const releaseValues = (r: ProgramRecord, key: string) =>
    ofType(r, "kubernetes:helm.sh/v3:Release").find((x) => x.inputs.name === key)!.inputs.values as Record<string, any>;

  before(async () => {
    server = await PolicyPackServer.start();
  });
  after(() => server.stop());

  for (const stack of STACKS) {
    it(`${stack} with every add-on on: every chart pod is admitted and every budget allows a drain`, async () => {
      assert.deepEqual(await admissionFindings(stack), []);
    });
  }

  it("refuses the runner controller with the chart's empty security contexts", async () => {
    const findings = await admissionFindings("production", (r) => {
      const values = releaseValues(r, "gha-runners-controller");
      delete values.podSecurityContext;
      delete values.securityContext;
    });
    assert.ok(
      findings.some((f) =>
        /gha-runner-scale-set-controller controller: namespace arc-systems enforces restricted/.test(f.message),
      ),
    );
  });

  it("refuses the scale set's listener without a listenerTemplate, in the controller's namespace", async () => {
    const findings = await admissionFindings(
      "production",
      (r) => delete releaseValues(r, "gha-runners").listenerTemplate,
    );
    assert.ok(
      findings.some((f) => /gha-runner-scale-set listener: namespace arc-systems enforces restricted/.test(f.message)),
    );
  });

  it("admits runner pods in the baseline runners namespace, and refuses a privileged docker-in-docker one", async () => {
    const findings = await admissionFindings("production", (r) => {
      releaseValues(r, "gha-runners").template = {
        spec: { containers: [{ name: "runner", securityContext: { privileged: true } }] },
      };
    });
    assert.ok(
      findings.some((f) =>
        /gha-runner-scale-set runner: namespace arc-runners enforces baseline.*privileged/.test(f.message),
      ),
    );
  });

  it("flags Grafana's old budget (minAvailable 1 of 1 replica) and the four scrape jobs EKS cannot serve", async () => {
    const findings = await admissionFindings("production", (r) => {
      releaseValues(r, "grafana-stack").podDisruptionBudget = { minAvailable: 1 };
      const monitoring = releaseValues(r, "cluster-monitoring");
      for (const key of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) delete monitoring[key];
    });
    assert.deepEqual(
      findings.map((f) => f.policy).sort(),
      ["chart-disruption-budgets", ...Array(4).fill("chart-required-values")].sort(),
    );
  });
});

describe("cluster access and teardown order", () => {
  for (const stack of STACKS) {
    it(`${stack}: the Kubernetes provider, and so every Kubernetes resource, waits for each access association`, async () => {
      const r = await runProgram({ stack, preview: true });
      const associations = ofType(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => a.urn);
      assert.equal(associations.length, 3, "two admin roles and the preview role");
      const [provider] = ofType(r, "pulumi:providers:kubernetes");
      for (const urn of associations) assert.ok(provider.dependencies.includes(urn), urn);
      const kubernetes = r.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"));
      assert.ok(kubernetes.length > 20);
      for (const resource of kubernetes) assert.equal(resource.provider, provider.urn, resource.urn);
    });
  }

  it("on destroy, every Kubernetes resource goes before the associations (reverse dependency order)", async () => {
    const r = await runProgram({ stack: "production", preview: true });
    const [provider] = ofType(r, "pulumi:providers:kubernetes");
    const providerNeeds = transitiveDependencies(r, provider);
    // The engine deletes a resource before anything it depends on, a provider's users
    // before the provider (pulumi docs, "Resource dependencies"): so the associations,
    // which the provider depends on, are deleted after every resource the provider serves.
    for (const association of ofType(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")) {
      assert.ok(providerNeeds.has(association.urn));
      assert.ok(
        !transitiveDependencies(r, association).has(provider.urn),
        "the association must not wait for the provider",
      );
    }
  });
});
