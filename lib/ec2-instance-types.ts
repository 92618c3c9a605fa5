/**
 * The EC2 instance types Slipway's node groups take: a small catalogue, not a pattern, so
 * that `m6i.mega` is an error with a did-you-mean instead of a node group EKS refuses
 * half-way through an update. Pure data and lookups; the cluster settings
 * (settings/cluster.ts) turn them into problems.
 */
import { nearest } from "./did-you-mean";

/** A CPU architecture, as EKS AMI types name it. */
export type Architecture = "x86_64" | "arm64";

/** One instance family: its architecture and the sizes Slipway takes. */
export interface InstanceFamily {
  readonly architecture: Architecture;
  readonly sizes: readonly string[];
}

/**
 * Where the catalogue comes from, and when it was consulted. Families and sizes: "Amazon EC2
 * instance types", Specifications, general purpose / compute optimized / memory
 * optimized (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, co.html,
 * mo.html); every entry is also in the InstanceType enum of @pulumi/aws 7.48.0
 * (types/enums/ec2), which test/lib/catalogues.test.ts checks. Graviton families (the
 * `g` after the generation) are arm64, the rest x86_64 (same pages, "Processor").
 * Metal sizes are left out: a node group has no use for them. `nano` and `micro` are left
 * out: the VPC CNI fits 4 pods on them (awslabs/amazon-eks-ami, eni-max-pods.txt:
 * ENIs × (addresses per ENI - 1) + 2),
 * fewer than the platform's DaemonSets.
 */
export const EC2_CATALOGUE_SOURCE = {
  url: "https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html",
  read: "2026-12-07",
} as const;

const T_SIZES = ["small", "medium", "large", "xlarge", "2xlarge"] as const;
const GRAVITON_SIZES = ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;
const M5_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] as const;
const SIXTH_GEN_X86 = [...M5_SIZES, "32xlarge"] as const;
const SEVENTH_GEN_X86 = [...M5_SIZES, "48xlarge"] as const;

/** The families Slipway's node groups take, by family name. */
export const EC2_INSTANCE_FAMILIES: Readonly<Record<string, InstanceFamily>> = {
  t3: { architecture: "x86_64", sizes: T_SIZES },
  t3a: { architecture: "x86_64", sizes: T_SIZES },
  t4g: { architecture: "arm64", sizes: T_SIZES },
  m5: { architecture: "x86_64", sizes: M5_SIZES },
  m6i: { architecture: "x86_64", sizes: SIXTH_GEN_X86 },
  m6a: { architecture: "x86_64", sizes: [...SIXTH_GEN_X86, "48xlarge"] },
  m6g: { architecture: "arm64", sizes: GRAVITON_SIZES },
  m7i: { architecture: "x86_64", sizes: SEVENTH_GEN_X86 },
  m7g: { architecture: "arm64", sizes: GRAVITON_SIZES },
  c6i: { architecture: "x86_64", sizes: SIXTH_GEN_X86 },
  c6g: { architecture: "arm64", sizes: GRAVITON_SIZES },
  c7g: { architecture: "arm64", sizes: GRAVITON_SIZES },
  r6i: { architecture: "x86_64", sizes: SIXTH_GEN_X86 },
  r6g: { architecture: "arm64", sizes: GRAVITON_SIZES },
  r7g: { architecture: "arm64", sizes: GRAVITON_SIZES },
};

/** Every instance type in the catalogue, `m6i.large` style, in catalogue order. */
export const EC2_INSTANCE_TYPES: readonly string[] = Object.entries(EC2_INSTANCE_FAMILIES).flatMap(([family, f]) =>
  f.sizes.map((size) => `${family}.${size}`),
);

/** The architecture of a catalogue instance type, or undefined when it is not in the catalogue. */
export function instanceArchitecture(type: string): Architecture | undefined {
  const [family = "", size = ""] = type.split(".");
  const entry = EC2_INSTANCE_FAMILIES[family];
  return entry?.sizes.includes(size) ? entry.architecture : undefined;
}

/** Why a name is not a catalogue instance type (with the nearest entry), or undefined when it is. */
export function instanceTypeProblem(type: string): string | undefined {
  if (instanceArchitecture(type) !== undefined) return undefined;
  const [family = ""] = type.split(".");
  const entry = EC2_INSTANCE_FAMILIES[family];
  const suggestion = nearest(type, entry ? entry.sizes.map((s) => `${family}.${s}`) : EC2_INSTANCE_TYPES);
  const known = entry
    ? `${family} comes in ${entry.sizes.join(", ")}`
    : `families: ${Object.keys(EC2_INSTANCE_FAMILIES).join(", ")}`;
  return (
    `is not an EC2 instance type in Slipway's node-group catalogue; did you mean ${suggestion}? ${known} ` +
    `(lib/ec2-instance-types.ts, from ${EC2_CATALOGUE_SOURCE.url}, read ${EC2_CATALOGUE_SOURCE.read}; add a type there with its source)`
  );
}

/** The catalogue in a few words, for the generated reference (docs/config.md). */
export const EC2_CATALOGUE_NOTE = "from the catalogue in lib/ec2-instance-types.ts, like m6i.large";

/** The architecture an EKS AMI type runs on (the AMI type names carry it). */
export function amiArchitecture(amiType: string): Architecture {
  return /ARM_64/.test(amiType) ? "arm64" : "x86_64";
}
