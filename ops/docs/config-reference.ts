/**
 * docs/config.md, generated from the stack config's zod schema (as JSON Schema, zod's own
 * `z.toJSONSchema`): every key the program reads, its type or allowed values, its default
 * and whether it is required. The hand-written guide is docs/configuration.md.
 */
import { z } from "zod";
import { stackSchema } from "../../infra/config";
import { appFileSchema } from "../../settings/apps/file";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  pattern?: string;
  format?: string;
  /** What a schema says in words (zod's `.describe()`): a catalogue the value must come from. */
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
};

/** One row of the reference: a key path and what it takes. */
interface Row {
  readonly path: string;
  readonly takes: string;
  readonly defaultValue: string;
  readonly required: boolean;
}

const code = (text: string) => `\`${text.replace(/\|/g, "\\|")}\``;

function range(schema: JsonSchema): string {
  const parts: string[] = [];
  // zod writes the safe-integer limits of z.int(); they say nothing to a reader.
  if (schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) parts.push(`at least ${schema.minItems}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems}`);
  if (schema.minLength !== undefined && schema.minLength > 1) parts.push(`${schema.minLength}+ characters`);
  if (schema.maxLength !== undefined) parts.push(`up to ${schema.maxLength} characters`);
  return parts.join(", ");
}

/** What a leaf takes, in a few words: `one of a, b`, `integer ≥ 1, ≤ 35`, `string matching ...`. */
function takes(schema: JsonSchema): string {
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return choices.map(takes).join(", or ");
  if (schema.enum) return `one of ${schema.enum.map((v) => code(JSON.stringify(v))).join(", ")}`;
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any value");
  if (type === "array") {
    const items = schema.items ? takes(schema.items) : "anything";
    const bounds = range(schema);
    return `list of ${items}${bounds ? ` (${bounds})` : ""}`;
  }
  if (type === "object" && typeof schema.additionalProperties === "object") {
    return `map of name to ${takes(schema.additionalProperties)}`;
  }
  const details = [
    schema.format ? `format ${schema.format}` : "",
    schema.pattern ? `matching ${code(schema.pattern)}` : "",
    schema.description ?? "",
    range(schema),
  ].filter(Boolean);
  return [type, ...details].join(" ");
}

function walk(schema: JsonSchema, path: string, required: boolean, rows: Row[]): void {
  const row = (takesText: string) =>
    rows.push({
      path,
      takes: takesText,
      defaultValue: schema.default === undefined ? "" : code(JSON.stringify(schema.default)),
      required,
    });
  // An object's keys, a list of objects' keys (`path[].key`), a map's values' keys (`path.<name>.key`).
  const children = (object: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(object.properties ?? {})) {
      walk(child, `${prefix}${key}`, (object.required ?? []).includes(key), rows);
    }
  };
  if (schema.properties) {
    if (path) row("object");
    children(schema, path ? `${path}.` : "");
  } else if (schema.type === "array" && schema.items?.properties) {
    row("list of objects");
    children(schema.items, `${path}[].`);
  } else if (typeof schema.additionalProperties === "object" && schema.additionalProperties.properties) {
    row("map of name to object");
    children(schema.additionalProperties, `${path}.<name>.`);
  } else {
    row(takes(schema));
  }
}

/** The rows of a whole schema (the stack config, an app file), in schema order. */
function configRows(schema: z.ZodType): Row[] {
  const json = z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
  const rows: Row[] = [];
  walk(json, "", true, rows);
  return rows;
}

/** docs/config.md. */
export function configReference(): string {
  const rows = configRows(stackSchema);
  const sections = new Map<string, Row[]>();
  for (const r of rows) {
    const [top = r.path] = r.path.split(/[.[]/);
    sections.set(top, [...(sections.get(top) ?? []), r]);
  }
  const out = [
    "# Stack config reference",
    "",
    "<!-- Generated by `npm run docs` from the settings (settings/, infra/schema/) as infra/config.ts assembles them; do not edit. -->",
    "",
    "Every key Slipway reads from `Pulumi.<stack>.yaml`, with what it takes, its default and",
    "whether it is required. Checks that span keys (a desired size within min..max, subnets",
    "inside the VPC, a chart pinned by the channel...) are described in",
    "[configuration.md](configuration.md). Keys of other namespaces than `slipway:` and",
    "`aws:region` are refused unless a provider reads them.",
    "",
  ];
  for (const [top, list] of sections) {
    out.push(`## \`${top}\``, "", "| key | takes | default | required |", "| --- | --- | --- | --- |");
    for (const r of list) out.push(`| ${code(r.path)} | ${r.takes} | ${r.defaultValue} | ${r.required ? "yes" : ""} |`);
    out.push("");
  }
  out.push(
    "## App files: `apps/<name>.yaml`",
    "",
    "One file per application, named by its file ([apps.md](apps.md)). The keys below `stacks.<name>`",
    "change the app for one stack: `replicas` and `autoscaling` replace each other, `env` and",
    "`secretEnv` add to the file's variables, the rest replace the file's value.",
    "",
    "| key | takes | default | required |",
    "| --- | --- | --- | --- |",
  );
  for (const r of configRows(appFileSchema)) {
    out.push(`| ${code(r.path)} | ${r.takes} | ${r.defaultValue} | ${r.required ? "yes" : ""} |`);
  }
  out.push("");
  return out.join("\n");
}
