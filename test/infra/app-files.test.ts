import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseStackConfig, StackConfigError } from "../../infra/config";
import { projectAppSource, type AppSource } from "../../infra/stack-apps";
import { MAX_APPS_PER_STACK, readAppFiles } from "../../infra/app-files";
import type { AppFile } from "../../settings/apps/file";
import { EncryptedValue, readStackFile, StackFileError, type RawStackConfig } from "../../infra/stack-file";
import { ProgramError, runProgram } from "../../harness/run";
import { projectTemporaryFolder, stackFileConfig, type StackName, temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

const contextOf = (stack: StackName) => ({ project: "slipway", stack, stackFile: `Pulumi.${stack}.yaml` });

/** The real app files, deep-copied, with a change applied to their documents (by app name). */
function appsWith(change: (apps: Record<string, any>) => void = () => undefined): AppSource {
  const real = projectAppSource({});
  const documents: Record<string, any> = Object.fromEntries(
    real.appFiles.files.map((file) => [file.name, structuredClone(file.document)]),
  );
  change(documents);
  const files: AppFile[] = Object.entries(documents).map(([name, document]) => ({
    file: `apps/${name}.yaml`,
    name,
    document,
  }));
  return { appFiles: { files, problems: [] }, knownStacks: real.knownStacks };
}

function problemsOf(stack: StackName, apps: AppSource, config: RawStackConfig = stackFileConfig(stack)): string[] {
  try {
    parseStackConfig(config, contextOf(stack), undefined, apps);
  } catch (error) {
    assert.ok(error instanceof StackConfigError, `expected a StackConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("the config was accepted");
}

describe("the seed apps as files", () => {
  it("both stacks run both apps, each with its stack's values", () => {
    const production = parseStackConfig(stackFileConfig("production"), contextOf("production"));
    const staging = parseStackConfig(stackFileConfig("staging"), contextOf("staging"));
    assert.deepEqual(
      production.apps.map((app) => [app.name, app.file]),
      [
        ["controlcore-api", "apps/controlcore-api.yaml"],
        ["webgrip-web", "apps/webgrip-web.yaml"],
      ],
    );
    const [productionApi] = production.apps;
    const [stagingApi] = staging.apps;
    assert.deepEqual(productionApi.autoscaling, { minReplicas: 3, maxReplicas: 10, targetCpuPercent: 70 });
    assert.equal(productionApi.replicas, undefined);
    assert.deepEqual(productionApi.ingress, { host: "api.example.com", path: "/" });
    // A stack that sets replicas drops the file's autoscaling.
    assert.equal(stagingApi.replicas, 1);
    assert.equal(stagingApi.autoscaling, undefined);
    assert.deepEqual(stagingApi.resources.limits, { cpu: "500m", memory: "256Mi" });
    // env merges variable by variable, in the file's order.
    assert.deepEqual(stagingApi.env, { NODE_ENV: "staging", LOG_LEVEL: "debug" });
    assert.deepEqual(productionApi.env, { NODE_ENV: "production", LOG_LEVEL: "info" });
    // Each stack's image pin comes from its own channel.
    assert.deepEqual(stagingApi.pinnedImage, staging.platform.images["controlcore-api"]);
    assert.deepEqual(productionApi.pinnedImage, production.platform.images["controlcore-api"]);
  });

  it("a stack's entry may add one variable and keep the others, and turn the app off for that stack only", () => {
    const apps = appsWith((a) => {
      a["webgrip-web"].stacks.staging.enabled = false;
      a["controlcore-api"].stacks.staging.env = { FEATURE_X: "on" };
    });
    const staging = parseStackConfig(stackFileConfig("staging"), contextOf("staging"), undefined, apps);
    const production = parseStackConfig(stackFileConfig("production"), contextOf("production"), undefined, apps);
    assert.deepEqual(
      staging.apps.map((app) => app.name),
      ["controlcore-api"],
    );
    assert.deepEqual(
      production.apps.map((app) => app.name),
      ["controlcore-api", "webgrip-web"],
    );
    assert.deepEqual(staging.apps[0].env, { NODE_ENV: "production", LOG_LEVEL: "info", FEATURE_X: "on" });
  });

  it("takes a narrow wildcard or a broad action on named resources", () => {
    const apps = appsWith(
      (a) =>
        (a["controlcore-api"].iamPolicyStatements = [
          { Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"] },
          { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["*"] },
          { Effect: "Deny", Action: ["*:*"], Resource: ["*"] },
        ]),
    );
    const config = parseStackConfig(stackFileConfig("production"), contextOf("production"), undefined, apps);
    assert.equal(config.apps[0].iamPolicyStatements?.length, 3);
  });

  it("the stack files no longer hold apps, only where their files are", () => {
    for (const stack of ["staging", "production"] as const) {
      const config = stackFileConfig(stack);
      assert.equal(config["slipway:apps"], undefined);
    }
  });
});

/** [what is wrong, the stack, the change, the start the message must have, a fragment it must say]. */
const badApps: Array<[string, StackName, (apps: Record<string, any>) => void, string, RegExp]> = [
  [
    "an ingress host that is not a DNS name, in a stack's entry",
    "production",
    (a) => (a["controlcore-api"].stacks.production.ingress.host = "api_example"),
    "apps/controlcore-api.yaml: stacks.production.ingress.host: ",
    /"api_example" must be a DNS name/,
  ],
  [
    "HPA min above max",
    "production",
    (a) => (a["controlcore-api"].autoscaling.minReplicas = 12),
    "apps/controlcore-api.yaml: autoscaling.minReplicas: ",
    /12 is above maxReplicas 10/,
  ],
  [
    "replicas and autoscaling together in the file",
    "production",
    (a) => (a["controlcore-api"].replicas = 3),
    "apps/controlcore-api.yaml: replicas: ",
    /either replicas or autoscaling/,
  ],
  [
    "neither replicas nor autoscaling",
    "production",
    (a) => delete a["webgrip-web"].autoscaling,
    "apps/webgrip-web.yaml: replicas: ",
    /either replicas or autoscaling, not both and not neither/,
  ],
  [
    "an image the channel does not pin",
    "production",
    (a) => (a["webgrip-web"].image = "webgrip-admin"),
    "apps/webgrip-web.yaml: image: ",
    /"webgrip-admin" has no digest in channels\/stable\.yaml; images there: controlcore-api, webgrip-web/,
  ],
  [
    "an unknown data store",
    "staging",
    (a) => (a["controlcore-api"].uses = ["database", "mongo"]),
    "apps/controlcore-api.yaml: uses[1]: ",
    /"mongo" must be one of "database", "cache"/,
  ],
  [
    "a port out of range",
    "production",
    (a) => (a["controlcore-api"].port = 70000),
    "apps/controlcore-api.yaml: port: ",
    /70000 must be a port 1\.\.65535/,
  ],
  [
    "a memory request above the limit",
    "production",
    (a) => (a["webgrip-web"].resources.requests.memory = "1Gi"),
    "apps/webgrip-web.yaml: resources.requests.memory: ",
    /1Gi is above the limit 512Mi/,
  ],
  [
    "a CPU request above the limit, in a stack's own resources",
    "staging",
    (a) => (a["controlcore-api"].stacks.staging.resources.requests.cpu = "2"),
    "apps/controlcore-api.yaml: stacks.staging.resources.requests.cpu: ",
    /2 is above the limit 500m/,
  ],
  [
    "a malformed memory quantity",
    "production",
    (a) => (a["controlcore-api"].resources.limits.memory = "512MB"),
    "apps/controlcore-api.yaml: resources.limits.memory: ",
    /memory quantity like 256Mi/,
  ],
  [
    "no resources",
    "production",
    (a) => delete a["webgrip-web"].resources,
    "apps/webgrip-web.yaml: resources: ",
    /is required but missing/,
  ],
  [
    "env that Slipway sets itself",
    "production",
    (a) => (a["controlcore-api"].env.DATABASE_URL = "postgres://x"),
    "apps/controlcore-api.yaml: env: ",
    /DATABASE_URL is set by Slipway/,
  ],
  [
    "secret env without its secret",
    "production",
    (a) => (a["controlcore-api"].secretEnv = { STRIPE_KEY: "stripe" }),
    "apps/controlcore-api.yaml: secretEnv.STRIPE_KEY: ",
    /refers to "stripe", which slipway:appSecrets does not hold/,
  ],
  [
    "secret env without its secret, in a stack's entry",
    "staging",
    (a) => (a["controlcore-api"].stacks.staging.secretEnv = { STRIPE_KEY: "stripe" }),
    "apps/controlcore-api.yaml: stacks.staging.secretEnv.STRIPE_KEY: ",
    /refers to "stripe"/,
  ],
  [
    "a probe path without a slash",
    "production",
    (a) => (a["controlcore-api"].probes.livenessPath = "health"),
    "apps/controlcore-api.yaml: probes.livenessPath: ",
    /HTTP path starting with \//,
  ],
  [
    "two apps on one route",
    "production",
    (a) => (a["webgrip-web"].stacks.production.ingress.host = "api.example.com"),
    "apps/webgrip-web.yaml: stacks.production.ingress: ",
    /api\.example\.com\/ is already served by apps\/controlcore-api\.yaml/,
  ],
  [
    "an unknown key in the file",
    "production",
    (a) => (a["controlcore-api"].replica = 2),
    "apps/controlcore-api.yaml: ",
    /unknown key "replica"; allowed keys: image, port, .*, stacks$/,
  ],
  [
    "a key a stack may not change",
    "production",
    (a) => (a["controlcore-api"].stacks.staging.port = 9090),
    "apps/controlcore-api.yaml: stacks.staging: ",
    /unknown key "port"; allowed keys: enabled, replicas, autoscaling, resources, env, secretEnv, ingress/,
  ],
  [
    "a bad value in another stack's entry, seen from this one",
    "production",
    (a) => (a["controlcore-api"].stacks.staging.replicas = 0),
    "apps/controlcore-api.yaml: stacks.staging.replicas: ",
    /0 must be at least 1$/,
  ],
  [
    "an entry for a stack that does not exist",
    "production",
    (a) => (a["webgrip-web"].stacks.prodution = { replicas: 2 }),
    "apps/webgrip-web.yaml: stacks.prodution: ",
    /no stack of that name \(no Pulumi\.prodution\.yaml\); stacks: .*production, staging/,
  ],
  [
    "stacks: as a list",
    "production",
    (a) => (a["webgrip-web"].stacks = ["production"]),
    "apps/webgrip-web.yaml: stacks: ",
    /must map stack names to what each changes/,
  ],
  [
    "a name: key beside the file's name",
    "production",
    (a) => (a["webgrip-web"].name = "webgrip"),
    "apps/webgrip-web.yaml: name: ",
    /an app is named by its file \(webgrip-web\); remove this key/,
  ],
  [
    "an IAM statement allowing iam:* on everything",
    "production",
    (a) => (a["controlcore-api"].iamPolicyStatements = [{ Effect: "Allow", Action: ["iam:*"], Resource: ["*"] }]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    /allows iam:\* on every resource \("\*"\): name the actions the app calls and the ARNs it touches/,
  ],
  [
    "an IAM statement allowing *:* on everything",
    "production",
    (a) =>
      (a["controlcore-api"].iamPolicyStatements = [
        { Effect: "Allow", Action: ["s3:GetObject", "*:*"], Resource: ["arn:aws:s3:::x/*", "*"] },
      ]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    /allows \*:\* on every resource/,
  ],
  [
    "an IAM statement allowing s3:* on everything",
    "production",
    (a) => (a["controlcore-api"].iamPolicyStatements = [{ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    /allows s3:\* on every resource/,
  ],
  [
    "an env value with a control character",
    "production",
    (a) => (a["controlcore-api"].env.LOG_LEVEL = "info\u0007"),
    "apps/controlcore-api.yaml: env.LOG_LEVEL: ",
    /holds a control character/,
  ],
  [
    "an env value of 5 KB",
    "staging",
    (a) => (a["controlcore-api"].stacks.staging.env.LOG_LEVEL = "x".repeat(5000)),
    "apps/controlcore-api.yaml: stacks.staging.env.LOG_LEVEL: ",
    /is longer than 4096 bytes/,
  ],
  // What Kubernetes, Linux and IAM would make of an app.
  [
    "a metrics port equal to the serving port",
    "production",
    (a) => (a["controlcore-api"].metrics.port = 8080),
    "apps/controlcore-api.yaml: metrics.port: ",
    /^apps\/controlcore-api\.yaml: metrics\.port: 8080 is also the serving port: \/metrics would be public through the ingress/,
  ],
  [
    "a metrics port of 80, the Service's own",
    "production",
    (a) => ((a["controlcore-api"].metrics.port = 80), (a["controlcore-api"].port = 8080)),
    "apps/controlcore-api.yaml: metrics.port: ",
    /80 is below 1024/,
  ],
  [
    "a serving port below 1024 in a non-root pod",
    "production",
    (a) => (a["webgrip-web"].port = 443),
    "apps/webgrip-web.yaml: port: ",
    /^apps\/webgrip-web\.yaml: port: 443 is below 1024, which a pod running as a non-root user without capabilities \(UID 10001, all dropped\) cannot bind; listen on 1024 or above \(the Service still answers on port 80\)$/,
  ],
  [
    "autoscaling on CPU with no CPU request",
    "production",
    (a) => (a["webgrip-web"].resources.requests.cpu = "0"),
    "apps/webgrip-web.yaml: resources.requests.cpu: ",
    /is 0, but autoscaling scales on CPU as a share of the request: with none it never acts/,
  ],
  [
    "autoscaling on CPU with no CPU request, in a stack's own resources",
    "staging",
    (a) => {
      a["webgrip-web"].stacks.staging.autoscaling = { minReplicas: 1, maxReplicas: 2 };
      delete a["webgrip-web"].stacks.staging.replicas;
      a["webgrip-web"].stacks.staging.resources.requests.cpu = "0m";
    },
    "apps/webgrip-web.yaml: stacks.staging.resources.requests.cpu: ",
    /autoscaling scales on CPU/,
  ],
  ...["KUBERNETES_SERVICE_HOST", "KUBERNETES_PORT", "KUBERNETES_NAMESPACE"].map(
    (name): [string, StackName, (apps: Record<string, any>) => void, string, RegExp] => [
      `an env variable shadowing the API server's service link (${name})`,
      "production",
      (a) => (a["controlcore-api"].env[name] = "x"),
      `apps/controlcore-api.yaml: env.${name}: `,
      /shadows what the kubelet sets for the Kubernetes API server .*; pick a name without the KUBERNETES_ prefix$/,
    ],
  ),
  ...["CONTROLCORE_API_SERVICE_HOST", "CONTROLCORE_API_PORT", "CONTROLCORE_API_PORT_80_TCP_ADDR"].map(
    (name): [string, StackName, (apps: Record<string, any>) => void, string, RegExp] => [
      `an env variable shadowing the app's own service link (${name})`,
      "staging",
      (a) => (a["controlcore-api"].stacks.staging.env[name] = "x"),
      `apps/controlcore-api.yaml: stacks.staging.env.${name}: `,
      /shadows a service link the kubelet sets for the app's own Service \(CONTROLCORE_API_SERVICE_HOST, CONTROLCORE_API_PORT\.\.\.\)/,
    ],
  ),
  [
    "a secret env variable shadowing a service link",
    "production",
    (a) => (a["controlcore-api"].secretEnv = { KUBERNETES_SERVICE_PORT: "x" }),
    "apps/controlcore-api.yaml: secretEnv.KUBERNETES_SERVICE_PORT: ",
    /shadows what the kubelet sets/,
  ],
  ...(
    [
      ["iam:PassRole", "iam:PassRole"],
      ["iam:CreateRole", "iam:CreateRole"],
      ["iam:Pass*", "iam:Pass\\*"],
      ["iam:attachrolepolicy", "iam:attachrolepolicy"],
    ] as const
  ).map(([action, shown]): [string, StackName, (apps: Record<string, any>) => void, string, RegExp] => [
    `an IAM statement allowing ${action} on every resource`,
    "production",
    (a) =>
      (a["controlcore-api"].iamPolicyStatements = [
        { Effect: "Allow", Action: ["s3:GetObject", action], Resource: ["*"] },
      ]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    new RegExp(
      `^apps/controlcore-api\\.yaml: iamPolicyStatements\\[0\\]: .* allows ${shown} on every resource \\("\\*"\\): with it the app can grant itself any permission \\(IAM privilege escalation\\); name the one role or policy ARN it needs$`,
    ),
  ]),
  ...(
    [
      ["iam:*", "arn:aws:iam::123456789012:role/*"],
      ["iam:PassRole", "arn:aws:iam::123456789012:role/app-*"],
      ["iam:Attach*", "arn:aws:iam::*:role/ops"],
    ] as const
  ).map(([action, resource]): [string, StackName, (apps: Record<string, any>) => void, string, RegExp] => [
    `an IAM statement allowing ${action} on ${resource}, an ARN with a wildcard`,
    "production",
    (a) => (a["controlcore-api"].iamPolicyStatements = [{ Effect: "Allow", Action: [action], Resource: [resource] }]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    new RegExp(
      `allows ${action.replace("*", "\\*")} on ${resource.replaceAll("*", "\\*")}: with it the app can grant itself any permission \\(IAM privilege escalation\\)`,
    ),
  ]),
  ...(["//", "/./", "/api/../admin", "/api//v1"] as const).map(
    (route): [string, StackName, (apps: Record<string, any>) => void, string, RegExp] => [
      `an ingress path not in normal form (${route})`,
      "production",
      (a) => (a["controlcore-api"].stacks.production.ingress.path = route),
      "apps/controlcore-api.yaml: stacks.production.ingress.path: ",
      /is not in normal form: write it without empty segments \(\/\/\), \. or \.\./,
    ],
  ),
  [
    "an IAM statement allowing * on every resource",
    "production",
    (a) => (a["controlcore-api"].iamPolicyStatements = [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }]),
    "apps/controlcore-api.yaml: iamPolicyStatements[0]: ",
    /allows \* on every resource/,
  ],
  [
    "allowFrom naming a namespace nobody owns, with the nearest",
    "production",
    (a) => (a["controlcore-api"].allowFrom = [{ namespace: "webgrip-webb" }]),
    "apps/controlcore-api.yaml: allowFrom[0].namespace: ",
    /^apps\/controlcore-api\.yaml: allowFrom\[0\]\.namespace: "webgrip-webb" is no namespace of this stack: no app of that name runs here and no enabled add-on uses it, so the rule admits nobody \(or whoever creates it later\); did you mean webgrip-web\? namespaces: controlcore-api, webgrip-web, /,
  ],
  [
    "allowFrom naming an app that this stack does not run",
    "staging",
    (a) => {
      a["controlcore-api"].allowFrom = [{ namespace: "webgrip-web" }];
      a["webgrip-web"].stacks.staging.enabled = false;
    },
    "apps/controlcore-api.yaml: allowFrom[0].namespace: ",
    /"webgrip-web" is no namespace of this stack/,
  ],
  [
    "an ingress host in upper case",
    "production",
    (a) => (a["controlcore-api"].stacks.production.ingress.host = "API.example.com"),
    "apps/controlcore-api.yaml: stacks.production.ingress.host: ",
    /"API\.example\.com" must be written api\.example\.com: DNS names ignore case \(RFC 4343\) and a trailing dot names the same host/,
  ],
  [
    "an ingress host with a trailing dot",
    "production",
    (a) => (a["controlcore-api"].stacks.production.ingress.host = "api.example.com."),
    "apps/controlcore-api.yaml: stacks.production.ingress.host: ",
    /must be written api\.example\.com:/,
  ],
  [
    "one host in two stacks",
    "production",
    (a) => (a["webgrip-web"].stacks.staging.ingress.host = "www.example.com"),
    "apps/webgrip-web.yaml: stacks.staging.ingress.host: ",
    /^apps\/webgrip-web\.yaml: stacks\.staging\.ingress\.host: www\.example\.com is served in 2 stacks, production \(apps\/webgrip-web\.yaml stacks\.production\.ingress\.host\), staging \(apps\/webgrip-web\.yaml stacks\.staging\.ingress\.host\): DNS sends one host to one stack's load balancer; give each stack its own host$/,
  ],
  [
    "one host in two stacks, written in two spellings",
    "airgap" as StackName,
    (a) => (a["webgrip-web"].stacks.airgap.ingress.host = "API.example.com."),
    "apps/controlcore-api.yaml: stacks.production.ingress.host: ",
    /api\.example\.com is served in 2 stacks, airgap \(apps\/webgrip-web\.yaml stacks\.airgap\.ingress\.host\), production \(apps\/controlcore-api\.yaml/,
  ],
  [
    "one route in two apps of another stack, seen from this one",
    "production",
    (a) => (a["webgrip-web"].stacks.staging.ingress.host = "staging.example.com"),
    "apps/webgrip-web.yaml: stacks.staging.ingress.host: ",
    /^apps\/webgrip-web\.yaml: stacks\.staging\.ingress\.host: staging\.example\.com\/ is already served in staging by apps\/controlcore-api\.yaml; one route, one app$/,
  ],
  [
    "a file-level host, which every stack would serve",
    "production",
    (a) => {
      a["webgrip-web"].ingress = { host: "shop.example.com" };
      for (const stack of ["airgap", "production", "staging"]) delete a["webgrip-web"].stacks[stack].ingress;
    },
    "apps/webgrip-web.yaml: ingress.host: ",
    /^apps\/webgrip-web\.yaml: ingress\.host: shop\.example\.com is served in 3 stacks, airgap \(apps\/webgrip-web\.yaml ingress\.host\), production \(apps\/webgrip-web\.yaml ingress\.host\), staging \(apps\/webgrip-web\.yaml ingress\.host\)/,
  ],
  [
    "an app file named kube-*",
    "production",
    (a) => {
      a["kube-tools"] = a["webgrip-web"];
      delete a["webgrip-web"];
    },
    "apps/kube-tools.yaml: file name: ",
    /"kube-tools" starts with kube-, which Kubernetes keeps for its own namespaces/,
  ],
];

describe("bad app files are refused with the file, the key, the value and what is allowed", () => {
  for (const [what, stack, change, startsWith, says] of badApps) {
    it(what, () => {
      const problems = problemsOf(stack, appsWith(change));
      const matching = problems.filter((p) => p.startsWith(startsWith));
      assert.ok(matching.length > 0, `no problem starts with ${startsWith}; got:\n${problems.join("\n")}`);
      assert.ok(
        matching.some((p) => says.test(p)),
        `no problem at ${startsWith} says ${says}; got:\n${matching.join("\n")}`,
      );
      // One problem, one message: the same fault is not reported twice.
      assert.equal(new Set(problems).size, problems.length, problems.join("\n"));
    });
  }

  for (const name of ["kube-system", "default", "monitoring", "arc-runners"]) {
    it(`an app file named ${name}.yaml, a namespace Kubernetes or an add-on uses`, () => {
      const problems = problemsOf(
        "production",
        appsWith((a) => {
          a[name] = a["webgrip-web"];
          delete a["webgrip-web"];
        }),
      );
      assert.deepEqual(
        problems.filter((p) => p.startsWith(`apps/${name}.yaml: file name: "${name}" `)).length,
        1,
        problems.join("\n"),
      );
      assert.match(problems[0], /is a namespace Kubernetes or a platform add-on uses/);
    });
  }

  it("a file name that is not a DNS label", () => {
    const problems = problemsOf(
      "production",
      appsWith((a) => {
        a.Control_Core = a["webgrip-web"];
        delete a["webgrip-web"];
      }),
    );
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^apps\/Control_Core\.yaml: file name: "Control_Core" must be a DNS-1123 label/);
  });

  it("ingress while the ingress controller is off names the app file", () => {
    const config = stackFileConfig("production");
    (config["slipway:platform"] as Record<string, string[]>).disabledCharts.push(
      "ingress-controllers",
      "example-services",
    );
    const problems = problemsOf("production", appsWith(), config);
    assert.ok(
      problems.includes(
        "apps/controlcore-api.yaml: stacks.production.ingress: needs an ingress, but the ingress-controllers add-on is disabled",
      ),
      problems.join("\n"),
    );
  });

  it("the old list in the stack file gets one problem saying where apps live now", () => {
    const config = stackFileConfig("production");
    config["slipway:apps"] = [{ name: "api", image: "controlcore-api", port: 8080 }];
    const problems = problemsOf("production", appsWith(), config);
    assert.deepEqual(problems, [
      "slipway:apps: apps are files now, one per app: move each entry to apps/<name>.yaml without its name: key, put what differs per stack under stacks.<stack>:, and take the list out of the stack file (docs/apps.md)",
    ]);
  });

  it("a secret as the folder of the app files", () => {
    const config = stackFileConfig("production");
    config["slipway:apps"] = { directory: new EncryptedValue("AAAB") };
    const problems = problemsOf("production", appsWith(), config);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^slipway:apps\.directory: is a secret \(secure:\), but this key takes plain config/);
  });

  it("a host outside the stack's domain (slipway:apps.domain), and the seed hosts inside theirs", () => {
    const domains: Record<StackName | "airgap", string> = {
      production: "example.com",
      staging: "staging.example.com",
      airgap: "airgap.example.internal",
    };
    for (const stack of ["production", "staging"] as const) {
      const config = { ...stackFileConfig(stack), "slipway:apps": { domain: domains[stack] } };
      assert.doesNotThrow(() => parseStackConfig(config, contextOf(stack), undefined, appsWith()));
    }
    const config = { ...stackFileConfig("staging"), "slipway:apps": { domain: "staging.example.com" } };
    const problems = problemsOf(
      "staging",
      appsWith((a) => (a["webgrip-web"].stacks.staging.ingress.host = "web.example.com")),
      config,
    );
    assert.deepEqual(problems, [
      "apps/webgrip-web.yaml: stacks.staging.ingress.host: web.example.com is not under slipway:apps.domain staging.example.com, the stack's domain: use staging.example.com or a name under it, like web.staging.example.com",
    ]);
    const bad = { ...stackFileConfig("staging"), "slipway:apps": { domain: "Example.com" } };
    assert.match(
      problemsOf("staging", appsWith(), bad)[0],
      /^slipway:apps\.domain: "Example\.com" must be written example\.com/,
    );
  });

  it("takes a scoped PassRole, a peer from an add-on's namespace, a host equal to the domain", () => {
    const apps = appsWith((a) => {
      a["controlcore-api"].iamPolicyStatements = [
        { Effect: "Allow", Action: ["iam:PassRole"], Resource: ["arn:aws:iam::123456789012:role/report-runner"] },
      ];
      a["controlcore-api"].allowFrom = [
        { namespace: "webgrip-web" },
        { namespace: "monitoring" },
        { namespace: "kube-system" },
      ];
    });
    const config = { ...stackFileConfig("staging"), "slipway:apps": { domain: "staging.example.com" } };
    assert.doesNotThrow(() => parseStackConfig(config, contextOf("staging"), undefined, apps));
  });

  it("the message says the problems are in the stack file and its app files", () => {
    let error: unknown;
    try {
      parseStackConfig(
        { ...stackFileConfig("production"), "slipway:owner": "" },
        contextOf("production"),
        undefined,
        appsWith((a) => (a["controlcore-api"].port = 0)),
      );
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof StackConfigError);
    assert.match(error.message, /^Pulumi\.production\.yaml and its app files have 2 problems:\n/);
  });
});

describe("reading the folder of app files", () => {
  const folder = (files: Record<string, string>): string => {
    const dir = temporaryFolder("slipway-apps-");
    fs.mkdirSync(path.join(dir, "apps"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "apps", name), text);
    return dir;
  };

  it("reads .yaml and .yml in name order and leaves other files alone", () => {
    const dir = folder({ "b.yml": "port: 1\n", "a.yaml": "port: 2\n", "README.md": "# apps\n", CODEOWNERS: "* @x\n" });
    const { files, problems } = readAppFiles(dir);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      files.map((f) => [f.file, f.name, f.document.port]),
      [
        ["apps/a.yaml", "a", 2],
        ["apps/b.yml", "b", 1],
      ],
    );
  });

  it("refuses a file that is not YAML, one that is not a mapping, and two files for one app", () => {
    const dir = folder({
      "a.yaml": "port: [1\n",
      "b.yaml": "- port: 1\n",
      "c.yaml": "port: 1\n",
      "c.yml": "port: 2\n",
    });
    const { files, problems } = readAppFiles(dir);
    assert.deepEqual(
      files.map((f) => f.name),
      ["c"],
    );
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /^apps\/a\.yaml: not valid YAML: /);
    assert.match(problems[1], /^apps\/b\.yaml: must be a mapping of the app's settings/);
    assert.equal(problems[2], 'apps/c.yml: app "c" is also defined by apps/c.yaml; keep one of the two files');
  });

  it("refuses a __proto__ key, which JavaScript would drop", () => {
    const dir = folder({ "a.yaml": "port: 1\nenv:\n  __proto__: { X: y }\n" });
    const { problems } = readAppFiles(dir);
    assert.deepEqual(problems, [
      'apps/a.yaml: env.__proto__: "__proto__" cannot be a key: JavaScript would drop it silently',
    ]);
  });

  it("a missing default folder means no apps; a missing folder the stack names is a problem", () => {
    const dir = temporaryFolder("slipway-apps-");
    assert.deepEqual(readAppFiles(dir), { files: [], problems: [] });
    assert.deepEqual(readAppFiles(dir, "services").problems, [
      `slipway:apps.directory: "services" is not a folder in ${dir}`,
    ]);
  });

  it("refuses a folder outside the repository, by path or through a symlink, and takes an absolute path inside", () => {
    const dir = folder({ "a.yaml": "port: 1\n" });
    const elsewhere = temporaryFolder("slipway-elsewhere-");
    fs.writeFileSync(path.join(elsewhere, "b.yaml"), "port: 2\n");
    fs.symlinkSync(elsewhere, path.join(dir, "linked"));
    const cases: Array<[string, RegExp | undefined]> = [
      [
        "../elsewhere",
        /^slipway:apps\.directory: "\.\.\/elsewhere" is .*, outside the repository \(.*\): app files are reviewed with the code; keep them in a folder of the repository, like apps$/,
      ],
      [elsewhere, /^slipway:apps\.directory: ".*" is .*, outside the repository/],
      ["apps/../..", /outside the repository/],
      ["linked", /^slipway:apps\.directory: "linked" leads to .* through a symlink, outside the repository/],
      [path.join(dir, "apps"), undefined],
      ["./apps/", undefined],
    ];
    for (const [directory, says] of cases) {
      const { files, problems } = readAppFiles(dir, directory);
      if (says === undefined) {
        assert.deepEqual(problems, [], directory);
        assert.deepEqual(
          files.map((f) => f.file),
          ["apps/a.yaml"],
        );
      } else {
        assert.equal(problems.length, 1, `${directory}: ${problems.join("\n")}`);
        assert.match(problems[0], says);
        assert.deepEqual(files, []);
      }
    }
  });

  it("refuses, before opening it, what is not a regular file inside the repository; takes a symlink inside", () => {
    const dir = folder({ "ok.yaml": "port: 1\n" });
    const apps = path.join(dir, "apps");
    const elsewhere = temporaryFolder("slipway-elsewhere-");
    fs.writeFileSync(path.join(elsewhere, "out.yaml"), "port: 2\n");
    fs.writeFileSync(path.join(dir, "shared.yaml"), "port: 3\n");
    fs.symlinkSync(path.join(elsewhere, "out.yaml"), path.join(apps, "out.yaml"));
    fs.symlinkSync(path.join(dir, "shared.yaml"), path.join(apps, "shared.yaml"));
    fs.symlinkSync(path.join(dir, "missing.yaml"), path.join(apps, "dangling.yaml"));
    fs.mkdirSync(path.join(apps, "folder.yaml"));
    // A FIFO would block a read until something writes to it: the test would hang.
    assert.equal(spawnSync("mkfifo", [path.join(apps, "pipe.yaml")]).status, 0);
    const { files, problems } = readAppFiles(dir);
    assert.deepEqual(
      files.map((f) => [f.file, f.document.port]),
      [
        ["apps/ok.yaml", 1],
        ["apps/shared.yaml", 3],
      ],
    );
    assert.deepEqual(problems, [
      "apps/dangling.yaml: is a symlink that leads nowhere (its target does not exist)",
      "apps/folder.yaml: is a folder, not a file; an app file is a regular YAML file",
      `apps/out.yaml: is a symlink to ${fs.realpathSync(path.join(elsewhere, "out.yaml"))}, outside the repository: app files are reviewed with the code; put the file itself in the repository`,
      "apps/pipe.yaml: is a FIFO (named pipe), not a file; an app file is a regular YAML file",
    ]);
  });

  it("refuses a file named only .yaml or .yml instead of leaving it unread", () => {
    const dir = folder({ ".yaml": "port: 1\n", ".yml": "port: 2\n", "a.yaml": "port: 3\n" });
    const { files, problems } = readAppFiles(dir);
    assert.deepEqual(
      files.map((f) => f.name),
      ["a"],
    );
    assert.deepEqual(problems, [
      "apps/.yaml: has no app name before its extension; name the file after the app, like billing.yaml",
      "apps/.yml: has no app name before its extension; name the file after the app, like billing.yaml",
    ]);
  });

  // [the bytes, the problem, or undefined when the file is taken with port 8080]
  const encodings: Array<[string, Buffer, RegExp | undefined]> = [
    ["plain UTF-8 with a non-ASCII value", Buffer.from("port: 8080\nenv: { GREETING: ¡hola! }\n"), undefined],
    ["a UTF-8 BOM at the start (YAML allows it)", Buffer.from("\uFEFFport: 8080\n"), undefined],
    [
      "Latin-1 bytes on line 2",
      Buffer.concat([Buffer.from("port: 8080\nenv: { CITY: M"), Buffer.from([0xfc]), Buffer.from("nchen }\n")]),
      /^apps\/a\.yaml: line 2: byte 0xFC \(offset 25\) is not UTF-8; save the file as UTF-8$/,
    ],
    [
      "a UTF-16 file",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("port: 8080\n", "utf16le")]),
      /^apps\/a\.yaml: starts with a UTF-16 byte-order mark \(BOM\): the file is UTF-16; save it as UTF-8$/,
    ],
    [
      "a BOM inside the text",
      Buffer.from("port: 8080\nenv: { X: \uFEFFy }\n"),
      /^apps\/a\.yaml: line 2: holds a byte-order mark \(BOM, U\+FEFF\) inside the text/,
    ],
  ];
  for (const [what, bytes, says] of encodings) {
    it(`${what}: ${says ? "one problem naming the file and line" : "taken"}`, () => {
      const dir = folder({});
      fs.writeFileSync(path.join(dir, "apps", "a.yaml"), bytes);
      const { files, problems } = readAppFiles(dir);
      if (says === undefined) {
        assert.deepEqual(problems, []);
        assert.equal(files[0]?.document.port, 8080);
      } else {
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], says);
      }
    });
  }

  it("a stack file that is not UTF-8 is one error naming it and the line", () => {
    const dir = temporaryFolder("slipway-stack-");
    const file = path.join(dir, "Pulumi.latin.yaml");
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from("config:\n  slipway:owner: "), Buffer.from([0xe9]), Buffer.from("\n")]),
    );
    assert.throws(
      () => readStackFile(file, "slipway"),
      (error: Error) =>
        error instanceof StackFileError &&
        error.message === "Pulumi.latin.yaml: line 2: byte 0xE9 (offset 25) is not UTF-8; save the file as UTF-8",
    );
  });

  it("the project's own folder holds exactly the two seed apps", () => {
    assert.deepEqual(
      readAppFiles(PROJECT_ROOT).files.map((f) => f.file),
      ["apps/controlcore-api.yaml", "apps/webgrip-web.yaml"],
    );
  });
});

describe("apps from another folder, through the program", () => {
  it("registers the apps of slipway:apps.directory, and a bad file stops the run naming it", async () => {
    const dir = projectTemporaryFolder("apps-");
    const api = fs.readFileSync(path.join(PROJECT_ROOT, "apps", "controlcore-api.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "billing.yaml"), api.replace("api.example.com", "billing.example.com"));
    const config = { ...stackFileConfig("production"), "slipway:apps": { directory: dir } };
    const record = await runProgram({ stack: "production", config });
    const releases = record.resources.filter((r) => r.type === "slipway:k8s:AppRelease").map((r) => r.name);
    assert.deepEqual(releases, ["app-billing"]);

    fs.writeFileSync(path.join(dir, "billing.yaml"), api.replace("port: 8080", "port: 80800"));
    await assert.rejects(
      runProgram({ stack: "production", config }),
      (error: unknown) =>
        error instanceof ProgramError &&
        error.message.includes(
          `\n  - ${path.relative(PROJECT_ROOT, path.join(dir, "billing.yaml"))}: port: 80800 must be a port 1..65535`,
        ),
    );
  });
});

describe("a ceiling with a reason", () => {
  it(`refuses more than ${MAX_APPS_PER_STACK} app files before reading any`, () => {
    const dir = temporaryFolder("slipway-apps-");
    fs.mkdirSync(path.join(dir, "many"));
    // Not YAML: were any read, each would add a problem of its own.
    for (let i = 0; i <= MAX_APPS_PER_STACK; i++) fs.writeFileSync(path.join(dir, "many", `app-${i}.yaml`), "[");
    const { files, problems } = readAppFiles(dir, "many");
    assert.deepEqual(files, []);
    assert.deepEqual(problems, [
      `slipway:apps.directory: "many" holds ${MAX_APPS_PER_STACK + 1} app files, more than the ${MAX_APPS_PER_STACK} one stack takes (about 28000 resources; the preview's time and memory grow with each app): split the apps across stacks, each with its own slipway:apps.directory`,
    ]);
  });

  it(`takes exactly ${MAX_APPS_PER_STACK}`, () => {
    const dir = temporaryFolder("slipway-apps-");
    fs.mkdirSync(path.join(dir, "many"));
    for (let i = 0; i < MAX_APPS_PER_STACK; i++) fs.writeFileSync(path.join(dir, "many", `app-${i}.yaml`), "port: 1\n");
    const { files, problems } = readAppFiles(dir, "many");
    assert.equal(files.length, MAX_APPS_PER_STACK);
    assert.deepEqual(problems, []);
  });
});
