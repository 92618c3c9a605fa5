import type { MirroredImage } from "./image-mirror";

/** A chart pin as every layer reads it; the release channel's schema (infra/schema/channel.ts) produces it. */
export interface PinnedChart {
  /** `https://` Helm repository or `oci://` registry path. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact version. */
  readonly version: string;
  /** The public repository a mirrored pin is a copy of. @default - none */
  readonly upstream?: string;
  /**
   * Mirrored copies of the chart's images, by the values path of each image object in the
   * chart contract; the release points the chart at them (lib/image-mirror.ts).
   * @default - the chart's own images
   */
  readonly images?: Readonly<Record<string, MirroredImage>>;
  /**
   * The values that point the chart at those copies, by the values path of each image
   * object, in the form the chart's templates read (lib/image-mirror.ts, `mirrorValues`);
   * the stack config computes them from the chart contract. @default - none
   */
  readonly imageValues?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
