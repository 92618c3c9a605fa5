/**
 * Doctor's checks for secrets in plain text: a value in Pulumi's secret envelope without
 * its ciphertext (an export with --show-secrets), a field the provider always keeps
 * secret holding a plain value, and a stack output that is a credential in plain text.
 */
import type { CheckpointResource, Finding } from "./checkpoint";

/** Pulumi's secret envelope: `{ "<SIG>": "<SECRET>", "ciphertext": ... }` (pulumi/pulumi sdk/go/common/resource/sig). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Fields providers always keep secret: a plain value there means the file was exported
 * with --show-secrets or edited. The type's outputs and inputs are both checked.
 */
const ALWAYS_SECRET: Readonly<Record<string, readonly string[]>> = {
  "aws:rds/instance:Instance": ["password"],
  "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
  "random:index/randomPassword:RandomPassword": ["result"],
  "pulumi:providers:kubernetes": ["kubeconfig"],
};

function isEnvelope(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET;
}

function findPlaintextSecrets(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => findPlaintextSecrets(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (isEnvelope(object)) {
      if ("plaintext" in object || !("ciphertext" in object)) out.push(path);
      return;
    }
    for (const [k, v] of Object.entries(object)) findPlaintextSecrets(v, path ? `${path}.${k}` : k, out);
  }
}

/** Secret envelopes holding plain text. */
export function plaintextFindings(r: CheckpointResource): Finding[] {
  const plaintext: string[] = [];
  findPlaintextSecrets({ inputs: r.inputs, outputs: r.outputs }, "", plaintext);
  return plaintext.map((path) => ({
    kind: "plaintext-secret",
    severity: "error",
    urn: r.urn,
    message: `secret at ${path} is in plain text`,
    meaning:
      "This file was exported with --show-secrets: treat it as a leaked credential, rotate it, and import only an encrypted export.",
  }));
}

/** Plain values in fields the providers always keep secret. */
export function alwaysSecretFindings(r: CheckpointResource): Finding[] {
  return (ALWAYS_SECRET[r.type] ?? []).flatMap((field) =>
    (["inputs", "outputs"] as const)
      .filter((side) => typeof r[side]?.[field] === "string" && r[side]?.[field] !== "")
      .map((side): Finding => ({
        kind: "plaintext-secret",
        severity: "error",
        urn: r.urn,
        message: `${side}.${field} is in plain text; the provider always keeps it secret`,
        meaning:
          "This file was exported with --show-secrets or edited: treat the value as leaked, rotate it, and import only an encrypted export.",
      })),
  );
}

/**
 * What marks a stack output as a credential: its name, or what the text is. A kubeconfig
 * (`clusters:` with `users:`; Kubernetes docs, "Organizing Cluster Access Using
 * kubeconfig Files"), an EKS token (`k8s-aws-v1.`, what aws eks get-token prints), a JWT
 * (a ServiceAccount token), a PEM private key, an AWS access key ID (`AKIA`/`ASIA`, IAM
 * User Guide, "IAM identifiers", unique ID prefixes). Slipway exports its kubeconfig as a
 * secret (README, Stack outputs), so one in plain text came from an edit or an old program.
 */
const CREDENTIAL_NAME = /kubeconfig|token|password|passwd|secret|private.?key|credential|api.?key/i;
const CREDENTIAL_TEXT: ReadonlyArray<readonly [(text: string) => boolean, string]> = [
  [(text) => ["clusters", "contexts", "users"].every((key) => new RegExp(`\\b${key}\\b`).test(text)), "a kubeconfig"],
  [(text) => /k8s-aws-v1\.[\w-]{20,}/.test(text), "an EKS token"],
  [(text) => /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/.test(text), "a JSON Web Token"],
  [(text) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text), "a private key"],
  [(text) => /\b(AKIA|ASIA)[A-Z0-9]{16}\b/.test(text), "an AWS access key"],
];

/** What a plain output value is, when it is a credential; an ARN only names one. */
function credentialIn(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === "" || isEnvelope(value)) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const byText = CREDENTIAL_TEXT.find(([matches]) => matches(text))?.[1];
  if (byText) return byText;
  return CREDENTIAL_NAME.test(name) && !text.startsWith("arn:") ? "a credential, by its name," : undefined;
}

/** The stack's outputs that are credentials in plain text (never printing the value). */
export function stackOutputFindings(r: CheckpointResource): Finding[] {
  if (r.type !== "pulumi:pulumi:Stack") return [];
  return Object.entries(r.outputs ?? {}).flatMap(([name, value]): Finding[] => {
    const what = credentialIn(name, value);
    if (!what) return [];
    return [
      {
        kind: "plaintext-output",
        severity: "error",
        urn: r.urn,
        message: `stack output ${name} is ${what} in plain text`,
        meaning:
          "Anyone who can read the state, or run pulumi stack output, can read it: a kubeconfig or token is access to the cluster. Rotate the credential, make the output a secret (pulumi.secret), and import only an export where it is encrypted.",
      },
    ];
  });
}
