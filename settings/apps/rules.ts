/**
 * What Kubernetes, Linux and IAM would make of one app as its file describes it: ports a
 * non-root pod cannot bind or that collide, an autoscaler with nothing to measure,
 * environment variables the kubelet sets itself, and IAM statements that hand out IAM.
 * Each rule returns problems at key paths; settings/apps/app.ts adds them to the app's.
 */
import { cpuMillicores } from "../../lib/kubernetes-quantity";

/** A problem inside one app, at a key path. */
export interface AppRuleProblem {
  readonly path: PropertyKey[];
  readonly message: string;
}

/** What these rules read of an app. */
export interface AppRuleView {
  readonly name: string;
  readonly port: number;
  readonly metrics?: { readonly port: number };
  readonly autoscaling?: unknown;
  readonly resources: { readonly requests: { readonly cpu: string } };
  readonly env: Readonly<Record<string, string>>;
  readonly secretEnv: Readonly<Record<string, string>>;
  readonly iamPolicyStatements?: ReadonlyArray<{
    readonly Effect: string;
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
  }>;
}

/**
 * Linux lets a process bind a port below net.ipv4.ip_unprivileged_port_start (1024 unless
 * lowered) only with CAP_NET_BIND_SERVICE (kernel docs, networking/ip-sysctl); an app's
 * pod runs as UID 10001 with every capability dropped (components/app-specs.ts).
 */
const FIRST_UNPRIVILEGED_PORT = 1024;

/** The Service's port for the app (components/app-specs.ts): the metrics port may not take it too. */
const SERVICE_HTTP_PORT = 80;

/** Ports a non-root pod can bind, apart from each other and from the Service's port 80. */
export function portProblems(app: AppRuleView): AppRuleProblem[] {
  const problems: AppRuleProblem[] = [];
  const unprivileged = (path: PropertyKey[], port: number) => {
    // A port outside 1..65535 has its own problem already.
    if (port >= 1 && port < FIRST_UNPRIVILEGED_PORT) {
      problems.push({
        path,
        message: `is below ${FIRST_UNPRIVILEGED_PORT}, which a pod running as a non-root user without capabilities (UID 10001, all dropped) cannot bind; listen on ${FIRST_UNPRIVILEGED_PORT} or above (the Service still answers on port 80)`,
      });
    }
  };
  unprivileged(["port"], app.port);
  if (!app.metrics) return problems;
  unprivileged(["metrics", "port"], app.metrics.port);
  if (app.metrics.port === app.port) {
    problems.push({
      path: ["metrics", "port"],
      message: `is also the serving port: /metrics would be public through the ingress, and Prometheus's allowance would open the app's own port; serve metrics on a port of their own, like 9090`,
    });
  } else if (app.metrics.port === SERVICE_HTTP_PORT) {
    problems.push({
      path: ["metrics", "port"],
      message: `is the Service's port for the app: Kubernetes refuses a Service with two ports ${SERVICE_HTTP_PORT}/TCP ("Duplicate value", ValidateService); pick another port`,
    });
  }
  return problems;
}

/**
 * The HPA scales on CPU as a share of the pods' CPU request; with none, "CPU utilization
 * for the Pod will not be defined and the autoscaler will not take any action" (Kubernetes
 * docs, "Horizontal Pod Autoscaling", algorithm details).
 */
export function autoscalingProblems(app: AppRuleView): AppRuleProblem[] {
  if (!app.autoscaling || cpuMillicores(app.resources.requests.cpu) !== 0) return [];
  return [
    {
      path: ["resources", "requests", "cpu"],
      message: `is ${app.resources.requests.cpu}, but autoscaling scales on CPU as a share of the request: with none it never acts; request the CPU the app needs, like 100m`,
    },
  ];
}

/**
 * The environment variables the kubelet sets in every container from the Services it
 * can see: the API server's (`KUBERNETES_SERVICE_HOST`, `KUBERNETES_PORT_443_TCP`...),
 * always, and, with service links on (the default), those of each Service in the
 * namespace: the app's own, `<NAME>_SERVICE_HOST`, `<NAME>_PORT...`, with the name upper
 * case and `-` as `_` (kubernetes/kubernetes pkg/kubelet/envvars/envvars.go, FromServices).
 * A variable the app sets wins over the kubelet's, so an in-cluster client would talk to
 * the wrong address without an error.
 */
export function kubeletEnvProblem(app: Pick<AppRuleView, "name">, variable: string): string | undefined {
  if (variable.startsWith("KUBERNETES_")) {
    return `${variable} shadows what the kubelet sets for the Kubernetes API server (KUBERNETES_SERVICE_HOST, KUBERNETES_PORT...), which in-cluster clients read; pick a name without the KUBERNETES_ prefix`;
  }
  const service = app.name.toUpperCase().replace(/-/g, "_");
  if (
    variable.startsWith(`${service}_SERVICE_`) ||
    variable === `${service}_PORT` ||
    variable.startsWith(`${service}_PORT_`)
  ) {
    return `${variable} shadows a service link the kubelet sets for the app's own Service (${service}_SERVICE_HOST, ${service}_PORT...); pick another name`;
  }
  return undefined;
}

/**
 * IAM actions that hand out IAM power: with them an app can make itself (or a role it
 * creates) anything (Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
 * Mitigation"; IAM User Guide, "Granting a user permissions to pass a role").
 */
export const ESCALATING_ACTIONS = [
  "iam:PassRole",
  "iam:CreateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:PutRolePolicy",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:AttachUserPolicy",
  "iam:PutUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AddUserToGroup",
] as const;

/** True when an IAM action pattern (`iam:Put*`, `*`) matches the action; IAM matches case-insensitively. */
function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return regex.test(action);
}

/**
 * An Allow on every resource of a wildcard action, or of an action that escalates (by
 * name or through a wildcard that covers it) on any ARN with a wildcard. A scoped PassRole
 * (one role's ARN) is fine.
 */
export function iamProblems(app: AppRuleView): AppRuleProblem[] {
  return (app.iamPolicyStatements ?? []).flatMap((statement, index) => {
    if (statement.Effect !== "Allow") return [];
    // A wildcard in an ARN (`role/*`) reaches every role there is or will be, so an
    // escalating action on it escalates as surely as on "*".
    const manyResources = statement.Resource.filter((resource) => resource.includes("*"));
    if (manyResources.length === 0) return [];
    const wildcard = statement.Action.filter((action) => /(^\*|:\*$)/.test(action));
    if (wildcard.length > 0 && statement.Resource.includes("*")) {
      return [
        {
          path: ["iamPolicyStatements", index],
          message: `allows ${wildcard.join(", ")} on every resource ("*"): name the actions the app calls and the ARNs it touches`,
        },
      ];
    }
    const escalating = statement.Action.filter((action) => ESCALATING_ACTIONS.some((e) => matches(action, e)));
    if (escalating.length === 0) return [];
    return [
      {
        path: ["iamPolicyStatements", index],
        message: `allows ${escalating.join(", ")} on ${manyResources.includes("*") ? 'every resource ("*")' : manyResources.join(", ")}: with it the app can grant itself any permission (IAM privilege escalation); name the one role or policy ARN it needs`,
      },
    ];
  });
}
