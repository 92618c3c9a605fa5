/**
 * Settings of one application, as its file `apps/<name>.yaml` and the stack it runs in
 * make it (settings/apps/file.ts is the file's shape; infra/app-file-checks.ts reads the
 * files). {@link AppSettings} is what the AppRelease component is built from.
 */
import { z } from "zod";
import { dnsLabel, dnsName, labelKey, labelValue, strictObject } from "../common";
import { binaryBytes, cpuMillicores } from "../../lib/kubernetes-quantity";
import { autoscalingProblems, iamProblems, kubeletEnvProblem, portProblems } from "./rules";

const cpu = z
  .string()
  .refine((t) => cpuMillicores(t) !== undefined, { message: "must be a CPU quantity like 100m or 0.5" });
const memory = z
  .string()
  .refine((t) => binaryBytes(t) !== undefined, { message: "must be a memory quantity like 256Mi or 1Gi" });
const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, { message: "must be an environment variable name like LOG_LEVEL" });
/**
 * Longest env value Slipway takes. Each value lands in the Deployment object and in every
 * pod's environment; larger data belongs in a ConfigMap or an object store, where it can
 * change without a rollout of every replica.
 */
export const MAX_ENV_VALUE_BYTES = 4096;

/** C0 controls and DEL, except tab and newline. */
function isControlCharacter(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (code < 0x20 && ch !== "\t" && ch !== "\n") || code === 0x7f;
}

/** An env value: printable text (tab allowed), at most {@link MAX_ENV_VALUE_BYTES} bytes. */
const envValue = z
  .string()
  .refine((value) => ![...value].some((ch) => isControlCharacter(ch)), {
    message: "holds a control character (only tab and newline are allowed in an env value)",
  })
  .refine((value) => Buffer.byteLength(value) <= MAX_ENV_VALUE_BYTES, {
    message: `is longer than ${MAX_ENV_VALUE_BYTES} bytes: env values sit in the Deployment and in every pod's environment; put large data in a ConfigMap or S3`,
  });
/**
 * An HTTP path as the ingress and the probes match it: a client's `//api` or `/./api` is
 * the same route as `/api` after a proxy normalises it (RFC 3986, section 6.2.2.3, "Path
 * Segment Normalization"), so a path is written in its normal form, and two apps cannot
 * claim one route spelled two ways.
 */
const httpPath = z
  .string()
  .regex(/^\/[\w./-]*$/, { message: "must be an HTTP path starting with /" })
  .refine((route) => !/\/\/|\/\.\.?(\/|$)/.test(route), {
    message: "is not in normal form: write it without empty segments (//), . or .. (like /api, not //api or /./api)",
  });

/** Data stores an app can use. */
export const DATA_STORES = ["database", "cache"] as const;
/** Environment variables Slipway sets from the data-store connections. */
export const RESERVED_ENV = ["DATABASE_URL", "REDIS_URL"] as const;

/** Plain environment variables: name -> value. */
export const envMap = z.record(envName, envValue);
/** Secret environment variables: name -> key in `slipway:appSecrets`. */
export const secretEnvMap = z.record(envName, z.string());

/**
 * The fields of one application. Its file gives them (its name comes from the file name),
 * and a stack's entry under `stacks:` in the file may change some of them.
 */
export const appFields = {
  /** Release name, also its namespace; at most 40 characters so derived names stay valid. */
  name: dnsLabel.refine((n) => n.length <= 40, "must be at most 40 characters"),
  /** Name of the image in the stack's channel (`images:`), which pins its digest. */
  image: dnsLabel,
  /** Container port of the HTTP server. */
  port: z.int().min(1, "must be a port 1..65535").max(65535, "must be a port 1..65535"),
  /** Fixed replica count; give this or `autoscaling`. @default - none */
  replicas: z.int().min(1).max(100).optional(),
  /** Horizontal autoscaling on CPU; give this or `replicas`. @default - none */
  autoscaling: strictObject({
    minReplicas: z.int().min(1),
    maxReplicas: z.int().min(1).max(100),
    /** @default 70 */
    targetCpuPercent: z.int().min(1).max(100).default(70),
  }).optional(),
  /**
   * Requests and limits of the app container.
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  resources: strictObject({
    /** What the scheduler reserves; autoscaling measures CPU against it. */
    requests: strictObject({ cpu, memory }),
    /** Memory is always capped; CPU only when given. */
    limits: strictObject({ cpu: cpu.optional(), memory }),
  }),
  /** Plain environment. @default {} */
  env: envMap.default({}),
  /** Secret environment: variable name -> key in `slipway:appSecrets`. @default {} */
  secretEnv: secretEnvMap.default({}),
  /**
   * HTTP paths of the liveness and readiness probes, on the app's port.
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  probes: strictObject({
    /** @default "/health" */
    livenessPath: httpPath.default("/health"),
    /** @default "/ready" */
    readinessPath: httpPath.default("/ready"),
  }).prefault({}),
  /** Public host and path behind the platform's ingress, with TLS. @default - no ingress */
  ingress: strictObject({ host: dnsName, path: httpPath.default("/") }).optional(),
  /** Data stores the app connects to. @default [] */
  uses: z.array(z.enum(DATA_STORES)).default([]),
  /** Extra peers allowed in on the app port. @default [] */
  allowFrom: z
    .array(strictObject({ namespace: dnsLabel, podLabels: z.record(labelKey, labelValue).optional() }))
    .default([]),
  /** IAM policy statements for an IRSA role. @default - no role */
  iamPolicyStatements: z
    .array(
      strictObject({
        Effect: z.enum(["Allow", "Deny"]),
        Action: z
          .array(z.string().regex(/^([a-z0-9-]+|\*):[\w*]+$/, { message: "must be an IAM action like s3:GetObject" }))
          .min(1),
        Resource: z.array(z.string().min(1)).min(1),
      }),
    )
    .optional(),
  /** Prometheus metrics endpoint; adds a ServiceMonitor. @default - none */
  metrics: strictObject({ port: z.int().min(1).max(65535), path: httpPath.default("/metrics") }).optional(),
};

/** The fields of one application, each checked on its own. */
const appObject = strictObject(appFields);

/**
 * One application as a stack runs it: its file's fields with the stack's changes applied,
 * checked together. An app's name is its namespace, so it may not take one of
 * `addonNamespaces` (those the platform add-ons deploy into) or Kubernetes' own.
 */
export const appSchema = (addonNamespaces: readonly string[]) =>
  appObject.superRefine((app, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if ((app.replicas === undefined) === (app.autoscaling === undefined)) {
      issue(["replicas"], "give either replicas or autoscaling, not both and not neither");
    }
    if (app.autoscaling && app.autoscaling.minReplicas > app.autoscaling.maxReplicas) {
      issue(
        ["autoscaling", "minReplicas"],
        `${app.autoscaling.minReplicas} is above maxReplicas ${app.autoscaling.maxReplicas}`,
      );
    }
    const { requests, limits } = app.resources;
    if (limits.cpu !== undefined && cpuMillicores(requests.cpu)! > cpuMillicores(limits.cpu)!) {
      issue(["resources", "requests", "cpu"], `${requests.cpu} is above the limit ${limits.cpu}`);
    }
    if (binaryBytes(requests.memory)! > binaryBytes(limits.memory)!) {
      issue(["resources", "requests", "memory"], `${requests.memory} is above the limit ${limits.memory}`);
    }
    for (const [key, map] of [
      ["env", app.env],
      ["secretEnv", app.secretEnv],
    ] as const) {
      for (const name of Object.keys(map)) {
        if ((RESERVED_ENV as readonly string[]).includes(name))
          issue([key], `${name} is set by Slipway from the data-store connection`);
        const shadow = kubeletEnvProblem(app, name);
        if (shadow) issue([key, name], shadow);
      }
    }
    for (const name of Object.keys(app.env)) {
      if (name in app.secretEnv) issue(["secretEnv", name], "is also a plain env variable");
    }
    if (KUBERNETES_NAMESPACES.includes(app.name) || addonNamespaces.includes(app.name)) {
      issue(
        ["name"],
        `"${app.name}" is a namespace Kubernetes or a platform add-on uses; the app would take it over (its default-deny NetworkPolicy, its Pod Security level): pick another name`,
      );
    } else if (app.name.startsWith("kube-")) {
      // "Avoid creating namespaces with the prefix kube-, since it is reserved for Kubernetes
      // system namespaces" (kubernetes.io, "Namespaces").
      issue(
        ["name"],
        `"${app.name}" starts with kube-, which Kubernetes keeps for its own namespaces: pick another name`,
      );
    }
    for (const { path, message } of [...portProblems(app), ...autoscalingProblems(app), ...iamProblems(app)]) {
      issue(path, message);
    }
  });

/**
 * The namespaces Kubernetes creates itself (kubernetes.io, "Namespaces", initial
 * namespaces): no app may be named after one.
 */
export const KUBERNETES_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** One application after validation and defaults. */
export type AppSettings = z.infer<typeof appObject>;
