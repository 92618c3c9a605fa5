/**
 * The plan's `--json`, printed a piece at a time: the same text `JSON.stringify(value, null,
 * 2)` makes, byte for byte, without ever holding all of it. With a thousand apps the
 * resources alone are tens of megabytes of JSON; built as one string it is held twice (the
 * string and the text queued for stdout) on top of the records it came from.
 */

/** How much text is gathered before it is printed: few writes, and a bounded amount held. */
const PIECE_CHARS = 1 << 20;

/**
 * Prints `value` as `JSON.stringify(value, null, 2)` would, through `print` (one call per
 * piece of whole lines; each call ends a line, as `console.log` does). Each top-level key is
 * serialised alone, and each item of a top-level array alone.
 */
export function printJsonInPieces(
  value: Readonly<Record<string, unknown>>,
  // Through console, like every other view of the plan (and the tests' capture of it).
  print: (text: string) => void = console.log,
  pieceChars = PIECE_CHARS,
): void {
  // JSON.stringify leaves out a key whose value it cannot write (undefined, a function).
  const entries = Object.entries(value).filter(([, v]) => JSON.stringify(v) !== undefined);
  if (entries.length === 0) return print("{}");
  const out = new Pieces(print, pieceChars);
  out.line("{");
  entries.forEach(([key, item], i) => {
    const comma = i < entries.length - 1 ? "," : "";
    const head = `  ${JSON.stringify(key)}: `;
    if (Array.isArray(item) && item.length > 0) {
      out.line(`${head}[`);
      item.forEach((element: unknown, j) => {
        out.line(`    ${indented(element, "    ")}${j < item.length - 1 ? "," : ""}`);
      });
      out.line(`  ]${comma}`);
    } else {
      out.line(`${head}${indented(item, "  ")}${comma}`);
    }
  });
  out.line("}");
  out.flush();
}

/**
 * `value` as JSON with two-space indentation, every line after the first moved right by
 * `prefix`. A string never holds a raw line break (JSON escapes it), so every "\n" is one.
 * What JSON.stringify cannot write stands as `null`, as in an array.
 */
function indented(value: unknown, prefix: string): string {
  return (JSON.stringify(value, null, 2) ?? "null").replace(/\n/g, `\n${prefix}`);
}

/** Lines gathered into pieces of about `size` characters. */
class Pieces {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly print: (text: string) => void,
    private readonly size: number,
  ) {}

  line(text: string): void {
    this.lines.push(text);
    this.chars += text.length + 1;
    if (this.chars >= this.size) this.flush();
  }

  flush(): void {
    if (this.lines.length === 0) return;
    this.print(this.lines.join("\n"));
    this.lines = [];
    this.chars = 0;
  }
}
