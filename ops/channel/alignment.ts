/**
 * The runbooks' channel-alignment script, on what the program really declares: every Helm
 * release's repository, chart and version, and every container image, compared with the
 * stack's channel manifest. A difference is allowed only where the stack file overrides
 * the pin explicitly, with a reason.
 */
import type { Channel } from "../../infra/schema/channel";
import type { ProgramRecord } from "../../harness/record";

/** One difference between the program and its channel. */
export interface Misalignment {
  /** Add-on key or image name. */
  readonly subject: string;
  /** What differs, in words. */
  readonly message: string;
}

/** One explicit departure from the channel. */
export interface OverrideNote {
  /** Add-on key. */
  readonly subject: string;
  /** Channel version and the override. */
  readonly message: string;
}

/** Result of {@link checkAlignment}. */
export interface AlignmentReport {
  /** Releases and images checked. */
  readonly checked: number;
  /** Differences without an override: each one fails the check. */
  readonly misaligned: Misalignment[];
  /** Explicit overrides, reported for review. */
  readonly overrides: OverrideNote[];
}

/** Version overrides by chart add-on key, with their reasons. */
export type PinOverrides = Readonly<Record<string, { readonly version: string; readonly reason: string } | undefined>>;

/** Compares the record's releases and images with the channel. Pure. */
export function checkAlignment(record: ProgramRecord, channel: Channel, overrides: PinOverrides): AlignmentReport {
  const misaligned: Misalignment[] = [];
  const notes: OverrideNote[] = [];
  let checked = 0;
  const pins = channel.charts as Record<string, { repository: string; chart: string; version: string } | undefined>;

  for (const release of record.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")) {
    checked += 1;
    const key = String(release.inputs.name);
    const pin = pins[key];
    if (!pin) {
      misaligned.push({ subject: key, message: "is deployed but the channel does not pin it" });
      continue;
    }
    const oci = pin.repository.startsWith("oci://");
    const chart = String(release.inputs.chart);
    const repository = oci
      ? chart.slice(0, chart.lastIndexOf("/"))
      : String((release.inputs.repositoryOpts as { repo?: string })?.repo);
    const chartName = oci ? chart.slice(chart.lastIndexOf("/") + 1) : chart;
    if (repository !== pin.repository)
      misaligned.push({ subject: key, message: `repository ${repository}, channel pins ${pin.repository}` });
    if (chartName !== pin.chart)
      misaligned.push({ subject: key, message: `chart ${chartName}, channel pins ${pin.chart}` });
    const version = String(release.inputs.version);
    const override = overrides[key];
    if (override && version === override.version && version !== pin.version) {
      notes.push({ subject: key, message: `${version} instead of the channel's ${pin.version}: ${override.reason}` });
    } else if (version !== pin.version) {
      misaligned.push({
        subject: key,
        message: `version ${version}, channel pins ${pin.version} and no override says why`,
      });
    }
  }

  for (const image of containerImages(record)) {
    checked += 1;
    const at = image.lastIndexOf("@");
    const named = at >= 0 ? image.slice(0, at) : image;
    // A tag is a ':' after the last '/' (a ':' before it belongs to a registry port).
    const tagAt = named.lastIndexOf(":");
    const repository = tagAt > named.lastIndexOf("/") ? named.slice(0, tagAt) : named;
    const pinned = Object.entries(channel.images).find(([, pin]) => pin.repository === repository);
    if (!pinned) {
      misaligned.push({ subject: image, message: "image is not pinned by the channel" });
    } else if (at < 0 || image.slice(at + 1) !== pinned[1].digest) {
      misaligned.push({ subject: pinned[0], message: `runs ${image}, channel pins ${pinned[1].digest}` });
    }
  }
  return { checked, misaligned, overrides: notes };
}

/** Every container and init-container image of the workloads Slipway declares itself. */
export function containerImages(record: ProgramRecord): string[] {
  const images: string[] = [];
  for (const resource of record.resources) {
    if (!/^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet)|batch\/v1:(Job|CronJob))$/.test(resource.type))
      continue;
    const template = (resource.inputs.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
    for (const container of [...(template?.containers ?? []), ...(template?.initContainers ?? [])])
      images.push(container.image);
  }
  return images;
}

interface PodSpec {
  containers?: Array<{ image: string }>;
  initContainers?: Array<{ image: string }>;
}
