/** The `runtime.options` a Node.js language host reads, as pulumi-language-nodejs 3.248.0 reads them. */

/** The `runtime.options` of Pulumi.yaml the host reads (main.go, parseOptions). */
export interface NodeOptions {
  /** Whether `cmd/run` compiles TypeScript with ts-node. @default true */
  readonly typescript: boolean;
  /** Extra arguments for node, split like a shell would. @default "" */
  readonly nodeargs: string;
}

/** Reads `runtime.options`, with the real host's defaults and its refusals of wrong types. */
export function nodeOptions(options: Record<string, unknown>): NodeOptions {
  const { typescript = true, nodeargs = "" } = options;
  if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
  if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
  return { typescript, nodeargs };
}

/** Splits `nodeargs` into words, honouring quotes (the real host uses shlex). */
export function splitWords(text: string): string[] {
  const words = text.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}
