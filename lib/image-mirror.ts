/**
 * Images and charts from a mirror inside the account, for air-gapped stacks: which
 * registries are public, and the chart values that point each image a chart pulls at its
 * mirrored copy, written the way that chart's templates read them (see `digest` in
 * channels/contracts/charts.yaml).
 */
import type { ChartImage } from "./chart-contracts";

/**
 * Public registries and chart hosts: nothing in an air-gapped stack may pull from them.
 * An image reference without a registry host is Docker Hub's (docker.io), as the
 * container runtime reads it (distribution/reference, "normalize.go": a first path part
 * without "." or ":" and not "localhost" is a repository, not a host).
 */
export const PUBLIC_REGISTRIES = [
  "docker.io",
  "registry-1.docker.io",
  "index.docker.io",
  "quay.io",
  "ghcr.io",
  "registry.k8s.io",
  "k8s.gcr.io",
  "gcr.io",
  "public.ecr.aws",
  "mcr.microsoft.com",
  "registry.gitlab.com",
  "docker.elastic.co",
  "cgr.dev",
] as const;

/** The registry host of an image reference (`quay.io/x/y:1` -> `quay.io`; `busybox` -> `docker.io`). */
export function registryHost(reference: string): string {
  const [first = ""] = reference.split("/");
  const isHost = reference.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first : "docker.io";
}

/** Whether an image reference or registry host is a public registry. */
export function isPublicRegistry(referenceOrHost: string): boolean {
  const host = registryHost(referenceOrHost.includes("/") ? referenceOrHost : `${referenceOrHost}/x`);
  return (PUBLIC_REGISTRIES as readonly string[]).includes(host) || /(^|\.)gcr\.io$|(^|\.)pkg\.dev$/.test(host);
}

/**
 * Whether a chart repository is public: an OCI repository on a public registry, or an
 * https repository on a public host (GitHub Pages, where most charts publish, and the
 * projects' own chart sites).
 */
export function isPublicChartRepository(repository: string): boolean {
  const oci = /^oci:\/\/([^/]+)/.exec(repository);
  if (oci) return isPublicRegistry(`${oci[1]}/x`);
  const host = /^https?:\/\/([^/:]+)/.exec(repository)?.[1] ?? "";
  return /\.github\.io$|^charts\.jetstack\.io$|^helm\.traefik\.io$|^grafana\.github\.io$|^charts\.bitnami\.com$/.test(
    host,
  );
}

/** A mirrored image: where the copy is, the tag it was taken from, and its digest. */
export interface MirroredImage {
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
}

/**
 * The values that make a chart pull each of `images` from its mirror, by values path.
 * Each image object gets the mirror's registry and repository (split when the chart has a
 * `registry` key) and the digest in the key and form its template reads; without a
 * digest key, the tag carries the digest (`v1.2.3@sha256:...`, a valid reference).
 */
export function mirrorValues(
  images: readonly ChartImage[],
  mirrors: Readonly<Record<string, MirroredImage>>,
): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const image of images) {
    const mirror = mirrors[image.values];
    if (!mirror) continue;
    const tag = mirror.tag ?? image.tag;
    const host = registryHost(mirror.repository);
    const location: Record<string, string> = image.registryKey
      ? { registry: host, repository: mirror.repository.slice(host.length + 1) }
      : { repository: mirror.repository };
    const digest: Record<ChartImage["digest"], Record<string, string>> = {
      "sha-hex": { tag, sha: mirror.digest.replace(/^sha256:/, "") },
      sha: { tag, sha: mirror.digest },
      digest: { tag, digest: mirror.digest },
      tag: { tag: `${tag}@${mirror.digest}` },
    };
    values[image.values] = { ...location, ...digest[image.digest] };
  }
  return values;
}

/** The images of a chart that `mirrors` does not redirect. */
export function unmirroredImages(
  images: readonly ChartImage[],
  mirrors: Readonly<Record<string, MirroredImage>> | undefined,
): ChartImage[] {
  return images.filter((image) => !mirrors?.[image.values]);
}

/**
 * Where a chart will pull each of its images from, given the values a release passes:
 * the values' registry and repository where set, the chart's default otherwise, and
 * `global.imageRegistry` where the chart's template reads it (`globalRegistry` in the
 * contract: kube-prometheus-stack and its dependencies, grafana; not traefik).
 */
export function pulledImages(
  images: readonly ChartImage[],
  values: unknown,
  valueAt: (values: unknown, dotted: string) => unknown,
): Array<{ image: ChartImage; from: string }> {
  return images.map((image) => {
    const set = (key: string) => {
      const value = valueAt(values, `${image.values}.${key}`);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    const upstreamHost = registryHost(image.upstream);
    if (!image.registryKey) return { image, from: set("repository") ?? image.upstream };
    const global = image.globalRegistry ? valueAt(values, "global.imageRegistry") : undefined;
    const registry =
      (typeof global === "string" && global !== "" ? global : undefined) ?? set("registry") ?? upstreamHost;
    const repository = set("repository") ?? image.upstream.slice(upstreamHost.length + 1);
    return { image, from: `${registry}/${repository}` };
  });
}
