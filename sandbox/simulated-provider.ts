/**
 * A simulated resource plugin (`pulumi-resource-aws`, `-kubernetes`, `-random`) for the
 * sandbox: the real Pulumi engine talks to it over the provider protocol
 * (sandbox/provider-server.ts). Nothing here reaches AWS
 * or a cluster: each "resource" is an entry in a local record (the sandbox's cloud.json),
 * so create, update, delete, refresh (read) and import behave like a cloud that answers.
 *
 * What it decides the way the real providers do:
 * - replace or update: a change at an input the replacement table lists
 *   (policy/replacement-triggers.yaml, the data-loss guard's table) replaces; any other
 *   change updates in place.
 * - computed outputs (ids, ARNs, endpoints, generated passwords): the shapes the offline
 *   plan's mock cloud gives (harness/mock-cloud.ts), so one place says what AWS computes.
 * - secrets: inputs arrive and leave in the engine's secret envelope, so what was secret
 *   stays secret in the state.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { computedOutputs, invokeResult } from "../harness/mock-cloud";
import { WIRE_UNKNOWN } from "../harness/record";
import { readReplacementTriggers, type ReplacementTriggers } from "../policy/replacement-triggers";

type State = Record<string, unknown>;

/** One simulated resource in the record. */
interface CloudEntry {
  readonly urn: string;
  readonly type: string;
  /** What the resource was last created or updated with: what a diff compares with. */
  readonly inputs: State;
  readonly outputs: State;
}

/** The sandbox's simulated cloud: every live resource by id, in one JSON file. */
export class CloudRecord {
  constructor(private readonly file: string) {}

  read(): Record<string, CloudEntry> {
    if (!fs.existsSync(this.file)) return {};
    return JSON.parse(fs.readFileSync(this.file, "utf8")) as Record<string, CloudEntry>;
  }

  /** Changes the record under a lock file, so plugins of parallel steps never lose a write. */
  change(edit: (entries: Record<string, CloudEntry>) => void): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const lock = `${this.file}.lock`;
    for (let tries = 0; ; tries++) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 2000) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
    try {
      const entries = this.read();
      edit(entries);
      const partial = `${this.file}.${process.pid}`;
      fs.writeFileSync(partial, `${JSON.stringify(entries, null, 1)}\n`);
      fs.renameSync(partial, this.file);
    } finally {
      fs.rmdirSync(lock);
    }
  }
}

/** The type token and logical name a URN carries (`urn:pulumi:<stack>::<project>::<types>::<name>`). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.split("$").pop() ?? types, name: parts.slice(3).join("::") };
}

/** The input paths whose values differ, one level deep into objects ("a.b"). */
export function changedPaths(olds: State, news: State): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const changed: string[] = [];
  for (const key of keys) {
    const [a, b] = [olds[key], news[key]];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const nested = isObject(a) && isObject(b) ? changedPaths(a, b).map((p) => `${key}.${p}`) : [];
    changed.push(...(nested.length > 0 ? nested : [key]));
  }
  return changed;
}

function isObject(value: unknown): value is State {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a changed path is at or under one of the type's replacement-forcing inputs. */
export function forcesReplacement(changed: string, triggers: ReplacementTriggers | undefined): boolean {
  return (triggers?.replaceOn ?? []).some((input) => changed === input || changed.startsWith(`${input}.`));
}

/** Options of one simulated plugin. */
export interface SimulatedProviderOptions {
  /** The version it reports, the SDK package's. */
  readonly version: string;
  /** The record file of the simulated cloud. */
  readonly cloudFile: string;
  /**
   * How long each create, update and delete takes, so that an update can be interrupted
   * half-way on purpose (docs/sandbox.md: SLIPWAY_SANDBOX_LATENCY_MS).
   * @default 0
   */
  readonly latencyMs?: number;
}

/** The provider the engine talks to, through sandbox/provider-server.ts. */
export class SimulatedProvider {
  readonly version: string;
  private readonly cloud: CloudRecord;
  private readonly triggers = readReplacementTriggers();
  private readonly latencyMs: number;

  constructor(options: SimulatedProviderOptions) {
    this.version = options.version;
    this.cloud = new CloudRecord(options.cloudFile);
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Waits as long as a cloud operation takes in this sandbox. */
  private async operation(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }

  /** What changed between the inputs the resource has and the new ones, and what of it replaces. */
  diff(id: string, urn: string, oldInputs: State, news: State): { changed: string[]; replaces: string[] } {
    const { type } = parseUrn(urn);
    const changed = changedPaths(this.cloud.read()[id]?.inputs ?? oldInputs, news);
    const replaces = changed.filter((p) => forcesReplacement(p, this.triggers[type])).map((p) => p.split(".")[0] ?? p);
    return { changed, replaces: [...new Set(replaces)] };
  }

  /**
   * Creates the resource; in a preview (`preview: true`), only says what it would hold: the
   * known inputs, and every value the cloud computes unknown, as the real providers answer.
   */
  async create(urn: string, inputs: State, preview: boolean): Promise<{ id: string; outs: State }> {
    const { type, name } = parseUrn(urn);
    if (preview) return { id: "", outs: this.previewOutputs(urn, inputs) };
    await this.operation();
    const id = `${name}-${crypto.randomBytes(4).toString("hex")}`;
    const outs = this.outputs(urn, inputs, id);
    this.cloud.change((entries) => (entries[id] = { urn, type, inputs, outputs: outs }));
    return { id, outs };
  }

  /** The resource as the cloud holds it, or undefined when it is gone (refresh then drops it). */
  read(id: string): { id: string; inputs: State; outputs: State } | undefined {
    const entry = this.cloud.read()[id];
    return entry && { id, inputs: entry.inputs, outputs: entry.outputs };
  }

  async update(id: string, urn: string, news: State, preview: boolean): Promise<State> {
    if (preview) return this.previewOutputs(urn, news);
    await this.operation();
    const outs = this.outputs(urn, news, id);
    this.cloud.change((entries) => (entries[id] = { urn, type: parseUrn(urn).type, inputs: news, outputs: outs }));
    return outs;
  }

  async delete(id: string): Promise<void> {
    await this.operation();
    this.cloud.change((entries) => {
      delete entries[id];
    });
  }

  invoke(token: string, inputs: State): State {
    return invokeResult(token, inputs);
  }

  /**
   * Inputs plus what the cloud computes. An AWS resource whose `name` is not set gets one,
   * as the provider's auto-naming gives (logical name and a suffix; the suffix here comes
   * from the URN, so updates keep it), and as the offline plan's mock cloud does.
   */
  private outputs(urn: string, inputs: State, id: string): State {
    const { type, name } = parseUrn(urn);
    return { name: autoName(urn), ...inputs, ...computedOutputs(type, name, inputs, id) };
  }

  /** The outputs of a preview: known inputs known, computed values unknown. */
  private previewOutputs(urn: string, inputs: State): State {
    const { type, name } = parseUrn(urn);
    const computed = Object.keys(computedOutputs(type, name, inputs, "preview"));
    return { name: autoName(urn), ...inputs, ...Object.fromEntries(computed.map((key) => [key, WIRE_UNKNOWN])) };
  }
}

/** The auto-name of a resource that sets none: its logical name and a suffix from its URN. */
function autoName(urn: string): string {
  return `${parseUrn(urn).name}-${crypto.createHash("sha256").update(urn).digest("hex").slice(0, 7)}`;
}
