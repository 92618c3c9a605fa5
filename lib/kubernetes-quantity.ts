/**
 * Kubernetes quantities Slipway reads: CPU (`100m`, `0.5`) and binary byte sizes (`512Ki`,
 * `128Mi`, `1Gi`, `1Ti`; kubernetes.io, "Resource Management for Pods and Containers").
 * Shared by the app schema (requests and limits) and the cost estimate (volume sizes).
 */

/** CPU quantity (`100m`, `0.5`, `2`) in millicores, or `undefined` when malformed. */
export function cpuMillicores(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!match) return undefined;
  return match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

const BINARY = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 } as const;

/** Byte quantity with a binary suffix (`512Ki`, `128Mi`, `1Gi`, `1Ti`) in bytes, or `undefined` when malformed. */
export function binaryBytes(text: string): number | undefined {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * BINARY[match[2] as keyof typeof BINARY];
}
