/** A chart pin as every layer reads it; the release channel's schema (infra/schema/channel.ts) produces it. */
export interface PinnedChart {
  /** `https://` Helm repository or `oci://` registry path. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact version. */
  readonly version: string;
}
