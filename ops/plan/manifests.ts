/**
 * Every Kubernetes object the stack declares (apps and the platform's own objects), as
 * YAML with secrets redacted, validated against the Kubernetes OpenAPI schemas that the
 * `kubernetes-models` packages ship (no network). Helm releases are not objects: their
 * charts render in the cluster, and the release inputs are covered by the tests.
 *
 * The schemas are those of Kubernetes 1.34 (`kubernetes-models` 5.1.0); the stacks run
 * 1.33, and every kind Slipway declares has the same schema in both.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { SECRET_MASK, type ProgramRecord, type RecordedResource } from "../../harness/record";

/** One rendered object. */
export interface RenderedObject {
  /** `apiVersion` of the object. */
  readonly apiVersion: string;
  /** `kind` of the object. */
  readonly kind: string;
  /** `namespace/name` or `name`. */
  readonly id: string;
  /** The object, secrets redacted. */
  readonly object: Record<string, unknown>;
}

/** One object that does not validate. */
export interface SchemaViolation {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** What the schema says. */
  readonly message: string;
}

/** Text a redacted value is replaced with. */
export const REDACTED = "REDACTED";

/** Kubernetes objects of the record (not Helm releases, not providers), secrets redacted. */
export function kubernetesObjects(record: ProgramRecord): RenderedObject[] {
  return record.resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release")
    .map(toObject);
}

function toObject(resource: RecordedResource): RenderedObject {
  const object = redact(structuredClone(resource.inputs)) as Record<string, unknown>;
  const metadata = (object.metadata ??= {}) as Record<string, unknown>;
  // The provider would auto-name an object without a name; the mock names it after its logical name.
  metadata.name ??= resource.name;
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const id = metadata.namespace ? `${String(metadata.namespace)}/${String(metadata.name)}` : String(metadata.name);
  return { apiVersion, kind, id, object };
}

/** Replaces masked secrets: a whole masked map becomes one redacted entry, a masked string `REDACTED`. */
function redact(value: unknown, key = ""): unknown {
  if (value === SECRET_MASK) return key === "stringData" || key === "data" ? { [REDACTED]: REDACTED } : REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

/** Where the model class of an apiVersion lives. */
function modelModule(apiVersion: string): string | undefined {
  if (apiVersion === "v1") return "kubernetes-models/v1";
  if (apiVersion.startsWith("monitoring.coreos.com/")) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  if (apiVersion.startsWith("cert-manager.io/")) return `@kubernetes-models/cert-manager/${apiVersion}`;
  if (/^[a-z0-9.-]+\/v\d+(alpha\d+|beta\d+)?$/.test(apiVersion)) return `kubernetes-models/${apiVersion}`;
  return undefined;
}

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
}

/**
 * Validates each object against its schema. An object whose kind has no schema is a
 * violation too: nothing passes unchecked.
 */
export async function validateObjects(objects: readonly RenderedObject[]): Promise<SchemaViolation[]> {
  const violations: SchemaViolation[] = [];
  for (const { apiVersion, kind, id, object } of objects) {
    const label = `${kind} ${id}`;
    const specifier = modelModule(apiVersion);
    let Model: ModelClass | undefined;
    try {
      // Loaded by name when an object of that apiVersion turns up (only the manifest says
      // which); kubernetes-models' modules are ES modules, which require() cannot load here.
      // eslint-disable-next-line slipway/no-dynamic-import -- an ES module named by the object's apiVersion
      Model = specifier ? ((await import(specifier)) as Record<string, ModelClass>)[kind] : undefined;
    } catch {
      Model = undefined;
    }
    if (!Model) {
      violations.push({ object: label, message: `no schema for ${apiVersion} ${kind}` });
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      violations.push({ object: label, message: (error as Error).message });
    }
  }
  return violations;
}

/** The file that marks a folder as one the plan wrote, and so may replace. */
export const MANIFESTS_MARKER = ".slipway-manifests";

/** Raised when the manifests folder holds files Slipway did not write. */
export class ManifestsDirError extends Error {
  override name = "ManifestsDirError";
}

/**
 * Why the plan may not empty `dir`: it holds files the plan did not write (no marker, not
 * empty). Undefined for a new, empty or earlier-written folder.
 */
export function foreignManifestsProblem(dir: string): string | undefined {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return undefined;
  const entries = fs.readdirSync(dir);
  if (entries.length === 0 || entries.includes(MANIFESTS_MARKER)) return undefined;
  return `${dir} holds files the plan did not write (no ${MANIFESTS_MARKER}); name an empty or new folder for --manifests`;
}

/**
 * Empties a manifests folder from an earlier run. A folder Slipway did not write (no
 * marker, not empty) is never deleted: the plan refuses and says so.
 */
function clearOwnManifests(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new ManifestsDirError(`${dir} exists and is not a folder`);
  const foreign = foreignManifestsProblem(dir);
  if (foreign) throw new ManifestsDirError(foreign);
  if (fs.readdirSync(dir).length > 0) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes each object to `<dir>/<kind>/<namespace>.<name>.yaml` and returns the paths,
 * replacing what an earlier run wrote there (only that: see clearOwnManifests).
 */
export function writeManifests(objects: readonly RenderedObject[], dir: string): string[] {
  clearOwnManifests(dir);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, MANIFESTS_MARKER),
    "Written by `npm run plan -- <stack> --manifests`; replaced on every run.\n",
  );
  return objects.map(({ kind, id, object }) => {
    const file = path.join(dir, kind.toLowerCase(), `${id.replace("/", ".")}.yaml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stringify(object));
    return file;
  });
}
